"""Formatting of the figures: numbers in cells, one Markdown table per figure, and ``RESULTS.md``.

A figure is a dict made by a figure module's ``measure()``::

    {'number': 1, 'title': '...', 'columns': [...], 'rows': [[cell, ...], ...],
     'notes': ['...'], 'goals': [{'goal': '...', 'value': '0.57', 'met': True, 'why': '...'}]}

The console shows the same Markdown that ``RESULTS.md`` holds.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io


def milliseconds(stats, digits=None):
    """``'median (min–max)'`` of a :func:`benchlib.summarize` dict of seconds, in milliseconds."""
    values = [stats['median'] * 1e3, stats['min'] * 1e3, stats['max'] * 1e3]
    if digits is None:
        digits = 3 if values[0] < 10 else 1 if values[0] < 1000 else 0
    return '{0:,.{3}f} ({1:,.{3}f}–{2:,.{3}f})'.format(values[0], values[1], values[2], digits)


def seconds(stats):
    """``'median (min–max)'`` of a :func:`benchlib.summarize` dict of seconds, in seconds."""
    return '{:.3f} ({:.3f}–{:.3f})'.format(stats['median'], stats['min'], stats['max'])


def ratio(value):
    """A ratio with two decimals; ``'n/a'`` for ``None``."""
    return 'n/a' if value is None else '{:.2f}'.format(value)


def mebibytes(size):
    """Bytes as MiB with one decimal."""
    return '{:.1f} MiB'.format(size / 1048576.0)


def megabytes(size):
    """Bytes as MB (10⁶) with two decimals: for page sizes on the wire."""
    return '{:.2f} MB'.format(size / 1e6)


def render_figure(figure):
    """Figure ``figure`` as Markdown: a heading, the table, its goals and notes."""
    lines = ['## Figure {number}: {title}'.format(**figure), '']
    lines.append('| ' + ' | '.join(figure['columns']) + ' |')
    lines.append('|' + '|'.join(' --- ' for _ in figure['columns']) + '|')
    for row in figure['rows']:
        lines.append('| ' + ' | '.join(str(cell) for cell in row) + ' |')
    lines.append('')
    for goal in figure.get('goals', []):
        verdict = 'MET' if goal['met'] else 'NOT MET'
        line = '- Goal: {goal} — **{verdict}** ({value}).'.format(verdict=verdict, **goal)
        if goal.get('why'):
            line += ' ' + goal['why']
        lines.append(line)
    for note in figure.get('notes', []):
        lines.append('- ' + note)
    lines.append('')
    return '\n'.join(lines)


def render_report(header, figures, failures=()):
    """The whole of ``RESULTS.md``: ``header`` (a dict from :func:`run.header`), a goal summary, every figure."""
    lines = [
        '# Benchmark results',
        '',
        'Made by `make bench` (`benchmarks/run.py`, a few minutes; `make bench BENCH_ARGS="--figures=1,2 --output="` '
        'prints some figures without writing this file); do not edit by hand.',
        '',
        '- Date: {date}'.format(**header),
        '- Commit: {commit}'.format(**header),
        '- Python: {python} ({implementation}); ours = `patreon` {ours_version} installed from this repository, '
        '0.5.1 = `patreon-v2` {baseline_version} from PyPI, each in its own virtualenv'.format(**header),
        '- CPU: {cpu}, {cores} cores (shared: other work may run at the same time; medians resist it, '
        'maxima do not)'.format(**header),
        '- Load average (1 min): {load}; total time of the run: {elapsed:.0f} s'.format(**header),
        '',
        '## Goals',
        '',
        '| figure | goal | result | verdict |',
        '| --- | --- | --- | --- |',
    ]
    for figure in figures:
        for goal in figure.get('goals', []):
            lines.append('| {} | {} | {} | {} |'.format(figure['number'], goal['goal'], goal['value'],
                                                        'met' if goal['met'] else '**NOT MET**'))
    for name, error in failures:
        lines.append('| {} | (figure failed to run) | {} | **NOT MEASURED** |'.format(name, error.splitlines()[0]))
    lines.append('')
    for figure in figures:
        lines.append(render_figure(figure))
    return '\n'.join(lines)


def write_text(path, text):
    """Write ``text`` to ``path`` as UTF-8."""
    with io.open(path, 'w', encoding='utf-8') as output:
        output.write(text)
