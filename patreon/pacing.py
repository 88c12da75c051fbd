"""Staying under Patreon's limits (docs/limits.md): a pacer of requests, and a budget of 4xx responses.

:func:`shared_pacer` and :func:`shared_budget` hand every client of one key in the process the same object.
"""
from __future__ import unicode_literals

import collections
import contextlib
import hashlib
import logging
import threading

import six

from . import _forks
from ._clock import monotonic as _monotonic
from ._policy import Policy, checked_rate
from .exceptions import InvalidArgument, RequestBudgetExceeded, TotalTimeout

__all__ = ['Limits', 'Pacer', 'PacerChain', 'RequestBudget', 'Slots', 'DEFAULT_RATE_LIMIT', 'DEFAULT_MAX_4XX',
           'BUDGET_WINDOW', 'DEFAULT_TOKEN_RATE_LIMIT', 'shared_pacer', 'shared_budget']

_logger = logging.getLogger(__name__)

#: Patreon's documented limit: requests per window, and the window in seconds.
DEFAULT_RATE_LIMIT = (100, 2.0)
#: Patreon's documented limit per access token (a refresh does not reset it): requests per window, and seconds.
DEFAULT_TOKEN_RATE_LIMIT = (100, 60.0)
#: 4xx answers allowed in :data:`BUDGET_WINDOW` seconds; below the ~2,000 that block a client at the edge.
DEFAULT_MAX_4XX = 1500
BUDGET_WINDOW = 600.0
# The most 4xx answers a log remembers: a limit above it can never trip.
_MAX_REMEMBERED = 1 << 16


class Slots(object):
    """What every pacer shares: :meth:`slot`, a block between ``acquire()`` and ``release()``."""

    @contextlib.contextmanager
    def slot(self, timeout=None):
        """Wait for a free slot, hold it while the block runs, then count the request as ended now.

        :raises patreon.exceptions.TotalTimeout: no slot came free within ``timeout`` seconds.
        """
        if not self.acquire(timeout):
            raise TotalTimeout('no request slot came free within {:g} s ({!r}: all taken)'.format(timeout, self),
                               total_timeout=timeout)
        try:
            yield
        finally:
            self.release()


class Pacer(Slots):
    """At most ``requests`` requests in any ``seconds``, counted at the server: threads wait their turn.

    A request holds its slot until its response is in and counts at the time it ended, so that no window at
    the server sees more.

    :param requests: a whole number above 0.
    :param seconds: the window, a number of seconds above 0.
    :param clock: seconds as a float (a monotonic clock by default); a fake in tests.
    :param sleep: how a thread waits ``n`` seconds for the clock to move; with
        a fake clock, a function that moves it.  By default the thread waits on
        a condition, woken early when a slot frees.
    :raises patreon.exceptions.InvalidArgument: a rate that cannot be kept.
    """

    def __init__(self, requests, seconds, clock=None, sleep=None):
        self.requests, self.seconds = checked_rate((requests, seconds))
        self._clock = clock or _monotonic
        self._sleep = sleep
        self._condition = threading.Condition(threading.Lock())
        self._ended = collections.deque()  # when the requests of the last window ended, oldest first
        self._in_flight = 0
        _forks.track(self)

    def _after_fork(self):
        # The requests in flight at the fork are the parent's: their slots are never released in the child. Those
        # that ended still count, as they reached Patreon.
        self._condition = threading.Condition(threading.Lock())
        self._in_flight = 0

    def __repr__(self):
        return '<patreon.pacing.Pacer {} requests per {:g} s>'.format(self.requests, self.seconds)

    def acquire(self, timeout=None):
        """Wait until a request may start (``True``), or ``timeout`` seconds (``False``, no slot taken).

        Pair a ``True`` with :meth:`release` when the answer is in.  ``None`` waits as long as it takes.
        """
        deadline = None if timeout is None else self._clock() + timeout
        with self._condition:
            waited = False
            while True:
                now = self._clock()
                while self._ended and self._ended[0] <= now - self.seconds:
                    self._ended.popleft()
                if self._in_flight + len(self._ended) < self.requests:
                    self._in_flight += 1
                    if waited:
                        _logger.debug('paced: waited for a slot (%d per %g s)', self.requests, self.seconds)
                    return True
                if deadline is not None and now >= deadline:
                    return False
                waited = True
                # The oldest ended request leaves the window then; if all are in flight, the first release wakes us.
                wait = self._ended[0] + self.seconds - now if self._ended else None
                if deadline is not None:
                    wait = deadline - now if wait is None else min(wait, deadline - now)
                self._wait(wait)

    def release(self):
        """The request's answer is in (or it failed): it counts as sent now."""
        with self._condition:
            self._in_flight -= 1
            self._ended.append(self._clock())
            self._condition.notify_all()

    def idle(self):
        """Whether no request is in flight and none ended within the window: nothing to remember."""
        with self._condition:
            return self._in_flight == 0 and (not self._ended or self._ended[-1] <= self._clock() - self.seconds)

    def _wait(self, seconds):
        if self._sleep is None or seconds is None:
            self._condition.wait(seconds)
            return
        self._condition.release()  # the fake clock moves while others may release their slots
        try:
            self._sleep(seconds)
        finally:
            self._condition.acquire()


class RequestBudget(object):
    """4xx answers allowed over a sliding window; past ``limit``, :meth:`check` raises without anything sent.

    :param limit: 4xx answers allowed in ``window`` seconds (a whole number above 0).
    :param window: seconds; 10 minutes by default, as Patreon's edge counts.
    :param log: the shared record of 4xx answers, kept by every budget of one base URL (as
        :func:`shared_budget` and the stores of :mod:`patreon.stores` share it); a new one by default.
    :param clock: seconds as a float, when ``log`` is not given; a fake in tests.
    :raises patreon.exceptions.InvalidArgument: a limit that is not a whole number above 0.
    """

    def __init__(self, limit, window=BUDGET_WINDOW, log=None, clock=None):
        self.limit = _checked_4xx_limit(limit)
        self.log = log if log is not None else _ClientErrorWindow(window, clock)

    def __repr__(self):
        return '<patreon.pacing.RequestBudget {} 4xx per {:g} s>'.format(self.limit, self.log.window)

    def check(self):
        """Raise :class:`~patreon.exceptions.RequestBudgetExceeded` when the window holds ``limit`` 4xx answers."""
        wait = self.log.wait_below(self.limit)
        if wait > 0:
            raise self._exceeded(wait)

    def record(self, status_code):
        """Count an answer when it is a 4xx."""
        if 400 <= status_code < 500:
            self.log.add()

    def begin(self, timeout=None):
        """Count a request in flight, or raise :class:`~patreon.exceptions.RequestBudgetExceeded`; then :meth:`end`.

        Near the limit every request in flight may be one more 4xx: a request
        waits (``timeout`` seconds at most) until those settle, so that
        however many threads call at once, no more than ``limit`` 4xx come.
        """
        reserve = getattr(self.log, 'reserve', None)
        if reserve is None:  # a log kept by a store shared by processes: their requests in flight are not counted
            self.check()
            return
        wait = reserve(self.limit, timeout)
        if wait is None:
            raise RequestBudgetExceeded(
                'requests in flight could bring the 4xx answers of the last {:g} s to {} (max_4xx_per_10_minutes), '
                'and did not end within {:g} s: nothing was sent'.format(self.log.window, self.limit, timeout))
        if wait > 0:
            raise self._exceeded(wait)

    def end(self, status_code):
        """The request :meth:`begin` counted ended: with ``status_code``, or ``None`` when it got no answer."""
        settle = getattr(self.log, 'settle', None)
        if settle is not None:
            settle(status_code)
        elif status_code is not None:
            self.record(status_code)

    def _exceeded(self, wait):
        return RequestBudgetExceeded(
            '{} or more 4xx answers in the last {:g} s: nothing is sent for {:.0f} s more, so that Patreon does '
            'not block this client for half an hour (max_4xx_per_10_minutes)'.format(
                self.limit, self.log.window, max(1.0, wait)), retry_after=wait)


class _ClientErrorWindow(object):
    """When the 4xx answers of the last ``window`` seconds came (thread-safe); shared by budgets of one key."""

    def __init__(self, window=BUDGET_WINDOW, clock=None):
        self.window = float(window)
        self._clock = clock or _monotonic
        self._times = collections.deque(maxlen=_MAX_REMEMBERED)
        self._in_flight = 0  # requests counted by reserve() and not settled yet
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)
        _forks.track(self)

    def _after_fork(self):
        # The 4xx answers stay: Patreon counted them, whichever process earned them. The requests in flight are the
        # parent's, and settle there.
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)
        self._in_flight = 0

    def add(self):
        with self._lock:
            self._times.append(self._clock())

    def wait_below(self, limit):
        """Seconds until fewer than ``limit`` answers are in the window (0.0 when they already are)."""
        with self._lock:
            return self._wait_below(limit, self._clock())

    def _wait_below(self, limit, now):
        while self._times and self._times[0] <= now - self.window:
            self._times.popleft()
        if len(self._times) < limit:
            return 0.0
        return self._times[len(self._times) - limit] + self.window - now

    def reserve(self, limit, timeout=None):
        """Count a request in flight: ``0.0`` when it may go; seconds until the window is below ``limit`` when it
        may not; ``None`` when the requests in flight that could reach ``limit`` did not settle within ``timeout``."""
        deadline = None if timeout is None else _monotonic() + timeout
        with self._lock:
            while True:
                wait = self._wait_below(limit, self._clock())
                if wait > 0:
                    return wait
                if len(self._times) + self._in_flight < limit:
                    self._in_flight += 1
                    return 0.0
                left = None if deadline is None else deadline - _monotonic()
                if left is not None and left <= 0:
                    return None
                self._settled.wait(left)  # near the limit: each request in flight may be one more 4xx

    def settle(self, status_code):
        """A request :meth:`reserve` counted ended, with ``status_code`` (``None``: no answer)."""
        with self._lock:
            self._in_flight -= 1
            if status_code is not None and 400 <= status_code < 500:
                self._times.append(self._clock())
            self._settled.notify_all()


class PacerChain(Slots):
    """Several pacers a request waits its turn in, in order (the per-token one, then the per-client one).

    :param pacers: objects with ``acquire()`` and ``release()`` (:class:`Pacer` or a shared store's).
    """

    def __init__(self, pacers):
        self.pacers = tuple(pacers)

    def __repr__(self):
        return '<patreon.pacing.PacerChain {!r}>'.format(list(self.pacers))

    def acquire(self, timeout=None):
        """Wait for a slot in each pacer in turn, ``timeout`` seconds in all (``False`` if one did not come free);
        the slots already taken are given back when one is not had."""
        deadline = None if timeout is None else _monotonic() + timeout
        taken = []
        try:
            for pacer in self.pacers:
                left = None if deadline is None else max(0.0, deadline - _monotonic())
                if not pacer.acquire(left):
                    break
                taken.append(pacer)
            else:
                return True
        except BaseException:
            for pacer in reversed(taken):
                pacer.release()
            raise
        for pacer in reversed(taken):
            pacer.release()
        return False

    def release(self):
        """The answer is in: every pacer counts the request as ended now."""
        for pacer in reversed(self.pacers):
            pacer.release()

    def idle(self):
        """Whether every pacer of the chain is idle."""
        return all(pacer.idle() for pacer in self.pacers)


def _checked_4xx_limit(limit):
    if isinstance(limit, bool) or not isinstance(limit, six.integer_types) or limit < 1:
        raise InvalidArgument('max_4xx_per_10_minutes must be a whole number above 0, or None, not {!r}'.format(
            limit))
    return limit


def _checked_pace(rate, name):
    """``None``, a pacer object (``acquire``/``release``), or ``(requests, seconds)`` checked."""
    if rate is None or callable(getattr(rate, 'acquire', None)):
        return rate
    return checked_rate(rate, name)


class Limits(Policy):
    """How fast a client may send, and how many 4xx responses it may earn; immutable, shareable between clients.

    :param rate: ``(requests, seconds)`` every attempt waits its turn for, shared by the clients of the process
        with the same OAuth client (or token) and base URL; Patreon's 100 per 2 seconds by default; a
        :class:`Pacer` to share one explicitly; ``None``: no pacing.
    :param token_rate: ``(requests, seconds)`` per access token (Patreon's 100 per minute; a refresh does not
        reset it), waited for before ``rate``; a pacer; ``None``: off.  ``'auto'`` (the default): on with a token
        store shared by processes (:mod:`patreon.stores`) while ``rate`` is a tuple, else off.
    :param max_4xx_per_10_minutes: past this many 4xx responses in 10 minutes (counted for every client of the
        base URL in the process, or of a shared store), calls raise
        :class:`~patreon.exceptions.RequestBudgetExceeded` without sending, instead of earning Patreon's
        half-hour block at ~2,000; a :class:`RequestBudget` to share one explicitly; ``None``: no budget.
        :class:`patreon.OAuth` uses this one only.
    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) a value of another kind or out of range.

    Usage::

        patreon.API(access_token, limits=Limits(rate=(50, 2.0), max_4xx_per_10_minutes=500))
    """

    __slots__ = _fields = ('rate', 'token_rate', 'max_4xx_per_10_minutes')

    def __init__(self, rate=DEFAULT_RATE_LIMIT, token_rate='auto', max_4xx_per_10_minutes=DEFAULT_MAX_4XX):
        budget = max_4xx_per_10_minutes
        if budget is not None and not isinstance(budget, RequestBudget):
            budget = _checked_4xx_limit(budget)
        self._init(rate=_checked_pace(rate, 'rate'),
                   token_rate='auto' if token_rate == 'auto' else _checked_pace(token_rate, 'token_rate'),
                   max_4xx_per_10_minutes=budget)


_shared_lock = threading.Lock()
# Held strongly: an application that makes a client per web request still shares one pace and one count. Past
# _PRUNE_ABOVE pacers (a process serving many users' tokens), the idle ones go: they hold nothing worth keeping.
_pacers = {}
_logs = {}
_PRUNE_ABOVE = 256


@_forks.on_fork
def _after_fork():
    global _shared_lock
    _shared_lock = threading.Lock()


def shared_pacer(base_url, owner, rate):
    """The :class:`Pacer` of every client of ``owner`` (an OAuth client id, or a token) at ``base_url``.

    ``owner`` is kept only as a digest: a token is never a key anyone can print.
    """
    requests, seconds = checked_rate(rate)
    key = (base_url, _digest(owner), requests, seconds)
    with _shared_lock:
        pacer = _pacers.get(key)
        if pacer is None:
            if len(_pacers) >= _PRUNE_ABOVE:
                for stale in [other for other, value in _pacers.items() if value.idle()]:
                    del _pacers[stale]
            pacer = _pacers[key] = Pacer(requests, seconds)
        return pacer


def shared_budget(base_url, limit):
    """A :class:`RequestBudget` of ``limit`` over the 4xx log every client of ``base_url`` in the process shares."""
    with _shared_lock:
        log = _logs.get(base_url)
        if log is None:
            log = _logs[base_url] = _ClientErrorWindow()
        return RequestBudget(limit, log=log)


def _digest(owner):
    return hashlib.sha256(owner.encode('utf-8') if isinstance(owner, six.text_type) else owner).hexdigest()
