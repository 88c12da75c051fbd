"""What the policy objects (:class:`~patreon.policies.Timeout`, :class:`~patreon.pacing.Limits`, ...) share.

A policy is checked when made, never changes after (so one object can configure many clients), compares by
value, and shows its settings in its repr, never what an object in it holds (a callback, a client, a pacer).
"""
import six

from .exceptions import InvalidArgument

#: The largest timeout or backoff (seconds) a client accepts: a day, far below what sockets and sleeps can hold.
MAX_SECONDS = 86400.0


class Policy(object):
    """Immutable settings named by ``_fields``, in the order the constructor takes them."""

    __slots__ = ()
    _fields = ()  # type: tuple

    def _init(self, **values):
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError('{} is immutable: make another with .replace({}=...)'.format(type(self).__name__, name))

    def __delattr__(self, name):
        self.__setattr__(name, None)

    def _values(self):
        return tuple(getattr(self, name) for name in self._fields)

    def replace(self, **changes):
        """A copy with ``changes`` (checked as the constructor checks them)."""
        values = dict(zip(self._fields, self._values()))
        values.update(changes)
        return type(self)(**values)

    def __eq__(self, other):
        return type(other) is type(self) and other._values() == self._values()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self).__name__,) + tuple(id(value) if _unhashable(value) else value
                                                   for value in self._values()))

    def __reduce__(self):
        return type(self), self._values()

    def __repr__(self):
        return 'patreon.{}({})'.format(type(self).__name__, ', '.join(
            '{}={}'.format(name, _shown(value)) for name, value in zip(self._fields, self._values())))


def _unhashable(value):
    try:
        hash(value)
    except TypeError:
        return True
    return False


# The numbers a setting takes (not the numbers module: a module more for `import patreon` to load).
_NUMBERS = six.integer_types + (float,)


def _shown(value):
    # Numbers, tuples of them and words are settings; any other object is named by its type only (it may hold a
    # secret: a client with its client secret, a callback closing over a token).
    if value is None or isinstance(value, _NUMBERS):
        return repr(value)
    if isinstance(value, six.string_types):
        return "'{}'".format(value)
    if isinstance(value, tuple) and all(isinstance(item, _NUMBERS) for item in value):
        return repr(value)
    return '<{}>'.format(type(value).__name__)


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


def checked_oauth_client(client):
    # Checked now: found wrong at the first 401, it would fail with the refresh token at stake.
    if not callable(getattr(client, 'refresh_token', None)):
        raise InvalidArgument('oauth_client must be a patreon.OAuth (something with its refresh_token method), '
                              'not {}'.format(type(client).__name__))
    return client


def checked_callback(callback):
    if callback is not None and not callable(callback):
        raise InvalidArgument('on_token_refresh must be callable, not {}'.format(type(callback).__name__))
    return callback


def checked_margin(seconds):
    return check_seconds('refresh_margin', seconds, zero=True, limit=366 * 24 * 3600)


def checked_rate(rate, name='rate'):
    """``(requests, seconds)`` checked: a whole number above 0 and a finite number of seconds above 0."""
    if not isinstance(rate, tuple) or len(rate) != 2:
        raise InvalidArgument('{} must be (requests, seconds) or None, not {}'.format(name, type(rate).__name__))
    requests, seconds = rate
    if isinstance(requests, bool) or not isinstance(requests, six.integer_types) or requests < 1:
        raise InvalidArgument('{} needs a whole number of requests above 0, not {!r}'.format(name, requests))
    return requests, float(check_seconds('the window of ' + name, seconds, limit=MAX_SECONDS))
