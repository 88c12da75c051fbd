"""When to try a request again, and how long to wait first: the retry policy as data.

:class:`RetryPolicy` decides and ``Transport`` runs the loop; a wait a response asks for is used only when sane.
"""
import logging
import random

import requests
import six

from ._policy import MAX_SECONDS, Policy, check_seconds
from .exceptions import InvalidArgument
from ._retry_after import MAX_RETRY_AFTER, retry_after_seconds

__all__ = ['RetryPolicy', 'MAX_RETRY_AFTER', 'MAX_SECONDS', 'RETRY_STATUSES', 'RETRY_METHODS', 'RETRY_EXCEPTIONS']

_logger = logging.getLogger(__name__)

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
            _logger.warning('%s asks to wait %.0f s, longer than the %.0f s allowed: giving up',
                           response.status_code, asked, self.max_retry_wait)
            return None
        return asked


