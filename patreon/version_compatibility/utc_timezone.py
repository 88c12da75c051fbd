"""A UTC ``tzinfo`` that works on every supported Python, and UTC ISO 8601 formatting.

Python 3 has :data:`datetime.timezone.utc`; Python 2.7 has no concrete ``tzinfo`` at all, so a small one is
provided there.
"""
from __future__ import absolute_import

import datetime

__all__ = ['FixedUTC', 'has_timezone_support', 'isoformat_utc', 'utc_timezone']

_ZERO = datetime.timedelta(0)


class FixedUTC(datetime.tzinfo):
    """The UTC ``tzinfo`` used where :mod:`datetime` has no ``timezone`` class (Python 2.7)."""

    def utcoffset(self, dt):
        """Return the offset from UTC: always zero."""
        return _ZERO

    def dst(self, dt):
        """Return the daylight saving adjustment: always zero, UTC has none."""
        return _ZERO

    def tzname(self, dt):
        """Return the name of the zone, ``'UTC'``."""
        return 'UTC'

    def __repr__(self):
        return 'FixedUTC()'


def has_timezone_support():
    """Tell whether the standard library has ``datetime.timezone`` (Python 3) or not (Python 2.7)."""
    return hasattr(datetime, 'timezone')


# Chosen once: one shared instance, so comparisons and tzinfo identity checks behave predictably.
_UTC = datetime.timezone.utc if has_timezone_support() else FixedUTC()


def utc_timezone():
    """Return a UTC ``tzinfo``: :data:`datetime.timezone.utc` on Python 3, a :class:`FixedUTC` on 2.7."""
    return _UTC


def isoformat_utc(dt):
    """Format a datetime as ISO 8601 in UTC: a naive datetime is taken as UTC, an aware one is converted.

    :param dt: a :class:`datetime.datetime`, naive or aware.
    :returns: text such as ``'2017-01-01T00:00:00+00:00'``.
    :raises TypeError: if ``dt`` is not a datetime (a bare ``date`` has no time zone to convert).
    """
    if not isinstance(dt, datetime.datetime):
        raise TypeError('isoformat_utc() expects a datetime.datetime, got {0}'.format(type(dt).__name__))
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=_UTC).isoformat()
    return dt.astimezone(_UTC).isoformat()
