"""Figure 2: what ``import patreon`` adds on top of ``import requests, six``, ours vs 0.5.1.

Each run is a fresh interpreter that imports ``requests`` and ``six`` first
(every client pays for them: they are the floor), then ``patreon``, and
reports both intervals.  Runs of the two sides alternate, so that a busy
moment of the machine falls on both.  One extra run with ``-X importtime``
names the modules that ``import patreon`` loads, to explain the figure.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json

import benchlib
import import_matrix
from results import milliseconds, ratio

#: The most `import patreon` may cost, as a share of `import requests, six` (issue 24).
GOAL_RATIO = 0.04
RUNS, WARMUP = 40, 3
QUICK_RUNS, QUICK_WARMUP = 2, 1
TOP_MODULES = 6

IMPORT_CODE = '''
import json, timeit
clock = timeit.default_timer
started = clock()
import requests, six
floor = clock()
import patreon
done = clock()
patreon.API
used = clock()
print(json.dumps({"floor": floor - started, "patreon": done - floor, "first_use": used - done,
                  "file": patreon.__file__}))
'''


def import_once(python):
    """``{'floor': s, 'patreon': s, 'first_use': s}`` from one fresh interpreter (first use: ``patreon.API``)."""
    return json.loads(benchlib.run_python_code(python, IMPORT_CODE).strip().splitlines()[-1])


def imported_modules(python):
    """``[(module, self seconds, cumulative seconds)]`` that ``import patreon`` and the first use of ``patreon.API``
    load after ``requests`` and ``six``."""
    stderr = benchlib.run_python_code_stderr(python, 'import requests, six; import patreon; patreon.API',
                                             ['-X', 'importtime'])
    entries = []
    for line in stderr.splitlines():
        if not line.startswith('import time:') or 'self [us]' in line:
            continue
        self_us, cumulative_us, name = [part.strip() for part in line[len('import time:'):].split('|')]
        entries.append((name, int(self_us) / 1e6, int(cumulative_us) / 1e6))
    # The lines of one import end with its own top-level line; patreon's follow the last of requests' and six's.
    starts = [index for index, entry in enumerate(entries) if entry[0] in ('requests', 'six')]
    return entries[max(starts) + 1:] if starts else entries


def _check_imported(python, side, imported_file):
    identity = benchlib.run_child(python, 'benchlib.py', ['identity'])
    benchlib.check_identity(identity, side)
    if not imported_file.startswith(identity['path']):
        raise benchlib.ChildFailed('the {} side timed the import of {}'.format(side, imported_file))


def measure(config):
    """Alternate fresh interpreters of each side; return figure 2's table."""
    runs, warmup = (QUICK_RUNS, QUICK_WARMUP) if config.quick else (RUNS, WARMUP)
    samples = dict((side, {'floor': [], 'patreon': [], 'first_use': []}) for side in config.sides)
    for round_number in range(warmup + runs):
        for side in config.sides:
            timing = import_once(config.pythons[side])
            if round_number == 0 and config.check_identity:
                _check_imported(config.pythons[side], side, timing['file'])
            if round_number >= warmup:
                for name in samples[side]:
                    samples[side][name].append(timing[name])
    stats = dict((side, dict((name, benchlib.summarize(values)) for name, values in samples[side].items()))
                 for side in config.sides)
    ours_modules = imported_modules(config.pythons['ours'])
    # Every interpreter of the matrix (not in the smoke test's quick run: it builds a virtualenv for each).
    matrix = None if config.quick else import_matrix.measure(config.pythons['ours'], runs=runs // 2, warmup=warmup)
    return tabulate(stats, ours_modules, runs, warmup, matrix)


def first_use_cells(side_stats):
    """The first use's time and (import + first use) as a share of the floor, as table cells."""
    both = side_stats['patreon']['median'] + side_stats['first_use']['median']
    return [milliseconds(side_stats['first_use']), '{:.3f}'.format(both / side_stats['floor']['median'])]


def tabulate(stats, ours_modules, runs, warmup, matrix=None):
    ours = stats['ours']['patreon']['median']
    rows = [['ours', milliseconds(stats['ours']['floor']), milliseconds(stats['ours']['patreon']), '1.00',
             '{:.3f}'.format(ours / stats['ours']['floor']['median'])] + first_use_cells(stats['ours'])]
    if 'baseline' in stats:
        baseline = stats['baseline']['patreon']['median']
        rows.append(['0.5.1', milliseconds(stats['baseline']['floor']), milliseconds(stats['baseline']['patreon']),
                     ratio(baseline / ours), '{:.3f}'.format(baseline / stats['baseline']['floor']['median'])]
                    + first_use_cells(stats['baseline']))
    slowest = sorted((entry for entry in ours_modules if not entry[0].strip().startswith('patreon')),
                     key=lambda entry: -entry[1])[:TOP_MODULES]
    own = sum(entry[1] for entry in ours_modules if entry[0].strip().startswith('patreon'))
    total = sum(entry[1] for entry in ours_modules)
    notes = [
        'Each run is a fresh interpreter: `import requests, six` (floor: every client pays it), then '
        '`import patreon`, timed inside the process; {} runs per side after {} warm-up runs, the two sides '
        'alternating. Times in ms: median (min–max).'.format(runs, warmup),
        'The package loads each name and submodule when first used: "then `patreon.API`" is the first use that '
        'loads the client (0.5.1 loaded it with the package), and "both ÷ floor" divides the import and that '
        'first use together by the floor; the goal is on `import patreon` alone.',
        'With `-X importtime`, the import and the first use of `patreon.API` load {} modules after `requests` and '
        '`six` ({:.2f} ms, their self times summed), '
        '{:.2f} ms of it in `patreon.*` itself; the costliest others (self time): {}.'.format(
            len(ours_modules), total * 1e3, own * 1e3,
            ', '.join('`{}` {:.2f} ms'.format(name.strip(), self_time * 1e3) for name, self_time, _ in slowest)
            or 'none'),
    ]
    share = ours / stats['ours']['floor']['median']
    goals = [{'goal': '`import patreon` costs at most {:.2f} of `import requests, six` ({})'.format(
                  GOAL_RATIO, 'this interpreter'),
              'value': '{:.3f} ({:.2f} ms)'.format(share, ours * 1e3), 'met': share <= GOAL_RATIO, 'why': ''}]
    if matrix:
        matrix_rows, matrix_goal = import_matrix.rows_and_goal(matrix, GOAL_RATIO)
        goals.append(matrix_goal)
        for row in matrix_rows:
            rows.append(row[:3] + [''] + row[3:])
        notes.append('The "Python X.Y" rows: `benchmarks/import_matrix.py`, every pyenv interpreter in a virtualenv '
                     'of its own under `.bench/imports/` (requests and six as pip picks them for it, this '
                     'repository installed afresh), fresh interpreters taking turns as above; 3.14 and 3.15 the '
                     'same way inside the Debian sid tree of `make matrix`, taking turns with each other.')
    return {
        'number': 2, 'title': '`import patreon` on top of `import requests, six`',
        'columns': ['package', 'floor: import requests, six', 'import patreon', '÷ ours', '÷ floor',
                    'then `patreon.API`', 'both ÷ floor'],
        'rows': rows, 'notes': notes, 'goals': goals, 'raw': {'stats': stats, 'modules': ours_modules,
                                                              'matrix': matrix},
    }
