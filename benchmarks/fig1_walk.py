"""Figure 1: walking a page of members, ours and 0.5.1, against ``json.loads`` of the page.

*Walk* is the same calls for both packages::

    for member in JSONAPIParser(document).data():
        member.relationship('user')
        member.relationship('currently_entitled_tiers')
        member.relationship('address')

where ``document = json.loads(text)``.  The walk's time does NOT include
``json.loads``: walking a page must cost no more than ``json.loads`` of that
page, so the figure is ``walk ÷ json.loads``, both timed in the same process,
on the same page, in alternation, in CPU time of the thread.

Pages with every attribute make ``json.loads`` costly and flatter the walk;
the *lean* page (:func:`member_pages.lean_members_page`: three attributes per
member, two per user) makes it cheap.  Its *lean walk* also reads the three
attributes, ``member.attribute(name)`` once each, as a client asking for
little does; ours alone walks it (0.5.1 raises on its ``"address": {"data": null}``).

Run by :mod:`run`; a child is ``python fig1_walk.py --side ours --sizes 100,1000``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import json

import benchlib
import member_pages
from results import megabytes, milliseconds, ratio

SIZES = (100, 1000, 10000)
QUICK_SIZES = (20, 60)
GOAL_SIZE = 1000
GOAL_RATIO = 1.0
#: 0.5.1 walks 10,000 members in about 40 s on this kind of machine: one run, no warm-up.
BASELINE_CAPPED_FROM = 10000


def walk(parser_class, document):
    """The walk every side is timed on (see the module's docstring)."""
    for member in parser_class(document).data():
        member.relationship('user')
        member.relationship('currently_entitled_tiers')
        member.relationship('address')


def lean_walk(parser_class, document):
    """The walk of the lean page: :func:`walk`, and the member's three attributes
    (:data:`member_pages.LEAN_MEMBER_ATTRIBUTES`) read one call each."""
    for member in parser_class(document).data():
        member.relationship('user')
        member.relationship('currently_entitled_tiers')
        member.relationship('address')
        member.attribute('full_name')
        member.attribute('patron_status')
        member.attribute('currently_entitled_amount_cents')


#: The walk timed on each kind of page.
WALKS = {'full': walk, 'lean': lean_walk}


def loads_and_walk(parser_class, text, page='full'):
    """``json.loads`` then the page's walk: what is profiled when the walk misses its goal."""
    WALKS[page](parser_class, json.loads(text))


def resolved(parser_class, document):
    """What :func:`walk` resolves, as :func:`member_pages.expected_walk` describes it: to check a side is right."""
    users, tiers, addresses = [], [], []
    for member in parser_class(document).data():
        users.append(member.relationship('user').id())
        tiers.append([tier.id() for tier in member.relationship('currently_entitled_tiers')])
        address = member.relationship('address')
        addresses.append(address.id() if address is not None else None)
    return users, tiers, addresses


def lean_resolved(parser_class, document):
    """What :func:`lean_walk` reads, as :func:`member_pages.expected_lean_walk` describes it."""
    attributes = [tuple(member.attribute(name) for name in member_pages.LEAN_MEMBER_ATTRIBUTES)
                  for member in parser_class(document).data()]
    return resolved(parser_class, document) + (attributes,)


def page_text(page, size, null_addresses):
    """The JSON text of one page of figure 1: ``'full'`` (with or without null addresses) or ``'lean'``."""
    if page == 'lean':
        return member_pages.lean_members_page_text(size)
    return member_pages.members_page_text(size, null_addresses=null_addresses)


def check_walk(parser_class, page, document):
    """Refuse a side whose walk of ``document`` does not read what the page holds."""
    if page == 'lean':
        return lean_resolved(parser_class, document) == member_pages.expected_lean_walk(document)
    return resolved(parser_class, document) == member_pages.expected_walk(document)


def budget_for(side, size, quick):
    """How often one side walks one size."""
    if quick:
        return benchlib.Budget(warmup=1, min_runs=3, max_runs=3, seconds=0)
    if side == 'baseline' and size >= BASELINE_CAPPED_FROM:
        return benchlib.Budget(warmup=0, min_runs=1, max_runs=1, seconds=0)
    if side == 'baseline':
        return benchlib.Budget(warmup=1, min_runs=5, max_runs=200, seconds=3.0)
    return benchlib.Budget(warmup=3, min_runs=9, max_runs=500, seconds=2.0)


def measure_page(parser_class, text, budget, page='full'):
    """Time ``json.loads(text)`` and the page's walk of what it gives, in alternation; ``(loads, walk)`` samples.

    Both in CPU time of this thread (:data:`benchlib.cpu_clock`): on a shared machine a run of a few
    milliseconds is stretched by whole scheduler slices spent waiting, which is neither side's cost.
    """
    walk_page = WALKS[page]
    loads_samples, walk_samples = [], []
    for timed in budget.runs():
        benchlib.gc.collect()
        started = benchlib.cpu_clock()
        document = json.loads(text)
        parsed = benchlib.cpu_clock()
        walk_page(parser_class, document)
        walked = benchlib.cpu_clock()
        if timed:
            loads_samples.append(parsed - started)
            walk_samples.append(walked - parsed)
    return loads_samples, walk_samples


def child(side, sizes, quick):
    """Measure one side in this process; return what :func:`measure` tabulates."""
    from patreon.jsonapi.parser import JSONAPIParser

    # 0.5.1 raises on Patreon's {"data": null} address: it reads only pages where the relationship is left out.
    shapes = [('full', False)] if side == 'baseline' else [('full', False), ('full', True), ('lean', True)]
    rows = []
    for size in sizes:
        for page, null_addresses in shapes:
            text = page_text(page, size, null_addresses)
            if not check_walk(JSONAPIParser, page, json.loads(text)):
                raise AssertionError('{} resolved the wrong resources on a {} page of {}'.format(side, page, size))
            budget = budget_for(side, size, quick)
            loads_samples, walk_samples = measure_page(JSONAPIParser, text, budget, page)
            row = {'size': size, 'bytes': len(text.encode('utf-8')), 'page': page, 'null_addresses': null_addresses,
                   'loads': benchlib.summarize(loads_samples), 'walk': benchlib.summarize(walk_samples),
                   'budget': repr(budget)}
            if side == 'ours' and row['walk']['median'] > GOAL_RATIO * row['loads']['median']:
                row['profile'] = benchlib.profile(loads_and_walk, (JSONAPIParser, text, page))
            rows.append(row)
    return {'side': side, 'identity': benchlib.describe_patreon(), 'rows': rows}


def measure(config):
    """Run both sides, each in its own process, and return figure 1's table."""
    sizes = QUICK_SIZES if config.quick else SIZES
    size_arg = ','.join(str(size) for size in sizes)
    results = {}
    for side in config.sides:
        args = ['--side', side, '--sizes', size_arg] + (['--quick'] if config.quick else [])
        results[side] = benchlib.run_child(config.pythons[side], 'fig1_walk.py', args)
        if config.check_identity:
            benchlib.check_identity(results[side]['identity'], side)
    return tabulate(results, sizes)


def goal_row(goal, walk_ratio, row):
    """The goal of one row: met when ``walk_ratio`` is at most :data:`GOAL_RATIO`; why (a profile) when it is not."""
    return {'goal': goal + ' (ours ÷ floor ≤ {:.2f})'.format(GOAL_RATIO), 'value': ratio(walk_ratio),
            'met': walk_ratio <= GOAL_RATIO,
            'why': 'cProfile of `json.loads` + one walk: {}.'.format(
                benchlib.describe_profile(row['profile'])) if 'profile' in row else ''}


def tabulate(results, sizes):
    ours = {(row['page'], row['size'], row['null_addresses']): row for row in results['ours']['rows']}
    baseline = {row['size']: row for row in results['baseline']['rows']} if 'baseline' in results else {}
    rows, goals, capped = [], [], []
    for size in sizes:
        mine = ours[('full', size, False)]
        walk_ratio = mine['walk']['median'] / mine['loads']['median']
        old = baseline.get(size)
        old_ratio = old['walk']['median'] / old['loads']['median'] if old else None
        if old and old['walk']['runs'] == 1:
            capped.append(size)
        rows.append(['{:,}'.format(size), megabytes(mine['bytes']), milliseconds(mine['loads']),
                     milliseconds(mine['walk']), ratio(walk_ratio), milliseconds(old['walk']) if old else 'n/a',
                     ratio(old_ratio), ratio(old['walk']['median'] / mine['walk']['median']) if old else 'n/a'])
        if size == GOAL_SIZE:
            goals.append(goal_row('walk a page of 1,000 members in no more time than json.loads of it',
                                  walk_ratio, mine))
    for page, label in (('full', '{:,} (null addresses)'), ('lean', '{:,} (lean, null addresses)')):
        for size in sizes:
            mine = ours[(page, size, True)]
            walk_ratio = mine['walk']['median'] / mine['loads']['median']
            rows.append([label.format(size), megabytes(mine['bytes']), milliseconds(mine['loads']),
                         milliseconds(mine['walk']), ratio(walk_ratio), 'raises', 'n/a', 'n/a'])
            if page == 'lean' and size == GOAL_SIZE:
                goals.append(goal_row('walk a lean page of 1,000 members (three attributes each, read too) in no '
                                      'more time than json.loads of it', walk_ratio, mine))
    notes = [
        'Walk = `JSONAPIParser(document).data()`, then `relationship("user")`, '
        '`relationship("currently_entitled_tiers")` and `relationship("address")` of every member; the same calls '
        'for both packages. It excludes `json.loads`; floor = `json.loads` of the same page, timed in alternation with '
        'the walk in the same process; ratios are of medians.',
        'Pages are generated by `benchmarks/member_pages.py` (members with every attribute; included users with every '
        'attribute, 5 tiers, an address for one member in 3). 0.5.1 raises `AttributeError` on Patreon\'s '
        '`"address": {"data": null}`, so the head-to-head rows use pages where a member without an address has no '
        '`address` relationship; the "(null addresses)" rows are ours on Patreon\'s real shape.',
        'The "(lean, null addresses)" rows are ours on a lean page: members with three attributes '
        '(`full_name`, `patron_status`, `currently_entitled_amount_cents`), included users with two, one of 5 tiers '
        'each, `"address": {"data": null}` for all; its `json.loads` is cheap, so the walk weighs most there. Its walk '
        'also calls `attribute()` for each of the three attributes of every member.',
        'Times in ms of CPU (the measuring thread\'s `time.thread_time`, so that time spent waiting for this shared '
        'machine\'s CPU counts for neither side): median (min–max) of the timed runs counted below, after a warm-up.',
    ]
    if capped:
        notes.append('0.5.1 at {} members: ONE run, no warm-up (its walk is quadratic and takes tens of seconds); '
                     'its min = max = median.'.format(', '.join('{:,}'.format(size) for size in capped)))
    runs = ', '.join('{:,}: {}/{}'.format(size, ours[('full', size, False)]['walk']['runs'],
                                          baseline[size]['walk']['runs'] if size in baseline else 0)
                     for size in sizes)
    notes.append('Timed runs (ours/0.5.1) per page size: {}.'.format(runs))
    if len(sizes) >= 2 and baseline:
        first, last = sizes[0], sizes[-1]
        growth = last / first
        ours_growth = ours[('full', last, False)]['walk']['median'] / ours[('full', first, False)]['walk']['median']
        baseline_growth = baseline[last]['walk']['median'] / baseline[first]['walk']['median']
        notes.append('From {:,} to {:,} members ({:.0f}× the members) the walk takes {:.0f}× longer with ours and '
                     '{:.0f}× with 0.5.1 (linear: {:.0f}×; quadratic: {:.0f}×).'.format(
                         first, last, growth, ours_growth, baseline_growth, growth, growth ** 2))
    return {
        'number': 1, 'title': 'Walk a page of members (parse + resolve each member\'s user, tiers, address)',
        'columns': ['members', 'page', 'floor: json.loads', 'ours: walk', 'ours ÷ floor', '0.5.1: walk',
                    '0.5.1 ÷ floor', '0.5.1 ÷ ours'],
        'rows': rows, 'notes': notes, 'goals': goals,
        'raw': results,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--side', choices=['ours', 'baseline'], required=True)
    parser.add_argument('--sizes', required=True, help='comma-separated member counts')
    parser.add_argument('--quick', action='store_true', help='few runs: for the smoke test')
    args = parser.parse_args(argv)
    benchlib.emit(child(args.side, [int(size) for size in args.sizes.split(',')], args.quick))


if __name__ == '__main__':
    main()
