"""Figure 2 on every interpreter of the matrix: ``import patreon`` as a share of ``import requests, six``.

Each pyenv interpreter (``$PYENV_ROOT/versions/X.Y.Z``, 2.7 and 3.6-3.13 here) gets a virtualenv of its own under
``.bench/imports/X.Y``: ``requests`` and ``six`` (the releases pip picks for it) once, this repository installed
afresh at each run, as ``make bench`` installs it.  Fresh interpreters then time both imports as figure 2 does,
the interpreters taking turns run by run, so that a busy moment of the machine falls on all of them.  Python 3.14
and 3.15 run inside the Debian sid tree of ``make matrix`` (``.ci/sid.sh``), where there is one: this script runs
there too (``--system``), and their rows join the others.

Run alone (it prints the table)::

    .bench/ours/bin/python benchmarks/import_matrix.py [--versions 2.7,3.13] [--runs 40]

``make bench`` runs it as part of figure 2 (:func:`measure`).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import glob
import json
import os
import re
import subprocess
import sys

import benchlib
from results import milliseconds

VENVS_DIR = os.path.join(benchlib.REPO_DIR, '.bench', 'imports')
#: Python 2.7 has no ``venv``: its virtualenv is made by this release of ``virtualenv``, from a Python 3.
VIRTUALENV_FOR_27 = 'virtualenv<20.22'
#: The newest pip that still runs on an old interpreter (the rest get the newest).
PIP_FOR = {'2.7': 'pip<21', '3.6': 'pip<22'}
RUNS, WARMUP = 20, 2
#: The matrix's interpreters that come from the Debian sid tree (``/usr/bin/python3.X`` there).
SID_VERSIONS = ('3.14', '3.15')
SID_SCRIPT = os.path.join(benchlib.REPO_DIR, '.ci', 'sid.sh')


def pyenv_interpreters(root=None):
    """``[(version, python)]`` of the pyenv interpreters ``X.Y.Z``, oldest first (none without pyenv)."""
    root = root or os.environ.get('PYENV_ROOT') or os.path.expanduser('~/.pyenv')
    found = []
    for directory in glob.glob(os.path.join(root, 'versions', '*')):
        version = os.path.basename(directory)
        python = os.path.join(directory, 'bin', 'python')
        if re.match(r'^[23]\.[0-9]+\.[0-9]+$', version) and os.access(python, os.X_OK):
            found.append((version, python))
    return sorted(found, key=lambda item: [int(part) for part in item[0].split('.')])


def _run(argv):
    child_env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK='1', PIP_NO_INPUT='1')
    for name in ('PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV'):
        child_env.pop(name, None)
    try:
        subprocess.check_output(argv, stderr=subprocess.STDOUT, env=child_env, cwd=benchlib.BENCH_DIR)
    except subprocess.CalledProcessError as exc:
        raise benchlib.ChildFailed('{} exited {}:\n{}'.format(' '.join(argv), exc.returncode,
                                                               exc.output.decode('utf-8', 'replace')[-2000:]))


def prepare(version, python, bootstrap):
    """The virtualenv of ``python`` (made with ``requests`` and ``six`` once), with this repository installed now.

    :param bootstrap: a Python 3 interpreter that makes the 2.7 virtualenv (with ``virtualenv<20.22``).
    """
    short = '.'.join(version.split('.')[:2])
    venv = os.path.join(VENVS_DIR, short)
    venv_python = os.path.join(venv, 'bin', 'python')
    stamp = os.path.join(venv, '.installed')
    if not os.path.exists(stamp):
        if short == '2.7':
            helper = os.path.join(VENVS_DIR, 'virtualenv')
            if not os.path.exists(os.path.join(helper, 'bin', 'python')):
                _run([bootstrap, '-m', 'venv', helper])
                _run([os.path.join(helper, 'bin', 'python'), '-m', 'pip', 'install', '-q', VIRTUALENV_FOR_27])
            _run([os.path.join(helper, 'bin', 'python'), '-m', 'virtualenv', '-q', '-p', python, venv])
        else:
            _run([python, '-m', 'venv', venv])
        # A pip that picks the last requests for its interpreter (as .ci/lib.sh upgrades it for the matrix).
        _run([venv_python, '-m', 'pip', 'install', '-q', '--upgrade', PIP_FOR.get(short, 'pip')])
        _run([venv_python, '-m', 'pip', 'install', '-q', 'requests', 'six'])
        with open(stamp, 'w'):
            pass
    # Not editable: the import a user gets, without an editable install's finder in the way.
    _run([venv_python, '-m', 'pip', 'install', '-q', '--force-reinstall', '--no-deps', benchlib.REPO_DIR])
    return venv_python


def measure_all(pythons, runs=RUNS, warmup=WARMUP):
    """``{version: {'floor': stats, 'patreon': stats}}``: fresh interpreters of each in turn, run after run."""
    from fig2_import import import_once  # here: figure 2 imports this module

    samples = dict((version, {'floor': [], 'patreon': [], 'first_use': []}) for version in pythons)
    for round_number in range(warmup + runs):
        for version, python in sorted(pythons.items()):
            timing = import_once(python)
            if round_number == 0 and not timing['file'].startswith(os.path.dirname(os.path.dirname(python))):
                raise benchlib.ChildFailed('{} imported patreon from {}'.format(python, timing['file']))
            if round_number >= warmup:
                for name in samples[version]:
                    samples[version][name].append(timing[name])
    return dict((version, dict((name, benchlib.summarize(values)) for name, values in measured.items()))
                for version, measured in samples.items())


def rows_and_goal(stats, goal_ratio):
    """The table's rows (interpreter, floor, import patreon, share, first use, share of both) and the goal: the
    worst share of the import within it."""
    from fig2_import import first_use_cells  # here: figure 2 imports this module

    rows, worst = [], None
    for version in sorted(stats, key=lambda text: [int(part) for part in text.split('.')]):
        share = stats[version]['patreon']['median'] / stats[version]['floor']['median']
        rows.append(['Python ' + version, milliseconds(stats[version]['floor']),
                     milliseconds(stats[version]['patreon']), '{:.3f}'.format(share)]
                    + first_use_cells(stats[version]))
        if worst is None or share > worst[1]:
            worst = (version, share)
    goal = {'goal': '`import patreon` costs at most {:.2f} of `import requests, six` on every interpreter of the '
                    'matrix ({} here)'.format(goal_ratio, len(stats)),
            'value': 'at most {:.3f} (Python {})'.format(worst[1], worst[0]) if worst else 'no interpreter',
            'met': worst is not None and worst[1] <= goal_ratio, 'why': ''}
    return rows, goal


def measure(bootstrap, versions=None, runs=RUNS, warmup=WARMUP):
    """Prepare and measure every pyenv interpreter (of ``versions``, ``['2.7', '3.13']``, when given), then those
    of the Debian sid tree (see :func:`measure_in_sid`)."""
    pythons = {}
    for version, python in pyenv_interpreters():
        if versions and '.'.join(version.split('.')[:2]) not in versions:
            continue
        pythons[version] = prepare(version, python, bootstrap)
    stats = measure_all(pythons, runs, warmup)
    stats.update(measure_in_sid([version for version in SID_VERSIONS if not versions or version in versions],
                                runs, warmup))
    return stats


def system_interpreters(versions):
    """``[(X.Y.Z, python)]`` of ``/usr/bin/python<X.Y>`` for each of ``versions`` that this system has."""
    found = []
    for short in versions:
        python = '/usr/bin/python' + short
        if os.access(python, os.X_OK):
            full = subprocess.check_output([python, '-c', 'import platform; print(platform.python_version())'])
            found.append((full.decode('ascii').strip(), python))
    return found


def measure_in_sid(versions, runs, warmup):
    """``{X.Y.Z: stats}`` of ``versions`` inside the sid tree (this script with ``--system``); ``{}`` without one."""
    if not versions or not os.path.exists(SID_SCRIPT) or subprocess.call(['bash', SID_SCRIPT, 'ensure']) != 0:
        return {}
    inside = '/usr/bin/python' + versions[-1]
    output = subprocess.check_output(['bash', SID_SCRIPT, 'run', benchlib.REPO_DIR, '--', inside,
                                      os.path.abspath(__file__), '--system', '--versions', ','.join(versions),
                                      '--runs', str(runs), '--warmup', str(warmup)])
    return json.loads(output.decode('utf-8').strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--versions', default='', help='comma-separated X.Y (default: every pyenv interpreter)')
    parser.add_argument('--runs', type=int, default=RUNS)
    parser.add_argument('--warmup', type=int, default=WARMUP)
    parser.add_argument('--system', action='store_true',
                        help="this system's /usr/bin/python<X.Y> (inside the sid tree), printed as JSON")
    args = parser.parse_args(argv)
    from fig2_import import GOAL_RATIO

    versions = [version for version in args.versions.split(',') if version]
    if args.system:
        pythons = dict((version, prepare(version, python, sys.executable))
                       for version, python in system_interpreters(versions))
        print(json.dumps(measure_all(pythons, args.runs, args.warmup)))
        return 0
    stats = measure(sys.executable, versions, args.runs, args.warmup)
    rows, goal = rows_and_goal(stats, GOAL_RATIO)
    print('| interpreter | floor: import requests, six | import patreon | ÷ floor | then patreon.API | both ÷ floor |')
    print('| --- | --- | --- | --- | --- | --- |')
    for row in rows:
        print('| ' + ' | '.join(row) + ' |')
    print('- Goal: {goal} — **{verdict}** ({value}).'.format(verdict='MET' if goal['met'] else 'NOT MET', **goal))
    return 0 if goal['met'] else 1


if __name__ == '__main__':
    sys.exit(main())
