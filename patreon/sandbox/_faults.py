"""Misbehaviour on demand (fault injection) and Patreon-like rate limiting."""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import math
import numbers
import threading
import time

from six.moves import http_client

from .._policy import check_seconds
from .._sandbox_actions import FAULT_KINDS
from ._messages import JSON_TYPE, html_response, json_response

SERVER_ERROR_STATUSES = (500, 502, 503, 504)
#: The longest ``retry_after`` of a ``rate_limit`` fault, and ``seconds`` of a ``delay`` one.
MAX_RETRY_AFTER = 86400
MAX_DELAY = 600
#: The page the ``maintenance`` fault answers with status 200.
MAINTENANCE_PAGE_TITLE = 'Patreon is down for maintenance'
ANY_ROUTE = '*'


class Fault(object):
    """A fault waiting for its next ``remaining`` matching requests."""

    def __init__(self, route, kind, count, options):
        self.route = route
        self.kind = kind
        self.remaining = count
        self.options = options

    def __repr__(self):
        return '<Fault %s on %s x%d>' % (self.kind, self.route, self.remaining)


class FaultInjector(object):
    """Faults armed per route pattern (or ``'*'``), consumed in the order they were added."""

    def __init__(self, routes):
        self.routes = frozenset(routes) | frozenset([ANY_ROUTE])
        self._faults = []
        self._lock = threading.Lock()

    def add(self, route, kind, count=1, **options):
        """Arm ``kind`` for the next ``count`` requests to ``route``; ValueError on nonsense."""
        return self.arm(route, kind, count, options)

    def arm(self, route, kind, count, options):
        """As :meth:`add`, ``options`` a dict: an option named ``route`` or ``count`` is unknown, not a clash."""
        if route not in self.routes:
            raise ValueError('unknown route %r; use one of %s' % (route, ', '.join(sorted(self.routes))))
        if kind not in FAULT_KINDS:
            raise ValueError('unknown fault kind %r; use one of %s' % (kind, ', '.join(sorted(FAULT_KINDS))))
        if count < 1:
            raise ValueError('count must be at least 1')
        unknown = set(options) - set(FAULT_KINDS[kind])
        if unknown:
            raise ValueError('fault %r takes no option %s' % (kind, ', '.join(sorted(unknown))))
        merged = dict(FAULT_KINDS[kind], **options)
        if kind in ('server_error', 'json_server_error') and merged['status'] not in SERVER_ERROR_STATUSES:
            raise ValueError('status must be one of %s' % (SERVER_ERROR_STATUSES,))
        if kind == 'trickle':
            _check_trickle(merged)
        elif kind == 'rate_limit':
            check_seconds('retry_after', merged['retry_after'], zero=True, limit=MAX_RETRY_AFTER)
            if not isinstance(merged['header'], bool):
                raise ValueError('header must be true or false')
        elif kind == 'delay':
            check_seconds('seconds', merged['seconds'], zero=True, limit=MAX_DELAY)
        fault = Fault(route, kind, count, merged)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, route):
        """The fault for this request to ``route`` (None if none), counting it as used."""
        with self._lock:
            for fault in self._faults:
                if fault.route in (route, ANY_ROUTE):
                    fault.remaining -= 1
                    if not fault.remaining:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self):
        with self._lock:
            del self._faults[:]


class RateLimiter(object):
    """A sliding window: at most ``limit`` requests per ``period`` seconds per key.

    ``clock`` is replaceable so tests can stop time.
    """

    def __init__(self, limit=100, period=2.0, clock=time.time):
        self.limit = limit
        self.period = period
        self.clock = clock
        self._hits = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()

    def hit(self, key):
        """Count a request for ``key``: None when allowed, else the whole seconds to wait."""
        now = self.clock()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.period:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, int(math.ceil(hits[0] + self.period - now)))
            hits.append(now)
        return None


def _check_trickle(options):
    chunk = options['chunk']
    if isinstance(chunk, bool) or not isinstance(chunk, numbers.Integral) or int(chunk) < 1:
        raise ValueError('chunk must be a whole number of bytes, at least 1')
    check_seconds('interval', options['interval'], limit=60)


def field_fault_response(fault):
    """The answer for the faults that imitate the live service's odd answers; None for the other kinds.

    ``unauthorized_html``: 401 with an HTML page; ``json_server_error``: the
    status with ``{"message": "<reason>"}`` as ``application/json`` (no
    ``errors``); ``maintenance``: 200 with an HTML maintenance page.
    """
    if fault.kind == 'unauthorized_html':
        return html_response(401, '401 Unauthorized', 'Unauthorized')
    if fault.kind == 'json_server_error':
        status = fault.options['status']
        return json_response(status, {'message': http_client.responses[status]}, content_type=JSON_TYPE)
    if fault.kind == 'maintenance':
        return html_response(200, MAINTENANCE_PAGE_TITLE,
                             'We are down for scheduled maintenance and will be back soon.')
    return None
