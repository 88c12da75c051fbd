# -*- coding: utf-8 -*-
"""``-o FILE``: an export written to a temporary file beside ``FILE``, renamed over it only once complete.

A failed or interrupted export leaves ``FILE`` as it was (absent, or the previous export), never a file that
looks complete; the temporary file is removed.  The file is created readable and writable by its owner only
(``0600``): an export holds patrons' names, emails and addresses.

An existing ``FILE`` that is not a regular file (a named pipe, ``/dev/stdout``, ``/dev/null``) is written to
directly: replaced by a regular file, its reader would get nothing (and a device node would be gone).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import os
import tempfile

from ._console import exception_text, printable
from ._exit_status import EXIT_OUTPUT, CommandFailed

__all__ = ['OutputFailed', 'OutputFile']


class OutputFailed(CommandFailed):
    """The output file cannot be created, written or renamed: exit status 9."""

    exit_status = EXIT_OUTPUT


class OutputFile(object):
    """A temporary file beside ``path`` (a text stream in UTF-8), renamed to ``path`` by :meth:`commit`.

    :param path: the file to write.
    :raises OutputFailed: the temporary file cannot be created (no such directory, no permission).
    :ivar stream: the text stream to write to.
    """

    def __init__(self, path):
        self.path = path
        directory, name = os.path.split(os.path.abspath(path))
        if os.path.isdir(path):
            raise OutputFailed('cannot write {}: it is a directory'.format(printable(path)))
        self.temporary_path = None
        #: Whether ``path`` is written directly (it exists and is no regular file: a pipe, a device).
        self.direct = os.path.exists(path) and not os.path.isfile(path)
        try:
            if self.direct:
                descriptor = os.open(path, os.O_WRONLY | getattr(os, 'O_BINARY', 0))  # never created here
            else:
                descriptor, self.temporary_path = tempfile.mkstemp(prefix='.{}.'.format(name), suffix='.part',
                                                                   dir=directory)
        except (IOError, OSError) as exc:
            raise OutputFailed('cannot write {}: {}'.format(printable(path), _reason(exc)))
        self._file = io.open(descriptor, 'w', encoding='utf-8', newline='')
        self.stream = _Guarded(self._file, path)
        self.committed = False

    def commit(self):
        """Flush the file to disk and rename it to :attr:`path`; :class:`OutputFailed` when that fails."""
        try:
            self._file.flush()
            if self.direct:
                self._file.close()  # a pipe or device: no fsync (EINVAL), nothing to rename
                self.committed = True
                return
            os.fsync(self._file.fileno())
            self._file.close()
            _replace(self.temporary_path, self.path)
        except (IOError, OSError) as exc:
            self.discard()
            raise OutputFailed('cannot write {}: {}'.format(printable(self.path), _reason(exc)))
        self.committed = True

    def discard(self):
        """Close and remove the temporary file, unless :meth:`commit` renamed it (then nothing to do)."""
        if self.committed:
            return
        try:
            self._file.close()
        except (IOError, OSError):
            pass  # what was not written is thrown away anyway
        if self.temporary_path is None:
            return  # written directly: what was written has reached its reader
        try:
            os.remove(self.temporary_path)
        except OSError:
            pass  # already gone


class _Guarded(object):
    """The text stream of the temporary file, whose write errors (disk full) are an :class:`OutputFailed`."""

    encoding = 'utf-8'

    def __init__(self, stream, path):
        self._stream = stream
        self._path = path

    def write(self, text):
        self._call(self._stream.write, text)

    def flush(self):
        self._call(self._stream.flush)

    def isatty(self):
        return False

    def _call(self, method, *args):
        try:
            method(*args)
        except (IOError, OSError) as exc:
            raise OutputFailed('cannot write {}: {}'.format(printable(self._path), _reason(exc)))


def _replace(source, destination):
    # os.replace (3.3+) overwrites on every system; os.rename does on POSIX, where Python 2 runs here.
    getattr(os, 'replace', os.rename)(source, destination)


def _reason(exc):
    return printable(getattr(exc, 'strerror', None) or exception_text(exc))
