"""The bound on one whole attempt (connect, send, headers and body), however a server trickles its response.

``requests`` has no hook between connecting and reading the headers, so :func:`watch_pools` has each pool report
the connections it hands out, and one watchdog thread shuts down the sockets of an attempt past its deadline.
"""
import _socket
import atexit
import logging
import os
import socket
import threading
import types

import requests

try:  # not six.moves, which `import patreon` would load three modules more for
    from _thread import get_ident
except ImportError:  # Python 2
    from thread import get_ident  # type: ignore[import-not-found,no-redef]

from . import _forks
from ._clock import monotonic as _clock

logger = logging.getLogger(__name__)

#: Seconds between two interruptions of an attempt that is past its deadline and still running.
REPEAT = 0.05


class _Watch(object):
    """One attempt under watch: its deadline, its thread, and the sockets of the connections its pools handed it."""

    __slots__ = ('deadline', 'thread', 'sockets', 'fired', '_dog')

    def __init__(self, dog, deadline):
        self._dog = dog
        self.deadline = deadline
        self.thread = get_ident()
        self.sockets = []
        self.fired = False

    def uses(self, connection):
        """The attempt uses ``connection``: its socket (the OS socket, which outlives the connection's ``close()``
        while the answer's body is read from it) is shut at the deadline."""
        sock = _raw_socket(getattr(connection, 'sock', None), 3)
        if sock is not None:
            self.sockets.append(sock)  # list.append is atomic; the watchdog reads a copy

    def release(self):
        """Stop watching; whether the deadline passed first (then the attempt's socket may have been shut)."""
        if getattr(_current, 'watch', None) is self:
            _current.watch = None
        return self._dog.release(self)


class _Watchdog(object):
    """Ends attempts that outlive their deadline: shuts down their connections' sockets, again every :data:`REPEAT`
    s.

    Its one daemon thread runs only while an attempt is watched, so that no thread or lock of the package outlives
    a call (a later ``fork()`` copies none), or while a series of attempts keeps it (see :func:`keep`).
    """

    def __init__(self):
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._watches = set()
        self._wake_at = None
        self._thread = None  # the thread watching now, or None
        self._kept = 0  # series of attempts (prefetching walks) that keep the thread between their attempts
        self._retired = False  # at exit: no thread is started any more

    def watch(self, seconds):
        watch = _Watch(self, _clock() + seconds)
        with self._lock:
            self._watches.add(watch)
            if self._retired:
                pass  # the process is ending: an attempt still in flight is not cut, and no thread is left behind
            elif self._thread is None:
                self._thread = threading.Thread(target=self._run, name='patreon-total-timeout')
                self._thread.daemon = True
                self._wake_at = watch.deadline
                self._thread.start()
            elif self._wake_at is None or watch.deadline < self._wake_at:
                self._wake_at = watch.deadline
                self._changed.notify()
        return watch

    def release(self, watch):
        with self._lock:
            self._watches.discard(watch)
            watch.sockets = []  # nothing of it is touched any more: the connections went back to their pools
            retiring = self._idle_thread()
        _join_retiring(retiring)
        return watch.fired

    def keep(self):
        with self._lock:
            self._kept += 1

    def let_go(self):
        with self._lock:
            self._kept -= 1
            retiring = self._idle_thread()
        _join_retiring(retiring)

    def _idle_thread(self):
        """With the lock held: the thread, told to end, when nothing needs it any more; else ``None``."""
        if self._watches or self._kept or self._thread is None:
            return None
        retiring, self._thread = self._thread, None
        self._changed.notify()
        return retiring

    def retire(self):
        """End the thread, and start none again: at exit, before Python 2 empties the modules under it."""
        with self._lock:
            self._retired = True
            retiring, self._thread = self._thread, None
            self._changed.notify()
        _join_retiring(retiring)

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


_WATCHDOG = []  # type: list
_WATCHDOG_LOCK = threading.Lock()
# Seconds the release of the last watch waits for the watchdog thread to end (it needs only to take the lock).
_RETIRE_WITHIN = 5.0


def _join_retiring(thread):
    if thread is not None and thread is not threading.current_thread():
        thread.join(_RETIRE_WITHIN)  # it only has to take the lock and return


@_forks.on_fork
def _after_fork():
    # The parent's watchdog thread is not in the child, and its lock may have been held: the child starts afresh.
    global _WATCHDOG_LOCK
    _WATCHDOG_LOCK = threading.Lock()
    _WATCHDOG[:] = []


@atexit.register
def _retire_at_exit():
    # A call still in flight when the process ends (an export stopped by a signal, its page on the way) keeps the
    # watchdog's daemon thread waiting; Python 2 would tear its modules down under it, and print the failure.
    for dog in list(_WATCHDOG):
        if dog.pid == os.getpid():
            dog.retire()


def _watchdog():
    """The process's watchdog, made on first use (and again in a child after ``fork()``)."""
    if not _WATCHDOG or _WATCHDOG[0].pid != os.getpid():
        with _WATCHDOG_LOCK:
            if not _WATCHDOG or _WATCHDOG[0].pid != os.getpid():
                _WATCHDOG[:] = [_Watchdog()]
    return _WATCHDOG[0]


def _interrupt(watch):
    """Shut down the sockets of the connections ``watch``'s attempt used (a slow DNS lookup's: once it connects)."""
    for sock in list(watch.sockets):
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
    """``value.name`` when stored in the instance, else ``None``; never a property: the watchdog runs nobody's code."""
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



_current = threading.local()  # .watch: the attempt under watch in this thread, or None; .sent: see signal_when_sent


def signal_when_sent(callback):
    """Have each request this thread sends from now on call ``callback()`` once it is out, before its answer is read.

    Only requests through the pools :func:`watch_pools` follows signal (another adapter's, or a cached answer, do
    not).  ``None`` stops it.  What ``callback`` raises is raised by the request: it must not raise.
    """
    _current.sent = callback


def watch(seconds):
    """Watch the attempt the calling thread starts now for ``seconds``; a :class:`_Watch`, until its ``release()``."""
    handle = _watchdog().watch(seconds)
    _current.watch = handle
    return handle


def keep():
    """Keep the watchdog's thread from one attempt to the next until the function returned is called (once).

    For a series of attempts made on a thread while another thread computes (a prefetching walk): starting and
    ending a thread around each attempt hands the GIL back and forth, and each hand-off to a thread that waits for
    it, while the other holds it, takes up to the switch interval; those waits came before the request went out.
    The thread still starts with the first attempt, and ends with the last one once every keeper let go.  In a
    child of ``fork()`` letting go does nothing: the parent's thread and its keepers are not there.
    """
    dog = _watchdog()
    dog.keep()
    let_go_once = []  # type: list

    def let_go():
        if not let_go_once and dog.pid == os.getpid():
            let_go_once.append(True)
            dog.let_go()
    return let_go


def watch_pools(session):
    """Have the pools of every ``HTTPAdapter`` of ``session`` (and those made later) report the connections they hand
    out.

    Another kind of adapter is not followed: its attempts raise ``TotalTimeout`` once they return, uncut.
    """
    adapters = getattr(session, 'adapters', None)  # a stand-in for a session may have none
    for adapter in list(adapters.values()) if isinstance(adapters, dict) else []:
        if isinstance(adapter, requests.adapters.HTTPAdapter):
            _follow_manager(adapter.poolmanager)  # a new one after fork() or unpickling too
            if not adapter.__dict__.get(_MARK):
                _follow_adapter(adapter)


_MARK = '_patreon_total_timeout'


def _follow_adapter(adapter):
    for manager in list(adapter.proxy_manager.values()):
        _follow_manager(manager)
    make_proxy_manager = adapter.proxy_manager_for

    def proxy_manager_for(*args, **kwargs):
        return _follow_manager(make_proxy_manager(*args, **kwargs))

    adapter.proxy_manager_for = proxy_manager_for
    adapter.__dict__[_MARK] = True


def _follow_manager(manager):
    if manager.__dict__.get(_MARK):
        return manager
    new_pool = manager._new_pool

    def _new_pool(*args, **kwargs):
        return _follow_pool(new_pool(*args, **kwargs))

    manager._new_pool = _new_pool
    for key in list(manager.pools.keys()):
        pool = manager.pools.get(key)
        if pool is not None:
            _follow_pool(pool)
    manager.__dict__[_MARK] = True
    return manager


def _follow_pool(pool):
    if pool.__dict__.get(_MARK):
        return pool
    get_conn = pool._get_conn

    def _get_conn(*args, **kwargs):
        connection = _follow_connection(get_conn(*args, **kwargs))
        handle = getattr(_current, 'watch', None)
        if handle is not None:
            handle.uses(connection)  # kept alive, connected already
        return connection

    pool._get_conn = _get_conn
    pool.__dict__[_MARK] = True
    return pool


def _follow_connection(connection):
    """Have ``connection`` report the socket of each ``connect()`` to the attempt under watch in that thread."""
    attributes = getattr(connection, '__dict__', None)
    if not isinstance(attributes, dict) or attributes.get(_MARK):
        return connection
    connect = connection.connect

    def connected():
        try:
            return connect()
        finally:  # connected, or cut while the TLS handshake trickled: either way its socket is the attempt's
            handle = getattr(_current, 'watch', None)
            if handle is not None:
                handle.uses(connection)

    connection.connect = connected
    send = getattr(connection, 'request', None)
    # Once per request, after it: urllib3 1.26 calls getresponse() twice on Python 3 (buffering=True is refused first).
    if send is not None:  # urllib3's connections (http.client's) send a whole request there, headers and body

        def sending(*args, **kwargs):
            result = send(*args, **kwargs)
            sent = getattr(_current, 'sent', None)
            if sent is not None:
                sent()  # whoever waits for the request to be out goes on while this thread waits for the answer
            return result

        connection.request = sending
    attributes[_MARK] = True
    return connection
