"""Run the benchmarks of issue 5, print one table per figure and write ``benchmarks/RESULTS.md``.

``make bench`` builds the two virtualenvs and runs::

    .bench/ours/bin/python benchmarks/run.py --ours-python .bench/ours/bin/python \\
        --baseline-python .bench/baseline/bin/python

Figures (each measured in child processes of the side's own interpreter):

1. walking a page of members, ÷ ``json.loads`` of it (:mod:`fig1_walk`);
2. ``import patreon`` on top of ``import requests, six`` (:mod:`fig2_import`);
3. every page of a 20,000-member campaign over HTTP and HTTPS (:mod:`fig3_http`);
4. peak memory while iterating 100,000 members (:mod:`fig4_memory`);
5. the sandbox's own requests per second (:mod:`fig5_throughput`);
6. ``paginate(..., prefetch=True)`` with a latency and work per page (:mod:`fig6_prefetch`);
7. the command line's exports against ``paginate``, in client CPU (:mod:`fig7_cli_export`);
8. 8 processes sharing one OAuth client: the request rate the server saw (:mod:`fig8_shared`).

``--quick`` runs every figure at tiny sizes, for the smoke test; its numbers mean nothing.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import benchlib
import fig1_walk
import fig2_import
import fig3_http
import fig4_memory
import fig5_throughput
import fig6_prefetch
import fig7_cli_export
import fig8_shared
import results

FIGURES = ((1, fig1_walk), (2, fig2_import), (3, fig3_http), (4, fig4_memory), (5, fig5_throughput), (6, fig6_prefetch),
           (7, fig7_cli_export), (8, fig8_shared))
DEFAULT_OUTPUT = os.path.join(benchlib.BENCH_DIR, 'RESULTS.md')


class Config(object):
    """What the figures are run with.

    :param pythons: ``{'ours': interpreter, 'baseline': interpreter}``; without
        ``'baseline'``, 0.5.1 is left out of every figure.
    :param quick: tiny sizes and few runs (the smoke test).
    :param check_identity: refuse results unless ``ours`` imported an installed
        ``patreon`` and ``baseline`` imported ``patreon-v2`` 0.5.1.
    :param workdir: where certificates and other files of the run go.
    """

    def __init__(self, pythons, quick=False, check_identity=True, workdir=None):
        # Absolute (children run elsewhere), but not resolved: a virtualenv's python is a symlink to the base one.
        self.pythons = dict((side, os.path.abspath(python)) for side, python in pythons.items() if python)
        self.sides = [side for side in ('ours', 'baseline') if pythons.get(side)]
        self.quick = quick
        self.check_identity = check_identity
        self.own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix='patreon-bench-')

    def cleanup(self):
        """Remove the work directory if this config made it."""
        if self.own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def header(config, elapsed):
    """The facts ``RESULTS.md`` starts with: date, commit, Python, CPU, the two packages."""
    facts = benchlib.machine_description()
    facts['date'] = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())  # utcnow() is deprecated on 3.12+
    facts['commit'] = git_commit()
    facts['elapsed'] = elapsed
    identities = dict((side, identity(config.pythons[side])) for side in config.sides)
    facts['ours_version'] = identities['ours']['version']
    facts['baseline_version'] = identities['baseline']['version'] if 'baseline' in identities else '(not run)'
    facts['python'] = benchlib.run_python_code(config.pythons['ours'],
                                               'import sys; print(sys.version.split()[0])').strip()
    return facts


def identity(python):
    """:func:`benchlib.describe_patreon` as seen by ``python``."""
    return benchlib.run_child(python, 'benchlib.py', ['identity'])


def git_commit():
    """The commit checked out, marked when the work tree has changes that are not committed."""
    try:
        commit = subprocess.check_output(['git', 'rev-parse', 'HEAD'], cwd=benchlib.REPO_DIR).decode().strip()
        dirty = subprocess.check_output(['git', 'status', '--porcelain', '--untracked-files=no'],
                                        cwd=benchlib.REPO_DIR).decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown (not a git checkout)'
    return commit + (' (with uncommitted changes)' if dirty else '')


def run(config, numbers, output=None, echo=print):
    """Measure the figures ``numbers``; echo each table as it is done; write ``output``; return the report dict."""
    started, load_before = benchlib.clock(), os.getloadavg()
    figures, failures = [], []
    for number, module in FIGURES:
        if number not in numbers:
            continue
        echo('figure {}: measuring...'.format(number))
        try:
            figure = module.measure(config)
        except Exception:  # one broken figure must not hide the others' results
            failures.append(('figure {}'.format(number), traceback.format_exc()))
            echo(failures[-1][1])
            continue
        figures.append(figure)
        echo(results.render_figure(figure))
    facts = header(config, benchlib.clock() - started)
    facts['load'] = '{:.2f} before, {:.2f} after'.format(load_before[0], os.getloadavg()[0])
    report = results.render_report(facts, figures, failures)
    if output:
        results.write_text(output, report)
        echo('wrote {}'.format(output))
    return {'figures': figures, 'failures': failures, 'header': facts, 'text': report}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ours-python', default=sys.executable,
                        help='interpreter of a virtualenv with this repository installed (default: this one)')
    parser.add_argument('--baseline-python', default=None,
                        help='interpreter of a virtualenv with patreon-v2 0.5.1 (default: leave 0.5.1 out)')
    parser.add_argument('--figures', default='1,2,3,4,5,6,7,8', help='comma-separated figure numbers')
    parser.add_argument('--quick', action='store_true', help='tiny sizes: checks that everything runs')
    parser.add_argument('--output', default=DEFAULT_OUTPUT, help="where to write the report; '' for nowhere")
    parser.add_argument('--no-identity-check', dest='check_identity', action='store_false',
                        help='accept any patreon on either side (the smoke test)')
    args = parser.parse_args(argv)
    config = Config({'ours': args.ours_python, 'baseline': args.baseline_python}, quick=args.quick,
                    check_identity=args.check_identity)
    try:
        report = run(config, set(int(number) for number in args.figures.split(',')), args.output or None)
    finally:
        config.cleanup()
    return 1 if report['failures'] else 0


if __name__ == '__main__':
    sys.exit(main())
