"""When to try a request again, and how long to wait first: the retry policy as data.

:class:`RetryPolicy` decides and ``Transport`` runs the loop; a wait a response asks for is used only when sane.
"""
import datetime
import email.utils
import logging
import random
import time

import requests
import six

from ._policy import Policy
from .exceptions import InvalidArgument
from ._patterns import LazyPattern

__all__ = ['RetryPolicy', 'MAX_RETRY_AFTER', 'MAX_SECONDS', 'RETRY_STATUSES', 'RETRY_METHODS', 'RETRY_EXCEPTIONS']

logger = logging.getLogger(__name__)

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


class RetryPolicy(Policy):
    """When to try a request again, and how long to wait first; immutable, shareable between clients.

    Only ``GET``, ``HEAD``, ``OPTIONS`` and ``DELETE`` are retried, after a connection error, 429 or 5xx.

    Usage::

        patreon.API(access_token, retry=RetryPolicy(max_retries=5, max_retry_wait=30.0))

    :param max_retries: attempts after the first; ``0`` disables retries.
    :param max_retry_wait: the longest wait (seconds) a 429 may ask for; a
        longer one is given up at once, with the 429.
    :param backoff_factor: exponential backoff base, in seconds.
    :param backoff_max: the longest backoff, in seconds.
    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) ``max_retries`` is not a whole number >= 0, or a wait
        is not a number of seconds from 0 to :data:`MAX_SECONDS` (``max_retry_wait``
        may be larger, even infinite: no answer may ask for more than :data:`MAX_RETRY_AFTER`).
    """

    __slots__ = _fields = ('max_retries', 'max_retry_wait', 'backoff_factor', 'backoff_max')

    def __init__(self, max_retries=3, max_retry_wait=60.0, backoff_factor=0.5, backoff_max=20.0):
        if isinstance(max_retries, bool) or not isinstance(max_retries, six.integer_types) or max_retries < 0:
            raise InvalidArgument('max_retries must be a whole number >= 0, not {!r}'.format(max_retries))
        self._init(max_retries=max_retries,
                   max_retry_wait=check_seconds('max_retry_wait', max_retry_wait, zero=True),
                   backoff_factor=check_seconds('backoff_factor', backoff_factor, zero=True, limit=MAX_SECONDS),
                   backoff_max=check_seconds('backoff_max', backoff_max, zero=True, limit=MAX_SECONDS))

    def backoff(self, attempt):
        """Exponential backoff with jitter: between half and all of ``factor * 2**attempt``."""
        # The exponent is capped: 2 ** 1100 does not fit a float, and 2 ** 64 is already beyond any backoff_max.
        base = min(self.backoff_max, self.backoff_factor * float(2 ** min(attempt, 64)))
        return base / 2.0 + random.uniform(0, base / 2.0)

    def wait_after_error(self, method, attempt):
        """Seconds to wait before retrying after a connection error, or ``None`` to give up."""
        if method not in RETRY_METHODS or attempt >= self.max_retries:
            return None
        return self.backoff(attempt)

    def wait_after_response(self, method, response, attempt):
        """Seconds to wait before retrying after ``response``, or ``None`` to return it."""
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

    From ``Retry-After`` (seconds or an HTTP date; a past date is ``0.0``), else the body's
    ``errors[].retry_after_seconds``.  A value that is not a sane wait (negative, not a number, beyond
    :data:`MAX_RETRY_AFTER`, several values, an impossible date) counts as none.
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
_DELAY_SECONDS = LazyPattern(r'[0-9]{1,9}(?:\.[0-9]{1,6})?\Z')
# What an HTTP date looks like (RFC 9110, 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT"
# or "Sun Nov  6 08:49:37 1994". A gate before parsedate_tz, which also takes a missing zone, other zones, a second
# date after a comma, and digits of other scripts.
_HTTP_DATE = LazyPattern(r'[A-Za-z]+(?:, [0-9A-Za-z -]+ [0-9]{2}:[0-9]{2}:[0-9]{2} GMT'
                         r'| [A-Za-z]{3} [0-9 ][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4})\Z')


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
    fields = email.utils.parsedate_tz(text) if _HTTP_DATE.match(text) else None
    if fields is None:
        return None
    try:
        datetime.datetime(*fields[:6])  # refuses 31 Feb, 25:00 and year 0
    except ValueError:
        return None
    return float(email.utils.mktime_tz(fields[:9] + (0,)))  # GMT, which asctime's form leaves unsaid


def _wait(value):
    """``value`` as a float of seconds if it is a sane wait (a number, 0 to :data:`MAX_RETRY_AFTER`), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, six.integer_types + (float,)):
        return None
    if not 0 <= value <= MAX_RETRY_AFTER:  # False for NaN too; an int too big for a float compares fine
        return None
    return float(value) + 0.0  # -0.0 + 0.0 is 0.0: a message reads "retry after 0 s", not "-0 s"


def check_seconds(name, value, zero=False, limit=None):
    """``value`` if it is a number of seconds above 0 (or ``zero``) and at most ``limit``; else InvalidArgument.

    :class:`~patreon.exceptions.InvalidArgument` is a ``ValueError``.

    Checks the settings given in seconds: the clients' timeouts and the policy's waits.
    ``limit=None`` takes any size, infinity included; a limit keeps sockets and sleeps from overflowing.
    """
    if isinstance(value, bool) or not isinstance(value, six.integer_types + (float,)):
        raise InvalidArgument('{} must be a number of seconds, not {!r}'.format(name, value))
    low_ok = value >= 0 if zero else value > 0
    if not (low_ok and (limit is None or value <= limit)):  # NaN fails both comparisons
        raise InvalidArgument('{} must be a number of seconds {} {}, not {!r}'.format(
            name, '>= 0' if zero else 'above 0', 'and at most {:.15g}'.format(limit) if limit else '(inf allowed)',
            value))
    return value


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
