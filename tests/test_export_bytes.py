# -*- coding: utf-8 -*-
"""The exact bytes each format writes for pages of awkward values, pinned: what a faster writer must still give.

The rules themselves are compared with plain versions in test_export_fast_paths.py; here the output of two pages
(columns sized over both, values of every kind an answer holds) is written out in full.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io

import pytest

import patreon
from patreon.cli import EXIT_OK, main
from patreon.cli._console import ConsoleWriter
from patreon.cli._exit_status import CommandFailed
from patreon.cli._formats import RecordWriter
from patreon.cli._views import MEMBER_VIEW

#: A page of members larger than the rows an export writes at once (names of every script the sandbox gives).
SANDBOX = dict(members=250, seed=5)

COLUMNS = ['id', 'full_name', 'status', 'cents', 'tier_ids', 'tier_titles', 'extra']
PAGES = [
    [
        ['1', 'Ann', 'active_patron', 500, ['11'], ['Gold'], None],
        ['2', 'Jos\xe9 Haddad', None, 0, [], [], True],
        ['3', '\u7f8e\u54b2 Sato', 'former_patron', 12345, ['11', '12'], ['Gold', 'Silver, "S"'], False],
        ['4', '=HYPERLINK("http://example.invalid")', '+1+1', -7, ['-1'], ['@tier'], 3.5],
        ['5', 'Zoe\u0301 Mu\u0308ller', '\uff1d1', 10 ** 20, [['a', ['b']], 'c'], [None, 1, True], {'k': [1, None]}],
    ],
    [
        ['6', 'Mallory\x1b[2J', 'back\\slash', None, ['x\ny'], ['tab\there'], 'quote"and\\'],
        ['7', 'Trudy\nforged\r', '\u202eevil', 1, [], ['\U0001f3a7 Fans'], '\ud800 lone'],
        ['8', 'x\u200by \u5c71\u7530', '-5', 2, ['\u3042'], ['\t'], ''],
    ],
]
#: Columns of one kind each (all ASCII text, text with non-ASCII, text or None, whole numbers, lists of texts), as
#: most exports have them: the pages a writer may take column by column.
PAGES_OF_ONE_KIND = [
    [
        ['b486', 'Dmitri Eriksen', 'active_patron', 800, ['3944003'], ['Patron']],
        ['12e0', 'Jos\xe9 Haddad', None, 0, [], []],
        ['5a92', '\u7f8e\u54b2 Sato', 'former_patron', 9900, ['3944002', '3944003'], ['Supporter', 'Patron']],
    ],
    [
        ['eb20', '\u0141ucja \u5c71\u7530', 'declined_patron', 11400, ['1'], ['\u00c9lite']],
    ],
    [
        ['d3fb', 'Fatima Tanaka', 'active_patron', 300, ['3944002'], ['Supporter']],
        ['101f', 'Ann', 'former_patron', 3000, ['7'], ['=1+1']],
    ],
]
KIND_COLUMNS = ['id', 'full_name', 'patron_status', 'cents', 'tier_ids', 'tier_titles']

EXPECTED = {
    'table': [
        'id  full_name                             status         cents                  tier_ids  tier_title'
            's        extra\n',
        '--  ------------------------------------  -------------  ---------------------  --------  ----------'
            '-------  --------------\n',
        '1   Ann                                   active_patron  500                    11        Gold\n',
        '2   Jos\xe9 Haddad                                          0                                       '
            '            true\n',
        '3   \u7f8e\u54b2 Sato                             former_patron  12345                  11; 12    Go'
            'ld; Silver, "S"  false\n',
        '4   =HYPERLINK("http://example.invalid")  +1+1           -7                     -1        @tier     '
            '         3.5\n',
        '5   Zoe\u0301 Mu\u0308ller                            \uff1d1            100000000000000000000  a; b'
            '; c   ; 1; true          {"k":[1,null]}\n',
        '6   Mallory\\x1b[2J                        back\\\\slash                           x\\ny      tab\\t'
            'here          quote"and\\\\\n',
        '7   Trudy\\nforged\\r                       \\u202eevil     1                                '
            '\U0001f3a7 Fans            \ufffd lone\n',
        '8   x\\u200by \u5c71\u7530                         -5             2                      \u3042        \\t\n',
    ],
    'jsonl': [
        '{"id":"1","full_name":"Ann","status":"active_patron","cents":500,"tier_ids":["11"],"tier_titles":["G'
            'old"],"extra":null}\n',
        '{"id":"2","full_name":"Jos\xe9 Haddad","status":null,"cents":0,"tier_ids":[],"tier_titles":[],"extra":true}\n',
        '{"id":"3","full_name":"\u7f8e\u54b2 Sato","status":"former_patron","cents":12345,"tier_ids":["11","1'
            '2"],"tier_titles":["Gold","Silver, \\"S\\""],"extra":false}\n',
        '{"id":"4","full_name":"=HYPERLINK(\\"http://example.invalid\\")","status":"+1+1","cents":-7,"tier_id'
            's":["-1"],"tier_titles":["@tier"],"extra":3.5}\n',
        '{"id":"5","full_name":"Zoe\u0301 Mu\u0308ller","status":"\uff1d1","cents":100000000000000000000,"tie'
            'r_ids":[["a",["b"]],"c"],"tier_titles":[null,1,true],"extra":{"k":[1,null]}}\n',
        '{"id":"6","full_name":"Mallory\\u001b[2J","status":"back\\\\slash","cents":null,"tier_ids":["x\\ny"]'
            ',"tier_titles":["tab\\there"],"extra":"quote\\"and\\\\"}\n',
        '{"id":"7","full_name":"Trudy\\nforged\\r","status":"\u202eevil","cents":1,"tier_ids":[],"tier_titles'
            '":["\U0001f3a7 Fans"],"extra":"\\ud800 lone"}\n',
        '{"id":"8","full_name":"x\u200by \u5c71\u7530","status":"-5","cents":2,"tier_ids":["\u3042"],"tier_ti'
            'tles":["\\t"],"extra":""}\n',
    ],
    'csv': [
        'id,full_name,status,cents,tier_ids,tier_titles,extra\n',
        '1,Ann,active_patron,500,11,Gold,\n',
        '2,Jos\xe9 Haddad,,0,,,true\n',
        '3,\u7f8e\u54b2 Sato,former_patron,12345,11; 12,"Gold; Silver, ""S""",false\n',
        '4,"\'=HYPERLINK(""http://example.invalid"")",\'+1+1,-7,-1,\'@tier,3.5\n',
        '5,Zoe\u0301 Mu\u0308ller,\'\uff1d1,100000000000000000000,a; b; c,; 1; true,"{""k"":[1,null]}"\n',
        '6,Mallory\x1b[2J,back\\slash,,"x\ny",tab\there,"quote""and\\"\n',
        '7,"Trudy\nforged\r",\u202eevil,1,,\U0001f3a7 Fans,\ufffd lone\n',
        "8,x\u200by \u5c71\u7530,-5,2,\u3042,'\t,\n",
    ],
}
EXPECTED_OF_ONE_KIND = {
    'table': [
        'id    full_name       patron_status    cents  tier_ids          tier_titles\n',
        '----  --------------  ---------------  -----  ----------------  -----------------\n',
        'b486  Dmitri Eriksen  active_patron    800    3944003           Patron\n',
        '12e0  Jos\xe9 Haddad                      0\n',
        '5a92  \u7f8e\u54b2 Sato       former_patron    9900   3944002; 3944003  Supporter; Patron\n',
        'eb20  \u0141ucja \u5c71\u7530      declined_patron  11400  1                 \xc9lite\n',
        'd3fb  Fatima Tanaka   active_patron    300    3944002           Supporter\n',
        '101f  Ann             former_patron    3000   7                 =1+1\n',
    ],
    'jsonl': [
        '{"id":"b486","full_name":"Dmitri Eriksen","patron_status":"active_patron","cents":800,'
        '"tier_ids":["3944003"],"tier_titles":["Patron"]}\n',
        '{"id":"12e0","full_name":"Jos\xe9 Haddad","patron_status":null,"cents":0,"tier_ids":[],"tier_titles":[]}\n',
        '{"id":"5a92","full_name":"\u7f8e\u54b2 Sato","patron_status":"former_patron","cents":9900,'
        '"tier_ids":["3944002","3944003"],"tier_titles":["Supporter","Patron"]}\n',
        '{"id":"eb20","full_name":"\u0141ucja \u5c71\u7530","patron_status":"declined_patron","cents":11400,'
        '"tier_ids":["1"],"tier_titles":["\xc9lite"]}\n',
        '{"id":"d3fb","full_name":"Fatima Tanaka","patron_status":"active_patron","cents":300,'
        '"tier_ids":["3944002"],"tier_titles":["Supporter"]}\n',
        '{"id":"101f","full_name":"Ann","patron_status":"former_patron","cents":3000,"tier_ids":["7"],'
        '"tier_titles":["=1+1"]}\n',
    ],
    'csv': [
        'id,full_name,patron_status,cents,tier_ids,tier_titles\n',
        'b486,Dmitri Eriksen,active_patron,800,3944003,Patron\n',
        '12e0,Jos\xe9 Haddad,,0,,\n',
        '5a92,\u7f8e\u54b2 Sato,former_patron,9900,3944002; 3944003,Supporter; Patron\n',
        'eb20,\u0141ucja \u5c71\u7530,declined_patron,11400,1,\xc9lite\n',
        'd3fb,Fatima Tanaka,active_patron,300,3944002,Supporter\n',
        "101f,Ann,former_patron,3000,7,'=1+1\n",
    ],
}


def written(columns, pages, output_format):
    stream = io.StringIO()
    writer = RecordWriter(columns, output_format, ConsoleWriter(stream))
    for page in pages:
        writer.write_rows(page)
    writer.finish()
    rows = sum(len(page) for page in pages)
    assert writer.count == writer.written == rows
    return stream.getvalue()


@pytest.mark.parametrize('output_format', sorted(EXPECTED))
def test_pages_of_values_of_every_kind_are_written_to_the_byte(output_format):
    assert written(COLUMNS, PAGES, output_format) == ''.join(EXPECTED[output_format])


@pytest.mark.parametrize('output_format', sorted(EXPECTED_OF_ONE_KIND))
def test_pages_of_columns_of_one_kind_are_written_to_the_byte(output_format):
    assert written(KIND_COLUMNS, PAGES_OF_ONE_KIND, output_format) == ''.join(EXPECTED_OF_ONE_KIND[output_format])


@pytest.mark.parametrize('output_format', sorted(EXPECTED_OF_ONE_KIND))
def test_a_page_given_record_by_record_is_the_page_given_at_once(output_format):
    one_by_one = [[row] for page in PAGES_OF_ONE_KIND for row in page]
    assert written(KIND_COLUMNS, one_by_one, output_format) == ''.join(EXPECTED_OF_ONE_KIND[output_format])


def table_after(page):
    """What a table writer holds and then writes after ``page`` raised: the rows before the failing one."""
    stream = io.StringIO()
    writer = RecordWriter(['id', 'name'], 'table', ConsoleWriter(stream))
    with pytest.raises(Exception) as raised:
        writer.write_rows(page)
    counted = writer.count
    writer.finish()
    return raised.value, counted, stream.getvalue()


def test_a_table_keeps_the_rows_before_one_too_short():
    error, counted, out = table_after([['1', 'a'], ['2'], ['3', 'c']])
    assert isinstance(error, ValueError) and 'a row of 1 values for 2 columns' in str(error)
    assert (counted, out) == (1, 'id  name\n--  ----\n1   a\n')


def test_a_table_keeps_the_rows_before_a_value_it_cannot_write():
    error, counted, out = table_after([['1', 'a'], ['2', {'n': float('nan')}], ['3', 'c']])
    assert isinstance(error, CommandFailed) and 'NaN or Infinity' in str(error)
    assert (counted, out) == (1, 'id  name\n--  ----\n1   a\n')


def test_a_table_keeps_the_rows_before_a_page_that_fails_to_be_read():
    def page():
        yield ['1', 'a']
        raise KeyError('the next member')
    error, counted, out = table_after(page())
    assert isinstance(error, KeyError)
    assert (counted, out) == (1, 'id  name\n--  ----\n1   a\n')


def test_a_table_row_longer_than_the_columns_shows_the_first_values():
    assert written(['id', 'name'], [[['1', 'a', 'more'], ['2', 'b']]], 'table') == 'id  name\n--  ----\n1   a\n2   b\n'


def test_jsonl_columns_of_numbers_and_of_lists_are_written_to_the_byte():
    # Lists whose texts hold what lies between two lists ("],["), lists of lists, numbers of every kind.
    pages = [[['1', ['a],[b', '['], 1.5, [[1], [2]]],
              ['2', [']', ','], None, [{'k': ['v']}, None]],
              ['3', [], True, []]],
             [['4', ['x'], 10 ** 20, [True, 2.0]]]]
    assert written(['id', 'titles', 'number', 'nested'], pages, 'jsonl') == (
        '{"id":"1","titles":["a],[b","["],"number":1.5,"nested":[[1],[2]]}\n'
        '{"id":"2","titles":["]",","],"number":null,"nested":[{"k":["v"]},null]}\n'
        '{"id":"3","titles":[],"number":true,"nested":[]}\n'
        '{"id":"4","titles":["x"],"number":100000000000000000000,"nested":[true,2.0]}\n')


@pytest.mark.parametrize('output_format,before', [('csv', 'id,name\n1,a\n'), ('jsonl', '{"id":"1","name":"a"}\n')])
def test_a_page_with_a_value_that_cannot_be_written_writes_the_rows_before_it(output_format, before):
    stream = io.StringIO()
    writer = RecordWriter(['id', 'name'], output_format, ConsoleWriter(stream))
    with pytest.raises(CommandFailed):
        writer.write_rows([['1', 'a'], ['2', {'n': float('nan')}], ['3', 'c']])
    assert (stream.getvalue(), writer.count, writer.written) == (before, 1, 1)


def test_csv_rows_shorter_or_longer_than_the_columns_are_written_as_they_are():
    assert written(['id', 'name'], [[['1', 'a', 'more'], ['2'], ['3', '=c']]], 'csv') == \
        "id,name\n1,a,more\n2\n3,'=c\n"


@pytest.mark.parametrize('control', ['\x00', '\x1b', '\x1f', '\x7f', '\t', '\\'])
def test_a_table_column_of_ascii_shows_its_controls_and_backslashes_escaped(control):
    # Columns of ASCII only (no other character to tell them from), in a page of one row and a page of two.
    pages = [[['1', 'ok']], [['2', 'a' + control + 'b'], ['3', 'plain']]]
    shown = {'\x00': '\\x00', '\x1b': '\\x1b', '\x1f': '\\x1f', '\x7f': '\\x7f', '\t': '\\t', '\\': '\\\\'}[control]
    name = 'a' + shown + 'b'
    width = max(len(name), len('plain'))
    expected = ['id  ' + 'name'.ljust(width), '--  ' + '-' * width, '1   ok', '2   ' + name, '3   plain']
    assert written(['id', 'name'], pages, 'table') == '\n'.join(line.rstrip() for line in expected) + '\n'


@pytest.mark.parametrize('output_format', ['csv', 'jsonl', 'table'])
def test_an_export_writes_what_its_pages_of_rows_give_at_once(capsys, sb, output_format):
    # One page of 250 members, written by the command however it batches the rows: the bytes of the page's rows
    # given to one writer at once.
    include = 'user,currently_entitled_tiers'
    selection = MEMBER_VIEW.select(None, include)
    with patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True) as api:
        pages = [[selection.values(member) for member in page.data()] for page in api.paginate_pages(
            api.get_campaigns_by_id_members, sb.campaign_id, page_size=1000, includes=selection.includes,
            fields=selection.fields)]
    assert [len(page) for page in pages] == [250]
    expected = written(selection.column_names, pages, output_format)
    code = main(['--base-url', sb.url, '--token=' + sb.creator_token, 'members', sb.campaign_id, '--format',
                 output_format, '--include', include, '--page-size', '1000', '--no-progress'], environ={})
    out, err = capsys.readouterr()
    assert (code, err) == (EXIT_OK, '')
    assert out == expected


def test_a_table_column_of_ascii_then_of_wide_characters_is_aligned_over_both():
    pages = [[['1', 'Ann']], [['2', 'Bo']], [['3', '\u5c71\u7530\u592a\u90ce']], [['4', 'Cy']]]
    assert written(['id', 'name'], pages, 'table') == (
        'id  name\n--  --------\n1   Ann\n2   Bo\n3   \u5c71\u7530\u592a\u90ce\n4   Cy\n')
    pages_of_two = [[['1', 'Ann'], ['2', 'Bo']], [['3', '\u5c71\u7530\u592a\u90ce'], ['4', 'Cy  ']]]
    assert written(['id', 'name', 'more'], [[row + ['x'] for row in page] for page in pages_of_two], 'table') == (
        'id  name      more\n--  --------  ----\n1   Ann       x\n2   Bo        x\n3   \u5c71\u7530\u592a\u90ce  x\n'
        '4   Cy        x\n')
