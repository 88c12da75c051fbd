# -*- coding: utf-8 -*-
"""The output formats of the commands that read: ``table`` for people, ``jsonl`` and ``csv`` for programs.

- ``jsonl``: one JSON object per line, exact (a lone surrogate stays its ``\\udXXX`` escape).
- ``csv``: a header line, then one line per resource.  A cell a spreadsheet would run as a formula (it starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain number) gets a leading ``'``,
  unless the writer is made with ``raw_csv=True``.  The header is written with the first row (or at the end
  when there is none), so a listing that fails before its first page leaves nothing.
- ``table``: aligned columns; control characters are shown escaped (``\\x1b``, ``\\n``), so a name cannot move
  the cursor, retitle the terminal or forge rows; wide (CJK) and combining characters keep the columns aligned.

Usage::

    writer = RecordWriter(['id', 'full_name'], 'csv', ConsoleWriter(sys.stdout))
    for record in records:
        writer.write(record)        # an ordered dict of column name to value
    writer.finish()                 # the header when no record came; the table, which needs every row
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import json
import re
import sys
import unicodedata

import six

from ._console import printable, without_lone_surrogates
from ._exit_status import EXIT_SERVER, CommandFailed

__all__ = ['FORMATS', 'RecordWriter', 'cell_text', 'csv_cell', 'csv_line', 'display_width', 'json_text', 'visible',
           'write_record', 'write_records']

FORMATS = ('table', 'jsonl', 'csv')

# What a spreadsheet takes for the start of a formula (fullwidth forms too), and cells that are plain numbers.
_FORMULA_FIRST = '=+-@\t\r\uff1d\uff0b\uff0d\uff20'
_PLAIN_NUMBER = re.compile(r'^[+-]?[0-9]+(\.[0-9]+)?$')
# Below U+00AD (a soft hyphen, the first format character) every character takes one column: only the others
# are looked up.
_MAYBE_NOT_ONE_COLUMN = re.compile('[^\x00-\xac]')
_IS_ASCII = getattr(six.text_type, 'isascii', None)  # str.isascii, Python 3.7+
_TEXT = six.text_type
# A JSON line's keys in the order of the columns: a plain dict keeps it from Python 3.7 on, and is faster to encode.
_ordered = dict if sys.version_info >= (3, 7) else collections.OrderedDict
# One encoder for every line: json.dumps with options makes a new one each time.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(',', ':'), allow_nan=False)


def cell_text(value):
    """One value as a CSV or table cell: lists joined with "; ", ``None`` empty, booleans lowercase."""
    if type(value) is six.text_type:  # most cells: checked first, as exports call this for every cell
        return value
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        try:
            return '; '.join(value)  # most lists: flat, of text
        except TypeError:
            return '; '.join(cell_text(item) for item in _flattened(value))
    if isinstance(value, dict):
        return json_text(value)
    return six.text_type(value)


def _flattened(items):
    """The items of nested lists, in order, walked without recursion (an answer may nest them hundreds deep)."""
    pending = [iter(items)]
    while pending:
        for item in pending[-1]:
            if isinstance(item, (list, tuple)):
                pending.append(iter(item))
                break
            yield item
        else:
            pending.pop()


def json_text(value):
    """Compact JSON as text, non-ASCII kept as is, a lone surrogate as its escape (valid and exact).

    :raises CommandFailed: (Patreon failed) ``value`` holds NaN or an infinity, which JSON cannot carry: written
        as is, no strict JSON reader would take the line.
    """
    try:
        text = _JSON.encode(value)
    except ValueError:
        raise CommandFailed('the answer holds a number JSON cannot carry (NaN or Infinity)', EXIT_SERVER)
    except RuntimeError:  # RecursionError (Python 2's too): a value nested deeper than the encoder goes
        raise CommandFailed('the answer holds a value nested too deep to write', EXIT_SERVER)
    text = text.decode('utf-8') if isinstance(text, bytes) else text
    return without_lone_surrogates(text, _surrogate_escape)


def _surrogate_escape(match):
    return '\\u{:04x}'.format(ord(match.group(0)))


def csv_cell(text, raw=False):
    """A CSV cell that a spreadsheet shows rather than runs: ``'=1+1`` for ``=1+1``; ``raw`` keeps it as is."""
    if raw or not text or text[0] not in _FORMULA_FIRST or _PLAIN_NUMBER.match(text):
        return text
    return "'" + text


def visible(text):
    """``text`` with what a terminal would act on shown as escapes: ``'a\x1b[2J'`` -> ``'a\\x1b[2J'``.

    Backslashes are doubled, so that an escape shown is never a name's own text.
    """
    return printable(text, escape_backslash=True)


def display_width(text):
    """Columns ``text`` takes on a terminal: wide (CJK, emoji) characters take two, combining marks none."""
    width = len(text)
    if _IS_ASCII is not None and _IS_ASCII(text):  # known at once on Python 3.7+: the common case
        return width
    for character in _MAYBE_NOT_ONE_COLUMN.findall(text):
        if unicodedata.combining(character) or unicodedata.category(character) in ('Mn', 'Me', 'Cf'):
            width -= 1
        elif unicodedata.east_asian_width(character) in ('W', 'F'):
            width += 1
    return width


def csv_line(cells):
    """One CSV line of text cells: a cell with a comma, a quote, a line feed or a carriage return is quoted.

    (The ``csv`` module leaves a lone carriage return unquoted under a ``\\n`` line terminator, and a reader
    then splits the row there; and on Python 2 it takes bytes.)
    """
    line = ','.join(cells)
    # Joined first: when no cell holds a quote, a line break or a comma of its own, none needs quoting.
    if '"' in line or '\n' in line or '\r' in line or line.count(',') != len(cells) - 1:
        line = ','.join([_csv_field(cell) for cell in cells])
    return line + '\n'


def _csv_field(cell):
    if ',' in cell or '"' in cell or '\r' in cell or '\n' in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


class RecordWriter(object):
    """Writes records (ordered dicts with keys ``columns``) one at a time in a format; counts them.

    ``jsonl`` and ``csv`` stream, ``table`` keeps every row until :meth:`finish`, to size its columns.

    :param columns: the column names, in order.
    :param output_format: one of :data:`FORMATS`.
    :param console: a :class:`patreon.cli._console.ConsoleWriter`.
    :param raw_csv: write CSV cells as they are, formulas included (for programs, not spreadsheets).
    :ivar count: the records taken so far.
    :ivar written: the records in the output so far (``table``: none until :meth:`finish`).
    """

    def __init__(self, columns, output_format, console, raw_csv=False):
        if output_format not in FORMATS:
            raise ValueError('unknown format {!r}'.format(output_format))
        self.columns = list(columns)
        self.output_format = output_format
        self.console = console
        self.raw_csv = raw_csv
        self.count = 0
        self.written = 0
        self._header_written = False
        self._rows = []

    def write(self, record):
        """Write one record (``table``: keep it for :meth:`finish`)."""
        self.write_values([record[name] for name in self.columns])

    def write_values(self, values):
        """Write one record given as its values, in the order of the columns (what :meth:`write` does)."""
        # Every cell of an export passes here: the common cases (text, no formula, printable ASCII) are tested
        # inline, and the functions that handle the rest are called only for them.
        if self.output_format == 'csv':
            self._write_header()
            texts = [value if type(value) is _TEXT else cell_text(value) for value in values]
            if not self.raw_csv:
                texts = [csv_cell(text) if text and text[0] in _FORMULA_FIRST else text for text in texts]
            self.console.write(csv_line(texts))
        elif self.output_format == 'jsonl':
            self.console.write(json_text(_ordered(zip(self.columns, values))) + '\n')
        else:
            cells = [visible(value if type(value) is _TEXT else cell_text(value)) for value in values]
            self._rows.append((cells, [display_width(cell) for cell in cells]))
            self.count += 1
            return
        self.count += 1
        self.written += 1

    def finish(self):
        """End the output: the CSV header if no record came, the whole table."""
        if self.output_format == 'csv':
            self._write_header()
        elif self.output_format == 'table':
            names = [visible(name) for name in self.columns]
            rows = self._rows
            widths = [max([display_width(name)] + [row[1][index] for row in rows])
                      for index, name in enumerate(names)]
            self.console.line(_table_line(names, widths))
            self.console.line(_table_line(['-' * width for width in widths], widths))
            for cells, cell_widths in rows:
                self.console.line(_padded_line(cells, cell_widths, widths))
                self.written += 1

    def _write_header(self):
        if not self._header_written:
            self.console.write(self._csv_line(self.columns))
            self._header_written = True

    def _csv_line(self, cells):
        return csv_line([csv_cell(cell, self.raw_csv) for cell in cells])


def write_records(records, columns, output_format, console, raw_csv=False):
    """Write ``records`` (ordered dicts with keys ``columns``) in ``output_format``; returns how many."""
    writer = RecordWriter(columns, output_format, console, raw_csv)
    for record in records:
        writer.write(record)
    writer.finish()
    return writer.count


def write_record(record, output_format, console, raw_csv=False):
    """Write one record: like :func:`write_records`, except that ``table`` lists it as "name  value" lines."""
    if output_format != 'table':
        write_records([record], list(record), output_format, console, raw_csv)
        return
    width = max(display_width(visible(name)) for name in record)
    for name, value in record.items():
        console.line(_table_line([visible(name), _table_cell(value)], [width, 0]))


def _table_cell(value):
    return visible(cell_text(value))


def _table_line(cells, widths):
    return _padded_line(cells, [display_width(cell) for cell in cells], widths)


def _padded_line(cells, cell_widths, widths):
    padded = [cell + ' ' * (width - cell_width) for cell, cell_width, width in zip(cells, cell_widths, widths)]
    return '  '.join(padded).rstrip()
