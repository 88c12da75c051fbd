"""Tests for patreon.version_compatibility.utc_timezone."""
import datetime
import sys

import pytest

from patreon.version_compatibility.utc_timezone import (
    FixedUTC, has_timezone_support, isoformat_utc, utc_timezone)

from helpers import FixedOffset

ZERO = datetime.timedelta(0)


class NoOffset(datetime.tzinfo):
    """A tzinfo that does not know its offset: Python counts such a datetime as naive."""

    def utcoffset(self, dt):
        return None


def test_utc_timezone_is_named_utc():
    assert utc_timezone().tzname(None) in ('UTC', 'UTC+00:00')


def test_utc_timezone_has_zero_offset():
    assert utc_timezone().utcoffset(None) == ZERO
    moment = datetime.datetime(2017, 6, 1, 12, 30, tzinfo=utc_timezone())
    assert moment.utcoffset() == ZERO
    assert moment.isoformat() == '2017-06-01T12:30:00+00:00'


def test_utc_timezone_is_one_shared_instance():
    assert utc_timezone() is utc_timezone()


def test_has_timezone_support_tells_whether_datetime_timezone_exists():
    assert has_timezone_support() is (sys.version_info[0] >= 3)
    assert has_timezone_support() is hasattr(datetime, 'timezone')


def test_utc_timezone_is_the_standard_one_where_it_exists():
    if has_timezone_support():
        assert utc_timezone() is datetime.timezone.utc
    else:
        assert isinstance(utc_timezone(), FixedUTC)


def test_fixed_utc_is_a_complete_utc_tzinfo():
    zone = FixedUTC()
    moment = datetime.datetime(2017, 1, 1, tzinfo=zone)
    assert zone.utcoffset(moment) == ZERO
    assert zone.dst(moment) == ZERO
    assert zone.tzname(moment) == 'UTC'
    assert moment.strftime('%H:%M %Z') == '00:00 UTC'
    assert moment.isoformat() == '2017-01-01T00:00:00+00:00'
    assert moment.astimezone(FixedOffset(2)).hour == 2
    assert repr(zone) == 'FixedUTC()'


def test_isoformat_utc_takes_a_naive_datetime_as_utc():
    assert isoformat_utc(datetime.datetime(2017, 1, 1)) == '2017-01-01T00:00:00+00:00'


def test_isoformat_utc_keeps_microseconds():
    assert isoformat_utc(datetime.datetime(2017, 1, 1, 8, 5, 3, 120)) == '2017-01-01T08:05:03.000120+00:00'


def test_isoformat_utc_leaves_an_aware_utc_datetime_unchanged():
    moment = datetime.datetime(2017, 1, 1, 10, 0, tzinfo=utc_timezone())
    assert isoformat_utc(moment) == '2017-01-01T10:00:00+00:00'
    assert isoformat_utc(datetime.datetime(2017, 1, 1, 10, 0, tzinfo=FixedUTC())) == '2017-01-01T10:00:00+00:00'


def test_isoformat_utc_converts_other_zones_to_utc():
    east = datetime.datetime(2017, 1, 1, 1, 30, tzinfo=FixedOffset(2))
    assert isoformat_utc(east) == '2016-12-31T23:30:00+00:00'
    west = datetime.datetime(2017, 1, 1, 22, 0, tzinfo=FixedOffset(-5))
    assert isoformat_utc(west) == '2017-01-02T03:00:00+00:00'


def test_isoformat_utc_treats_a_tzinfo_without_offset_as_naive():
    assert isoformat_utc(datetime.datetime(2017, 1, 1, tzinfo=NoOffset())) == '2017-01-01T00:00:00+00:00'


@pytest.mark.parametrize('value', [datetime.date(2017, 1, 1), '2017-01-01', 1483228800])
def test_isoformat_utc_rejects_what_is_not_a_datetime(value):
    with pytest.raises(TypeError) as raised:
        isoformat_utc(value)
    assert type(value).__name__ in str(raised.value)
