"""Figure 3: every member of a 20,000-member sandbox campaign, pages of 1,000, over HTTP and HTTPS.

Three clients fetch the same pages with the same query (members with every
attribute, their users, entitled tiers and addresses) and read each member as
an export does: its id, its user's id and the titles of its entitled tiers
(through the included resources):

- ours: ``API(token, base_url=sandbox).paginate(api.get_campaigns_by_id_members, ...)``;
- floor: a bare ``requests.Session`` loop sending the same GETs, ``json.loads``
  of each body, a dict of the included resources per page, the next cursor
  from ``meta.pagination.cursors.next``;
- 0.5.1: its documented loop, ``get_campaigns_by_id_members`` then
  ``API.extract_cursor`` until no cursor.  0.5.1 hard-codes
  ``https://www.patreon.com``: in its process only, ``requests.get`` (which
  0.5.1 calls for every request, through the ``requests`` module) is wrapped
  to replace that prefix with the sandbox's URL.

The goal is judged on client CPU time, ours against the floor's: most of a
pass's wall time is the sandbox serving pages, which is no client's cost.

The sandbox runs in its own process.  Over HTTPS its certificate comes from a
CA made for the run (``trustme``) that every client trusts through
``REQUESTS_CA_BUNDLE``.  Every client process refuses any host but 127.0.0.1.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import json
import os
import time

import benchlib
from results import milliseconds, ratio, seconds
from sandbox_server import SandboxProcess, client_parser

PATREON = 'https://www.patreon.com'
MEMBERS, PAGE_SIZE = 20000, 1000
QUICK_MEMBERS, QUICK_PAGE_SIZE = 45, 10
# Passes take seconds (the sandbox builds 20 pages): few, taken in turns, warm-up by importing everything first.
# Per protocol: ROUNDS x RUNS passes of each client; ours and the floor alternate within one process.
ROUNDS, RUNS, WARMUP = 3, 2, 0
#: The most client CPU ours may take per pass, as a multiple of the floor's (the sandbox's CPU is not counted).
GOAL_RATIO = 1.50
SIDES = ('ours', 'floor', 'baseline')
LABELS = {'ours': 'ours: paginate', 'floor': 'floor: Session + json.loads', 'baseline': '0.5.1: extract_cursor loop'}

INCLUDES = ['user', 'currently_entitled_tiers', 'address']
FIELDS = {
    'member': ['campaign_lifetime_support_cents', 'currently_entitled_amount_cents', 'email', 'full_name',
               'is_follower', 'is_free_trial', 'is_gifted', 'last_charge_date', 'last_charge_status',
               'lifetime_support_cents', 'next_charge_date', 'note', 'patron_status', 'pledge_cadence',
               'pledge_relationship_start', 'will_pay_amount_cents'],
    'user': ['email', 'first_name', 'full_name', 'image_url', 'last_name', 'url'],
    'tier': ['amount_cents', 'title'],
    'address': ['addressee', 'city', 'country', 'line_1', 'line_2', 'postal_code', 'state'],
}


def first_page_url(url, campaign_id, page_size):
    """The URL of the first page of members, with the figure's query."""
    from six.moves.urllib.parse import urlencode

    query = [('page[count]', page_size), ('include', ','.join(INCLUDES))]
    query += [('fields[{}]'.format(kind), ','.join(names)) for kind, names in sorted(FIELDS.items())]
    return '{}/api/oauth2/v2/campaigns/{}/members?{}'.format(url, campaign_id, urlencode(query))


# Client side: one function per side, each returning every member's row in order (of the first ``max_pages``
# pages): ``(member id, user id, [tier titles])``, what an export reads.

def read_member(member):
    """The row of a member resource, through the client's own relationship lookups (ours and 0.5.1 alike)."""
    user = member.relationship('user')
    tiers = member.relationship('currently_entitled_tiers') or []
    return (member.id(), user.id() if user is not None else None,
            [tier.attribute('title') for tier in tiers if tier is not None])


def read_member_dict(member, included):
    """The row of a member as a plain dict, its relationships looked up in ``included`` by ``(type, id)``."""
    relationships = member.get('relationships') or {}
    reference = (relationships.get('user') or {}).get('data')
    user = included.get((reference['type'], reference['id'])) if reference else None
    tiers = [included.get((item['type'], item['id']))
             for item in (relationships.get('currently_entitled_tiers') or {}).get('data') or []]
    return (member['id'], user['id'] if user is not None else None,
            [tier['attributes'].get('title') for tier in tiers if tier is not None])


def fetch_ours(url, token, campaign_id, page_size, record, max_pages=None):
    import itertools

    import patreon

    with patreon.API(token, base_url=url) as api:
        api.transport.session.hooks['response'].append(record)
        members = api.paginate(api.get_campaigns_by_id_members, campaign_id, page_size=page_size,
                               includes=INCLUDES, fields=FIELDS)
        if max_pages:
            members = itertools.islice(members, max_pages * page_size)
        return [read_member(member) for member in members]


def fetch_floor(url, token, campaign_id, page_size, record, max_pages=None):
    import json

    import requests
    from six.moves.urllib.parse import quote

    first = first_page_url(url, campaign_id, page_size)
    ids, cursor, pages = [], None, 0
    with requests.Session() as session:
        session.headers['Authorization'] = 'Bearer ' + token
        session.hooks['response'].append(record)
        while True:
            response = session.get(first if cursor is None else first + '&page%5Bcursor%5D=' + quote(cursor, safe=''))
            response.raise_for_status()
            document = json.loads(response.content.decode('utf-8'))
            included = dict(((resource['type'], resource['id']), resource) for resource in document.get('included', []))
            ids.extend(read_member_dict(member, included) for member in document['data'])
            cursor, pages = document['meta']['pagination']['cursors']['next'], pages + 1
            if not cursor or pages == max_pages:
                return ids


def fetch_baseline(url, token, campaign_id, page_size, record, max_pages=None, api_class=None):
    """0.5.1's loop; ``api_class`` defaults to ``patreon.API`` (which must be 0.5.1's)."""
    if api_class is None:
        import patreon
        if hasattr(patreon.API, 'paginate'):
            raise RuntimeError('the baseline side must import patreon-v2 0.5.1, not this repository')
        api_class = patreon.API
    api = api_class(token)
    with redirect_patreon(url, record):
        ids, cursor, pages = [], None, 0
        while True:
            page = api.get_campaigns_by_id_members(campaign_id, page_size, cursor=cursor, includes=INCLUDES,
                                                   fields=FIELDS)
            ids.extend(read_member(member) for member in page.data())
            # 0.5.1's extract_cursor raises when `links` is missing, as on a last page: ask only when there is one.
            cursor = api.extract_cursor(page) if page.json_data.get('links', {}).get('next') else None
            pages += 1
            if not cursor or pages == max_pages:
                return ids


class redirect_patreon(object):
    """While active, ``requests.get('https://www.patreon.com/...')`` goes to ``url`` instead.

    ``record(response)`` sees each response, like a ``requests`` response hook.
    """

    def __init__(self, url, record):
        self.url = url
        self.record = record
        self.original = None

    def __enter__(self):
        import requests

        self.original = original = requests.get

        def get(url, *args, **kwargs):
            if url.startswith(PATREON + '/'):
                url = self.url + url[len(PATREON):]
            response = original(url, *args, **kwargs)
            self.record(response)
            return response

        requests.get = get
        return self

    def __exit__(self, *exc_info):
        import requests

        requests.get = self.original


FETCHERS = {'ours': fetch_ours, 'floor': fetch_floor, 'baseline': fetch_baseline}


def child(sides, url, token, campaign_id, page_size, runs, warmup, profiled=False):
    """Fetch every page ``warmup + runs`` times with each of ``sides`` in turn; return timings and what was fetched.

    Two sides (ours and the floor, both in our virtualenv) alternate pass by
    pass, in both orders, so that each pass of one has a pass of the other
    next to it in time: their ratio is then taken pair by pair.
    ``profiled``: one more pass of ours, under cProfile, to name what a missed goal costs.
    """
    benchlib.loopback_only()
    # Everything is imported before the clock starts: a pass measures fetching, not importing.
    import requests  # noqa: F401
    import six.moves.urllib.parse  # noqa: F401
    if sides != ['floor']:
        import patreon  # noqa: F401
    measured = dict((side, {'wall': [], 'cpu': []}) for side in sides)
    requested = []

    def record(response, *args, **kwargs):
        requested.append((response.request.url, len(response.content)))
        return response

    # The first page once per side, untimed: what a process does once (e.g. work out the User-Agent) stays out.
    for side in sides:
        FETCHERS[side](url, token, campaign_id, page_size, record, max_pages=1)
    for run in range(warmup + runs):
        for side in sides if run % 2 == 0 else list(reversed(sides)):
            del requested[:]
            benchlib.gc.collect()
            started, started_cpu = benchlib.clock(), time.process_time()
            rows = FETCHERS[side](url, token, campaign_id, page_size, record)
            wall, cpu = benchlib.clock() - started, time.process_time() - started_cpu
            ids = [row[0] for row in rows]
            if run >= warmup:
                measured[side]['wall'].append(wall)
                measured[side]['cpu'].append(cpu)
            measured[side].update(members=len(ids), distinct=len(set(ids)), pages=len(requested),
                                  rows=hashlib.sha1(json.dumps(rows).encode('utf-8')).hexdigest(),
                                  urls=[requested_url for requested_url, _ in requested[:2]],
                                  bytes=sum(size for _, size in requested))
    result = {'sides': measured, 'identity': benchlib.describe_patreon()}
    if profiled:
        result['profile'] = benchlib.profile(fetch_ours, (url, token, campaign_id, page_size, record))
    return result


def measure_protocol(config, https):
    members, page_size = (QUICK_MEMBERS, QUICK_PAGE_SIZE) if config.quick else (MEMBERS, PAGE_SIZE)
    rounds, runs, warmup = (1, 1, 0) if config.quick else (ROUNDS, RUNS, WARMUP)
    groups = [('ours', ['ours', 'floor'])] + ([('baseline', ['baseline'])] if 'baseline' in config.sides else [])
    ca_file = os.path.join(config.workdir, 'bench-ca.pem') if https else None
    outcomes = dict((side, []) for _, sides in groups for side in sides)
    with SandboxProcess(config.pythons['ours'], members, ca_file=ca_file) as sandbox:
        common = sandbox.client_args() + ['--page-size', page_size]
        for round_number in range(rounds):
            # Each round starts with the other process, so that neither always follows the same one.
            for venv, sides in groups[round_number % len(groups):] + groups[:round_number % len(groups)]:
                outcome = benchlib.run_child(config.pythons[venv], 'fig3_http.py',
                                             ['--sides', ','.join(sides), '--runs', runs, '--warmup', warmup] + common,
                                             env=sandbox.client_env())
                for side in sides:
                    check_outcome(config, side, dict(outcome['sides'][side], identity=outcome['identity']),
                                  members, sandbox.url)
                    outcomes[side].append(outcome['sides'][side])
        profile = None
        if paired_ratios(outcomes, 'cpu')['median'] > GOAL_RATIO:
            profile = benchlib.run_child(config.pythons['ours'], 'fig3_http.py',
                                         ['--sides', 'ours', '--runs', 1, '--warmup', 0, '--profile'] + common,
                                         env=sandbox.client_env())['profile']
        server = sandbox.stop()
    same_requests(outcomes)
    same_rows(outcomes)
    return {'members': members, 'page_size': page_size, 'outcomes': outcomes, 'server': server,
            'runs_per_side': rounds * runs, 'warmup': warmup, 'rounds': rounds, 'profile': profile}


def paired_ratios(outcomes, key):
    """Summary of ours ÷ floor, pass by pass (the two alternate in one process)."""
    ours = [value for outcome in outcomes['ours'] for value in outcome[key]]
    floor = [value for outcome in outcomes['floor'] for value in outcome[key]]
    return benchlib.summarize([mine / theirs for mine, theirs in zip(ours, floor)])


def check_outcome(config, side, outcome, members, url):
    if outcome['members'] != members or outcome['distinct'] != members:
        raise AssertionError('{} fetched {} members ({} distinct) of {}'.format(
            side, outcome['members'], outcome['distinct'], members))
    if not all(requested.startswith(url + '/') for requested in outcome['urls']):
        raise AssertionError('{} requested {}'.format(side, outcome['urls']))
    if config.check_identity:
        benchlib.check_identity(outcome['identity'], 'baseline' if side == 'baseline' else 'ours')


def same_requests(outcomes):
    """Every side must have sent the same first two requests (query parameters in any order)."""
    from six.moves.urllib.parse import parse_qsl, urlsplit

    def normal(url):
        parts = urlsplit(url)
        return parts.path, sorted(parse_qsl(parts.query))

    reference = None
    for side, side_outcomes in sorted(outcomes.items()):
        requested = [normal(url) for url in side_outcomes[0]['urls']]
        if reference is None:
            reference = (side, requested)
        elif requested != reference[1]:
            raise AssertionError('{} and {} sent different requests: {} / {}'.format(
                reference[0], side, reference[1], requested))


def same_rows(outcomes):
    """Every pass of every side must have read the same rows (ids, user ids, tier titles)."""
    digests = set(outcome['rows'] for side_outcomes in outcomes.values() for outcome in side_outcomes)
    if len(digests) != 1:
        raise AssertionError('the clients read different rows ({} different digests)'.format(len(digests)))


def measure(config):
    """Figure 3 over HTTP, then over HTTPS."""
    protocols = [('HTTP', measure_protocol(config, https=False)), ('HTTPS', measure_protocol(config, https=True))]
    return tabulate(protocols)


def tabulate(protocols):
    rows, goals, cpu_notes, baseline_cpu = [], [], [], []
    for name, measured in protocols:
        outcomes = measured['outcomes']
        wall = dict((side, benchlib.summarize([value for outcome in runs for value in outcome['wall']]))
                    for side, runs in outcomes.items())
        cpu = dict((side, benchlib.summarize([value for outcome in runs for value in outcome['cpu']]))
                   for side, runs in outcomes.items())
        pages = outcomes['ours'][0]['pages']
        floor = wall['floor']['median']
        for side in SIDES:
            if side not in wall:
                continue
            rows.append([name, LABELS[side], seconds(wall[side]),
                         '{:.1f}'.format(wall[side]['median'] / pages * 1e3),
                         ratio(wall[side]['median'] / floor), ratio(wall[side]['median'] / wall['ours']['median']),
                         milliseconds(cpu[side], digits=0), ratio(cpu[side]['median'] / cpu['floor']['median'])])
        paired = paired_ratios(outcomes, 'cpu')
        ours_ratio = paired['median']
        extra_cpu = cpu['ours']['median'] - cpu['floor']['median']
        why = ''
        if ours_ratio > GOAL_RATIO:
            why = 'Client CPU: ours {:.0f} ms, the floor {:.0f} ms per pass. cProfile of one pass of ours: {}.'.format(
                cpu['ours']['median'] * 1e3, cpu['floor']['median'] * 1e3,
                benchlib.describe_profile(measured['profile'] or []))
        goals.append({'goal': 'all pages over {} with `paginate` in at most {:.2f}× the floor\'s client CPU'.format(
            name, GOAL_RATIO), 'value': '{:.3f}× (pass by pass: min {:.3f}×, max {:.3f}×)'.format(
                ours_ratio, paired['min'], paired['max']), 'met': ours_ratio <= GOAL_RATIO, 'why': why})
        cpu_notes.append('{}: {:+.0f} ms per pass, {:+.2f} µs per member'.format(
            name, extra_cpu * 1e3, extra_cpu / measured['members'] * 1e6))
        if 'baseline' in cpu:
            baseline_cpu.append('{} over {}'.format(ratio(cpu['baseline']['median'] / cpu['floor']['median']), name))
    first = protocols[0][1]
    notes = [
        '{:,} members in pages of {:,} ({} GETs per pass, {:.1f} MB of JSON in all); each client reads every '
        'member as an export does (its id, its user\'s id, its entitled tiers\' titles, through the included '
        'resources: ours and 0.5.1 with `relationship()`, the floor with a dict per page), and every pass is '
        'checked to return all {:,} members once, each side the same rows. The query: `include={}` and '
        '`fields[...]` for member (all 16 attributes), user, tier and address.'.format(
            first['members'], first['page_size'], first['outcomes']['ours'][0]['pages'],
            first['outcomes']['ours'][0]['bytes'] / 1e6, first['members'], ','.join(INCLUDES)),
        'Wall time of one whole pass in s: median (min–max) of {} passes per client ({} warm-up passes; each client '
        'process imports everything and fetches the first page once before the clock starts, and opens its '
        'connection inside each pass). ours and '
        'the floor alternate pass by pass in one process of our virtualenv, in both orders; 0.5.1 runs in a process '
        'of its own virtualenv; the processes take turns, {} rounds. The goal is judged on the median of the '
        'pass-by-pass ratios of client CPU ours ÷ floor (each pass beside its neighbour in time): the sandbox\'s '
        'CPU is not the client\'s, and wall time is mostly the sandbox\'s; the "÷ floor" column divides '
        'median wall times. "client CPU" is the client process\'s own CPU time per pass (ms): the sandbox runs in '
        'another process, so this column is what each client itself costs, and it is far steadier than wall time on a '
        'shared machine.'.format(first['runs_per_side'], first['warmup'], first['rounds']),
        'ours and the floor keep one connection for the whole pass; 0.5.1 calls `requests.get`, a new session '
        'and connection (and TLS handshake over HTTPS) for every page, and computes its User-Agent (with '
        '`pkg_resources`) on every request. 0.5.1 reaches the sandbox because its process wraps `requests.get` to '
        'replace `https://www.patreon.com` with the sandbox\'s URL; nothing else of it is changed. 0.5.1\'s '
        '`extract_cursor` raises on a last page that has no `links` (like Patreon\'s), so its loop calls it only '
        'when the page has `links.next`.',
        'The sandbox\'s own time per page is in figure 5: most of each pass is the server building and sending pages.',
        'Wall time is mostly the sandbox\'s, and it moves with the load of this shared 2-core machine. ours and '
        'the floor are compared pass by pass within one process (the goal compares their CPU); 0.5.1 runs in a '
        'process of its own at other moments, so its wall-time ratios carry that drift. A TLS handshake on '
        'loopback costs about a millisecond, against tens of milliseconds for the sandbox to build a page of '
        '1,000 members, so 0.5.1\'s new connection per page shows in its client CPU{} rather than in its '
        'pass time.'.format(
            ' (÷ floor: {})'.format(', '.join(baseline_cpu)) if baseline_cpu else ''),
        'Client CPU of ours beyond the floor\'s ({}): the floor reads `document["data"]` as plain dicts; ours '
        'sends each page through `Transport.request` and `api_result`, and `paginate` yields a `JSONAPIResource` '
        'per member, whose `id()` and `relationship()` the loop calls. Both parse with the same `json.loads` and '
        'read the same sockets.'.format('; '.join(cpu_notes)),
    ]
    return {
        'number': 3, 'title': 'All pages of a 20,000-member campaign over loopback',
        'columns': ['protocol', 'client', 'pass (s)', 'per page (ms)', '÷ floor', '÷ ours', 'client CPU (ms)',
                    'CPU ÷ floor'],
        'rows': rows, 'notes': notes, 'goals': goals,
        'raw': dict((name, measured) for name, measured in protocols),
    }


def main(argv=None):
    parser = client_parser(__doc__.split('\n')[0])
    parser.add_argument('--sides', required=True, help='comma-separated, of: ' + ', '.join(SIDES))
    parser.add_argument('--page-size', type=int, default=PAGE_SIZE)
    parser.add_argument('--runs', type=int, default=RUNS)
    parser.add_argument('--warmup', type=int, default=WARMUP)
    parser.add_argument('--profile', action='store_true', help='one more pass, under cProfile')
    args = parser.parse_args(argv)
    sides = args.sides.split(',')
    if not set(sides) <= set(SIDES):
        parser.error('unknown side in {}'.format(args.sides))
    benchlib.emit(child(sides, args.url, args.token, args.campaign, args.page_size, args.runs, args.warmup,
                        args.profile))


if __name__ == '__main__':
    main()
