"""The HTTP layer: one keep-alive session per client, timeouts, retries.

It owns the package's only retry loop, which reads what urllib3's ``Retry`` cannot (the ``retry_after_seconds`` of a
429's body) and serves a caller's session without mounting an adapter on it.  Whatever a response says is untrusted.
"""
import logging
import threading
import time

import requests
import six
import urllib3

from . import _destination, _forks, endpoint
from ._clock import monotonic
from ._patterns import LazyPattern
from .exceptions import InvalidArgument, TotalTimeout
from .endpoint import DEFAULT_BASE_URL
from .policies import DEFAULT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, Timeout  # noqa: F401 (read here too)
from ._policy import MAX_SECONDS, check_seconds
from .pacing import Limits, RequestBudget, shared_budget
from .retry import RETRY_EXCEPTIONS, RetryPolicy

logger = logging.getLogger(__name__)

class Transport(object):
    """Sends requests below ``base_url`` through one :class:`requests.Session`.

    :param base_url: scheme and host every path hangs off.
    :param session: a :class:`requests.Session` of the caller's; by default
        one is created on first use, and reused (keep-alive).
    :param timeout: a :class:`Timeout`, seconds, or a ``(connect, read)`` tuple (see :func:`timeout_policy`).
    :param retry: a :class:`RetryPolicy`, a number of retries, or ``None``: never retry.
    :raises patreon.exceptions.InvalidArgument: a ``timeout`` or ``retry`` of another kind.
    """

    def __init__(self, base_url=DEFAULT_BASE_URL, session=None, timeout=DEFAULT_TIMEOUT, retry=None):
        _destination.check_base_url(base_url)
        if session is not None and not callable(getattr(session, 'request', None)):
            raise InvalidArgument('session must be a requests.Session, not {}'.format(type(session).__name__))
        # Left as default, the client follows patreon.endpoint's default at every request (a test can move it).
        self._follows_default = _destination.follows_default(base_url)
        self._base_url = base_url.rstrip('/')
        self.timeout = timeout_policy(timeout)
        self.retry = retry_policy(retry)
        self._session = session
        self._owns_session = session is None
        self._session_lock = threading.Lock()
        self.sleep = time.sleep
        self.pacer = None  # a patreon.pacing.Pacer every attempt waits its turn with, or None
        self.budget = None  # a patreon.pacing.RequestBudget every attempt is checked against and counted in, or None
        _forks.track(self)

    def _after_fork(self):
        # In a child of fork(): the parent goes on using the kept-alive connections, so the child makes its own.
        self._session_lock = threading.Lock()
        if self._owns_session:
            self._session = None  # dropped, not closed: closing could not reach the parent's sockets anyway
        elif self._session is not None:
            _renew_connection_pools(self._session)

    @property
    def base_url(self):
        """Scheme and host, no trailing slash; unless set, :func:`patreon.endpoint.default_base_url` each time."""
        return endpoint.default_base_url() if self._follows_default else self._base_url

    @base_url.setter
    def base_url(self, url):
        _destination.check_base_url(url)
        self._follows_default = False
        self._base_url = url.rstrip('/')

    @property
    def session(self):
        """The :class:`requests.Session`, created on first use."""
        if self._session is None:
            with self._session_lock:
                if self._session is None:
                    self._session = requests.Session()
        return self._session

    def url(self, path):
        """The absolute URL of ``path`` (which starts with ``/``)."""
        return self.base_url + path

    def request(self, method, path, **kwargs):
        """Send one request (retrying as the policy allows) and return the :class:`requests.Response`.

        Raises ``requests`` errors without their request (it carried the credentials), ``TotalTimeout`` at once, and
        ``requests.exceptions.InvalidHeader`` for a ``Content-Length`` that is not one number.
        """
        _forks.check()
        base_url = self.base_url
        _destination.check_destination(base_url + path, method)  # the whole URL: a path can move where a base URL ends
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
        with pacer.slot(self.timeout.total):  # a slot the parent of a fork held is not waited for forever
            return self._budgeted_attempt(method, url, path, kwargs)

    def _budgeted_attempt(self, method, url, path, kwargs):
        """One try counted in flight by the 4xx budget, then as the answer it got."""
        budget = self.budget
        if budget is None:
            return self._bounded_attempt(method, url, path, kwargs)
        budget.begin(self.timeout.total)  # the 4xx of the requests that went, or are going, while this one waited
        status = None
        try:
            response = self._bounded_attempt(method, url, path, kwargs)
            status = response.status_code
        finally:
            budget.end(status)
        return response

    def _bounded_attempt(self, method, url, path, kwargs):
        """One try, bounded by ``timeout.total``: the whole response, its body read and checked."""
        from . import _deadline  # on the first request: `import patreon` has no watchdog to load
        fired = False
        session = self.session
        _deadline.watch_pools(session)  # the connections its pools hand out are the ones the watchdog may shut
        watch = _deadline.watch(self.timeout.total)
        try:
            try:
                response = _send(session, method, url, _requests_timeout(self.timeout), kwargs)
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
        return TotalTimeout('{} {}: no complete answer within the total timeout, {:g} s (connect, headers and '
                            'body together)'.format(method, _path_only(path), self.timeout.total),
                            total_timeout=self.timeout.total)

    def close(self):
        """Close the session's connections (only a session this transport created)."""
        if self._owns_session and self._session is not None:
            self._session.close()

def _renew_connection_pools(session):
    """Give every ``HTTPAdapter`` of ``session`` empty pools (in a child of ``fork()``), keeping its settings."""
    for adapter in list(session.adapters.values()):
        if isinstance(adapter, requests.adapters.HTTPAdapter):
            adapter.proxy_manager = {}
            # Private attributes of requests' adapter (its own __setstate__ reads them): no stub declares them.
            adapter.init_poolmanager(adapter._pool_connections, adapter._pool_maxsize,  # type: ignore[attr-defined]
                                     block=adapter._pool_block)  # type: ignore[attr-defined]


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


def _requests_timeout(timeout):
    # One number when both are the same, as requests documents the common case.
    return timeout.connect if timeout.connect == timeout.read else (timeout.connect, timeout.read)


def _headers_as_built(request):
    """An auth hook of requests that changes nothing: with none given, requests would take ``~/.netrc``'s entry for
    the host, or ``session.auth``, and replace the ``Authorization: Bearer`` header the client built."""
    return request


def _send(session, method, url, timeout, kwargs):
    """``session.request``, its body read within the attempt, and its failures as ``requests`` names them right."""
    try:
        # stream=False whatever the session says: the body is read, and checked, inside the attempt's bounds.
        return session.request(method, url, timeout=timeout, stream=False, auth=_headers_as_built, **kwargs)
    except requests.exceptions.ConnectionError as exc:
        # requests reports a read that timed out in the body as a ConnectionError, which would be retried.
        if any(isinstance(reason, urllib3.exceptions.ReadTimeoutError) for reason in exc.args):
            six.raise_from(requests.exceptions.ReadTimeout(*exc.args), exc)
        raise
    except urllib3.exceptions.LocationValueError as exc:  # a host requests lets through ('a..b'): not a URL
        six.raise_from(requests.exceptions.InvalidURL('{} is not a URL that can be reached: {}'.format(
            _printable(url.split('?', 1)[0], 200), exc)), exc)


# --- Is the body whole? ----------------------------------------------------------------------------------------------

def _check_complete(method, response):
    """Refuse a ``Content-Length`` that is not one number, and a body shorter than it (on the wire, so gzip too).

    urllib3 1.26 does not check, and neither checks a compressed body or refuses ``"+10"``.
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

    A cache may serve a stored body through a stream that counted nothing: then the stored body is measured.
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


#: What a client retries by default: 3 times, waiting at most 60 s for a ``Retry-After``.
DEFAULT_RETRY = RetryPolicy()
_NEVER = RetryPolicy(max_retries=0)


def retry_policy(value):
    """``retry`` as a client takes it: a :class:`RetryPolicy`, a whole number of retries, or ``None`` (never).

    :raises patreon.exceptions.InvalidArgument: anything else.
    """
    if value is None:
        return _NEVER
    if isinstance(value, RetryPolicy):
        return value
    if isinstance(value, six.integer_types) and not isinstance(value, bool):
        return RetryPolicy(max_retries=value)
    raise InvalidArgument('retry must be a patreon.RetryPolicy, a number of retries or None, not {}'.format(
        type(value).__name__))


def timeout_policy(value):
    """``timeout`` as a client takes it: a :class:`Timeout`, seconds (connect and read), or ``(connect, read)``.

    :raises patreon.exceptions.InvalidArgument: anything else, or seconds :class:`Timeout` refuses.
    """
    if isinstance(value, Timeout):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        return Timeout(value[0], value[1])
    if isinstance(value, (tuple, list)):
        raise InvalidArgument('timeout must be seconds, a (connect, read) tuple or a patreon.Timeout, not '
                              '{!r}'.format(value))
    return Timeout(check_seconds('timeout', value, limit=MAX_SECONDS), value)


#: Patreon's limits: 100 requests per 2 seconds, at most 1,500 4xx responses in 10 minutes.
DEFAULT_LIMITS = Limits()


#: No pacing and no 4xx budget.
NO_LIMITS = Limits(rate=None, token_rate=None, max_4xx_per_10_minutes=None)


def limits_policy(value):
    """``limits`` as a client takes it: a :class:`Limits`, or ``None`` for :data:`NO_LIMITS`."""
    if value is None:
        return NO_LIMITS
    if isinstance(value, Limits):
        return value
    raise InvalidArgument('limits must be a patreon.Limits or None, not {}'.format(type(value).__name__))


def budget_for(limit, base_url):
    """The 4xx budget ``max_4xx_per_10_minutes`` asks for: ``None``, the one given, or one over ``base_url``'s log."""
    if limit is None or isinstance(limit, RequestBudget):
        return limit
    return shared_budget(base_url, limit)
