"""Figures of the reliability suites, and the script that writes them into RELIABILITY.md.

The suites (test_faults, test_fuzz, test_secrets, test_concurrency, test_text)
count what they try with :func:`tally`.  When the environment variable
``PATREON_RELIABILITY_REPORT`` names a JSON file, the counts of the run are
merged into it at exit, per interpreter; without it nothing is written.
Rendering the file into the figures section of ``RELIABILITY.md``::

    PATREON_RELIABILITY_REPORT=/tmp/figures.json python -m pytest tests/test_fuzz.py ...
    python tests/reliability_report.py /tmp/figures.json          # rewrites RELIABILITY.md
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import atexit
import collections
import io
import json
import os
import platform
import sys
import threading
import time

REPORT_ENV = 'PATREON_RELIABILITY_REPORT'
RELIABILITY_MD = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'RELIABILITY.md')
START_MARK = '<!-- figures:start -->'
END_MARK = '<!-- figures:end -->'

_counts = collections.OrderedDict()
_lock = threading.Lock()  # the concurrency suite counts from many threads


def modern_python():
    """Whether this interpreter gets the full example counts (3.8+); older ones get fewer."""
    return sys.version_info >= (3, 8)


def examples(full, reduced=None):
    """The number of hypothesis examples for a target: ``full`` on 3.8+, ``reduced`` (default full/20) before.

    The hypothesis releases of 2.7 and 3.6 run an example several times slower: full counts there would
    make the matrix outlast CI's time.
    """
    if modern_python():
        return full
    return reduced if reduced is not None else max(50, full // 20)


def tally(suite, target, figure, count=1):
    """Add ``count`` to one figure (e.g. ``tally('fuzz', 'verify_signature', 'inputs')``).

    Counted in a ``*_soak`` test, the target gets `` (soak)``: those figures are not those of ``make test``.
    """
    if _in_soak_test() and not target.endswith('(soak)'):
        target += ' (soak)'
    key = (suite, target, figure)
    with _lock:
        _counts[key] = _counts.get(key, 0) + count


def _in_soak_test():
    # pytest names the running test in this variable; the soak variants are named *_soak.
    test = os.environ.get('PYTEST_CURRENT_TEST', '').split(' ')[0]
    return test.endswith('_soak') or '_soak[' in test


def interpreter_label():
    return 'Python {}.{}.{}'.format(*sys.version_info[:3])


def _dump():
    path = os.environ.get(REPORT_ENV)
    if not path or not _counts:
        return
    data = _load(path)
    figures = data.setdefault(interpreter_label(), {})
    stamp = time.strftime('%Y-%m-%d %H:%M:%S')
    with _lock:
        for (suite, target, figure), count in _counts.items():
            # Figures of the last run replace those of an earlier one; others are kept.
            figures['\t'.join([suite, target, figure])] = {'count': count, 'when': stamp,
                                                           'platform': platform.platform()}
    with io.open(path, 'w', encoding='utf-8') as handle:
        handle.write(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False))


def _load(path):
    if not os.path.exists(path):
        return {}
    with io.open(path, encoding='utf-8') as handle:
        text = handle.read()
    return json.loads(text) if text.strip() else {}


atexit.register(_dump)


# Rendering -------------------------------------------------------------------------------------------------------

#: The totals of the summary table: (label, figure names starting with).
SUMMARY = (('faults injected', 'faults injected'), ('inputs tried (fuzz)', 'inputs tried'),
           ('members checked', 'members checked'), ('members lost or repeated', 'members lost or repeated'),
           ('texts searched for secrets', 'texts searched'))


def render(data):
    """Markdown tables of the figures: one per suite, one column per interpreter."""
    interpreters = sorted(data, key=_version_key, reverse=True)
    rows = collections.OrderedDict()
    for interpreter in interpreters:
        for key in sorted(data[interpreter]):
            suite, target, figure = key.split('\t')
            rows.setdefault(suite, collections.OrderedDict()).setdefault((target, figure), {})[interpreter] = \
                data[interpreter][key]['count']
    when = max([entry['when'] for figures in data.values() for entry in figures.values()] or ['never'])
    lines = ['Last run: {} (interpreters: {}).'.format(when, ', '.join(interpreters)), '',
             '| in all | ' + ' | '.join(interpreters) + ' |', '|---|' + '---:|' * len(interpreters)]
    for label, prefix in SUMMARY:
        totals = [sum(entry['count'] for key, entry in data[i].items() if key.split('\t')[2].startswith(prefix))
                  for i in interpreters]
        lines.append('| {} | {} |'.format(label, ' | '.join('{:,}'.format(total) for total in totals)))
    lines.append('')
    for suite in sorted(rows):
        lines.append('**{}**'.format(suite))
        lines.append('')
        lines.append('| target | figure | ' + ' | '.join(interpreters) + ' |')
        lines.append('|---|---|' + '---:|' * len(interpreters))
        for (target, figure), by_interpreter in rows[suite].items():
            cells = ['{:,}'.format(by_interpreter[i]) if i in by_interpreter else '-' for i in interpreters]
            lines.append('| {} | {} | {} |'.format(target, figure, ' | '.join(cells)))
        lines.append('')
    return '\n'.join(lines)


def _version_key(label):
    return tuple(int(part) for part in label.split()[-1].split('.'))


def write_markdown(figures_path, markdown_path=RELIABILITY_MD):
    """Replace the text between the figure marks of ``markdown_path`` with the rendered figures."""
    with io.open(markdown_path, encoding='utf-8') as handle:
        text = handle.read()
    start = text.index(START_MARK) + len(START_MARK)
    end = text.index(END_MARK)
    text = text[:start] + '\n' + render(_load(figures_path)) + '\n' + text[end:]
    with io.open(markdown_path, 'w', encoding='utf-8') as handle:
        handle.write(text)


def main(argv):
    if len(argv) not in (2, 3):
        print('usage: reliability_report.py FIGURES.json [RELIABILITY.md]', file=sys.stderr)
        return 2
    write_markdown(*argv[1:])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
