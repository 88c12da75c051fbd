"""The HTTP layer: one keep-alive session per client, timeouts, retries.

:class:`Transport` is what :class:`patreon.API` and :class:`patreon.OAuth`
send their requests through.  It owns the only retry loop of the package,
which reads what urllib3's ``Retry`` cannot: the ``retry_after_seconds`` that
Patreon puts in the body of a 429.  One loop also serves a session injected by
the caller, on which mounting our own adapter would change their settings.

Everything read from an answer is untrusted: a ``Retry-After`` or
``retry_after_seconds`` that is not a sane number of seconds is ignored (the
backoff applies), a ``Content-Length`` that is not one decimal number is an
error, and a body shorter than its ``Content-Length`` is a cut body, whatever
its ``Content-Encoding``.
"""
import _socket
import calendar
import datetime
import logging
import os
import random
import re
import socket
import sys
import threading
import time
import types

import requests
import six
from six.moves import _thread

from .exceptions import TotalTimeout

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = 'https://www.patreon.com'
#: Seconds to wait for a connection and then for each read; finite, so that no single read waits forever.
DEFAULT_TIMEOUT = 30.0
#: Seconds one attempt (connect, send, headers and body) may take in all, however the server trickles its answer.
DEFAULT_TOTAL_TIMEOUT = 120.0
#: The longest wait (seconds) an answer may ask for; a longer ``Retry-After`` is taken for garbage and ignored.
MAX_RETRY_AFTER = 86400.0
#: The largest timeout or backoff (seconds) a client accepts: a day, far below what sockets and sleeps can hold.
MAX_SECONDS = 86400.0

RETRY_STATUSES = frozenset([429, 500, 502, 503, 504])
# Only idempotent methods: a retried POST could spend a single-use code or create a webhook twice.
RETRY_METHODS = frozenset(['GET', 'HEAD', 'OPTIONS', 'DELETE'])
# A gzip stream that does not decode is a body cut short (or garbled on the way) like any other.
RETRY_EXCEPTIONS = (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError)


class RetryPolicy(object):
    """When to try a request again, and how long to wait first.

    Usage::

        policy = RetryPolicy(max_retries=5, max_retry_wait=30.0)
        transport = Transport('https://www.patreon.com', retry=policy)

    :param max_retries: attempts after the first; ``0`` disables retries.
    :param max_retry_wait: the longest wait (seconds) a 429 may ask for; a
        longer one is given up at once, with the 429.
    :param backoff_factor: exponential backoff base, in seconds.
    :param backoff_max: the longest backoff, in seconds.
    :raises ValueError: ``max_retries`` is not a whole number >= 0, or a wait
        is not a number of seconds from 0 to :data:`MAX_SECONDS` (``max_retry_wait``
        may be larger, even infinite: no answer may ask for more than :data:`MAX_RETRY_AFTER`).
    """

    def __init__(self, max_retries=3, max_retry_wait=60.0, backoff_factor=0.5, backoff_max=20.0):
        if isinstance(max_retries, bool) or not isinstance(max_retries, six.integer_types) or max_retries < 0:
            raise ValueError('max_retries must be a whole number >= 0, not {!r}'.format(max_retries))
        self.max_retries = max_retries
        self.max_retry_wait = _seconds('max_retry_wait', max_retry_wait, zero=True)
        self.backoff_factor = _seconds('backoff_factor', backoff_factor, zero=True, limit=MAX_SECONDS)
        self.backoff_max = _seconds('backoff_max', backoff_max, zero=True, limit=MAX_SECONDS)

    def backoff(self, attempt):
        """Exponential backoff with jitter: between half and all of ``factor * 2**attempt``.

        Usage::

            RetryPolicy(backoff_factor=0.5).backoff(2)  # between 1.0 and 2.0 seconds
        """
        # The exponent is capped: 2 ** 1100 does not fit a float, and 2 ** 64 is already beyond any backoff_max.
        base = min(self.backoff_max, self.backoff_factor * float(2 ** min(attempt, 64)))
        return base / 2.0 + random.uniform(0, base / 2.0)

    def wait_after_error(self, method, attempt):
        """Seconds to wait before retrying after a connection error, or ``None`` to give up.

        Usage::

            policy.wait_after_error('GET', 0)   # a backoff, in seconds
            policy.wait_after_error('POST', 0)  # None: a POST is never retried
        """
        if method not in RETRY_METHODS or attempt >= self.max_retries:
            return None
        return self.backoff(attempt)

    def wait_after_response(self, method, response, attempt):
        """Seconds to wait before retrying after ``response``, or ``None`` to return it.

        Usage::

            policy.wait_after_response('GET', response, 0)  # 2.0 after a 429 with "Retry-After: 2"
        """
        if response.status_code not in RETRY_STATUSES or method not in RETRY_METHODS:
            return None
        if attempt >= self.max_retries:
            return None
        asked = retry_after_seconds(response)
        if asked is None:
            return self.backoff(attempt)
        if asked > self.max_retry_wait:
            logger.warning('%s asks to wait %.0f s, longer than the %.0f s allowed: giving up',
                           response.status_code, asked, self.max_retry_wait)
            return None
        return asked


def retry_after_seconds(response):
    """How long the server asked to wait, in seconds (a finite ``float``), or ``None``.

    From the ``Retry-After`` header (whole seconds or an HTTP date), else
    from Patreon's ``errors[].retry_after_seconds`` in a JSON body.  A value
    that is not a sane wait is ignored, as if the server had said nothing:
    negative or not a number (``-5``, ``"soon"``, ``NaN``, ``true``), longer
    than :data:`MAX_RETRY_AFTER` (``1e400``, ``inf``, a date next year),
    several values in one header, a date that does not exist.  A date in the
    past asks for no wait (``0.0``).

    Usage::

        retry_after_seconds(response)  # 2.0 for "Retry-After: 2"; None when the server said nothing usable
    """
    seconds = _retry_after_header(response.headers.get('Retry-After'))
    if seconds is not None:
        return seconds
    try:
        body = response.json()
    except (ValueError, RuntimeError):  # not JSON, or nested too deep to decode
        return None
    errors = body.get('errors') if isinstance(body, dict) else None
    for error in errors if isinstance(errors, list) else []:
        seconds = _wait(error.get('retry_after_seconds') if isinstance(error, dict) else None)
        if seconds is not None:
            return seconds
    return None


# ASCII digits only: float() also takes fullwidth digits, "1_0", "inf" and "nan".
_DELAY_SECONDS = re.compile(r'[0-9]{1,9}(?:\.[0-9]{1,6})?\Z')
_DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
_MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')
_MONTH = '(' + '|'.join(_MONTHS) + ')'
_TIME = '([0-9]{2}):([0-9]{2}):([0-9]{2})'
# The three forms of an HTTP date (RFC 9110, 5.6.7): (pattern, numbers of the groups of day, month, year, hour).
_HTTP_DATES = (
    (re.compile('^' + _DAY + ', ([0-9]{2}) ' + _MONTH + ' ([0-9]{4}) ' + _TIME + ' GMT\\Z'), (1, 2, 3, 4)),
    (re.compile('^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), ([0-9]{2})-' + _MONTH +
                '-([0-9]{2}) ' + _TIME + ' GMT\\Z'), (1, 2, 3, 4)),
    (re.compile('^' + _DAY + ' ' + _MONTH + ' ([0-9 ][0-9]) ' + _TIME + ' ([0-9]{4})\\Z'), (2, 1, 6, 3)),
)


def _retry_after_header(value):
    """The seconds a ``Retry-After`` header asks for, or ``None`` when it is absent or not a sane wait."""
    if not value:
        return None
    value = value.strip(' \t')
    if _DELAY_SECONDS.match(value):
        return _wait(float(value))
    when = _http_date(value)
    return None if when is None else _wait(max(0.0, when - time.time()))


def _http_date(text):
    """Epoch seconds of an HTTP date in any of its three forms, or ``None`` for anything else."""
    for pattern, (day, month, year, hour) in _HTTP_DATES:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groups()
        year_number = int(groups[year - 1])
        if len(groups[year - 1]) == 2:  # RFC 850's two-digit year: the nearest one not 50 years ahead
            year_number += 2000
            if year_number > time.gmtime().tm_year + 50:
                year_number -= 100
        fields = (year_number, _MONTHS.index(groups[month - 1]) + 1, int(groups[day - 1]),
                  int(groups[hour - 1]), int(groups[hour]), int(groups[hour + 1]))
        try:
            datetime.datetime(*fields)  # refuses 31 Feb, 25:00 and year 0
        except ValueError:
            return None
        return float(calendar.timegm(fields))
    return None


def _wait(value):
    """``value`` as a float of seconds if it is a sane wait (a number, 0 to :data:`MAX_RETRY_AFTER`), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, six.integer_types + (float,)):
        return None
    if not 0 <= value <= MAX_RETRY_AFTER:  # False for NaN too; an int too big for a float compares fine
        return None
    return float(value)


def _seconds(name, value, zero=False, limit=None):
    """``value`` if it is a number of seconds above 0 (or ``zero``) and at most ``limit``; else ValueError.

    ``limit=None`` takes any size, infinity included; a limit keeps sockets and sleeps from overflowing.
    """
    if isinstance(value, bool) or not isinstance(value, six.integer_types + (float,)):
        raise ValueError('{} must be a number of seconds, not {!r}'.format(name, value))
    low_ok = value >= 0 if zero else value > 0
    if not (low_ok and (limit is None or value <= limit)):  # NaN fails both comparisons
        raise ValueError('{} must be a number of seconds {} {}, not {!r}'.format(
            name, '>= 0' if zero else 'above 0', 'and at most {:g}'.format(limit) if limit else '(inf allowed)',
            value))
    return value


class Transport(object):
    """Sends requests below ``base_url`` through one :class:`requests.Session`.

    Usage::

        transport = Transport('https://www.patreon.com', timeout=10, total_timeout=60)
        response = transport.request('GET', '/api/oauth2/v2/identity', headers=headers)

    :param base_url: scheme and host every path hangs off.
    :param session: a :class:`requests.Session` of the caller's; by default
        one is created on first use, and reused (keep-alive).
    :param timeout: seconds, or a ``(connect, read)`` tuple: the longest wait
        for a connection, and for each read of the answer.
    :param retry: a :class:`RetryPolicy`; ``None`` never retries.
    :param total_timeout: seconds one attempt may take in all (connect, send,
        headers and body), however slowly the server trickles its answer;
        past it the attempt ends with :class:`~patreon.exceptions.TotalTimeout`
        (a :class:`requests.Timeout`), which is not retried.
    :raises ValueError: ``timeout`` or ``total_timeout`` is not a number of
        seconds above 0 and at most :data:`MAX_SECONDS` (``None``, ``inf``,
        ``nan``, ``0``, ``"30"``).
    """

    def __init__(self, base_url=DEFAULT_BASE_URL, session=None, timeout=DEFAULT_TIMEOUT, retry=None,
                 total_timeout=DEFAULT_TOTAL_TIMEOUT):
        self.base_url = base_url.rstrip('/')
        self.timeout = _timeout(timeout)
        self.total_timeout = _seconds('total_timeout', total_timeout, limit=MAX_SECONDS)
        self.retry = retry or RetryPolicy(max_retries=0)
        self._session = session
        self._owns_session = session is None
        self._session_lock = threading.Lock()
        self.sleep = time.sleep

    @property
    def session(self):
        """The :class:`requests.Session`, created on first use.

        Usage::

            session = transport.session  # the same session every time: connections are kept alive
        """
        if self._session is None:
            with self._session_lock:
                if self._session is None:
                    self._session = requests.Session()
        return self._session

    def url(self, path):
        """The absolute URL of ``path`` (which starts with ``/``).

        Usage::

            Transport('https://www.patreon.com/').url('/oauth2/authorize')  # 'https://www.patreon.com/oauth2/authorize'
        """
        return self.base_url + path

    def request(self, method, path, **kwargs):
        """Send one request (retrying as the policy allows) and return the :class:`requests.Response`.

        Connection errors that outlast the retries propagate as ``requests``
        raised them (``requests.ConnectionError``, ``requests.Timeout``); an
        attempt that outlasts ``total_timeout`` raises
        :class:`~patreon.exceptions.TotalTimeout` at once; a ``Content-Length``
        that is not one number raises ``requests.exceptions.InvalidHeader``.

        Usage::

            response = transport.request('PATCH', '/api/oauth2/v2/webhooks/7', json=document, headers=headers)
        """
        url = self.url(path)
        attempt = 0
        while True:
            started = time.time()
            try:
                response = self._attempt(method, url, path, kwargs)
            except RETRY_EXCEPTIONS as exc:
                wait = self.retry.wait_after_error(method, attempt)
                if wait is None:
                    raise
                logger.info('%s %s failed (%s); retry %d in %.2f s',
                            method, _path_only(path), type(exc).__name__, attempt + 1, wait)
            else:
                if logger.isEnabledFor(logging.DEBUG):
                    logger.debug('%s %s -> %s in %.3f s (request id %s)', method, _path_only(path),
                                 response.status_code, time.time() - started,
                                 _printable(response.headers.get('x-patreon-uuid')))
                wait = self.retry.wait_after_response(method, response, attempt)
                if wait is None:
                    return response
                logger.info('%s %s -> %s; retry %d in %.2f s',
                            method, _path_only(path), response.status_code, attempt + 1, wait)
                response.close()
            self.sleep(wait)
            attempt += 1

    def _attempt(self, method, url, path, kwargs):
        """One try, bounded by ``total_timeout``: the whole response, its body read and checked."""
        fired = False
        watch = _watchdog().watch(self.total_timeout, sys._getframe())
        try:
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
                _check_complete(method, response)
            finally:
                fired = watch.release()
        except Exception as exc:
            if fired:  # the watchdog cut the connection: whatever broke, the deadline did it
                six.raise_from(self._too_slow(method, path), exc)
            raise
        if fired:  # the answer came whole, but too late (or as the watchdog shut the socket: not to be trusted)
            response.close()
            raise self._too_slow(method, path)
        return response

    def _too_slow(self, method, path):
        return TotalTimeout('{} {}: no complete answer within total_timeout={:g} s (connect, headers and body '
                            'together)'.format(method, _path_only(path), self.total_timeout),
                            total_timeout=self.total_timeout)

    def close(self):
        """Close the session's connections (only a session this transport created).

        Usage::

            transport.close()  # a session the caller passed in is left open for its owner
        """
        if self._owns_session and self._session is not None:
            self._session.close()


def _timeout(value):
    """``timeout`` as given, once checked: seconds, or a ``(connect, read)`` tuple of them."""
    if isinstance(value, tuple) and len(value) == 2:
        _seconds('the connect timeout', value[0], limit=MAX_SECONDS)
        _seconds('the read timeout', value[1], limit=MAX_SECONDS)
        return value
    if isinstance(value, (tuple, list)):
        raise ValueError('timeout must be seconds or a (connect, read) tuple, not {!r}'.format(value))
    return _seconds('timeout', value, limit=MAX_SECONDS)


# --- The bound on a whole attempt -----------------------------------------------------------------------------------

_clock = getattr(time, 'monotonic', time.time)  # Python 2 has no monotonic clock


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
    """Ends attempts that outlive their deadline, for the whole process, from one daemon thread.

    requests has no hook between connecting and reading the headers, and a
    caller's session keeps its own adapters: so the watchdog finds the socket
    an overdue attempt is blocked on in the stack of the attempt's thread,
    below the attempt's own frame, and shuts it down.  The blocked read
    returns at once, the attempt fails, and urllib3 drops the connection; no
    thread or socket is left behind.  Per attempt, the cost is a lock and a
    set; the thread sleeps until the earliest deadline.
    """

    def __init__(self):
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._watches = set()
        self._wake_at = None
        thread = threading.Thread(target=self._run, name='patreon-total-timeout')
        thread.daemon = True
        thread.start()

    def watch(self, seconds, frame):
        watch = _Watch(self, _clock() + seconds, frame)
        with self._lock:
            self._watches.add(watch)
            if self._wake_at is None or watch.deadline < self._wake_at:
                self._wake_at = watch.deadline
                self._changed.notify()
        return watch

    def release(self, watch):
        with self._lock:
            self._watches.discard(watch)
            watch.frame = None
        return watch.fired

    def _run(self):
        try:
            self._watch_forever()
        except BaseException:  # pragma: no cover - at exit, Python 2 empties modules under daemon threads
            return

    def _watch_forever(self):
        with self._lock:
            while True:
                now = _clock()
                for watch in [watch for watch in self._watches if watch.deadline <= now]:
                    self._watches.discard(watch)
                    watch.fired = True
                    try:
                        _interrupt(watch)
                    except Exception:  # pragma: no cover - the thread must outlive any surprise
                        logger.debug('could not interrupt an overdue attempt', exc_info=True)
                self._wake_at = min(watch.deadline for watch in self._watches) if self._watches else None
                self._changed.wait(None if self._wake_at is None else self._wake_at - now)


_WATCHDOG = []
_WATCHDOG_LOCK = threading.Lock()


def _watchdog():
    """The process's watchdog, started on first use (and again in a child after ``fork()``, where it is gone)."""
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


# --- Is the body whole? ----------------------------------------------------------------------------------------------

def _check_complete(method, response):
    """Refuse a ``Content-Length`` that is not one number, and a body shorter than it (on the wire, so gzip too).

    urllib3 2 refuses a short body itself, urllib3 1.26 does not; neither
    checks the length of a compressed body; both read whatever number
    ``int()`` takes (``"+10"``, ``"1_0"``, Arabic digits) or none at all.
    """
    if method == 'HEAD' or response.status_code in (204, 304):
        return
    header = response.headers.get('Content-Length')
    if header is None or 'chunked' in response.headers.get('Transfer-Encoding', '').lower():
        return  # delimited by chunks, whose end urllib3 checks, or by the end of the connection
    promised = _content_length(header)
    if promised is None:
        response.close()
        raise requests.exceptions.InvalidHeader(
            'the answer\'s Content-Length is not one number of bytes: {}'.format(_printable(header)))
    received = _bytes_received(response)
    if received is not None and received < promised:
        response.close()
        raise requests.exceptions.ChunkedEncodingError(
            'the body was cut short: {} of {} bytes'.format(received, _printable(header.split(',')[0].strip())))


_DIGITS = re.compile(r'[0-9]+\Z')
_LARGER_THAN_ANY_BODY = 10 ** 18


def _content_length(header):
    """The length a ``Content-Length`` header promises, or ``None`` when it is not one number (``"10, 10"`` is)."""
    values = set(value.strip(' \t') for value in header.split(','))
    value = values.pop() if len(values) == 1 else ''
    if not _DIGITS.match(value):
        return None
    value = value.lstrip('0') or '0'
    return int(value) if len(value) < 19 else _LARGER_THAN_ANY_BODY  # int() of 5,000 digits raises on 3.11


def _bytes_received(response):
    """Bytes of body that came over the wire (before decoding), or ``None`` when that cannot be known."""
    tell = getattr(response.raw, 'tell', None)
    if tell is not None:
        try:
            return int(tell())
        except (AttributeError, TypeError, ValueError, IOError, OSError):
            pass  # a file-like of another adapter that cannot tell
    if response.headers.get('Content-Encoding', 'identity').strip().lower() == 'identity':
        return len(response.content)
    return None


def _printable(value, limit=64):
    # A header quoted in a message or log line: printable ASCII, and short.
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode('latin-1')
    text = ''.join(character if ' ' <= character <= '~' else '?' for character in value[:limit])
    return text + ('...' if len(value) > limit else '')


def _path_only(path):
    # Log the route, not the query string: it can be long and carries user-chosen cursors.
    return path.split('?', 1)[0]
