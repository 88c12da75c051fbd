"""Token stores: where a client keeps its tokens, so that one refresh serves every thread and process.

A :class:`TokenStore` is ``load()``, ``save(tokens)`` and ``lock()`` (held across processes while one refreshes);
docs/tokens.md says which store to choose and how to write one over your database.
"""
from __future__ import unicode_literals

import contextlib
import errno
import hashlib
import io
import json
import logging
import os
import tempfile
import threading

import six

from . import _forks
from ._credentials import checked_tokens
from .exceptions import InvalidArgument, TokenStoreError

__all__ = ['TokenStore', 'MemoryTokenStore', 'FileTokenStore', 'REFUSED_KEY', 'digest']

_logger = logging.getLogger(__name__)

#: The key under which a store remembers (as a SHA-256 digest) the refresh token Patreon refused.
REFUSED_KEY = 'refused_refresh_token_sha256'


class TokenStore(object):
    """The interface of a token store: ``load()``, ``save(tokens)`` and ``lock()``.

    ``tokens`` is a dict as :meth:`patreon.OAuth.get_tokens` returns it
    (``access_token``, ``refresh_token``, ``expires_at``, ...), JSON-able.  A
    store never puts a token in its repr, its log lines or a pickle.
    """

    def load(self):
        """The token dict last saved, or ``None`` when there is none."""
        raise NotImplementedError

    def save(self, tokens):
        """Replace the stored token dict with ``tokens``."""
        raise NotImplementedError

    def lock(self):
        """A context manager that excludes every other holder, in every process that uses the store.

        The client holds it around a refresh (reload, token request, save); it
        must be re-entrant in one thread (``save`` may take it again).
        """
        raise NotImplementedError

    def __repr__(self):
        return '<{}>'.format(type(self).__name__)


class MemoryTokenStore(TokenStore):
    """Tokens in memory, for the threads of one process.

    :param tokens: the token dict to start with, or ``None``.
    """

    def __init__(self, tokens=None):
        self._lock = threading.RLock()
        self._tokens = None
        if tokens is not None:
            self.save(tokens)
        _forks.track(self)

    def _after_fork(self):
        self._lock = threading.RLock()  # one a vanished thread of the parent held would never be released

    def load(self):
        with self._lock:
            return None if self._tokens is None else dict(self._tokens)

    def save(self, tokens):
        tokens = checked_tokens(tokens, 'MemoryTokenStore.save')
        with self._lock:
            self._tokens = dict(tokens)

    def lock(self):
        _forks.check()
        return self._lock

    def __reduce__(self):
        raise TypeError('a MemoryTokenStore holds tokens and is never pickled')


class FileTokenStore(TokenStore):
    """Tokens in a JSON file, for the processes of one machine.

    A save is atomic and durable (a new file, synced, renamed over the old), mode ``0600``; :meth:`lock` holds an
    OS lock on ``path + '.lock'`` and a thread lock.

    :param path: the file (its directory must exist).
    :raises patreon.exceptions.TokenStoreError: from :meth:`load`, when the
        file holds something that is not a token dict.  :meth:`save` raises
        the ``OSError`` of a disk that is full or a directory it may not
        write; a client that refreshed keeps the new tokens, and its call
        raises ``TokenStoreError`` instead.

    Usage::

        store = FileTokenStore('/var/lib/myapp/patreon-tokens.json')
        with store.lock():
            tokens = store.load()
    """

    def __init__(self, path):
        if not isinstance(path, six.string_types):
            raise InvalidArgument('FileTokenStore needs a file path, not {}'.format(type(path).__name__))
        self.path = os.path.abspath(path)
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._lock_file = None
        _forks.track(self)

    def _after_fork(self):
        # Held by a thread of the parent at the fork: the child takes the lock afresh, on a file of its own. Closing
        # the inherited descriptor never releases the parent's flock (it lives while the parent's stays open).
        self._thread_lock = threading.RLock()
        self._depth = 0
        if self._lock_file is not None:
            try:
                os.close(self._lock_file)
            except OSError:
                pass
            self._lock_file = None

    def __repr__(self):
        return '<patreon.tokens.FileTokenStore path={!r}>'.format(self.path)

    def __reduce__(self):
        return type(self), (self.path,)  # the path only: the tokens stay in the file

    def load(self):
        try:
            with io.open(self.path, 'rb') as handle:
                raw = handle.read()
        except (IOError, OSError) as exc:
            if exc.errno == errno.ENOENT:
                return None
            raise
        try:
            tokens = json.loads(raw.decode('utf-8'))
        except (ValueError, RuntimeError):  # RuntimeError: nested too deep to decode
            raise TokenStoreError('{} does not hold a token dict (not JSON)'.format(self.path))
        return checked_tokens(tokens, self.path, TokenStoreError)

    def save(self, tokens):
        data = json.dumps(checked_tokens(tokens, 'FileTokenStore.save'), sort_keys=True).encode('utf-8')
        with self.lock():
            directory = os.path.dirname(self.path)
            handle, temporary = tempfile.mkstemp(prefix='.patreon-tokens-', dir=directory)  # mode 0600
            try:
                with os.fdopen(handle, 'wb') as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                _replace(temporary, self.path)
            except BaseException:
                _remove(temporary)
                raise
            _sync_directory(directory)  # the rename itself reaches the disk: a crash now keeps the new token

    @contextlib.contextmanager
    def lock(self):
        _forks.check()
        with self._thread_lock:
            if self._depth == 0:
                self._lock_file = _open_private(self.path + '.lock')
                try:
                    _lock_file(self._lock_file)
                except BaseException:
                    os.close(self._lock_file)
                    raise
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    try:
                        _unlock_file(self._lock_file)
                    finally:
                        os.close(self._lock_file)
                        self._lock_file = None


def digest(token):
    """The SHA-256 hex digest of a token: how a store remembers a token without keeping it."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def _open_private(path):
    return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, 'O_BINARY', 0), 0o600)


def _replace(source, target):
    if hasattr(os, 'replace'):
        os.replace(source, target)
    elif os.name != 'nt':
        os.rename(source, target)  # atomic on POSIX
    else:  # pragma: no cover - Python 2 on Windows cannot rename over a file; the lock keeps writers out
        _remove(target)
        os.rename(source, target)


def _sync_directory(directory):
    """``fsync`` a directory, so that a rename in it survives a crash (POSIX; Windows has no such call)."""
    if os.name == 'nt':  # pragma: no cover - exercised on Windows only
        return
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


if os.name == 'nt':  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_file(fd):
        os.lseek(fd, 0, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # tries for about 10 s, then raises: try again
                return
            except (IOError, OSError) as exc:
                if exc.errno not in (errno.EDEADLK, errno.EACCES):
                    raise

    def _unlock_file(fd):
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock_file(fd):
        fcntl.flock(fd, fcntl.LOCK_EX)  # flock, not lockf: it excludes the other open files of this process too

    def _unlock_file(fd):
        fcntl.flock(fd, fcntl.LOCK_UN)
