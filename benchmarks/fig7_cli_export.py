"""Figure 7: the command line's exports (``patreon members --format csv|jsonl|table``) against ``paginate``.

The sandbox runs in its own process, as in figure 3.  In one client process,
passes take turns, in both orders: ``paginate`` reading what the export
writes (the default member columns, the user's id, the entitled tiers' ids
and titles), and ``patreon members CAMPAIGN --include
user,currently_entitled_tiers`` in each format, run through
``patreon.cli.main`` with its output to ``os.devnull``.  The figure is the
client process's CPU time per pass; the goal: each export in at most 1.3× the
CPU of ``paginate`` for the same rows.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import sys
import time

import benchlib
from results import milliseconds, ratio
from sandbox_server import SandboxProcess, client_parser

MEMBERS, PAGE_SIZE, ROUNDS = 20000, 1000, 4
QUICK_MEMBERS, QUICK_PAGE_SIZE, QUICK_ROUNDS = 45, 10, 1
GOAL_RATIO = 1.30
INCLUDE = 'user,currently_entitled_tiers'
ATTRIBUTES = ('full_name', 'email', 'patron_status', 'currently_entitled_amount_cents',
              'campaign_lifetime_support_cents')
PASSES = ('paginate', 'csv', 'jsonl', 'table')
LABELS = {'paginate': 'paginate, the same values read', 'csv': 'patreon members --format csv',
          'jsonl': 'patreon members --format jsonl', 'table': 'patreon members --format table'}


def read_with_paginate(url, token, campaign_id, page_size):
    import patreon
    from patreon.cli._views import MEMBER_VIEW

    selection = MEMBER_VIEW.select(None, INCLUDE)
    rows = 0
    with patreon.API(token, base_url=url) as api:
        for member in api.paginate(api.get_campaigns_by_id_members, campaign_id, page_size=page_size,
                                   includes=selection.includes, fields=selection.fields, prefetch=True):
            user = member.relationship('user')
            tiers = member.relationship('currently_entitled_tiers') or []
            [member.id()] + [member.attribute(name) for name in ATTRIBUTES] + [
                user.id() if user is not None else None, [tier.id() for tier in tiers if tier is not None],
                [tier.attribute('title') for tier in tiers if tier is not None]]
            rows += 1
    return rows


def export(url, token, campaign_id, page_size, output_format):
    from patreon.cli import main

    with open(os.devnull, 'w') as devnull:
        stdout, sys.stdout = sys.stdout, devnull
        try:
            code = main(['--base-url', url, '--token=' + token, 'members', campaign_id, '--format', output_format,
                         '--include', INCLUDE, '--page-size', str(page_size), '--no-progress'], environ={})
        finally:
            sys.stdout = stdout
    if code != 0:
        raise RuntimeError('patreon members --format {} exited {}'.format(output_format, code))


def child(url, token, campaign_id, page_size, members, rounds):
    benchlib.loopback_only()
    import patreon.cli  # noqa: F401 (imported before the clock starts)

    measured = dict((kind, []) for kind in PASSES)
    for kind in PASSES:  # once each, untimed: what a process does once stays out
        _one_pass(kind, url, token, campaign_id, page_size, members)
    for round_number in range(rounds):
        for kind in PASSES if round_number % 2 == 0 else tuple(reversed(PASSES)):
            benchlib.gc.collect()
            started = time.process_time()
            _one_pass(kind, url, token, campaign_id, page_size, members)
            measured[kind].append(time.process_time() - started)
    return {'cpu': measured}


def _one_pass(kind, url, token, campaign_id, page_size, members):
    if kind == 'paginate':
        rows = read_with_paginate(url, token, campaign_id, page_size)
        if rows != members:
            raise AssertionError('paginate read {} members of {}'.format(rows, members))
    else:
        export(url, token, campaign_id, page_size, kind)


def measure(config):
    members, page_size, rounds = (QUICK_MEMBERS, QUICK_PAGE_SIZE, QUICK_ROUNDS) if config.quick \
        else (MEMBERS, PAGE_SIZE, ROUNDS)
    python = config.pythons['ours']
    with SandboxProcess(python, members) as sandbox:
        outcome = benchlib.run_child(python, 'fig7_cli_export.py', sandbox.client_args() + [
            '--page-size', page_size, '--members', members, '--rounds', rounds])
    return tabulate(outcome, members, page_size)


def tabulate(outcome, members, page_size):
    cpu = outcome['cpu']
    stats = dict((kind, benchlib.summarize(samples)) for kind, samples in cpu.items())
    rows, goals = [], []
    for kind in PASSES:
        paired = benchlib.summarize([mine / theirs for mine, theirs in zip(cpu[kind], cpu['paginate'])])
        extra = (stats[kind]['median'] - stats['paginate']['median']) / members * 1e6
        rows.append([LABELS[kind], milliseconds(stats[kind], digits=0), ratio(paired['median']),
                     '{:+.1f}'.format(extra)])
        if kind != 'paginate':
            goals.append({'goal': '`--format {}` in at most {:.2f}× the client CPU of `paginate`'.format(
                kind, GOAL_RATIO), 'value': '{:.3f}× (pass by pass: min {:.3f}×, max {:.3f}×)'.format(
                    paired['median'], paired['min'], paired['max']), 'met': paired['median'] <= GOAL_RATIO,
                'why': ''})
    notes = [
        '{:,} members in pages of {:,}, with `--include {}` (the default member columns, the user\'s id, the '
        'entitled tiers\' ids and titles). Client CPU per pass in ms: median (min–max) of {} passes, the four kinds '
        'taking turns in one process, in both orders; "÷ paginate" is the median of the pass-by-pass ratios. The '
        'exports run through `patreon.cli.main` (its argument parsing included), writing to `os.devnull`; '
        'both sides prefetch.'.format(members, page_size, INCLUDE, stats['paginate']['runs']),
    ]
    return {
        'number': 7, 'title': 'The command line\'s exports against paginate, in client CPU',
        'columns': ['client', 'client CPU (ms)', '÷ paginate', 'µs per member beyond paginate'],
        'rows': rows, 'notes': notes, 'goals': goals, 'raw': outcome,
    }


def main(argv=None):
    parser = client_parser(__doc__.split('\n')[0])
    parser.add_argument('--page-size', type=int, default=PAGE_SIZE)
    parser.add_argument('--members', type=int, default=MEMBERS)
    parser.add_argument('--rounds', type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    benchlib.emit(child(args.url, args.token, args.campaign, args.page_size, args.members, args.rounds))


if __name__ == '__main__':
    main()
