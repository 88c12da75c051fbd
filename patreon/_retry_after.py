"""How long an answer asks the client to wait before it tries again, when that wait is sane."""
import datetime
import email.utils
import time

import six

from ._patterns import LazyPattern

#: The longest wait (seconds) an answer may ask for; a longer ``Retry-After`` is taken for garbage and ignored.
MAX_RETRY_AFTER = 86400.0


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
