"""One SQLite file shared by every process of one machine: tokens, the pacer and the 4xx budget.

The default for a prefork server (gunicorn, uWSGI, Celery); standard library only.  A dead process's refresh lock
is freed by the OS at once, its request in flight counts until ``slot_lease`` ends (docs/tokens.md).
"""
from __future__ import absolute_import, unicode_literals

import os
import sqlite3
import threading
import time
import uuid
import weakref

import six

from .. import _forks
from ..exceptions import InvalidArgument, TokenStoreError
from .._policy import checked_rate
from ..pacing import BUDGET_WINDOW, RequestBudget
from ..tokens import FileTokenStore, digest
from ._common import DEFAULT_SLOT_LEASE, SharedTokenStore, TicketPacer, checked_lease, decoded

__all__ = ['SQLiteStore']

_SCHEMA = (
    'CREATE TABLE IF NOT EXISTS tokens (name TEXT PRIMARY KEY, data TEXT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS slots (ticket TEXT PRIMARY KEY, pacer TEXT NOT NULL, ended REAL, lease REAL)',
    'CREATE INDEX IF NOT EXISTS slots_by_pacer ON slots (pacer)',
    'CREATE TABLE IF NOT EXISTS fourxx (log TEXT NOT NULL, at REAL NOT NULL)',
    'CREATE INDEX IF NOT EXISTS fourxx_by_log ON fourxx (log, at)',
)
# Seconds a connection waits for another process's write to end before it is an error.
_BUSY_TIMEOUT = 30.0
# Weak references to the stores, whose callbacks close a dropped store's connection.
_WATCHED = set()


class SQLiteStore(SharedTokenStore):
    """Tokens, pace and 4xx budget in one SQLite file, for every process of one machine.

    :param path: the database file (created ``0600``; its directory must
        exist); a local disk, not a network share, whose locks SQLite cannot trust.
    :param name: which token set of the file this store holds (one per user
        of a multi-user app, e.g. the user's id); pace and budget are shared by all.
    :param slot_lease: seconds a request in flight stays counted when its
        process dies before its answer.
    :raises patreon.exceptions.InvalidArgument: a path or name that is not a string.
    :raises patreon.exceptions.TokenStoreError: (from any method) the file
        cannot be opened or written, or holds something that is not a token dict.

    Usage::

        store = SQLiteStore('/var/lib/myapp/patreon.sqlite', name=str(user.id))
        api = patreon.API(None, refresh=patreon.RefreshPolicy(oauth), token_store=store)
    """

    def __init__(self, path, name='default', slot_lease=DEFAULT_SLOT_LEASE):
        if not isinstance(path, six.string_types):
            raise InvalidArgument('SQLiteStore needs a file path, not {}'.format(type(path).__name__))
        super(SQLiteStore, self).__init__(name)
        self.path = os.path.abspath(path)
        self.slot_lease = checked_lease(slot_lease, 'slot_lease')
        # The refresh lock: an OS lock on a file of its own, so that a long refresh blocks no pacer write.
        self._file_lock = FileTokenStore('{}.{}'.format(self.path, digest(self.name)[:16]))
        # One connection per process, which its threads take in turn: one a thread opened would outlive it unclosed.
        # Reentrant, so that run() inside run() fails as a nested transaction instead of waiting on itself.
        self._connection_lock = threading.RLock()
        self._open = _Connection()
        _close_when_dropped(self, self._open)
        _forks.track(self)

    def _after_fork(self):
        self._connection_lock = threading.RLock()  # a thread of the parent may have held it
        self._open.close()  # the parent's connection: never used here (see _Connection)

    def close(self):
        """Close this process's connection to the file; the next use of the store opens another."""
        _forks.check()
        with self._connection_lock:
            self._open.close()

    def __repr__(self):
        return '<patreon.stores.sqlite.SQLiteStore path={!r}>'.format(self.path)

    def shared_pacer(self, base_url, owner, rate):
        """The pacer of ``owner`` (an OAuth client id or token, kept as a digest) at ``base_url``, in this file."""
        requests, seconds = checked_rate(rate)
        return _SQLitePacer(self, '{} {} {} {:g}'.format(base_url, digest(owner), requests, seconds), requests,
                            seconds)

    def shared_budget(self, base_url, limit):
        """A :class:`patreon.pacing.RequestBudget` of ``limit`` over the 4xx answers of ``base_url`` in this file."""
        return RequestBudget(limit, log=_SQLiteLog(self, base_url))

    # The backend -------------------------------------------------------------------------------------------------

    def _place(self):
        return self.path

    def _read(self):
        row = self.run(lambda db: db.execute('SELECT data FROM tokens WHERE name = ?', (self.name,)).fetchone())
        return None if row is None else decoded(row[0], repr(self))

    def _write(self, data):
        self.run(lambda db: db.execute('INSERT OR REPLACE INTO tokens (name, data) VALUES (?, ?)', (self.name, data)),
                 write=True)

    def _hold(self):
        return self._file_lock.lock()

    def run(self, work, write=False):
        """``work(connection)`` in one transaction (``BEGIN IMMEDIATE`` to write); TokenStoreError for sqlite3's."""
        _forks.check()
        try:
            with self._connection_lock:
                db = self._connection()
                db.execute('BEGIN IMMEDIATE' if write else 'BEGIN')
                try:
                    result = work(db)
                except BaseException:
                    db.execute('ROLLBACK')
                    raise
                db.execute('COMMIT')
                return result
        except sqlite3.Error as exc:
            raise TokenStoreError('{}: the database cannot be used ({}: {})'.format(
                self.path, type(exc).__name__, exc))

    def _connection(self):
        if self._open.db is not None and self._open.pid == os.getpid():  # never a connection a parent opened
            return self._open.db
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))  # readable by its owner only, before SQLite
        db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            db.execute('PRAGMA journal_mode=WAL')  # readers do not wait for a writer
            for statement in _SCHEMA:
                db.execute(statement)
        except BaseException:
            db.close()
            raise
        self._open.db, self._open.pid = db, os.getpid()
        return db


class _Connection(object):
    """A store's connection (or ``None``) and the process that opened it.

    A child of fork() never runs a statement on its parent's connection; it closes its copy, as the collector
    would, which leaves the parent's file and locks alone (the child holds no lock of the parent's).
    """

    __slots__ = ('db', 'pid')

    def __init__(self):
        self.db = self.pid = None

    def close(self):
        db, self.db = self.db, None
        if db is not None:
            db.close()


def _close_when_dropped(store, connection):
    # A weak reference's callback, not a __del__: the collector runs it before it finalizes the objects of a dropped
    # cycle, and a connection finalized unclosed warns (3.13+).
    def dropped(reference):
        _WATCHED.discard(reference)
        connection.close()
    _WATCHED.add(weakref.ref(store, dropped))


class _SQLitePacer(TicketPacer):
    """A pacer whose window lives in the store's file: every process of the machine waits its turn in it."""

    def __init__(self, store, key, requests, seconds):
        super(_SQLitePacer, self).__init__(requests, seconds)
        self._store, self._key = store, key

    def _take(self):
        return self._store.run(self._take_in, write=True)

    def _take_in(self, db):
        now = time.time()  # the machine's clock: the one all its processes read
        db.execute('DELETE FROM slots WHERE pacer = ? AND (ended <= ? OR (ended IS NULL AND lease < ?))',
                   (self._key, now - self.seconds, now))
        count, oldest = db.execute('SELECT COUNT(*), MIN(ended) FROM slots WHERE pacer = ?', (self._key,)).fetchone()
        if count < self.requests:
            ticket = uuid.uuid4().hex
            db.execute('INSERT INTO slots (ticket, pacer, ended, lease) VALUES (?, ?, NULL, ?)',
                       (ticket, self._key, now + self._store.slot_lease))
            return ticket, None
        return None, (None if oldest is None else oldest + self.seconds - now)

    def _end(self, ticket):
        def end(db):
            db.execute('INSERT OR REPLACE INTO slots (ticket, pacer, ended, lease) VALUES (?, ?, ?, NULL)',
                       (ticket, self._key, time.time()))
        self._store.run(end, write=True)


class _SQLiteLog(object):
    """The 4xx responses of one base URL in the store's file (the log of a :class:`patreon.pacing.RequestBudget`)."""

    def __init__(self, store, key, window=BUDGET_WINDOW):
        self._store, self._key, self.window = store, key, float(window)

    def add(self):
        self._store.run(lambda db: db.execute('INSERT INTO fourxx (log, at) VALUES (?, ?)', (self._key, time.time())),
                        write=True)

    def wait_below(self, limit):
        def wait(db):
            now = time.time()
            db.execute('DELETE FROM fourxx WHERE log = ? AND at <= ?', (self._key, now - self.window))
            row = db.execute('SELECT at FROM fourxx WHERE log = ? ORDER BY at DESC LIMIT 1 OFFSET ?',
                             (self._key, limit - 1)).fetchone()
            return 0.0 if row is None else max(0.0, row[0] + self.window - now)
        return self._store.run(wait, write=True)
