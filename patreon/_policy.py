"""What the policy objects (:class:`~patreon.policies.Timeout`, :class:`~patreon.pacing.Limits`, ...) share.

A policy is checked when made, never changes after (so one object can configure many clients), compares by
value, and shows its settings in its repr, never what an object in it holds (a callback, a client, a pacer).
"""
import six


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
