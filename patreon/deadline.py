"""The bound on one whole attempt (connect, send, headers and body), however a server trickles its answer.

``requests`` has no hook between connecting and reading the headers, and a
caller's session keeps its own adapters; so one watchdog thread per process,
alive only while an attempt is watched, ends the attempts that outlive their
deadline by shutting down the socket they are blocked on.

Usage::

    watch = deadline.watch(120.0, sys._getframe())
    try:
        response = session.request(...)
    finally:
        overdue = watch.release()  # True: the deadline passed, the connection may have been cut
"""
import _socket
import logging
import os
import socket
import sys
import threading
import types

from six.moves import _thread

from . import forks
from .clock import monotonic as _clock

logger = logging.getLogger(__name__)

#: Seconds between two interruptions of an attempt that is past its deadline and still running.
REPEAT = 0.05


class _Watch(object):
    """One attempt under watch: its deadline, its thread, and its frame (where the search for its socket stops)."""

    __slots__ = ('deadline', 'thread', 'frame', 'fired', '_dog')

    def __init__(self, dog, deadline, frame):
        self._dog = dog
        self.deadline = deadline
        self.thread = _thread.get_ident()
        self.frame = frame
        self.fired = False

    def release(self):
        """Stop watching; whether the deadline passed first (then the attempt's socket may have been shut)."""
        return self._dog.release(self)


class _Watchdog(object):
    """Ends attempts that outlive their deadline, for the whole process, from one daemon thread while any is watched.

    requests has no hook between connecting and reading the headers, and a
    caller's session keeps its own adapters: so the watchdog finds the socket
    an overdue attempt is blocked on in the stack of the attempt's thread,
    below the attempt's own frame, and shuts it down; then again every
    :data:`REPEAT` seconds until the attempt lets go of its watch.  The blocked read
    returns at once, the attempt fails, and urllib3 drops the connection; no
    thread or socket is left behind.  Per attempt, the cost is a lock and a
    set; the thread sleeps until the earliest deadline.

    The thread runs only while an attempt is watched: the release of the last
    watch ends it (and waits for it to end), so that no thread of the package
    is alive while no call is in flight, and a later ``fork()`` copies no lock
    it could hold.
    """

    def __init__(self):
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._watches = set()
        self._wake_at = None
        self._thread = None  # the thread watching now, or None

    def watch(self, seconds, frame):
        watch = _Watch(self, _clock() + seconds, frame)
        with self._lock:
            self._watches.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name='patreon-total-timeout')
                self._thread.daemon = True
                self._wake_at = watch.deadline
                self._thread.start()
            elif self._wake_at is None or watch.deadline < self._wake_at:
                self._wake_at = watch.deadline
                self._changed.notify()
        return watch

    def release(self, watch):
        retiring = None
        with self._lock:
            self._watches.discard(watch)
            watch.frame = None
            if not self._watches and self._thread is not None:
                retiring, self._thread = self._thread, None
                self._changed.notify()
        if retiring is not None and retiring is not threading.current_thread():
            retiring.join(_RETIRE_WITHIN)  # it only has to take the lock and return
        return watch.fired

    def _run(self):
        try:
            self._watch_while_needed(threading.current_thread())
        except BaseException:  # pragma: no cover - at exit, Python 2 empties modules under daemon threads
            return

    def _watch_while_needed(self, me):
        with self._lock:
            while self._thread is me:
                now = _clock()
                for watch in [watch for watch in self._watches if watch.deadline <= now]:
                    watch.fired = True
                    try:
                        _interrupt(watch)
                    except Exception:  # pragma: no cover - the thread must outlive any surprise
                        logger.debug('could not interrupt an overdue attempt', exc_info=True)
                    # Again and again until released: the attempt may have had no socket yet (a slow DNS lookup),
                    # or open a new one (an adapter's own retries); no connection outlives the deadline long.
                    watch.deadline = now + REPEAT
                self._wake_at = min(watch.deadline for watch in self._watches) if self._watches else None
                self._changed.wait(None if self._wake_at is None else self._wake_at - now)


_WATCHDOG = []
_WATCHDOG_LOCK = threading.Lock()
# Seconds the release of the last watch waits for the watchdog thread to end (it needs only to take the lock).
_RETIRE_WITHIN = 5.0


@forks.on_fork
def _after_fork():
    # The parent's watchdog thread is not in the child, and its lock may have been held: the child starts afresh.
    global _WATCHDOG_LOCK
    _WATCHDOG_LOCK = threading.Lock()
    _WATCHDOG[:] = []


def _watchdog():
    """The process's watchdog, made on first use (and again in a child after ``fork()``)."""
    if not _WATCHDOG or _WATCHDOG[0].pid != os.getpid():
        with _WATCHDOG_LOCK:
            if not _WATCHDOG or _WATCHDOG[0].pid != os.getpid():
                _WATCHDOG[:] = [_Watchdog()]
    return _WATCHDOG[0]


def _interrupt(watch):
    """Shut down every socket held in the frames of ``watch``'s thread below its attempt's frame."""
    frame = sys._current_frames().get(watch.thread)
    sockets = []
    while frame is not None and frame is not watch.frame:
        for value in list(frame.f_locals.values()):
            sock = _raw_socket(value, 2)
            if sock is not None:
                sockets.append(sock)
        frame = frame.f_back
    if frame is None:
        return  # the attempt is no longer on that stack: its sockets are not found, and others are not touched
    for sock in sockets:
        try:
            # The base class's shutdown: an SSLSocket's own also drops its TLS state under the reading thread.
            _socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except (socket.error, OSError, ValueError):
            pass  # already closed or not connected


def _raw_socket(value, hops):
    """The OS socket ``value`` is, or holds in ``sock``/``_sock``/``socket`` (an HTTP connection, a socket file)."""
    if issubclass(type(value), _socket.socket):
        return value
    if hops == 0 or issubclass(type(value), (type, types.ModuleType)):  # isinstance() could read __class__
        return None
    for name in ('sock', '_sock', 'socket'):
        inner = _plain_attribute(value, name)
        if inner is not None:
            found = _raw_socket(inner, hops - 1)
            if found is not None:
                return found
    return None


def _plain_attribute(value, name):
    """``value.name`` when stored in the instance (its ``__dict__`` or a slot), else ``None``.

    Never a property or ``__getattr__``: the watchdog holds its lock, and must run nobody's code.
    """
    try:
        attributes = object.__getattribute__(value, '__dict__')
    except Exception:  # no __dict__ (or an old-style instance of Python 2): its slots may still hold it
        attributes = None
    if isinstance(attributes, dict) and name in attributes:
        return attributes[name]
    for klass in type(value).__mro__:
        slot = vars(klass).get(name)
        if slot is not None:
            if isinstance(slot, types.MemberDescriptorType):  # a __slots__ entry, as in Python 2's socket files
                try:
                    return slot.__get__(value, type(value))
                except AttributeError:  # the slot is empty
                    return None
            return None
    return None



def watch(seconds, frame):
    """Watch the attempt running in the calling thread below ``frame`` for ``seconds``; a :class:`_Watch`.

    Usage::

        attempt = watch(120.0, sys._getframe())
        ...                      # the attempt
        overdue = attempt.release()
    """
    return _watchdog().watch(seconds, frame)
