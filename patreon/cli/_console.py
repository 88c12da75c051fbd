# -*- coding: utf-8 -*-
"""Console output shared by the command line and the demo: a writer in a chosen encoding, progress, error text."""
from __future__ import absolute_import, division, print_function, unicode_literals

import codecs
import errno
import re

import six

from .._credentials import LONE_SURROGATE

__all__ = ['ConsoleWriter', 'Progress', 'exception_text', 'is_broken_pipe', 'is_terminal', 'printable',
           'has_surrogate', 'without_lone_surrogates']

# What a terminal would act on or hide rather than show: C0 and C1 controls, DEL, format characters (bidi
# overrides, zero-width spaces), line and paragraph separators.
_INVISIBLE = re.compile('[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f'
                        '\ufeff\ufff9-\ufffb]')
_INVISIBLE_OR_BACKSLASH = re.compile('\\\\|' + _INVISIBLE.pattern)
_ANY_SURROGATE = re.compile('[\ud800-\udfff]')
# What no encoder takes: on Python 3 every surrogate code point, a high one followed by a low one included (a str
# holds code points, never UTF-16 pairs); on Python 2 a lone one (a pair is one character of a narrow build).
_UNENCODABLE_SURROGATE = _ANY_SURROGATE if six.PY3 else LONE_SURROGATE
# str.isascii (Python 3.7+): None where there is none, and the regular expressions decide.
_PLAIN_ASCII = getattr(six.text_type, 'isascii', None)
# str.isprintable (Python 3): None on Python 2, where the regular expressions decide.
_IS_PRINTABLE = getattr(six.text_type, 'isprintable', None)
_NAMED_ESCAPES = {'\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t'}


class ConsoleWriter(object):
    """Writes text to a stream in one chosen encoding, whatever the stream's own (2.7's bytes, 3.6's ``LANG=C``).

    :param stream: a text stream (``sys.stdout``), a Python 2 file, or a buffer.
    :param encoding: the encoding to write; ``None`` for the stream's (UTF-8 when it declares none).
    :param errors: what to do with characters the encoding lacks (``'strict'``, ``'replace'``).
    """

    def __init__(self, stream, encoding='utf-8', errors='strict'):
        self.stream = stream
        declared = getattr(stream, 'encoding', None)
        self.encoding = codecs.lookup(encoding or declared or 'utf-8').name
        self.errors = errors
        self._binary = None
        # Bytes written under a line-buffered text layer (stderr) must not wait for the exit to show.
        self._flush_lines = bool(getattr(stream, 'line_buffering', False))
        if six.PY2 and isinstance(stream, file):  # noqa: F821 (Python 2 only)
            self._binary = stream
        elif declared and codecs.lookup(declared).name != self.encoding:
            self._binary = getattr(stream, 'buffer', None)

    def can_encode(self, text):
        """Whether ``text`` survives this writer's encoding unchanged."""
        try:
            text.encode(self.encoding)
        except UnicodeError:
            return False
        return True

    def write(self, text, surrogate_free=False):
        """Write ``text``; :class:`IOError` from the stream (``EPIPE`` when the reader went away) goes through.

        :param surrogate_free: the caller vouches that ``text`` holds no surrogate that needs replacing (an
            export's page, its surrogates escaped already): it is not looked for again.
        """
        # A lone surrogate (an answer's "\\ud800" escape) has no valid encoding: U+FFFD, not a traceback (3.x) or
        # bytes that are not UTF-8 (2.7).
        if self._binary is None and self.encoding == 'utf-8' and type(text) is six.text_type \
                and (surrogate_free or not has_surrogate(text)):
            self.stream.write(text)  # what encoding it to UTF-8 and back would give: each line of an export
            return
        data = without_lone_surrogates(text).encode(self.encoding, self.errors)
        if self._binary is None:
            self.stream.write(data.decode(self.encoding))
        else:
            if self._binary is not self.stream:
                self.stream.flush()  # what went through the text layer comes first
            self._binary.write(data)
            if self._flush_lines and b'\n' in data:
                self._binary.flush()

    def line(self, text=''):
        """Write ``text`` and a newline."""
        self.write(text + '\n')

    def flush(self):
        self.stream.flush()
        if self._binary is not None and self._binary is not self.stream:
            self._binary.flush()

    def isatty(self):
        return is_terminal(self.stream)


def is_terminal(stream):
    """Whether ``stream`` is an interactive terminal (``False`` for anything that cannot tell)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, IOError, OSError):
        return False


class Progress(object):
    """Reports "members: 1000 of 20000" as pages arrive; on a terminal the line rewrites itself."""

    def __init__(self, label, console, enabled=True, overwrite=None, prefix=''):
        self.label = label
        self.console = console
        self.enabled = enabled
        self.overwrite = console.isatty() if overwrite is None else overwrite
        self.prefix = prefix
        self._pending_newline = False

    def update(self, done, total):
        """Report ``done`` of ``total`` (``None``: unknown, shown as ``?``)."""
        if not self.enabled:
            return
        text = '{}{}: {} of {}'.format(self.prefix, self.label, done, '?' if total is None else total)
        if self.overwrite:
            self.console.write('\r' + text)
            self._pending_newline = True
        else:
            self.console.line(text)
        self.console.flush()

    def finish(self):
        """End a rewriting line with a newline (once)."""
        if self._pending_newline:
            self.console.line()
            self._pending_newline = False


def exception_text(exc):
    """``str(exc)`` as text, on Python 2 too (where it may be bytes, or fail on non-ASCII)."""
    try:
        return six.text_type(exc)
    except UnicodeError:
        return bytes(exc).decode('utf-8', 'replace') if six.PY2 else repr(exc)


def is_broken_pipe(exc):
    """Whether ``exc`` says the reader of a pipe went away (``EPIPE``: ``| head`` read what it wanted)."""
    return isinstance(exc, (IOError, OSError)) and getattr(exc, 'errno', None) == errno.EPIPE


def has_surrogate(text):
    """Whether ``text`` holds a surrogate code point, lone or paired (ASCII text is known at once on 3.7+)."""
    if _PLAIN_ASCII is not None and _PLAIN_ASCII(text):
        return False
    if six.PY3:
        # A Python 3 str refuses UTF-32 for its surrogates and nothing else: checked in C, many times faster than
        # the pattern, on an export's page of text.
        try:
            text.encode('utf-32-le')
        except UnicodeEncodeError:
            return True
        return False
    return _ANY_SURROGATE.search(text) is not None


def without_lone_surrogates(text, replace=lambda match: '\ufffd'):
    """``text`` with each lone surrogate replaced by ``replace(match)`` (U+FFFD by default); on Python 3 a
    surrogate followed by its pair is no character either, and is replaced too.
    """
    if not has_surrogate(text):  # far faster than the pattern with lookarounds
        return text
    return _UNENCODABLE_SURROGATE.sub(replace, text)


def printable(text, escape_backslash=False):
    """``text`` with control and invisible format characters escaped, so it cannot drive a terminal or forge lines.

    ``escape_backslash`` doubles backslashes too, so that an escape shown is never the text's own.
    """
    if _IS_PRINTABLE is not None and _IS_PRINTABLE(text):
        # Every character escaped below is one str.isprintable() refuses: only a backslash may be left to escape.
        return text.replace('\\', '\\\\') if escape_backslash else text

    def escape(match):
        character = match.group(0)
        if character in _NAMED_ESCAPES:
            return _NAMED_ESCAPES[character]
        code = ord(character)
        return '\\x{:02x}'.format(code) if code < 0x100 else '\\u{:04x}'.format(code)
    return (_INVISIBLE_OR_BACKSLASH if escape_backslash else _INVISIBLE).sub(escape, text)
