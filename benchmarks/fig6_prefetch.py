"""Figure 6: ``paginate(..., prefetch=True)`` against ``paginate``, with a latency per page and work per page.

The sandbox (in its own process) holds every members page for ``LATENCY``
seconds before answering (its ``delay`` fault, injected through its control
endpoint before each pass), as Patreon takes hundreds of milliseconds a page.
The caller works ``WORK`` seconds of CPU on each page it is given.  Four passes
in turn, in both orders, each round:

- fetching alone: ``paginate`` with no work (what the network and the client take);
- working alone: the work of every page with no fetching (the pages are already there);
- ``paginate``: both, one after the other;
- ``paginate(..., prefetch=True)``: both, the next page fetched while the caller works.

The goal: prefetch's pass takes at most 1.1 × the longer of fetching alone and working alone.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

import benchlib
from results import ratio, seconds
from sandbox_server import SandboxProcess, client_parser

MEMBERS, PAGE_SIZE, LATENCY, WORK, ROUNDS = 5000, 250, 0.05, 0.05, 4
QUICK_MEMBERS, QUICK_PAGE_SIZE, QUICK_LATENCY, QUICK_WORK, QUICK_ROUNDS = 30, 10, 0.01, 0.01, 1
GOAL_RATIO = 1.10
ROUTE = 'campaigns/{id}/members'
PASSES = ('fetching', 'working', 'paginate', 'prefetch')
LABELS = {'fetching': 'fetching alone (paginate, no work)', 'working': 'working alone (no fetching)',
          'paginate': 'paginate', 'prefetch': 'paginate(..., prefetch=True)'}


def work(seconds_of_cpu):
    """Keep the CPU busy (holding the GIL, as the caller's own Python code does) for ``seconds_of_cpu``."""
    until = time.process_time() + seconds_of_cpu
    spins = 0
    while time.process_time() < until:
        spins += 1
    return spins


def one_pass(kind, api, control, campaign_id, page_size, pages, latency, seconds_of_work):
    if kind == 'working':
        started = benchlib.clock()
        for _ in range(pages):
            work(seconds_of_work)
        return benchlib.clock() - started, pages * page_size
    control.clear_faults()
    control.inject_fault(ROUTE, 'delay', count=pages, seconds=latency)
    started = benchlib.clock()
    members = 0
    for page in api.paginate_pages(api.get_campaigns_by_id_members, campaign_id, page_size=page_size,
                                   prefetch=kind == 'prefetch'):
        members += len(page.data())
        if kind != 'fetching':
            work(seconds_of_work)
    return benchlib.clock() - started, members


def child(url, token, control_key, campaign_id, page_size, members, latency, seconds_of_work, rounds):
    benchlib.loopback_only()
    import patreon
    from patreon.sandbox import SandboxControl

    pages = -(-members // page_size)
    control = SandboxControl(url, control_key)
    measured = dict((kind, []) for kind in PASSES)
    with patreon.API(token, base_url=url) as api:
        api.get_campaigns_by_id_members(campaign_id, page_size)  # the connection and what a process does once
        for round_number in range(rounds):
            for kind in PASSES if round_number % 2 == 0 else tuple(reversed(PASSES)):
                wall, fetched = one_pass(kind, api, control, campaign_id, page_size, pages, latency, seconds_of_work)
                if fetched != members:
                    raise AssertionError('{} fetched {} members of {}'.format(kind, fetched, members))
                measured[kind].append(wall)
    control.clear_faults()
    return {'passes': measured, 'pages': pages}


def measure(config):
    members, page_size, latency, seconds_of_work, rounds = (
        (QUICK_MEMBERS, QUICK_PAGE_SIZE, QUICK_LATENCY, QUICK_WORK, QUICK_ROUNDS) if config.quick
        else (MEMBERS, PAGE_SIZE, LATENCY, WORK, ROUNDS))
    python = config.pythons['ours']
    with SandboxProcess(python, members) as sandbox:
        outcome = benchlib.run_child(python, 'fig6_prefetch.py', sandbox.client_args(control=True) + [
            '--page-size', page_size, '--members', members, '--latency', latency, '--work', seconds_of_work,
            '--rounds', rounds])
    return tabulate(outcome, members, page_size, latency, seconds_of_work)


def tabulate(outcome, members, page_size, latency, seconds_of_work):
    stats = dict((kind, benchlib.summarize(walls)) for kind, walls in outcome['passes'].items())
    longer = max(stats['fetching']['median'], stats['working']['median'])
    rows = [[LABELS[kind], seconds(stats[kind]), ratio(stats[kind]['median'] / longer)] for kind in PASSES]
    prefetch_ratio = stats['prefetch']['median'] / longer
    saved = 1 - stats['prefetch']['median'] / stats['paginate']['median']
    goals = [{'goal': 'prefetch in at most {:.2f}× the longer of fetching alone and working alone'.format(GOAL_RATIO),
              'value': '{:.3f}× ({:.0%} less wall time than paginate)'.format(prefetch_ratio, saved),
              'met': prefetch_ratio <= GOAL_RATIO, 'why': ''}]
    notes = [
        '{:,} members in pages of {:,} ({} pages); the sandbox holds each page {:.0f} ms before answering, and the '
        'caller works {:.0f} ms of CPU on each page (a loop holding the GIL, as Python code does). Wall time of one '
        'pass in s: median (min–max) of {} passes; the four kinds of pass take turns, in both orders. "÷ longer" '
        'divides by the longer of fetching alone and working alone: what the pass would take if fetching and '
        'working overlapped perfectly.'.format(members, page_size, outcome['pages'], latency * 1e3,
                                               seconds_of_work * 1e3, stats['prefetch']['runs']),
    ]
    return {
        'number': 6, 'title': 'Prefetch: fetching the next page while the caller works on this one',
        'columns': ['pass', 'wall (s)', '÷ longer'], 'rows': rows, 'notes': notes, 'goals': goals,
        'raw': outcome,
    }


def main(argv=None):
    parser = client_parser(__doc__.split('\n')[0], control=True)
    parser.add_argument('--page-size', type=int, default=PAGE_SIZE)
    parser.add_argument('--members', type=int, default=MEMBERS)
    parser.add_argument('--latency', type=float, default=LATENCY)
    parser.add_argument('--work', type=float, default=WORK)
    parser.add_argument('--rounds', type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    benchlib.emit(child(args.url, args.token, args.control_key, args.campaign, args.page_size, args.members,
                        args.latency, args.work, args.rounds))


if __name__ == '__main__':
    main()
