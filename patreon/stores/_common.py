"""What the shared stores have in common; a backend gives the primitives (``_read``, ``_write``, ``_hold``,
``_take``,
``_end``), the waiting, locking and kept saves are written once here.
"""
from __future__ import absolute_import, unicode_literals

import contextlib
import json
import logging
import threading
import time

import six

from .._clock import monotonic
from ..exceptions import InvalidArgument, TokenStoreError
from ..pacing import Slots
from .._policy import MAX_SECONDS, check_seconds
from .._credentials import checked_tokens
from ..tokens import TokenStore

logger = logging.getLogger(__name__)

#: Seconds a slot taken by a request stays counted when its process never says the answer came (it died).
DEFAULT_SLOT_LEASE = 150.0
# The longest a waiting pacer sleeps before asking again while every slot is held by a request in flight.
_POLL = 0.02


class SharedTokenStore(TokenStore):
    """A :class:`~patreon.tokens.TokenStore` over a backend; a save that fails is kept and made at the next lock.

    The refresh spent the old refresh token, so :meth:`save` raises ``TokenStoreError`` but :meth:`load` answers
    them.
    """

    def __init__(self, name):
        if not isinstance(name, six.string_types) or not name:
            raise InvalidArgument('a token store name must be a non-empty string, not {!r}'.format(
                type(name).__name__))
        self.name = name
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._unsaved = None

    def __reduce__(self):
        raise TypeError('a {} holds a connection and tokens; make one in each process'.format(type(self).__name__))

    @property
    def token_key(self):
        """What the per-token pacer of a client on this store is keyed by: the store's place and name."""
        return '{}:{}'.format(self._place(), self.name)

    def load(self):
        with self._thread_lock:
            if self._unsaved is not None:
                return dict(self._unsaved)
        stored = self._read()
        if stored is None:
            return None
        return checked_tokens(stored, repr(self), TokenStoreError)

    def save(self, tokens):
        tokens = dict(checked_tokens(tokens, '{}.save'.format(type(self).__name__)))
        data = json.dumps(tokens, sort_keys=True)
        with self._thread_lock:
            try:
                self._write(data)
            except TokenStoreError:
                self._unsaved = tokens  # the only copy of a token just refreshed: never dropped
                raise
            self._unsaved = None

    @contextlib.contextmanager
    def lock(self):
        with self._thread_lock:
            if self._depth == 0:
                with self._hold():
                    self._depth += 1
                    try:
                        self._save_kept()
                        yield
                    finally:
                        self._depth -= 1
            else:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1

    def _save_kept(self):
        if self._unsaved is None:
            return
        try:
            self.save(self._unsaved)
            logger.info('tokens kept since a failed save are now saved in %r', self)
        except TokenStoreError:
            logger.warning('tokens kept since a failed save still cannot be saved in %r', self)

    def _place(self):
        raise NotImplementedError

    def _read(self):
        raise NotImplementedError

    def _write(self, data):
        raise NotImplementedError

    def _hold(self):
        raise NotImplementedError


def decoded(data, where):
    """The token dict stored as JSON text ``data``; TokenStoreError (never quoting it) when it is not one."""
    if isinstance(data, bytes):
        try:
            data = data.decode('utf-8')
        except UnicodeDecodeError:
            raise TokenStoreError('{} does not hold a token dict (not UTF-8)'.format(where))
    try:
        tokens = json.loads(data)
    except (ValueError, TypeError, RuntimeError):  # RuntimeError: nested too deep to decode
        raise TokenStoreError('{} does not hold a token dict (not JSON)'.format(where))
    return checked_tokens(tokens, where, TokenStoreError)


class TicketPacer(Slots):
    """A :class:`patreon.pacing.Pacer` kept in a backend: each request takes a ticket and ends it when answered.

    ``_take()`` answers ``(ticket, None)`` or ``(None, seconds to wait)``; a dead process's ticket counts until its
    lease.
    """

    def __init__(self, requests, seconds, sleep=None):
        self.requests, self.seconds = requests, seconds
        self._sleep = sleep or time.sleep
        self._tickets = threading.local()

    def __repr__(self):
        return '<{} {} requests per {:g} s>'.format(type(self).__name__, self.requests, self.seconds)

    def acquire(self, timeout=None):
        """Wait until a request may start in every process sharing the backend (``True``), or ``timeout`` seconds
        (``False``, no slot taken; ``None`` waits as long as it takes)."""
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            ticket, wait = self._take()
            if ticket is not None:
                self._held().append(ticket)
                return True
            pause = _POLL if wait is None else min(max(wait, 0.001), self.seconds)
            if deadline is not None:
                left = deadline - monotonic()
                if left <= 0:
                    return False
                pause = min(pause, left)
            self._sleep(pause)

    def release(self):
        """This thread's last request is answered; if the backend cannot be told, its slot counts until its lease
        ends.
        """
        ticket = self._held().pop()
        try:
            self._end(ticket)
        except TokenStoreError as exc:
            logger.warning('a paced request could not be counted as ended (%s); its slot stays taken until its '
                           'lease ends', exc)

    def idle(self):
        """Never forgotten: what it counts lives in the backend, not in this object."""
        return False

    def _held(self):
        held = getattr(self._tickets, 'held', None)
        if held is None:
            held = self._tickets.held = []
        return held

    def _take(self):
        raise NotImplementedError

    def _end(self, ticket):
        raise NotImplementedError


def checked_lease(value, name):
    """A number of seconds above 0 and at most a day, else InvalidArgument."""
    return float(check_seconds(name, value, limit=MAX_SECONDS))
