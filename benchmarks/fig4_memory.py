"""Figure 4: peak memory while iterating 100,000 members with ``paginate``, against one page's size.

Each measurement is a fresh client process against a 100,000-member sandbox
(in its own process), pages of 1,000, the query of figure 3.  A process
imports everything and sends one small request first; then it reads its
resident set size (``/proc/self/statm``), does its work, and reads its peak
(``ru_maxrss``) after 10 pages and at the end.  The growth, peak minus start,
is what the work cost:

- one page: ``sys.getsizeof`` summed over ``json.loads`` of its body (its
  parsed size), and its size in bytes;
- the floor: a bare ``requests.Session`` loop holding one page at a time;
- ``paginate``: the same growth after 10 pages and after 100 means memory is
  bounded by a page, not by the total;
- ``list(paginate_pages(...))``: every page held at once, what a client that
  materialises everything pays.
"""
from __future__ import absolute_import, division, print_function, unicode_literals


import benchlib
from fig3_http import FIELDS, INCLUDES, first_page_url
from results import mebibytes, megabytes, ratio
from sandbox_server import SandboxProcess, client_parser

MEMBERS, PAGE_SIZE, FIRST_PAGES = 100000, 1000, 10
QUICK_MEMBERS, QUICK_PAGE_SIZE, QUICK_FIRST_PAGES = 60, 10, 2
MODES = ('one-page', 'floor', 'paginate', 'materialise')


def floor_pages(url, campaign_id, page_size, headers):
    """Yield each page as ``json.loads`` gives it, through a bare ``requests.Session``: the floor."""
    import json

    import requests
    from six.moves.urllib.parse import quote

    first = first_page_url(url, campaign_id, page_size)
    cursor = None
    with requests.Session() as session:
        while True:
            response = session.get(first if cursor is None else first + '&page%5Bcursor%5D=' + quote(cursor, safe=''),
                                   headers=headers)
            response.raise_for_status()
            document = json.loads(response.content.decode('utf-8'))
            cursor = document['meta']['pagination']['cursors']['next']
            yield document
            if not cursor:
                return


def child(mode, url, token, campaign_id, page_size, first_pages):
    benchlib.loopback_only()
    import json

    import patreon
    import requests

    headers = {'Authorization': 'Bearer ' + token}
    api = patreon.API(token, base_url=url)
    list_method = api.get_campaigns_by_id_members
    query = {'includes': INCLUDES, 'fields': FIELDS}
    list_method(campaign_id, 1, **query)  # the connection, the lazy imports, the User-Agent
    benchlib.gc.collect()
    start, peak_before = benchlib.current_rss_bytes(), benchlib.peak_rss_bytes()
    result = {'mode': mode, 'identity': benchlib.describe_patreon()}
    if mode == 'one-page':
        body = requests.get(first_page_url(url, campaign_id, page_size), headers=headers).content
        document = json.loads(body.decode('utf-8'))
        result.update(bytes=len(body), parsed=benchlib.deep_size(document), members=len(document['data']))
    elif mode == 'paginate':
        members = 0
        for _ in api.paginate(list_method, campaign_id, page_size=page_size, **query):
            members += 1
            if members == first_pages * page_size:
                result['first_growth'] = benchlib.peak_rss_bytes() - start
        result['members'] = members
    elif mode == 'floor':
        members = 0
        for document in floor_pages(url, campaign_id, page_size, headers):
            members += len(document['data'])
            if members == first_pages * page_size:
                result['first_growth'] = benchlib.peak_rss_bytes() - start
        result['members'] = members
    else:
        pages = list(api.paginate_pages(list_method, campaign_id, page_size=page_size, **query))
        result['members'] = sum(len(page.data()) for page in pages)
    peak = benchlib.peak_rss_bytes()
    result.update(start=start, peak=peak, growth=max(0, peak - start), new_peak=peak > peak_before)
    return result


def measure(config):
    members, page_size, first_pages = (QUICK_MEMBERS, QUICK_PAGE_SIZE, QUICK_FIRST_PAGES) if config.quick \
        else (MEMBERS, PAGE_SIZE, FIRST_PAGES)
    python = config.pythons['ours']
    outcomes = {}
    with SandboxProcess(python, members) as sandbox:
        for mode in MODES:
            outcome = benchlib.run_child(python, 'fig4_memory.py', sandbox.client_args() + [
                '--mode', mode, '--page-size', page_size, '--first-pages', first_pages])
            if config.check_identity:
                benchlib.check_identity(outcome['identity'], 'ours')
            expected = page_size if mode == 'one-page' else members
            if outcome['members'] != expected:
                raise AssertionError('{} saw {} members, not {}'.format(mode, outcome['members'], expected))
            outcomes[mode] = outcome
    return tabulate(outcomes, members, page_size, first_pages)


def tabulate(outcomes, members, page_size, first_pages):
    page = outcomes['one-page']
    parsed = page['parsed']
    pages = members // page_size
    rows = [
        ['one page of {:,} members: its body'.format(page_size), megabytes(page['bytes']), '', ''],
        ['one page of {:,} members: parsed (`json.loads`)'.format(page_size), mebibytes(parsed), '1.00', ''],
    ]
    for mode, label in (('floor', 'floor: bare `requests.Session` loop, one page at a time'),
                        ('paginate', 'ours: `paginate`')):
        outcome = outcomes[mode]
        rows.append(['{}, first {} pages'.format(label, first_pages), mebibytes(outcome['first_growth']),
                     ratio(outcome['first_growth'] / parsed), ''])
        rows.append(['{}, all {} pages'.format(label, pages), mebibytes(outcome['growth']),
                     ratio(outcome['growth'] / parsed), mebibytes(outcome['peak'])])
    held = outcomes['materialise']
    rows.append(['ours: `list(paginate_pages(...))`, all {} pages held'.format(pages), mebibytes(held['growth']),
                 ratio(held['growth'] / parsed), mebibytes(held['peak'])])
    ours, floor = outcomes['paginate']['growth'], outcomes['floor']['growth']
    goal = {'goal': 'memory while iterating {:,} members with `paginate` bounded by a page, not the total: its '
                    'growth at most the floor\'s (a loop that holds one page at a time) plus one parsed page'.format(
                        members),
            'value': '{} vs {} + {}'.format(mebibytes(ours), mebibytes(floor), mebibytes(parsed)),
            'met': ours <= floor + parsed}
    notes = [
        'Growth = peak RSS (`ru_maxrss`) minus the RSS just before the work, in a fresh client process that has '
        'already imported everything and sent one small request; the "first {} pages" rows read the peak when the '
        'loop reaches them. "÷ page" divides by one page\'s parsed size: `sys.getsizeof` summed over every object '
        'of `json.loads(body)`.'.format(first_pages),
        'A loop that holds one page at a time still peaks at several pages: while page n+1 arrives, page n is still '
        'referenced, and page n+1 exists as bytes, as decoded text (4 bytes a character once a name has an emoji) '
        'and as parsed objects.',
        'The sandbox (its own process) holds the {:,} members; 0.5.1 has no `paginate` and is not measured '
        'here.'.format(members),
    ]
    return {
        'number': 4, 'title': 'Peak memory while iterating {:,} members'.format(members),
        'columns': ['what', 'size or growth', '÷ page', 'peak RSS of the process'],
        'rows': rows, 'notes': notes, 'goals': [goal], 'raw': outcomes,
    }


def main(argv=None):
    parser = client_parser(__doc__.split('\n')[0])
    parser.add_argument('--mode', choices=MODES, required=True)
    parser.add_argument('--page-size', type=int, default=PAGE_SIZE)
    parser.add_argument('--first-pages', type=int, default=FIRST_PAGES,
                        help='also read the peak after this many pages')
    args = parser.parse_args(argv)
    benchlib.emit(child(args.mode, args.url, args.token, args.campaign, args.page_size, args.first_pages))


if __name__ == '__main__':
    main()
