# -*- coding: utf-8 -*-
"""The exports' shortcuts for common cells give exactly what the general rules give, for any text.

Each rule is written out here the plain way (a character at a time, or the
regular expression over the whole text) and compared with the module's on
text drawn from the characters every rule looks at: formula starts, quotes,
commas, line breaks, backslashes, controls, format characters, surrogates,
wide and combining characters.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import io
import json
import re
import unicodedata
import warnings

import six
from hypothesis import example, given, settings
from hypothesis import strategies as st

from patreon.cli import _console
from patreon.cli import _formats
from patreon.cli._formats import RecordWriter, cell_text, csv_cell, csv_line, display_width, json_text, visible
from patreon.cli._console import ConsoleWriter
from patreon._credentials import LONE_SURROGATE

# What a writer must replace: on Python 3 every surrogate (a str holds code points: a high one before a low one is
# no character either); on Python 2 a lone one.
UNENCODABLE = re.compile('[\ud800-\udfff]') if six.PY3 else LONE_SURROGATE

INTERESTING = ('=+-@\t\r\n,"\'\\ .0123456789aZ\x00\x1b\x7f\x85\xa0\xac\xad\xe9\u0301\u061c\u200b\u202e\u2028'
               '\u3042\uff1d\uff0b\uff0d\uff20\ufeff\ud800\udc00\U0001f3a7')
TEXTS = st.lists(st.sampled_from(list(INTERESTING)) | st.characters(), max_size=12).map(''.join)
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | TEXTS,
                      lambda children: st.lists(children, max_size=4), max_leaves=8)


def plain_csv_cell(text):
    if re.match('^[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]', text) and not re.match(r'^[+-]?[0-9]+(\.[0-9]+)?$', text):
        return "'" + text
    return text


def plain_csv_line(cells):
    return ','.join('"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\r\n') else cell
                    for cell in cells) + '\n'


def plain_display_width(text):
    width = 0
    for character in text:
        if unicodedata.combining(character) or unicodedata.category(character) in ('Mn', 'Me', 'Cf'):
            continue
        width += 2 if unicodedata.east_asian_width(character) in ('W', 'F') else 1
    return width


def plain_visible(text):
    shown = []
    for character in text:
        if character in '\\\n\r\t':
            shown.append({'\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t'}[character])
        elif _console._INVISIBLE.match(character):
            code = ord(character)
            shown.append('\\x{:02x}'.format(code) if code < 0x100 else '\\u{:04x}'.format(code))
        else:
            shown.append(character)
    return ''.join(shown)


@settings(max_examples=100, deadline=None)
@given(text=TEXTS)
def test_one_cell_as_the_general_rules_have_it(text):
    assert csv_cell(text) == plain_csv_cell(text) and csv_cell(text, raw=True) == text
    assert display_width(text) == plain_display_width(text)
    assert visible(text) == plain_visible(text)
    assert _console.printable(text, escape_backslash=True) == plain_visible(text)
    assert _console.without_lone_surrogates(text) == UNENCODABLE.sub('\ufffd', text)
    assert _console.has_surrogate(text) == any(0xd800 <= ord(character) <= 0xdfff for character in text)


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(TEXTS, max_size=5))
def test_a_csv_line_as_the_general_rule_has_it(cells):
    assert csv_line(cells) == plain_csv_line(cells)


@settings(max_examples=60, deadline=None)
@given(value=VALUES)
def test_a_list_cell_is_its_items_flattened(value):
    if isinstance(value, list):
        assert cell_text(value) == '; '.join(cell_text(item) for item in _formats._flattened(value))


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=3))
@example(texts=['\ud800\udc00'])  # a high surrogate before a low one: found by hypothesis on 3.7
def test_a_line_written_is_the_text_with_lone_surrogates_replaced(texts):
    text = ''.join(texts)
    expected = UNENCODABLE.sub('\ufffd', text)
    if six.PY2:  # a pair that is one character of a narrow build is that character once written as UTF-8
        expected = expected.encode('utf-8').decode('utf-8')
    stream = io.StringIO()
    ConsoleWriter(stream).write(text)
    assert stream.getvalue() == expected
    bytes_stream = io.BytesIO()
    writer = ConsoleWriter(io.TextIOWrapper(bytes_stream, encoding='latin-1'))
    writer.write(text)
    writer.flush()
    assert bytes_stream.getvalue() == expected.encode('utf-8')


@settings(max_examples=60, deadline=None)
@given(values=st.lists(VALUES, min_size=3, max_size=3))
def test_every_format_writes_values_as_it_writes_the_record(values):
    columns = ['id', 'name', 'tiers']
    record = collections.OrderedDict(zip(columns, values))
    for output_format in _formats.FORMATS:
        outputs = []
        for write in (lambda writer: writer.write(record), lambda writer: writer.write_values(values)):
            stream = io.StringIO()
            writer = RecordWriter(columns, output_format, ConsoleWriter(stream))
            write(writer)
            writer.finish()
            outputs.append(stream.getvalue())
        assert outputs[0] == outputs[1]
    expected = json.dumps(record, ensure_ascii=False, separators=(',', ':'))
    expected = expected.decode('utf-8') if isinstance(expected, bytes) else expected
    assert json_text(record) == LONE_SURROGATE.sub(lambda match: '\\u{:04x}'.format(ord(match.group(0))), expected)
    if six.PY3:
        assert list(json.loads(json_text(record))) == columns  # in the order of the columns


RELATIONSHIP_SHAPES = [None, [], 'text', {}, {'data': None}, {'data': []}, {'data': 'x'}, {'links': {}},
                       {'data': {'type': 'user', 'id': '7'}}, {'data': {'type': 'user'}},
                       {'data': [{'type': 'tier', 'id': '1'}, None, 'x', {'type': 'tier'}, {'id': '3'}]}]


def test_related_ids_are_read_as_the_relationship_info_reads_them():
    from patreon.cli._views import _related_ids
    from patreon.jsonapi.parser import JSONAPIParser

    for shape in RELATIONSHIP_SHAPES:
        for relationships in ({'tiers': shape}, shape):
            member = JSONAPIParser({'data': {'type': 'member', 'id': '1', 'relationships': relationships}}).data()
            info = member.relationship_info('tiers')
            reference = info.resource_reference() if info is not None else None
            expected = [item.id() for item in reference] if isinstance(reference, list) else \
                None if reference is None else reference.id()
            assert _related_ids('tiers')(member) == expected, shape


#: Included tiers whose title is there, null, missing (a warning), or under attributes that are no dict.
INCLUDED_TIERS = [{'type': 'tier', 'id': '1', 'attributes': {'title': 'Gold'}},
                  {'type': 'tier', 'id': '2', 'attributes': {'title': None}},
                  {'type': 'tier', 'id': '3', 'attributes': {}},
                  {'type': 'tier', 'id': '4', 'attributes': 'x'},
                  {'type': 'tier', 'id': '5'},
                  {'type': 'tier', 'id': '6', 'attributes': {'title': ['a', 'b']}}]
TIER_REFERENCES = [[], [{'type': 'tier', 'id': '1'}], [{'type': 'tier', 'id': '1'}, {'type': 'tier', 'id': '6'}],
                   [{'type': 'tier', 'id': '1'}, {'type': 'tier', 'id': '9'}], [{'type': 'tier', 'id': 1}],
                   [None, 'x', {'type': 'tier'}, {'id': '1'}]] + [[{'type': 'tier', 'id': str(number)}]
                                                               for number in range(2, 6)]


def test_related_attributes_are_read_as_the_related_resources_read_them():
    from patreon.cli._views import _related_attribute
    from patreon.jsonapi.parser import JSONAPIParser

    for shape in [{'data': references} for references in TIER_REFERENCES] + RELATIONSHIP_SHAPES:
        for relationships in ({'tiers': shape}, shape):
            member = JSONAPIParser({'data': {'type': 'member', 'id': '1', 'relationships': relationships},
                                    'included': INCLUDED_TIERS}).data()
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')  # read from here, a missing title warns (from the package, never)
                expected = [item.attribute('title') for item in member.relationship('tiers') or []
                            if item is not None]
            assert _related_attribute('tiers', 'title')(member) == expected, shape


PAGE_COLUMNS = ['id', 'full_name', 'amount_cents', 'tier_titles']


def plain_lines(columns, rows, output_format):
    """What a writer gives for ``rows``, each rule applied one record and one cell at a time."""
    if output_format == 'jsonl':
        lines = []
        for values in rows:
            text = json.dumps(collections.OrderedDict(zip(columns, values)), ensure_ascii=False,
                              separators=(',', ':'))
            text = text.decode('utf-8') if isinstance(text, bytes) else text
            lines.append(UNENCODABLE.sub(lambda match: '\\u{:04x}'.format(ord(match.group(0))), text) + '\n')
        return ''.join(lines)
    if output_format == 'csv':
        return ''.join(plain_csv_line([plain_csv_cell(cell_text(value)) for value in values])
                       for values in [columns] + rows)
    table = [[plain_visible(name) for name in columns]] + [[plain_visible(cell_text(value)) for value in values]
                                                           for values in rows]
    widths = [max(plain_display_width(row[index]) for row in table) for index in range(len(columns))]
    table.insert(1, ['-' * width for width in widths])
    return ''.join('  '.join(cell + ' ' * (width - plain_display_width(cell)) for cell, width in zip(row, widths))
                   .rstrip() + '\n' for row in table)


def written(output_format, pages):
    stream = io.StringIO()
    writer = RecordWriter(PAGE_COLUMNS, output_format, ConsoleWriter(stream))
    for page in pages:
        writer.write_rows(page)
    writer.finish()
    return stream.getvalue(), writer


ROW = st.tuples(TEXTS, TEXTS | st.none(), st.integers() | st.none() | TEXTS, st.lists(TEXTS, max_size=3) | VALUES)


@settings(max_examples=60, deadline=None)
@given(pages=st.lists(st.lists(ROW.map(list), min_size=1, max_size=6), min_size=1, max_size=3))
@example(pages=[[['1', 'Zo\xeb \U0001f3a7', 500, ['Gold', 'S\xeflver']], ['2', None, None, []]]])
@example(pages=[[['\ud800', '=1+1', True, ['\x1b[2J', '\u5c71']]]])
def test_a_page_written_at_once_is_its_records_written_one_by_one(pages):
    # Pages are built column by column and written in one call: the bytes must be those of the rules, record by
    # record (formula quotes, escapes, alignment, surrogates escaped or replaced).
    rows = [row for page in pages for row in page]
    for output_format in _formats.FORMATS:
        expected = plain_lines(PAGE_COLUMNS, rows, output_format)
        if six.PY2 and output_format != 'jsonl':
            expected = UNENCODABLE.sub('\ufffd', expected).encode('utf-8').decode('utf-8')
        elif output_format != 'jsonl':
            expected = UNENCODABLE.sub('\ufffd', expected)
        out, writer = written(output_format, pages)
        assert out == expected, output_format
        assert writer.count == writer.written == len(rows)


def test_a_value_json_cannot_carry_leaves_the_records_before_it_written_and_counted():
    page = [['1', 'Ann', 5, []], ['2', 'Bo', float('nan'), []], ['3', 'Cy', 7, []]]
    stream = io.StringIO()
    writer = RecordWriter(PAGE_COLUMNS, 'jsonl', ConsoleWriter(stream))
    try:
        writer.write_rows(page)
    except _formats.CommandFailed as exc:
        assert 'NaN or Infinity' in str(exc)
    else:
        raise AssertionError('NaN was written')
    assert stream.getvalue() == '{"id":"1","full_name":"Ann","amount_cents":5,"tier_titles":[]}\n'
    assert (writer.count, writer.written) == (1, 1)


def test_every_character_a_table_escapes_is_one_str_isprintable_refuses():
    # printable() and the table's rows skip the escaping of a text str.isprintable() accepts.
    if not hasattr('', 'isprintable'):
        return  # Python 2: the regular expressions decide every time
    escaped = [six.unichr(code) for code in range(0x10000) if _console._INVISIBLE.match(six.unichr(code))]
    assert escaped and [character for character in escaped if character.isprintable()] == []


def test_widths_are_right_beyond_the_characters_whose_widths_are_kept():
    # Wide, combining and one-column characters, more of them than are kept: the same widths once none is added.
    characters = [six.unichr(code) for code in range(0x300, 0x300 + 2 * _formats._EXTRA_COLUMNS_KEPT)]
    characters += [six.unichr(code) for code in range(0x4e00, 0x4e00 + 2 * _formats._EXTRA_COLUMNS_KEPT)]
    texts = [''.join(characters[index:index + 5]) for index in range(0, len(characters), 5)]
    for _ in range(2):  # looked up, then (up to the bound) kept
        assert [display_width(text) for text in texts] == [plain_display_width(text) for text in texts]
    assert len(_formats._EXTRA_COLUMNS) == _formats._EXTRA_COLUMNS_KEPT
