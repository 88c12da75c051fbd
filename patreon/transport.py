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
import logging
import threading
import time

import requests
import six
import urllib3

from . import endpoint, forks
from .clock import monotonic
from .exceptions import InvalidArgument, TotalTimeout
from .patterns import LazyPattern
# Re-exported: the retry policy and its limits were first defined here, and callers import them from here.
from .retry import (MAX_RETRY_AFTER, MAX_SECONDS, RETRY_EXCEPTIONS, RETRY_METHODS, RETRY_STATUSES,  # noqa: F401
                    RetryPolicy, check_seconds, retry_after_seconds)

logger = logging.getLogger(__name__)

# The default of base_url: this very object makes a client follow patreon.endpoint.default_base_url() (tests move it).
DEFAULT_BASE_URL = endpoint.DEFAULT_BASE_URL
#: Seconds to wait for a connection and then for each read; finite, so that no single read waits forever.
DEFAULT_TIMEOUT = 30.0
#: Seconds one attempt (connect, send, headers and body) may take in all, however the server trickles its answer.
DEFAULT_TOTAL_TIMEOUT = 120.0


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
        if not isinstance(base_url, six.string_types):
            raise InvalidArgument('base_url must be a URL string, not {}'.format(type(base_url).__name__))
        if session is not None and not callable(getattr(session, 'request', None)):
            raise InvalidArgument('session must be a requests.Session, not {}'.format(type(session).__name__))
        # Left as default, the client follows patreon.endpoint's default at every request (a test can move it).
        self._follows_default = base_url is DEFAULT_BASE_URL
        self._base_url = base_url.rstrip('/')
        self.timeout = _timeout(timeout)
        self.total_timeout = check_seconds('total_timeout', total_timeout, limit=MAX_SECONDS)
        self.retry = retry or RetryPolicy(max_retries=0)
        self._session = session
        self._owns_session = session is None
        self._session_lock = threading.Lock()
        self.sleep = time.sleep
        self.pacer = None  # a patreon.pacing.Pacer every attempt waits its turn with, or None
        self.budget = None  # a patreon.pacing.RequestBudget every attempt is checked against and counted in, or None
        forks.track(self)

    def _after_fork(self):
        # In a child of fork(): the parent goes on using the kept-alive connections, so the child makes its own.
        self._session_lock = threading.Lock()
        if self._owns_session:
            self._session = None  # dropped, not closed: closing could not reach the parent's sockets anyway
        elif self._session is not None:
            _renew_connection_pools(self._session)

    @property
    def base_url(self):
        """Scheme and host every path hangs off, no trailing slash.

        A transport created without ``base_url`` answers
        :func:`patreon.endpoint.default_base_url` each time: Patreon, or the
        sandbox a test pointed the default at.  Setting it pins it.

        Usage::

            Transport().base_url  # 'https://www.patreon.com'
        """
        return endpoint.default_base_url() if self._follows_default else self._base_url

    @base_url.setter
    def base_url(self, url):
        self._follows_default = False
        self._base_url = url.rstrip('/')

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

        A ``requests`` exception raised here keeps its class and message but
        no request (``.request`` is ``None``, and so is its response's):
        the request carried the credentials (``Authorization``, a token
        form), and an exception is logged, kept and pickled.
        """
        forks.check()
        base_url = self.base_url
        endpoint.check_destination(base_url + path, method)  # the whole URL: a path can move where a base URL ends
        try:
            return self._request(base_url, method, path, kwargs)
        except requests.RequestException as exc:
            _forget_requests(exc)
            raise

    def _request(self, base_url, method, path, kwargs):
        url = base_url + path  # the base URL checked, even if a test moves the default meanwhile
        attempt = 0
        while True:
            started = monotonic()
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
                                 response.status_code, monotonic() - started,
                                 _request_id(response))
                wait = self.retry.wait_after_response(method, response, attempt)
                if wait is None:
                    return response
                logger.info('%s %s -> %s; retry %d in %.2f s',
                            method, _path_only(path), response.status_code, attempt + 1, wait)
                response.close()
            self.sleep(wait)
            attempt += 1

    def _attempt(self, method, url, path, kwargs):
        """One try, paced and within the 4xx budget when this transport has them."""
        budget, pacer = self.budget, self.pacer
        if budget is not None:
            budget.check()  # before waiting for a slot: a call that will not be sent does not wait
        if pacer is None:
            return self._budgeted_attempt(method, url, path, kwargs)
        with pacer.slot(self.total_timeout):  # a slot the parent of a fork held is not waited for forever
            return self._budgeted_attempt(method, url, path, kwargs)

    def _budgeted_attempt(self, method, url, path, kwargs):
        """One try counted in flight by the 4xx budget, then as the answer it got."""
        budget = self.budget
        if budget is None:
            return self._bounded_attempt(method, url, path, kwargs)
        budget.begin(self.total_timeout)  # the 4xx of the requests that went, or are going, while this one waited
        status = None
        try:
            response = self._bounded_attempt(method, url, path, kwargs)
            status = response.status_code
        finally:
            budget.end(status)
        return response

    def _bounded_attempt(self, method, url, path, kwargs):
        """One try, bounded by ``total_timeout``: the whole response, its body read and checked."""
        from . import deadline  # on the first request: `import patreon` has no watchdog to load
        fired = False
        session = self.session
        deadline.watch_pools(session)  # the connections its pools hand out are the ones the watchdog may shut
        watch = deadline.watch(self.total_timeout)
        try:
            try:
                response = _send(session, method, url, self.timeout, kwargs)
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

def _renew_connection_pools(session):
    """Give every ``requests`` adapter of ``session`` empty connection pools (in a child of ``fork()``).

    The caller's session keeps its adapters and their settings; only the pools
    holding the parent's sockets are replaced (as unpickling an adapter does).
    An adapter that is not a ``requests.adapters.HTTPAdapter`` is left as it is.
    """
    for adapter in list(session.adapters.values()):
        if isinstance(adapter, requests.adapters.HTTPAdapter):
            adapter.proxy_manager = {}
            adapter.init_poolmanager(adapter._pool_connections, adapter._pool_maxsize, block=adapter._pool_block)


def _forget_requests(exc):
    """Drop the requests (credentials in headers and body) held by ``exc`` and the exceptions chained to it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, requests.RequestException):
            exc.request = None
            response = getattr(exc, 'response', None)
            for answer in ([response] + list(getattr(response, 'history', None) or [])) if response is not None else []:
                answer.request = None  # a response pickles the request it answered
        exc = getattr(exc, '__cause__', None) or getattr(exc, '__context__', None)


def _send(session, method, url, timeout, kwargs):
    """``session.request``, its body read within the attempt, and its failures as ``requests`` names them right."""
    try:
        # stream=False whatever the session says: the body is read, and checked, inside the attempt's bounds.
        return session.request(method, url, timeout=timeout, stream=False, **kwargs)
    except requests.exceptions.ConnectionError as exc:
        # requests reports a read that timed out in the body as a ConnectionError, which would be retried.
        if any(isinstance(reason, urllib3.exceptions.ReadTimeoutError) for reason in exc.args):
            six.raise_from(requests.exceptions.ReadTimeout(*exc.args), exc)
        raise
    except urllib3.exceptions.LocationValueError as exc:  # a host requests lets through ('a..b'): not a URL
        six.raise_from(requests.exceptions.InvalidURL('{} is not a URL that can be reached: {}'.format(
            _printable(url.split('?', 1)[0], 200), exc)), exc)


def _timeout(value):
    """``timeout`` as given, once checked: seconds, or a ``(connect, read)`` tuple of them."""
    if isinstance(value, tuple) and len(value) == 2:
        check_seconds('the connect timeout', value[0], limit=MAX_SECONDS)
        check_seconds('the read timeout', value[1], limit=MAX_SECONDS)
        return value
    if isinstance(value, (tuple, list)):
        raise InvalidArgument('timeout must be seconds or a (connect, read) tuple, not {!r}'.format(value))
    return check_seconds('timeout', value, limit=MAX_SECONDS)

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


_DIGITS = LazyPattern(r'[0-9]+\Z')
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
    """Bytes of body that came over the wire (before decoding), or ``None`` when that cannot be known.

    A caching layer (requests-cache, CacheControl) may serve a stored body
    through a raw stream that counts nothing read: a stream that told 0 while
    there is a body did not carry it, and the stored body itself is measured
    (a body cut before it was stored is still short), when not compressed.
    """
    told = None
    tell = getattr(response.raw, 'tell', None)
    if tell is not None:
        try:
            told = int(tell())
        except (AttributeError, TypeError, ValueError, IOError, OSError):
            pass  # a file-like of another adapter that cannot tell
    if told is not None and (told > 0 or not response.content):
        return told
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


# What Patreon sends as x-patreon-uuid; anything else is not logged, as a hostile server could echo a credential.
_UUID = LazyPattern(r'\A[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\Z')


def _request_id(response):
    value = response.headers.get('x-patreon-uuid')
    if value is None:
        return None
    return value if _UUID.match(value) else '(not a UUID, not shown)'


def _path_only(path):
    # Log the route, not the query string: it can be long and carries user-chosen cursors.
    return path.split('?', 1)[0]
