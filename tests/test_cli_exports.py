# -*- coding: utf-8 -*-
"""Exports that are safe to open: CSV cells that are no formula, tables that show control characters, ``-o FILE``
written whole or not at all, and a listing cut short that says so."""
from __future__ import absolute_import, division, print_function, unicode_literals

import csv
import errno
import io
import json
import os
import select
import signal
import stat
import subprocess
import sys
import threading

import pytest
import six

from patreon.cli import EXIT_OK, EXIT_OUTPUT, EXIT_SERVER, EXIT_USAGE, main
from patreon.cli._formats import csv_cell, display_width, visible, write_records
from patreon.cli._output_file import OutputFailed, OutputFile
from patreon.cli._console import ConsoleWriter
from patreon.sandbox import Sandbox

from canned import CannedServer
from loopback import ScriptedServer

TOKEN = 'export-test-token-0123456789'
JSON_API = {'Content-Type': 'application/vnd.api+json'}
HTML = {'Content-Type': 'text/html; charset=utf-8'}

#: Names a patron may choose, and what a spreadsheet makes of them.
FORMULAS = ['=HYPERLINK("http://example.invalid","x")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tTab', '\rCR',
            '\uff1d1+1']
PLAIN = ['Zo\xeb', '-5', '+42', '3.5', 'a=b', 'name-with-dash', '']


def members_page(names, total=None, next_cursor=None):
    """A members page of ``names`` (ids from 1), as Patreon sends it."""
    start = members_page.next_id
    members_page.next_id += len(names)
    data = [{'type': 'member', 'id': str(start + index), 'attributes': {'full_name': name}}
            for index, name in enumerate(names)]
    document = {'data': data, 'meta': {'pagination': {'cursors': {'next': next_cursor},
                                                      'total': len(names) if total is None else total}}}
    return 200, JSON_API, json.dumps(document).encode('utf-8')


members_page.next_id = 1


def run(capsys, server, *args):
    members_page.next_id = 1
    progress = [] if '--progress' in args else ['--no-progress']
    code = main(['--base-url', server.url, '--token=' + TOKEN, '--retries', '0', 'members', '1',
                 '--fields', 'full_name'] + progress + list(args), environ={})
    out, err = capsys.readouterr()
    return code, out, err


def parse_csv(text):
    if six.PY2:
        return [[cell.decode('utf-8') for cell in row] for row in csv.reader(io.BytesIO(text.encode('utf-8')))]
    return list(csv.reader(io.StringIO(text, newline='')))


def served(*answers):
    members_page.next_id = 1
    return CannedServer(list(answers))


# --- CSV: no formula runs when a creator opens the export ---------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_get_a_leading_quote(capsys):
    with served(members_page(FORMULAS + PLAIN)) as server:
        code, out, err = run(capsys, server, '--format', 'csv')
    assert (code, err) == (EXIT_OK, '')
    names = [row[1] for row in parse_csv(out)[1:]]
    assert names == ["'" + name for name in FORMULAS] + PLAIN


def test_raw_csv_writes_the_cells_exactly(capsys):
    with served(members_page(FORMULAS + PLAIN)) as server:
        code, out, err = run(capsys, server, '--format', 'csv', '--raw-csv')
    assert (code, err) == (EXIT_OK, '')
    assert [row[1] for row in parse_csv(out)[1:]] == FORMULAS + PLAIN


def test_csv_cell():
    assert csv_cell('=1+1') == "'=1+1" and csv_cell('=1+1', raw=True) == '=1+1'
    assert csv_cell('-1.5') == '-1.5' and csv_cell('-1.5e3') == "'-1.5e3"
    assert csv_cell("'quoted") == "'quoted"


def test_jsonl_is_exact(capsys):
    names = FORMULAS + PLAIN + ['\x1b]0;pwned\x07', 'line\nbreak', '\u202eevil']
    with served(members_page(names)) as server:
        code, out, err = run(capsys, server, '--format', 'jsonl')
    assert (code, err) == (EXIT_OK, '')
    assert [json.loads(line)['full_name'] for line in out.splitlines()] == names
    assert '\x1b' not in out and '\x07' not in out


@pytest.mark.parametrize('number', ['NaN', 'Infinity', '-Infinity'])
def test_a_number_json_cannot_carry_ends_a_jsonl_export_with_one_line_not_an_invalid_line(capsys, number):
    # Python's json reads NaN and Infinity; written back, no strict JSON reader would take the line.
    page = members_page(['Ann'])
    body = page[2].replace(b'"full_name": "Ann"', '"full_name": "Ann", "lifetime_support_cents": {}'.format(
        number).encode('ascii'))
    with served((200, JSON_API, body)) as server:
        code, out, err = run(capsys, server, '--format', 'jsonl', '--fields', 'full_name,lifetime_support_cents')
    assert code == EXIT_SERVER and out == ''
    assert len(err.splitlines()) == 1 and 'NaN or Infinity' in err


# --- Table: control characters shown, columns aligned ----------------------------------------------------------

HOSTILE = ['\x1b]0;retitled\x07Eve', 'Mallory\x1b[2J', 'Bob\rAlice  100', 'Trudy\nforged row',
           '\u202eevil', 'back\\slash', 'del\x7f', 'c1\x9b31m']


def test_the_table_shows_control_characters_escaped(capsys):
    with served(members_page(HOSTILE)) as server:
        code, out, err = run(capsys, server, '--format', 'table')
    assert (code, err) == (EXIT_OK, '')
    for character in '\x1b\x07\r\x7f\x9b\u202e':
        assert character not in out
    lines = out.splitlines()
    assert len(lines) == 2 + len(HOSTILE)  # no row forged by a line break
    for shown in ('\\x1b]0;retitled\\x07Eve', 'Mallory\\x1b[2J', 'Bob\\rAlice  100', 'Trudy\\nforged row',
                  '\\u202eevil', 'back\\\\slash', 'del\\x7f', 'c1\\x9b31m'):
        assert shown in out


def test_visible():
    assert visible('plain Zo\xeb \u5c71') == 'plain Zo\xeb \u5c71'
    assert visible('a\tb\x00\u2028') == 'a\\tb\\x00\\u2028'


def test_the_table_aligns_wide_and_combining_characters():
    names = ['\u5c71\u7530\u592a\u90ce',      # four wide characters: 8 columns
             'Zoe\u0301 Mu\u0308ller',         # combining marks take none: 10 columns
             'x\u200by',                       # a zero-width space, shown escaped
             'plain']
    records = [{'id': str(number), 'name': name, 'tier': 'T'} for number, name in enumerate(names)]
    stream = io.StringIO()
    write_records(records, ['id', 'name', 'tier'], 'table', ConsoleWriter(stream))
    lines = stream.getvalue().splitlines()
    assert lines[0] == 'id  name        tier' and lines[1] == '--  ----------  ----'
    for line in lines[2:]:
        assert line.endswith('  T') and display_width(line) == display_width(lines[0]) - 3


# --- -o FILE: whole or not at all ---------------------------------------------------------------------------------


def test_output_file_is_written_whole_and_private(capsys, tmpdir):
    path = str(tmpdir.join('members.csv'))
    with served(members_page(['Ann', '=bad'], total=4, next_cursor='c2'), members_page(['Cy', 'Di'], total=4)) as s:
        code, out, err = run(capsys, s, '-o', path)
    assert (code, out, err) == (EXIT_OK, '', '')
    with io.open(path, encoding='utf-8', newline='') as written:
        rows = parse_csv(written.read())
    assert rows == [['id', 'full_name'], ['1', 'Ann'], ['2', "'=bad"], ['3', 'Cy'], ['4', 'Di']]  # csv by its name
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # names, emails, addresses: for its owner only
    assert os.listdir(str(tmpdir)) == ['members.csv']


def test_a_failed_export_leaves_the_previous_file_and_no_temporary_file(capsys, tmpdir):
    path = tmpdir.join('members.jsonl')
    path.write('the previous export\n')
    with served(members_page(['Ann', 'Bo'], total=4, next_cursor='c2'), (502, HTML, b'<html>Bad gateway</html>')) as s:
        code, out, err = run(capsys, s, '-o', str(path))
    assert code == EXIT_SERVER and out == '' and err.count('\n') == 1
    assert 'written' not in err  # nothing was: the file is as it was
    assert path.read() == 'the previous export\n'
    assert os.listdir(str(tmpdir)) == ['members.jsonl']


def test_an_export_that_fails_before_any_page_creates_no_file(capsys, tmpdir):
    path = tmpdir.join('new.csv')
    with served((502, HTML, b'<html>Bad gateway</html>')) as server:
        code, _, _ = run(capsys, server, '-o', str(path))
    assert code == EXIT_SERVER and os.listdir(str(tmpdir)) == []


@pytest.mark.parametrize('where', ['missing-directory/members.csv', '.'])
def test_an_output_that_cannot_be_created_is_one_line_and_exit_9(capsys, tmpdir, where):
    with served(members_page(['Ann'])) as server:
        code, out, err = run(capsys, server, '-o', str(tmpdir.join(where)))
    assert code == EXIT_OUTPUT and out == ''
    assert err.startswith('patreon: error: cannot write ') and err.count('\n') == 1


def test_a_write_error_on_the_output_file_is_output_failed(tmpdir):
    output = OutputFile(str(tmpdir.join('full.csv')))

    class Full(object):
        def write(self, text):
            raise IOError(errno.ENOSPC, 'No space left on device')
    output._file, real = Full(), output._file
    output.stream._stream = output._file
    with pytest.raises(OutputFailed) as caught:
        ConsoleWriter(output.stream).line('id')
    assert 'No space left on device' in str(caught.value) and caught.value.exit_status == EXIT_OUTPUT
    output._file = real
    output.discard()
    assert os.listdir(str(tmpdir)) == []


# --- Standard output: no header before the first page, and a count when cut short ------------------------------


def test_a_listing_failing_on_its_first_page_writes_no_header(capsys):
    with served((502, HTML, b'<html>Bad gateway</html>')) as server:
        code, out, err = run(capsys, server, '--format', 'csv')
    assert code == EXIT_SERVER and out == ''


def test_a_listing_failing_after_some_rows_says_how_many_of_how_many(capsys):
    with served(members_page(['Ann', 'Bo'], total=5, next_cursor='c2'), (502, HTML, b'<html>Bad</html>')) as s:
        code, out, err = run(capsys, s, '--format', 'csv')
    assert code == EXIT_SERVER
    assert parse_csv(out) == [['id', 'full_name'], ['1', 'Ann'], ['2', 'Bo']]
    assert err.startswith('patreon: error: ') and err.count('\n') == 1
    assert err.rstrip('\n').endswith('; 2 of 5 members were written')


def test_an_empty_listing_still_has_its_header(capsys):
    with served(members_page([])) as server:
        code, out, err = run(capsys, server, '--format', 'csv')
    assert (code, out, err) == (EXIT_OK, 'id,full_name\n', '')


def test_usage_errors_create_no_file(capsys, tmpdir):
    with served(members_page(['Ann'])) as server:
        code, _, _ = run(capsys, server, '-o', str(tmpdir.join('x.csv')), '--fields', 'no_such_field')
    assert code == EXIT_USAGE and os.listdir(str(tmpdir)) == []


# --- A reader that goes away (`| head`) ---------------------------------------------------------------------------


def test_a_listing_piped_to_a_reader_that_goes_away_ends_quietly(tmpdir):
    # More than a pipe holds, so that the command is still writing when the reader closes its end.
    with Sandbox(members=1500, seed=2) as sandbox:
        environ = dict(os.environ, PATREON_ACCESS_TOKEN=sandbox.creator_token)
        process = subprocess.Popen([sys.executable, '-m', 'patreon', '--base-url', sandbox.url, 'members',
                                    sandbox.campaign_id, '--format', 'jsonl', '--no-progress'], cwd=str(tmpdir),
                                   env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = process.stdout.readline()
        process.stdout.close()  # what `head -1` does once it has its line
        err = process.stderr.read()
        process.stderr.close()
        assert process.wait() == EXIT_OK
    assert json.loads(first.decode('utf-8'))['id'] and err == b''


class ClosedPipe(object):
    encoding = 'utf-8'

    def write(self, text):
        raise IOError(errno.EPIPE, 'Broken pipe')

    def flush(self):
        pass

    def fileno(self):
        raise io.UnsupportedOperation('fileno')


@pytest.mark.parametrize('args', [['--help'], ['--version'], ['members', '--help']])
def test_help_and_version_to_a_closed_pipe_end_quietly(capsys, monkeypatch, args):
    monkeypatch.setattr(sys, 'stdout', ClosedPipe())
    assert main(args, environ={}) == EXIT_OK
    assert capsys.readouterr()[1] == ''


def test_what_patreon_says_reaches_stderr_with_control_characters_escaped(capsys):
    body = json.dumps({'errors': [{'status': '400', 'code_name': 'ParameterInvalid',
                                   'detail': 'bad\x1b[2J\x1b]0;title\x07\nsecond line'}]}).encode('utf-8')
    with served((400, JSON_API, body)) as server:
        code, out, err = run(capsys, server)
    assert code == 1 and out == '' and err.count('\n') == 1
    assert '\x1b' not in err and '\x07' not in err and 'bad\\x1b[2J\\x1b]0;title\\x07\\nsecond line' in err


def test_a_total_that_is_no_number_is_shown_as_unknown(capsys):
    status, headers, body = members_page(['Ann'], total='\x1b[2J')
    with served((status, headers, body)) as server:
        code, out, err = run(capsys, server, '--progress')
    assert code == EXIT_OK and err == 'members: 1 of ?\n'


def test_ctrl_c_during_an_export_to_a_file_leaves_nothing(capsys, tmpdir, monkeypatch):
    from patreon.cli import _api_commands

    def interrupted(context):
        context.stdout.line('{"id": "1"}')
        raise KeyboardInterrupt
    monkeypatch.setattr(_api_commands, 'command_identity', interrupted)
    code = main(['--token=' + TOKEN, 'identity', '-o', str(tmpdir.join('me.jsonl'))], environ={})
    assert (code, capsys.readouterr()[1]) == (130, 'patreon: interrupted\n')
    assert os.listdir(str(tmpdir)) == []


def test_dash_is_standard_output(capsys, tmpdir, monkeypatch):
    monkeypatch.chdir(str(tmpdir))
    with served(members_page(['Ann'])) as server:
        code, out, err = run(capsys, server, '-o', '-', '--format', 'csv')
    assert (code, out, err) == (EXIT_OK, 'id,full_name\n1,Ann\n', '')
    assert os.listdir(str(tmpdir)) == []


def test_a_field_or_include_given_twice_is_one_column(capsys):
    with served(members_page(['Ann'])) as server:
        code, out, err = run(capsys, server, '--format', 'csv', '--fields', 'full_name,full_name,id')
    assert (code, out, err) == (EXIT_OK, 'id,full_name\n1,Ann\n', '')


# --- Stop signals and outputs that are not regular files -----------------------------------------------------------


def held(arrived):
    """A script that sets ``arrived`` once the request is in, then answers nothing until the client hangs up."""
    def script(connection):
        arrived.set()
        # Bounded by a client that never hangs up; the command is stopped long before.
        readable, _, _ = select.select([connection], [], [], 60)
        return 'hung up' if readable else 'gave up'
    return script


def ignoring(name):
    """What a child runs before the command to inherit ``name`` ignored (a shell's `&` does it to SIGINT)."""
    return lambda: signal.signal(getattr(signal, name), signal.SIG_IGN)


def defaulting(name):
    """What a child runs before the command to inherit ``name`` at its default, however the suite was started (a
    suite run in the background of a non-interactive shell has SIGINT and SIGQUIT ignored, and passes that on)."""
    return lambda: signal.signal(getattr(signal, name), signal.SIG_DFL)


@pytest.mark.skipif(not hasattr(signal, 'SIGHUP'), reason='POSIX signals')
@pytest.mark.parametrize('name, inherited', [('SIGTERM', None), ('SIGHUP', None), ('SIGINT', None),
                                             ('SIGQUIT', None), ('SIGUSR1', None), ('SIGALRM', None),
                                             ('SIGINT', 'ignored'), ('SIGTERM', 'ignored'), ('SIGHUP', 'ignored')])
def test_a_stop_signal_during_an_export_to_a_file_leaves_no_temporary_file(tmpdir, name, inherited):
    # SIGINT and SIGTERM stop the export even inherited ignored; another inherited ignored (nohup's SIGHUP) stays
    # ignored, and the SIGTERM sent after it is what stops the export.
    stopped_by = 'SIGTERM' if inherited and name not in ('SIGINT', 'SIGTERM') else name
    arrived = threading.Event()
    with ScriptedServer([held(arrived)]) as server:
        process = subprocess.Popen(
            [sys.executable, '-m', 'patreon', '--base-url', server.url, '--token=' + TOKEN, 'members', '1',
             '--no-progress', '-o', 'members.csv'], cwd=str(tmpdir), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, preexec_fn=ignoring(name) if inherited else defaulting(name))
        try:
            assert arrived.wait(30), 'the export never asked for its first page'
            assert [entry for entry in os.listdir(str(tmpdir)) if entry.endswith('.part')]  # created before
            process.send_signal(getattr(signal, name))
            if stopped_by != name:
                process.send_signal(signal.SIGTERM)
            out, err = process.communicate()
        finally:
            if process.poll() is None:  # pragma: no cover - only when an assertion above failed
                process.kill()
                process.wait()
    assert os.listdir(str(tmpdir)) == []
    assert (process.returncode, err.decode('utf-8')) == (130, 'patreon: interrupted by {}\n'.format(stopped_by))


def read_from_a_named_pipe(tmpdir):
    """A named pipe in ``tmpdir``, and a thread reading it whole into the list returned (once a writer is done)."""
    fifo = str(tmpdir.join('members.fifo'))
    os.mkfifo(fifo)
    received = []

    def read():
        with io.open(fifo, 'rb') as pipe:  # closed here: 3.15 warns of a reader left to the collector
            received.append(pipe.read())

    reader = threading.Thread(target=read)
    reader.daemon = True
    reader.start()
    return fifo, reader, received


@pytest.mark.skipif(not hasattr(os, 'mkfifo'), reason='named pipes')
def test_an_export_to_a_named_pipe_reaches_its_reader(capsys, tmpdir):
    fifo, reader, received = read_from_a_named_pipe(tmpdir)
    with served(members_page(['Ann', 'Bo'])) as server:
        code, out, err = run(capsys, server, '--format', 'jsonl', '-o', fifo)
    reader.join(30)
    assert (code, err) == (EXIT_OK, '')
    assert [json.loads(line)['full_name'] for line in received[0].decode('utf-8').splitlines()] == ['Ann', 'Bo']
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and sorted(os.listdir(str(tmpdir))) == ['members.fifo']


def test_an_export_to_dev_stdout_writes_the_rows_there(tmpdir):
    if not os.path.exists('/dev/stdout'):
        pytest.skip('no /dev/stdout')
    # Through a link of the test's own: an export that replaced what it names replaces the link, never /dev's.
    os.symlink('/dev/stdout', str(tmpdir.join('stdout')))
    with served(members_page(['Ann'])) as server:
        process = subprocess.Popen(
            [sys.executable, '-m', 'patreon', '--base-url', server.url, '--token=' + TOKEN, '--retries', '0',
             'members', '1', '--fields', 'full_name', '--no-progress', '--format', 'jsonl', '-o', 'stdout'],
            cwd=str(tmpdir), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate()
    assert (process.returncode, err) == (EXIT_OK, b'')
    assert json.loads(out.decode('utf-8'))['full_name'] == 'Ann'


@pytest.mark.skipif(not hasattr(os, 'mkfifo'), reason='named pipes')
def test_a_failed_export_to_a_named_pipe_says_how_many_rows_its_reader_got(capsys, tmpdir):
    fifo, reader, received = read_from_a_named_pipe(tmpdir)
    first = members_page(['Ann', 'Bo'], total=3, next_cursor='c2')
    with served(first, (503, JSON_API, b'{}')) as server:
        code, out, err = run(capsys, server, '--format', 'jsonl', '-o', fifo)
    reader.join(30)
    assert code == EXIT_SERVER and err.rstrip('\n').endswith('; 2 of 3 members were written')
    assert len(received[0].decode('utf-8').splitlines()) == 2
    assert sorted(os.listdir(str(tmpdir))) == ['members.fifo']


def test_stop_on_signals_raises_restores_the_handlers_and_leaves_a_programs_own_handler_alone():
    if not hasattr(signal, 'SIGUSR1') or not hasattr(signal, 'SIGUSR2'):
        pytest.skip('POSIX signals')
    from patreon.cli._signals import Stopped, stop_on_signals

    seen = []
    own = signal.signal(signal.SIGUSR2, lambda number, frame: seen.append(number))  # a program's own handler
    before = signal.getsignal(signal.SIGUSR1)
    try:
        with pytest.raises(Stopped) as raised:
            with stop_on_signals():
                os.kill(os.getpid(), signal.SIGUSR2)  # the program's handler runs, nothing is raised
                os.kill(os.getpid(), signal.SIGUSR1)
                for _ in range(1000):  # a handler runs between bytecodes, at the latest here
                    pass
        assert raised.value.signal_name == 'SIGUSR1' and isinstance(raised.value, KeyboardInterrupt)
        assert seen == [signal.SIGUSR2]
        assert signal.getsignal(signal.SIGUSR1) == before
    finally:
        signal.signal(signal.SIGUSR2, own)
