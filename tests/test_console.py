# -*- coding: utf-8 -*-
"""patreon.cli._console: the writer that keeps names intact whatever the locale, progress lines, error text, escapes."""
from __future__ import absolute_import, division, print_function, unicode_literals

import io

import six

from patreon.cli import _console
from patreon.cli._console import ConsoleWriter, Progress, printable


def test_exception_text_of_undecodable_messages():
    if six.PY2:
        assert _console.exception_text(Exception(b'caf\xc3\xa9 \xff')) == 'caf\xe9 \ufffd'
    else:
        class Unprintable(Exception):
            def __str__(self):
                raise UnicodeEncodeError('ascii', '', 0, 1, 'no')
        assert _console.exception_text(Unprintable('x')).startswith('Unprintable(')


def test_console_writer_writes_utf8_under_an_ascii_text_layer():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding='ascii')
    writer = ConsoleWriter(stream)
    stream.write('first ')
    writer.line('Zo\xeb \U0001f3a7')
    writer.flush()
    assert raw.getvalue() == 'first Zo\xeb \U0001f3a7\n'.encode('utf-8')
    assert not writer.isatty()


def test_console_writer_flushes_each_line_under_a_line_buffered_layer():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(io.BufferedWriter(raw), encoding='ascii', line_buffering=True)
    ConsoleWriter(stream).line('caf\xe9')
    assert raw.getvalue() == 'caf\xe9\n'.encode('utf-8')


def test_console_writer_on_a_native_file(tmpdir):
    path = str(tmpdir.join('out.txt'))
    with open(path, 'w') as native:  # a Python 2 file takes bytes; a Python 3 one text
        ConsoleWriter(native).line('Chlo\xe9 \u5c71\u7530')
    with io.open(path, 'rb') as written:
        assert written.read() == 'Chlo\xe9 \u5c71\u7530\n'.encode('utf-8')


def test_console_writer_in_the_stream_encoding_replaces_what_it_lacks():
    raw = io.BytesIO()
    writer = ConsoleWriter(io.TextIOWrapper(raw, encoding='ascii'), encoding=None, errors='replace')
    assert not writer.can_encode('\u2713') and writer.can_encode('ok')
    writer.line('\u2713 Zo\xeb')
    writer.flush()
    assert raw.getvalue() == b'? Zo?\n'


def test_console_writer_text_streams_without_encoding():
    stream = io.StringIO()
    ConsoleWriter(stream).line('Zo\xeb')
    assert stream.getvalue() == 'Zo\xeb\n'


def test_is_terminal_of_streams_that_cannot_tell():
    class Closed(object):
        def isatty(self):
            raise ValueError('I/O operation on closed file')
    assert _console.is_terminal(Closed()) is False
    assert _console.is_terminal(object()) is False


def test_progress_on_a_terminal_rewrites_its_line():
    stream = io.StringIO()
    progress = Progress('members', ConsoleWriter(stream), overwrite=True)
    progress.update(1000, 20000)
    progress.update(2000, None)
    progress.finish()
    progress.finish()
    assert stream.getvalue() == '\rmembers: 1000 of 20000\rmembers: 2000 of ?\n'
    quiet = io.StringIO()
    disabled = Progress('members', ConsoleWriter(quiet), enabled=False)
    disabled.update(1, 2)
    disabled.finish()
    assert quiet.getvalue() == ''


def test_the_console_writer_replaces_lone_surrogates_and_keeps_astral_characters():
    raw = io.BytesIO()
    writer = ConsoleWriter(io.TextIOWrapper(raw, encoding='ascii'))
    writer.write('\ud800 \udcff \U0001f3a7')
    writer.flush()
    assert raw.getvalue().decode('utf-8') == '\ufffd \ufffd \U0001f3a7'


def test_printable():
    assert printable('Zo\xeb \u5c71 \\ plain') == 'Zo\xeb \u5c71 \\ plain'
    assert printable('\x1b[2J\x07\r\n\t\x7f\x9b\u202e\u2028') == '\\x1b[2J\\x07\\r\\n\\t\\x7f\\x9b\\u202e\\u2028'
    assert printable('a\\x1b', escape_backslash=True) == 'a\\\\x1b'


def test_is_broken_pipe():
    import errno
    assert _console.is_broken_pipe(IOError(errno.EPIPE, 'Broken pipe'))
    assert not _console.is_broken_pipe(IOError(errno.ENOSPC, 'No space left on device'))
    assert not _console.is_broken_pipe(ValueError('x'))
