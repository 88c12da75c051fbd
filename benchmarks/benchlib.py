"""What every figure shares: repeated timing, statistics, child processes, memory readings, a loopback guard.

Each figure measures in child processes, started with the interpreter of the
side being measured (``ours``: a virtualenv with this repository's package;
``baseline``: one with ``patreon-v2`` 0.5.1, whose ``import patreon`` is
0.5.1 itself).  A child prints one line ``BENCH-RESULT {json}`` that the
orchestrator reads with :func:`run_child`.

This module imports nothing of ``patreon`` at import time: the same file runs
in both virtualenvs.  The benchmarks are a Python 3 tool (``make bench`` runs
them on ``python3``); they keep to the syntax of the package all the same.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import gc
import json
import os
import resource
import subprocess
import sys
import time
import timeit

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
RESULT_MARKER = 'BENCH-RESULT '
#: The most precise clock for intervals (``time.perf_counter`` on Python 3).
clock = timeit.default_timer
#: CPU time of the calling thread: what a computation costs, without the time it waits for a shared CPU.
#: On a loaded machine, wall time quantizes short runs to scheduler slices; this clock does not.
cpu_clock = getattr(time, 'thread_time', None) or getattr(time, 'process_time', None) or clock


class Budget(object):
    """How many times to run one measurement: a warm-up, then at least ``min_runs``,
    more while the ``seconds`` last, at most ``max_runs``.

    Usage::

        samples = Budget(warmup=2, min_runs=5, max_runs=50, seconds=2.0).run(lambda: json.loads(text))
    """

    def __init__(self, warmup=2, min_runs=5, max_runs=100, seconds=2.0):
        self.warmup = warmup
        self.min_runs = min_runs
        self.max_runs = max_runs
        self.seconds = seconds

    def __repr__(self):
        return 'Budget(warmup={}, min_runs={}, max_runs={}, seconds={})'.format(
            self.warmup, self.min_runs, self.max_runs, self.seconds)

    def runs(self):
        """Yield ``True`` for each timed run (``False`` for each warm-up run) until the budget is spent."""
        for _ in range(self.warmup):
            yield False
        started = clock()
        done = 0
        while done < self.max_runs and (done < self.min_runs or clock() - started < self.seconds):
            yield True
            done += 1

    def run(self, function):
        """Time ``function()`` as often as the budget says; return the timed runs' seconds."""
        samples = []
        for timed in self.runs():
            gc.collect()  # each run starts without the previous run's garbage
            started = clock()
            function()
            elapsed = clock() - started
            if timed:
                samples.append(elapsed)
        return samples


def summarize(samples):
    """``{'median', 'min', 'max', 'runs'}`` of a list of numbers (an even count's median: the middle two's mean).

    >>> summarize([3.0, 1.0, 2.0])['median']
    2.0
    """
    if not samples:
        raise ValueError('no samples to summarize')
    ordered = sorted(samples)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0
    return {'median': median, 'min': ordered[0], 'max': ordered[-1], 'runs': len(ordered)}


def profile(function, args=(), limit=8):
    """Run ``function(*args)`` under cProfile; return its ``limit`` costliest functions by own time.

    Each entry is ``{'function': 'parser.py:89(id)', 'calls': 20000, 'own': s, 'cumulative': s}``: what a
    report names when a goal is missed.
    """
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(function, *args)
    stats = pstats.Stats(profiler).stats
    entries = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.items():
        where = '{}:{}({})'.format(os.path.basename(filename), line, name) if line else name
        entries.append({'function': where, 'calls': calls, 'own': own, 'cumulative': cumulative})
    entries.sort(key=lambda entry: -entry['own'])
    return entries[:limit]


def describe_profile(entries):
    """One line naming the functions of :func:`profile`, for a report."""
    return '; '.join('`{function}` {own_ms:.1f} ms own, {cumulative_ms:.1f} ms with callees, {calls:,} calls'.format(
        own_ms=entry['own'] * 1e3, cumulative_ms=entry['cumulative'] * 1e3, **entry) for entry in entries)


def emit(result):
    """Print the result of a child process where :func:`run_child` finds it."""
    sys.stdout.write(RESULT_MARKER + json.dumps(result, sort_keys=True) + '\n')
    sys.stdout.flush()


class ChildFailed(RuntimeError):
    """A child process exited with an error; the message ends with its stderr."""


def run_child(python, script, args, env=None, timeout=900):
    """Run ``python BENCH_DIR/script args...`` and return the dict it emitted.

    The script is run by path, so that its directory (not the repository, whose
    ``patreon/`` would shadow the installed one) heads ``sys.path``; children
    run in this directory, for the same reason (``python -c`` puts the current
    directory first).
    """
    argv = [python, os.path.join(BENCH_DIR, script)] + [str(arg) for arg in args]
    output = _communicate(argv, env, timeout)[0]
    for line in reversed(output.splitlines()):
        if line.startswith(RESULT_MARKER):
            return json.loads(line[len(RESULT_MARKER):])
    raise ChildFailed('{} printed no result:\n{}'.format(' '.join(argv), output[-2000:]))


def run_python_code(python, code, options=(), env=None, timeout=120):
    """Run ``python [options] -c code`` and return its stdout as text."""
    return _communicate([python] + list(options) + ['-c', code], env, timeout)[0]


def run_python_code_stderr(python, code, options=(), env=None, timeout=120):
    """Run ``python [options] -c code`` and return its stderr as text."""
    return _communicate([python] + list(options) + ['-c', code], env, timeout)[1]


def _communicate(argv, env, timeout):
    child_env = dict(os.environ)
    child_env.update(env or {})
    # The children must see only their own virtualenv, never this process's settings.
    for name in ('PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'VIRTUAL_ENV', '__PYVENV_LAUNCHER__'):
        child_env.pop(name, None)
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=child_env, cwd=BENCH_DIR)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise ChildFailed('{} did not finish in {} s'.format(' '.join(argv), timeout))
    if process.returncode != 0:
        raise ChildFailed('{} exited with {}:\n{}'.format(
            ' '.join(argv), process.returncode, stderr.decode('utf-8', 'replace')[-4000:]))
    return stdout.decode('utf-8'), stderr.decode('utf-8', 'replace')


def describe_patreon():
    """Which ``patreon`` this process imports: ``{'name', 'version', 'path'}``.

    0.5.1 has no ``__version__``; its distribution is ``patreon-v2``.
    """
    import patreon
    version = getattr(patreon, '__version__', None)
    name = 'patreon'
    if version is None:
        name = 'patreon-v2'
        version = _distribution_version('patreon-v2')
    return {'name': name, 'version': version, 'path': os.path.dirname(os.path.abspath(patreon.__file__))}


def _distribution_version(name):
    try:
        from importlib import metadata
    except ImportError:  # Python < 3.8
        import pkg_resources
        return pkg_resources.get_distribution(name).version
    return metadata.version(name)


def check_identity(identity, side):
    """Refuse a result measured with the wrong package: ``ours`` must be this repository's, ``baseline`` 0.5.1."""
    if side == 'baseline':
        wanted = identity['name'] == 'patreon-v2' and identity['version'] == '0.5.1'
    else:
        wanted = identity['name'] == 'patreon' and not identity['path'].startswith(os.path.join(REPO_DIR, 'patreon'))
    if not wanted:
        raise ChildFailed('the {} side imported {name} {version} from {path}'.format(side, **identity))


def loopback_only():
    """Make every ``requests`` call of this process refuse any host but 127.0.0.1.

    The benchmarks talk to a local sandbox only; a URL left pointing at
    Patreon (0.5.1 hard-codes it) must fail here, never leave the machine.
    """
    import requests.adapters
    from six.moves.urllib.parse import urlsplit

    send = requests.adapters.HTTPAdapter.send

    def send_to_loopback_only(adapter, request, *args, **kwargs):
        if urlsplit(request.url).hostname != '127.0.0.1':
            raise RuntimeError('benchmark refused a request to {}'.format(urlsplit(request.url).hostname))
        return send(adapter, request, *args, **kwargs)

    requests.adapters.HTTPAdapter.send = send_to_loopback_only


def peak_rss_bytes():
    """This process's peak resident set size so far (``ru_maxrss``, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss_bytes():
    """This process's resident set size now, from ``/proc/self/statm``."""
    with open('/proc/self/statm') as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf(str('SC_PAGE_SIZE'))


def deep_size(value):
    """Bytes held by ``value`` and everything it contains (``sys.getsizeof`` over the graph, each object once).

    Used for the size of a parsed JSON document: dicts, lists, strings, numbers.
    """
    seen = set()
    total = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return total


def machine_description():
    """``{'python', 'cpu', 'cores'}`` of this machine, for the report's header."""
    cpu = 'unknown'
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return {'python': sys.version.split()[0], 'implementation': sys.implementation.name, 'cpu': cpu,
            'cores': os.cpu_count()}


if __name__ == '__main__':
    # `python benchlib.py identity`: which patreon this interpreter imports.
    if sys.argv[1:] != ['identity']:
        sys.exit('usage: benchlib.py identity')
    emit(describe_patreon())
