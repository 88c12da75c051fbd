# -*- coding: utf-8 -*-
"""The output formats of the commands that read: ``table`` for people, ``jsonl`` and ``csv`` for programs.

- ``jsonl``: one JSON object per line, exact (a lone surrogate stays its ``\\udXXX`` escape).
- ``csv``: a header line, then one line per resource.  A cell a spreadsheet would run as a formula (it starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain number) gets a leading ``'``,
  unless the writer is made with ``raw_csv=True``.  The header is written with the first row (or at the end
  when there is none), so a listing that fails before its first page leaves nothing.
- ``table``: aligned columns; control characters are shown escaped (``\\x1b``, ``\\n``), so a name cannot move
  the cursor, retitle the terminal or forge rows; wide (CJK) and combining characters keep the columns aligned.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import itertools
import json
import operator
import re
import sys
import unicodedata
from json.encoder import encode_basestring

import six

from ._console import printable, without_lone_surrogates
from ._exit_status import EXIT_SERVER, CommandFailed

__all__ = ['FORMATS', 'RecordWriter', 'cell_text', 'csv_cell', 'csv_line', 'display_width', 'json_text', 'visible',
           'write_record', 'write_records']

FORMATS = ('table', 'jsonl', 'csv')

# What a spreadsheet takes for the start of a formula (fullwidth forms too), and cells that are plain numbers.
_FORMULA_FIRST = '=+-@\t\r\uff1d\uff0b\uff0d\uff20'
_FORMULA_FIRST_SET = frozenset(_FORMULA_FIRST)
_first = operator.itemgetter(0)
_PLAIN_NUMBER = re.compile(r'^[+-]?[0-9]+(\.[0-9]+)?$')
# Below U+00AD (a soft hyphen, the first format character) every character takes one column: only the others
# are looked up.
_MAYBE_NOT_ONE_COLUMN = re.compile('[^\x00-\xac]')
#: Characters whose columns display_width() keeps (about a hundred bytes each: under half a megabyte).
_EXTRA_COLUMNS_KEPT = 4096
_IS_ASCII = getattr(six.text_type, 'isascii', None)  # str.isascii, Python 3.7+
_IS_PRINTABLE = six.text_type.isprintable if _IS_ASCII else None  # type: ignore[attr-defined]  # both or neither
_TEXT = six.text_type
# A JSON line's keys in the order of the columns: a plain dict keeps it from Python 3.7 on, and is faster to encode.
_ordered = dict if sys.version_info >= (3, 7) else collections.OrderedDict
# One encoder for every line: json.dumps with options makes a new one each time.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(',', ':'), allow_nan=False)
#: What that encoder writes a text as (keys included): a line of text cells is built from it without one encoder
#: call per line, whose setting-up costs more than the cells (see ``_json_lines``).
_json_string = encode_basestring
_JUST_TEXT = frozenset([_TEXT])
_TEXT_OR_NONE = frozenset([_TEXT, type(None)])
_JUST_LIST = frozenset([list])
_NUMBERS_OR_NONE = frozenset([int, float, bool, type(None)])
_JUST_INT = frozenset([int])
#: Lines a table writes at once: one write per line costs a surrogate check and a stream call each.
_TABLE_LINES_PER_WRITE = 1000
_ASCII_CONTROLS = bytes(bytearray(list(range(0x20)) + [0x7f]))
#: How a table column is shown: as it is (printable, no backslash: hence no surrogate), and ASCII too.
_AS_IS, _AS_IS_ASCII = 'as is', 'as is, ASCII'


def cell_text(value):
    """One value as a CSV or table cell: lists joined with "; ", ``None`` empty, booleans lowercase."""
    if type(value) is six.text_type:  # most cells: checked first, as exports call this for every cell
        return value
    if value is None:
        return ''
    if type(value) is int:  # amounts in cents (a bool is no int here: its type is bool)
        return _TEXT(value)
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
    return without_lone_surrogates(_json_encoded(value), _surrogate_escape)


def _json_encoded(value):
    """:func:`json_text` before its surrogates are escaped (a surrogate's escape does not depend on its line)."""
    try:
        text = _JSON.encode(value)
    except ValueError:
        raise CommandFailed('the answer holds a number JSON cannot carry (NaN or Infinity)', EXIT_SERVER)
    except RuntimeError:  # RecursionError (Python 2's too): a value nested deeper than the encoder goes
        raise CommandFailed('the answer holds a value nested too deep to write', EXIT_SERVER)
    return text.decode('utf-8') if isinstance(text, bytes) else text


def _json_value(value):
    """One value as the encoder writes it (before its surrogates are escaped): text, ``None``, a whole number and
    a list of texts here, the others by the encoder."""
    kind = type(value)
    if kind is _TEXT:
        return _json_string(value)
    if value is None:
        return 'null'
    if kind is int:  # exactly int: a bool is written true or false, by the encoder
        try:
            return _TEXT(value)
        except ValueError:  # more digits than Python 3.11+ converts: the encoder's own failure
            return _json_encoded(value)
    if kind is list and all([type(item) is _TEXT for item in value]):
        return '[' + ','.join(map(_json_string, value)) + ']'
    return _json_encoded(value)


def _json_page(keys, rows):
    """The JSON lines of ``rows`` (sequences of values, each as long as ``keys``) as one text, before their
    surrogates are escaped; built column by column, and joined once: no call of Python per cell for a column of
    texts (most), nor a join per line.

    :param keys: what comes before each value in a line: ``['{"id":', ',"full_name":']``.
    :raises CommandFailed: a value JSON cannot carry (also the encoder's ``ValueError``, ``TypeError`` or
        ``RecursionError`` for a column it writes whole: the caller then writes the lines one at a time).
    """
    count, stride = len(rows), 2 * len(keys) + 1
    parts = [''] * (count * stride)  # key, value, key, value, ..., '}\n' for each row
    for index, (key, column) in enumerate(zip(keys, zip(*rows))):
        parts[2 * index::stride] = [key] * count
        parts[2 * index + 1::stride] = _json_column(column)
    parts[stride - 1::stride] = ['}\n'] * count
    return ''.join(parts)


def _json_column(column):
    """The values of ``column`` as the encoder writes them (see :func:`_json_value`)."""
    try:
        return list(map(_json_string, column))  # raises TypeError at the first value that is no text
    except TypeError:
        pass
    kinds = set(map(type, column))
    if kinds <= _TEXT_OR_NONE:
        return [_json_string(value) if value is not None else 'null' for value in column]
    values = None
    # Numbers and lists: the encoder's text of the whole column (one call), cut between its values.
    if kinds <= _NUMBERS_OR_NONE:
        values = _JSON.encode(list(column))[1:-1].split(',')
    elif kinds == _JUST_LIST:
        # Between two lists it writes '],['; a line feed, which it never writes raw, marks the cut.
        values = _JSON.encode(list(column))[1:-1].replace('],[', ']\n[').split('\n')
    if values is not None and len(values) == len(column):  # a value holding a cut of its own would make more
        return values
    return list(map(_json_value, column))


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
    extra_columns = _EXTRA_COLUMNS
    for character in _MAYBE_NOT_ONE_COLUMN.findall(text):
        width += extra_columns[character]
    return width


class _ExtraColumns(dict):
    """Columns a character takes beyond one: -1 for a combining or format one, 1 for a wide one, else 0.

    Kept once looked up (unicodedata's three calls cost more than the dict's one), up to a bound for memory.
    """

    def __missing__(self, character):
        if unicodedata.combining(character) or unicodedata.category(character) in ('Mn', 'Me', 'Cf'):
            extra = -1
        elif unicodedata.east_asian_width(character) in ('W', 'F'):
            extra = 1
        else:
            extra = 0
        if len(self) < _EXTRA_COLUMNS_KEPT:
            self[character] = extra
        return extra


_EXTRA_COLUMNS = _ExtraColumns()


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


def _csv_page(rows, raw):
    """The CSV lines of ``rows`` (each as long as the columns) as one text, built column by column: what
    :func:`csv_line` gives for each row of :func:`csv_cell` cells (a cell is quoted for what it holds itself)."""
    columns = [_csv_column(_column_texts(column), raw) for column in zip(*rows)]
    return '\n'.join(map(','.join, zip(*columns))) + '\n'


def _csv_column(texts, raw):
    """A column's texts as CSV cells: formulas quoted unless ``raw``, and cells quoted that need it."""
    # A formula's first character and a cell that needs quoting are rare: looked for in the whole column first.
    if not raw and not _FORMULA_FIRST_SET.isdisjoint(map(_first, filter(None, texts))):
        texts = [csv_cell(text) if text and text[0] in _FORMULA_FIRST else text for text in texts]
    joined = ''.join(texts)
    if ',' in joined or '"' in joined or '\r' in joined or '\n' in joined:
        texts = list(map(_csv_field, texts))
    return texts


def _csv_field(cell):
    if ',' in cell or '"' in cell or '\r' in cell or '\n' in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


class RecordWriter(object):
    """Writes records (ordered dicts with keys ``columns``) in a format, one at a time or a page at a time; counts
    them.

    ``jsonl`` and ``csv`` stream (one write per call), ``table`` keeps every row until :meth:`finish`, to size its
    columns.

    :param columns: the column names, in order.
    :param output_format: one of :data:`FORMATS`.
    :param console: a :class:`patreon.cli._console.ConsoleWriter`.
    :param raw_csv: write CSV cells as they are, formulas included (for programs, not spreadsheets).
    :ivar count: the records taken so far.
    :ivar written: the records handed to ``console`` so far (``table``: none until :meth:`finish`).
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
        # A table's cells and their widths, one list each per column: no list per row for the garbage collector to
        # walk again and again while an export of 100,000 rows grows.
        self._cells = [[] for _ in self.columns]  # type: list
        self._widths = [[] for _ in self.columns]  # type: list
        self._table_rows = 0
        # What every page kept so far says of a column: a cell's width is its length (no comparison when padding);
        # no cell holds a surrogate (the console need not look for one).
        self._widths_are_lengths = [True] * len(self.columns)
        self._surrogate_free = True
        names = self.columns
        # A JSON line is built value by value after these keys when each column is a text given once (a dict
        # would keep the last of two values under one name: the encoder then writes the dict).
        self._json_keys = None
        if all(type(name) is _TEXT for name in names) and len(set(names)) == len(names):
            self._json_keys = [(',' if index else '{') + _json_string(name) + ':' for index, name in enumerate(names)]

    def write(self, record):
        """Write one record (``table``: keep it for :meth:`finish`)."""
        self.write_rows([[record[name] for name in self.columns]])

    def write_values(self, values):
        """Write one record given as its values, in the order of the columns (what :meth:`write` does)."""
        self.write_rows([values])

    def write_rows(self, rows):
        """Write records given as their values (an iterable of sequences in the order of the columns) in one write.

        What :meth:`write_values` writes for each, in one call to ``console``: an export writes a hundred rows at a
        time.
        When a value cannot be written (``CommandFailed``) or ``rows`` raises, the records before it are written
        first, as one at a time they would have been.
        """
        write = self._keep_table_page if self.output_format == 'table' else self._write_taken
        taken = []
        try:
            for values in rows:
                taken.append(values)
        except BaseException:
            write(taken)
            raise
        write(taken)

    def _write_taken(self, rows):
        """Write ``rows`` (a list); when one cannot be written, those before it, then raise."""
        if not rows:
            return
        header = ''
        if self.output_format == 'csv' and not self._header_written:
            header = self._csv_line(self.columns)  # with the first record, so that a failed listing has none
            self._header_written = True
        page = self._page_text(rows)
        if page is not None:
            self._write_text(header + page, len(rows))
            return
        lines = [header]
        line = self._csv_row if self.output_format == 'csv' else self._json_line
        try:
            for values in rows:
                lines.append(line(values))
        except BaseException:
            self._write_text(''.join(lines), len(lines) - 1)
            raise
        self._write_text(''.join(lines), len(rows))

    def _page_text(self, rows):
        """The lines of ``rows`` built column by column, or ``None`` where they are written one at a time: a value
        that cannot be written (the lines before it are, then), rows not as long as the columns, JSON on Python 2."""
        if not self.columns or set(map(len, rows)) != set([len(self.columns)]):
            return None
        try:
            if self.output_format == 'csv':
                return _csv_page(rows, self.raw_csv)
            # Python 3: its encoder's function for text takes nothing else (on Python 2 it would take bytes).
            if six.PY3 and self._json_keys:
                return _json_page(self._json_keys, rows)
        except Exception:  # a value that cannot be written (CommandFailed, or TypeError for one JSON cannot carry)
            pass
        return None

    def _write_text(self, text, records):
        if text:
            if self.output_format == 'jsonl':
                # Once for every line: the same escapes. None is left for the console to replace.
                self.console.write(without_lone_surrogates(text, _surrogate_escape), True)
            else:
                self.console.write(text)
        self.count += records
        self.written += records

    def _csv_row(self, values):
        # Every cell of an export passes here: the common cases (text, no formula) are tested inline, and the
        # functions that handle the rest are called only for them.
        texts = [value if type(value) is _TEXT else cell_text(value) for value in values]
        if not self.raw_csv:
            texts = [csv_cell(text) if text and text[0] in _FORMULA_FIRST else text for text in texts]
        return csv_line(texts)

    def _json_line(self, values):
        if self._json_keys and len(values) == len(self.columns):
            return ''.join([key + _json_value(value) for key, value in zip(self._json_keys, values)]) + '}\n'
        return _json_encoded(_ordered(zip(self.columns, values))) + '\n'

    def _keep_table_page(self, rows):
        """Keep ``rows`` (a list) for the table, column by column; when one cannot be kept, those before it, then
        raise (ValueError for a row shorter than the columns, CommandFailed for a value that cannot be written)."""
        columns = _table_columns(rows, len(self.columns))
        if columns is None:  # the rows one at a time: they raise where they did, the rows before kept
            for values in rows:
                self._keep_table_row(values)
            return
        for index, (cells, widths, shown) in enumerate(columns):
            self._cells[index].extend(cells)
            self._widths[index].extend(widths)
            self._widths_are_lengths[index] = self._widths_are_lengths[index] and shown is _AS_IS_ASCII
            self._surrogate_free = self._surrogate_free and shown is not None
        self._table_rows += len(rows)
        self.count += len(rows)

    def _keep_table_row(self, values):
        width = len(self.columns)
        if len(values) < width:
            raise ValueError('a row of {} values for {} columns'.format(len(values), width))
        texts = [value if type(value) is _TEXT else cell_text(value) for value in values[:width]]
        for kept, kept_widths, text in zip(self._cells, self._widths, texts):
            cell = visible(text)
            kept.append(cell)
            kept_widths.append(display_width(cell))
        self._widths_are_lengths = [False] * width  # not known for this row's cells: looked at when padding
        self._surrogate_free = False
        self._table_rows += 1
        self.count += 1

    def finish(self):
        """End the output: the CSV header if no record came, the whole table."""
        if self.output_format == 'csv':
            self._write_header()
        elif self.output_format == 'table':
            self._write_table()

    def _write_table(self):
        names = [visible(name) for name in self.columns]
        widths = [max(display_width(name), max(cell_widths or [0])) for name, cell_widths in zip(names, self._widths)]
        self.console.write(_table_line(names, widths) + '\n' +
                           _table_line(['-' * column_width for column_width in widths], widths) + '\n')
        for first in range(0, self._table_rows, _TABLE_LINES_PER_WRITE):
            last = min(first + _TABLE_LINES_PER_WRITE, self._table_rows)
            # Column by column: each cell padded to its column's width (str.ljust where a cell's width is its
            # length, as in a column of ASCII), then the rows joined, as _padded_line() does one row at a time.
            padded = []
            for cells, cell_widths, column_width, known in zip(self._cells, self._widths, widths,
                                                               self._widths_are_lengths):
                column = cells[first:last]
                shown = cell_widths[first:last]
                if known or shown == list(map(len, column)):
                    padded.append(list(map(_TEXT.ljust, column, [column_width] * len(column))))
                else:
                    padded.append([cell + ' ' * (column_width - cell_width) for cell, cell_width in zip(column, shown)])
            lines = map('  '.join, zip(*padded)) if padded else [''] * (last - first)
            self.console.write('\n'.join(map(_TEXT.rstrip, lines)) + '\n', self._surrogate_free)
            self.written += last - first

    def _write_header(self):
        if not self._header_written:
            self.console.write(self._csv_line(self.columns))
            self._header_written = True

    def _csv_line(self, cells):
        return csv_line([csv_cell(cell, self.raw_csv) for cell in cells])


def _table_columns(rows, width):
    """The first ``width`` values of ``rows`` as table columns (see :func:`_table_column`); ``None`` when a
    row is shorter or a value cannot be written (the rows are then kept one at a time, and raise as they do)."""
    if not rows or min(map(len, rows)) < width:
        return None
    try:
        return [_table_column(_column_texts(column)) for column in itertools.islice(zip(*rows), width)]
    except Exception:  # CommandFailed, or a RecursionError, from a value cell_text() writes as JSON
        return None


def _column_texts(column):
    """``cell_text`` of each value of ``column``, a function call per value only where its kinds are mixed."""
    kinds = set(map(type, column))
    if kinds <= _JUST_TEXT:
        return list(column)
    if kinds <= _TEXT_OR_NONE:
        return [value if value is not None else '' for value in column]
    if kinds == _JUST_INT:
        return list(map(_TEXT, column))
    if kinds == _JUST_LIST:
        try:
            return list(map('; '.join, column))  # lists of texts; cell_text() flattens the others
        except TypeError:
            pass
    return list(map(cell_text, column))


def _table_column(texts):
    """A column's cells as shown, their widths, and how they are shown: ``_AS_IS``, ``_AS_IS_ASCII`` (a column a
    character) or ``None`` (escaped).  A column that is printable and has no backslash is shown as it is (visible()
    escapes only what str.isprintable() refuses, and backslashes): tested once for the column."""
    joined = ''.join(texts)
    if _IS_PRINTABLE is not None and '\\' not in joined:
        if _IS_ASCII(joined):  # type: ignore[misc]  # not None where _IS_PRINTABLE is not
            # Printable ASCII is ASCII without its controls: bytes.translate tells it several times faster.
            if len(joined.encode('ascii').translate(None, _ASCII_CONTROLS)) == len(joined):
                return texts, list(map(len, texts)), _AS_IS_ASCII
        elif _IS_PRINTABLE(joined):
            return texts, list(map(display_width, texts)), _AS_IS
    cells = list(map(visible, texts))
    return cells, list(map(display_width, cells)), None


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
