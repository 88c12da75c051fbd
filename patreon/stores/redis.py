"""Redis shared by every process of every machine of an app: tokens, a refresh lock, the pacer and the 4xx budget.

Needs redis-py (``pip install patreon[redis]``); the Redis server's clock times every window.  What a dead process
leaves behind is bounded by ``lock_lease`` and ``slot_lease`` (docs/tokens.md).
"""
from __future__ import absolute_import, unicode_literals

import contextlib
import logging
import threading
import time
import uuid

import redis
import six

from .._clock import monotonic
from ..exceptions import InvalidArgument, TokenStoreError
from .._policy import checked_rate
from ..pacing import BUDGET_WINDOW, RequestBudget
from ..tokens import digest
from ._common import DEFAULT_SLOT_LEASE, SharedTokenStore, TicketPacer, checked_lease, decoded

__all__ = ['RedisStore', 'DEFAULT_LOCK_LEASE', 'DEFAULT_LOCK_TIMEOUT']

_logger = logging.getLogger(__name__)

#: Seconds a refresh lock outlives its holder's last renewal (a live holder renews it every third of that).
DEFAULT_LOCK_LEASE = 10.0
#: Seconds a process waits for the refresh lock before it is a TokenStoreError.
DEFAULT_LOCK_TIMEOUT = 300.0
_POLL = 0.02

_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000 "
# KEYS: ended, in flight. ARGV: requests, seconds, lease, ticket. {1, ''} taken; {0, wait or ''} not.
_TAKE = _NOW + """
local requests, seconds, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - seconds)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) < requests then
  redis.call('ZADD', KEYS[2], now + lease, ARGV[4])
  redis.call('PEXPIRE', KEYS[2], math.ceil((lease + seconds) * 1000))
  return {1, ''}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then return {0, tostring(tonumber(oldest[2]) + seconds - now)} end
return {0, ''}
"""
# KEYS: ended, in flight. ARGV: seconds, ticket.
_END = _NOW + """
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
return 1
"""
# KEYS: log. ARGV: window, entry.
_ADD = _NOW + """
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
return 1
"""
# KEYS: log. ARGV: window, limit. The seconds until fewer than limit answers are in the window, as text.
_WAIT_BELOW = _NOW + """
local window, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then return '0' end
local entry = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return tostring(tonumber(entry[2]) + window - now)
"""
# KEYS: lock. ARGV: owner, lease in ms. 1 while the owner holds it, else 0.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# KEYS: lock, tokens. ARGV: owner ('' when not holding), data. 0 when another process holds the lock.
_SAVE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1
"""


class RedisStore(SharedTokenStore):
    """Tokens, refresh lock, pace and 4xx budget in Redis, for every process of every machine.

    :param client: a ``redis.Redis`` of the app's, or a URL
        (``redis://host:6379/0``, ``rediss://`` for TLS).
    :param name: which token set this store holds (one per user of a
        multi-user app); pace and budget are shared by all.
    :param prefix: put before every key this store writes.
    :param lock_lease: seconds the refresh lock outlives a holder that died.
    :param lock_timeout: seconds a process waits for the lock, then
        :class:`~patreon.exceptions.TokenStoreError`.
    :param slot_lease: seconds a request in flight stays counted when its process dies.
    :raises patreon.exceptions.InvalidArgument: a client that is neither.
    :raises patreon.exceptions.TokenStoreError: (from any method) Redis is
        down, answers what no Redis would, or holds something that is not a token dict.

    Usage::

        store = RedisStore(redis.Redis(host='cache.internal'), name=str(user.id))
        api = patreon.API(None, refresh=patreon.RefreshPolicy(oauth), token_store=store)
    """

    def __init__(self, client, name='default', prefix='patreon:', lock_lease=DEFAULT_LOCK_LEASE,
                 lock_timeout=DEFAULT_LOCK_TIMEOUT, slot_lease=DEFAULT_SLOT_LEASE):
        if isinstance(client, six.string_types):
            client = redis.Redis.from_url(client)
        if not callable(getattr(client, 'register_script', None)):
            raise InvalidArgument('RedisStore needs a redis.Redis or a redis:// URL, not {}'.format(
                type(client).__name__))
        if not isinstance(prefix, six.string_types):
            raise InvalidArgument('prefix must be a string, not {}'.format(type(prefix).__name__))
        super(RedisStore, self).__init__(name)
        self.client, self.prefix = client, prefix
        self.lock_lease = checked_lease(lock_lease, 'lock_lease')
        self.lock_timeout = checked_lease(lock_timeout, 'lock_timeout')
        self.slot_lease = checked_lease(slot_lease, 'slot_lease')
        keyed = prefix + 'tokens:' + digest(self.name)
        self._tokens_key, self._lock_key = keyed, keyed + ':lock'
        self._owner = None  # this holder's random value in the lock key, while it holds it
        self._scripts = dict((script, client.register_script(script))
                             for script in (_TAKE, _END, _ADD, _WAIT_BELOW, _RENEW, _RELEASE, _SAVE))

    def __repr__(self):
        return '<patreon.stores.redis.RedisStore prefix={!r}>'.format(self.prefix)

    def shared_pacer(self, base_url, owner, rate):
        """The pacer of ``owner`` (an OAuth client id or token, kept as a digest) at ``base_url``, in Redis."""
        requests, seconds = checked_rate(rate)
        key = '{}pace:{}'.format(self.prefix, digest('{} {} {} {:g}'.format(base_url, digest(owner), requests,
                                                                             seconds)))
        return _RedisPacer(self, key, requests, seconds)

    def shared_budget(self, base_url, limit):
        """A :class:`patreon.pacing.RequestBudget` of ``limit`` over the 4xx answers of ``base_url``, in Redis."""
        return RequestBudget(limit, log=_RedisLog(self, '{}4xx:{}'.format(self.prefix, digest(base_url))))

    def call(self, script, keys, args):
        """Run one of the module's scripts; a Redis down or refusing is a TokenStoreError."""
        try:
            return self._scripts[script](keys=keys, args=args)
        except redis.RedisError as exc:
            raise _unusable(exc)

    # The backend -------------------------------------------------------------------------------------------------

    def _place(self):
        return self.prefix

    def _read(self):
        try:
            data = self.client.get(self._tokens_key)
        except redis.RedisError as exc:
            raise _unusable(exc)
        return None if data is None else decoded(data, repr(self))

    def _write(self, data):
        if self.call(_SAVE, [self._lock_key, self._tokens_key], [self._owner or '', data]) != 1:
            raise TokenStoreError('{}: the refresh lock is held by another process (this one\'s expired); '
                                  'its tokens are not overwritten'.format(self))

    @contextlib.contextmanager
    def _hold(self):
        owner = uuid.uuid4().hex
        give_up = monotonic() + self.lock_timeout
        while True:
            try:
                taken = self.client.set(self._lock_key, owner, nx=True, px=int(self.lock_lease * 1000))
            except redis.RedisError as exc:
                raise _unusable(exc)
            if taken:
                break
            if monotonic() > give_up:
                raise TokenStoreError('{}: the refresh lock was not free within lock_timeout={:g} s'.format(
                    self, self.lock_timeout))
            time.sleep(_POLL)
        self._owner = owner
        stop = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(owner, stop), name='patreon-redis-lock')
        renewer.daemon = True
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()
            self._owner = None
            try:
                if self.call(_RELEASE, [self._lock_key], [owner]) != 1:
                    _logger.warning('%r: the refresh lock had expired before it was released', self)
            except TokenStoreError:
                _logger.warning('%r: the refresh lock could not be released; it expires by itself', self)

    def _renew(self, owner, stop):
        while not stop.wait(self.lock_lease / 3.0):
            try:
                if self.call(_RENEW, [self._lock_key], [owner, int(self.lock_lease * 1000)]) != 1:
                    _logger.warning('%r: the refresh lock expired while held', self)
                    return
            except TokenStoreError:
                pass  # Redis away for a moment: the next renewal tries again


def _unusable(exc):
    # The exception's text, not the command: a command can carry the tokens.
    return TokenStoreError('Redis cannot be used as a token store ({})'.format(type(exc).__name__))


def _seconds(answer):
    """A number of seconds a script answered as text; anything else is an answer no Redis would give."""
    try:
        return float(answer.decode('ascii') if isinstance(answer, bytes) else answer)
    except (TypeError, ValueError, UnicodeDecodeError):
        raise TokenStoreError('Redis answered something that is not a number of seconds')


class _RedisPacer(TicketPacer):
    """A pacer whose window lives in Redis: every process of every machine waits its turn in it."""

    def __init__(self, store, key, requests, seconds):
        super(_RedisPacer, self).__init__(requests, seconds)
        self._store, self._ended, self._flying = store, key + ':ended', key + ':flying'

    def _take(self):
        ticket = uuid.uuid4().hex
        answer = self._store.call(_TAKE, [self._ended, self._flying],
                                  [self.requests, repr(self.seconds), repr(self._store.slot_lease), ticket])
        if not isinstance(answer, list) or len(answer) != 2 or answer[0] not in (0, 1):
            raise TokenStoreError('Redis answered the pacer with something no Redis would')
        if answer[0] == 1:
            return ticket, None
        return None, (_seconds(answer[1]) if answer[1] not in (b'', '') else None)

    def _end(self, ticket):
        self._store.call(_END, [self._ended, self._flying], [repr(self.seconds), ticket])


class _RedisLog(object):
    """The 4xx answers of one base URL in Redis: the log of a :class:`patreon.pacing.RequestBudget`."""

    def __init__(self, store, key, window=BUDGET_WINDOW):
        self._store, self._key, self.window = store, key, float(window)

    def add(self):
        self._store.call(_ADD, [self._key], [repr(self.window), uuid.uuid4().hex])

    def wait_below(self, limit):
        return max(0.0, _seconds(self._store.call(_WAIT_BELOW, [self._key], [repr(self.window), limit])))
