"""Faults against the sandbox: 429 storms, 5xx bursts, HTML and cut bodies, resets, refused and slow servers.

Waits are recorded, never slept: ``api.transport.sleep`` is replaced by a
recorder, so a test can assert that the client waited exactly what the
server asked, and still runs in milliseconds.  Durations are never asserted.

The property test at the end lets hypothesis choose a fault schedule for
``paginate`` over a campaign of a few thousand members: every member comes
out exactly once, or a typed error is raised -- never a short or duplicated
list.
"""
from __future__ import absolute_import, division, print_function, unicode_literals


import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st

import patreon
from patreon.exceptions import InvalidResponse, PatreonError, RateLimited, ServerError
from patreon.sandbox import Sandbox

from helpers import closed_port
from reliability_report import examples, tally

MEMBERS = 'campaigns/{id}/members'
MEMBERS_IN_CAMPAIGN = 2500
BACKOFF_FACTOR = 0.5  # RetryPolicy's default: the n-th backoff is between half and all of 0.5 * 2**n seconds
TYPED_ERRORS = (PatreonError, requests.RequestException)


@pytest.fixture(scope='module')
def sb():
    with Sandbox(members=MEMBERS_IN_CAMPAIGN, seed=11) as sandbox:
        yield sandbox


@pytest.fixture(scope='module')
def all_member_ids(sb):
    """Every member id of the campaign in page order, read once without faults."""
    api = patreon.API(sb.creator_token, base_url=sb.url)
    ids = [member.id() for member in api.paginate(api.get_campaigns_by_id_members, sb.campaign_id,
                                                  page_size=1000)]
    assert len(ids) == len(set(ids)) == MEMBERS_IN_CAMPAIGN
    return ids


def fresh(sandbox):
    sandbox.clear_faults()
    sandbox.clear_log()


def client(sandbox, **kwargs):
    """An API on the sandbox whose waits are recorded in ``api.waits`` instead of slept."""
    api = patreon.API(sandbox.creator_token, base_url=sandbox.url, **kwargs)
    api.waits = []
    api.transport.sleep = api.waits.append
    return api


def inject(sandbox, route, kind, count=1, **options):
    sandbox.inject_fault(route, kind, count, **options)
    tally('faults', 'single faults', 'faults injected ({})'.format(kind), count)


def served(sandbox, suffix):
    return [record for record in sandbox.requests if record.path.endswith(suffix)]


def assert_backoff(waits):
    """Each wait is the policy's exponential backoff with jitter for its attempt."""
    for attempt, wait in enumerate(waits):
        base = min(20.0, BACKOFF_FACTOR * 2 ** attempt)
        assert base / 2 <= wait <= base


# 429 storms ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('retry_after', [0, 2, 7])
@pytest.mark.parametrize('header', [True, False], ids=['Retry-After header', 'body only'])
def test_a_429_storm_is_waited_out_exactly_as_asked(sb, retry_after, header):
    fresh(sb)
    api = client(sb, max_retries=3)
    inject(sb, MEMBERS, 'rate_limit', 3, retry_after=retry_after, header=header)

    page = api.get_campaigns_by_id_members(sb.campaign_id, 10)

    assert len(page.data()) == 10
    assert api.waits == [float(retry_after)] * 3
    assert [r.status for r in served(sb, '/members')] == [429, 429, 429, 200]


@pytest.mark.parametrize('raise_errors', [True, False])
def test_a_429_storm_longer_than_max_retries_gives_up_with_rate_limited(sb, raise_errors):
    fresh(sb)
    api = client(sb, max_retries=2, raise_errors=raise_errors)
    inject(sb, MEMBERS, 'rate_limit', 5, retry_after=4)

    with pytest.raises(RateLimited) as caught:
        result = api.get_campaigns_by_id_members(sb.campaign_id, 10)
        result.data()  # without raise_errors: the errors document, whose data() raises

    assert caught.value.retry_after == 4.0
    assert caught.value.status_code == 429
    assert api.waits == [4.0, 4.0]
    assert len(served(sb, '/members')) == 3  # the first try and max_retries more


def test_paginate_raises_rate_limited_when_the_storm_outlasts_the_retries(sb):
    fresh(sb)
    api = client(sb, max_retries=1)
    inject(sb, MEMBERS, 'rate_limit', 2, retry_after=3, header=False)

    with pytest.raises(RateLimited) as caught:
        list(api.paginate(api.get_campaigns_by_id_members, sb.campaign_id, page_size=100))

    assert caught.value.retry_after == 3.0
    assert api.waits == [3.0]


def test_a_429_asking_longer_than_max_retry_wait_is_given_up_at_once(sb):
    fresh(sb)
    api = client(sb, max_retries=3, max_retry_wait=60, raise_errors=True)
    inject(sb, MEMBERS, 'rate_limit', 1, retry_after=120)

    with pytest.raises(RateLimited) as caught:
        api.get_campaigns_by_id_members(sb.campaign_id, 10)

    assert caught.value.retry_after == 120.0
    assert api.waits == []
    assert len(served(sb, '/members')) == 1


def test_max_retries_zero_never_retries(sb):
    fresh(sb)
    api = client(sb, max_retries=0, raise_errors=True)
    inject(sb, MEMBERS, 'rate_limit', 1, retry_after=0)

    with pytest.raises(RateLimited):
        api.get_campaigns_by_id_members(sb.campaign_id, 10)
    assert api.waits == [] and len(served(sb, '/members')) == 1


# 5xx bursts and HTML bodies ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_a_5xx_burst_is_retried_with_backoff(sb, status):
    fresh(sb)
    api = client(sb, max_retries=3)
    inject(sb, 'identity', 'server_error', 3, status=status)

    user = api.get_identity().data()

    assert user.id() == sb.creator_user_id
    assert len(api.waits) == 3
    assert_backoff(api.waits)
    assert [r.status for r in served(sb, '/identity')] == [status] * 3 + [200]


@pytest.mark.parametrize('raise_errors', [True, False])
@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_a_5xx_html_page_outlasting_the_retries_is_a_typed_error(sb, status, raise_errors):
    fresh(sb)
    api = client(sb, max_retries=1, raise_errors=raise_errors)
    inject(sb, 'identity', 'server_error', 2, status=status)

    with pytest.raises((ServerError, InvalidResponse)) as caught:
        api.get_identity()

    assert caught.value.status_code == status
    assert len(api.waits) == 1


def test_a_5xx_on_post_is_not_retried(sb):
    fresh(sb)
    api = client(sb, max_retries=3)
    inject(sb, 'webhooks', 'server_error', 1, status=503)

    with pytest.raises(TYPED_ERRORS):
        api.create_webhook(sb.campaign_id, 'http://127.0.0.1:9/hook', ['members:create'])

    assert api.waits == []
    assert [r.method for r in served(sb, '/webhooks')] == ['POST']


# Cut bodies, resets, refused connections ----------------------------------------------------------------------------

@pytest.mark.parametrize('kind', ['truncated', 'reset'])
def test_cut_bodies_and_resets_are_retried(sb, kind):
    fresh(sb)
    api = client(sb, max_retries=3)
    inject(sb, 'identity', kind, 2)

    assert api.get_identity().data().id() == sb.creator_user_id
    assert len(api.waits) == 2
    assert_backoff(api.waits)
    assert len(served(sb, '/identity')) == 3


@pytest.mark.parametrize('kind', ['truncated', 'reset'])
def test_cut_bodies_and_resets_outlasting_the_retries_raise_a_requests_error(sb, kind):
    fresh(sb)
    api = client(sb, max_retries=2)
    inject(sb, 'identity', kind, 3)

    with pytest.raises(requests.exceptions.ConnectionError if kind == 'reset' else requests.RequestException):
        api.get_identity()
    assert len(api.waits) == 2


@pytest.mark.parametrize('kind', ['truncated', 'reset'])
def test_a_cut_or_reset_post_is_not_retried(sb, kind):
    fresh(sb)
    api = client(sb, max_retries=3)
    inject(sb, 'webhooks', kind, 1)

    with pytest.raises(requests.RequestException):
        api.create_webhook(sb.campaign_id, 'http://127.0.0.1:9/hook', ['members:create'])
    assert api.waits == []
    assert len(served(sb, '/webhooks')) == 1


def test_a_cut_token_answer_is_not_retried_and_says_nothing_of_the_tokens(sb):
    fresh(sb)
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)
    inject(sb, 'token', 'truncated', 1)

    with pytest.raises(requests.RequestException) as caught:
        oauth.refresh_token(sb.creator_refresh_token)

    assert len(served(sb, '/token')) == 1
    assert sb.creator_refresh_token not in repr(caught.value) + str(caught.value)
    assert sb.client_secret not in repr(caught.value) + str(caught.value)


def test_a_refused_connection_is_retried_then_raised():
    api = patreon.API('token', base_url='http://127.0.0.1:{}'.format(closed_port()), max_retries=2)
    waits = []
    api.transport.sleep = waits.append
    tally('faults', 'single faults', 'faults injected (refused)', 3)

    with pytest.raises(requests.exceptions.ConnectionError):
        api.get_identity()
    assert len(waits) == 2
    assert_backoff(waits)


# Slow servers -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('timeout', [0.2, (5.0, 0.2)], ids=['seconds', '(connect, read)'])
def test_a_server_slower_than_the_timeout_raises_timeout(sb, timeout):
    fresh(sb)
    api = client(sb, max_retries=2, timeout=timeout)
    inject(sb, 'identity', 'delay', 3, seconds=2)  # one per possible attempt: retried or not, each is slow

    with pytest.raises(requests.Timeout):
        api.get_identity()


def test_a_slow_token_endpoint_raises_timeout(sb):
    fresh(sb)
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url, timeout=0.2)
    inject(sb, 'token', 'delay', 1, seconds=2)

    with pytest.raises(requests.Timeout):
        oauth.refresh_token('whatever')


def test_a_server_slower_than_usual_but_within_the_timeout_answers(sb):
    fresh(sb)
    api = client(sb, timeout=10)
    inject(sb, 'identity', 'delay', 1, seconds=0.05)

    assert api.get_identity().data().id() == sb.creator_user_id
    assert api.waits == []


# paginate under random fault schedules ----------------------------------------------------------------------------

MAX_RETRIES = 2
MAX_RETRY_WAIT = 60


faults = st.one_of(
    st.tuples(st.just('rate_limit'), st.integers(1, 3),
              st.fixed_dictionaries({'retry_after': st.sampled_from([0, 1, 30, 120]), 'header': st.booleans()})),
    st.tuples(st.just('server_error'), st.integers(1, 3),
              st.fixed_dictionaries({'status': st.sampled_from([500, 502, 503, 504])})),
    st.tuples(st.just('truncated'), st.integers(1, 3), st.just({})),
    st.tuples(st.just('reset'), st.integers(1, 3), st.just({})),
    st.tuples(st.just('delay'), st.integers(1, 2), st.just({'seconds': 0.01})),
)
# page number (0 = the first request) -> faults armed on the members route just before that page is asked for
schedules = st.dictionaries(st.integers(0, 10), st.lists(faults, min_size=1, max_size=3), max_size=4)


def predict(schedule, pages):
    """What the client must do under ``schedule``: the page it fails on (None) and why, and the 429 waits.

    Faults are served first in, first out, one per request; ``delay`` answers
    normally; a request fails for good when it meets more faults than
    MAX_RETRIES, or a 429 asking longer than MAX_RETRY_WAIT.
    """
    queue = []
    waits = []
    for page in range(pages):
        for kind, count, options in schedule.get(page, []):
            queue.extend([(kind, options)] * count)
        attempt = 0
        while queue:
            kind, options = queue.pop(0)
            if kind == 'delay':
                break
            if kind == 'rate_limit' and options['retry_after'] > MAX_RETRY_WAIT:
                return page, kind, waits
            if attempt >= MAX_RETRIES:
                return page, kind, waits
            waits.append(float(options['retry_after']) if kind == 'rate_limit' else None)
            attempt += 1
    return None, None, waits


EXPECTED_ERRORS = {
    'rate_limit': RateLimited,
    'server_error': (ServerError, InvalidResponse),  # an HTML page: typed either way, with its status
    'truncated': requests.RequestException,
    'reset': requests.exceptions.ConnectionError,
}


def check_paginate_under_faults(sandbox, all_ids, schedule, page_size, raise_errors):
    fresh(sandbox)
    api = client(sandbox, max_retries=MAX_RETRIES, max_retry_wait=MAX_RETRY_WAIT, raise_errors=raise_errors)
    pages = -(-len(all_ids) // page_size)
    calls = []

    def members_page(*args, **kwargs):
        for kind, count, options in schedule.get(len(calls), []):
            sandbox.inject_fault(MEMBERS, kind, count, **options)
        calls.append(kwargs.get('cursor'))
        return api.get_campaigns_by_id_members(*args, **kwargs)

    failing_page, failing_kind, expected_waits = predict(schedule, pages)
    ids = []
    error = None
    try:
        for member in api.paginate(members_page, sandbox.campaign_id, page_size=page_size):
            ids.append(member.id())
    except TYPED_ERRORS as exc:
        error = exc

    injected = sum(count for page, armed in schedule.items() if page < len(calls) for _, count, _ in armed)
    tally('faults', 'paginate under random fault schedules', 'schedules tried')
    tally('faults', 'paginate under random fault schedules', 'faults injected', injected)
    tally('faults', 'paginate under random fault schedules', 'requests served', len(sandbox.requests))
    tally('faults', 'paginate under random fault schedules', 'members checked', len(ids))
    assert len(ids) == len(set(ids)), 'a member came out twice'
    if failing_page is None:
        assert error is None, 'no fault outlasted the retries, yet: {!r}'.format(error)
        assert ids == all_ids  # every member, once, in order: nothing lost
        tally('faults', 'paginate under random fault schedules', 'complete runs')
    else:
        assert isinstance(error, EXPECTED_ERRORS[failing_kind]), repr(error)
        assert ids == all_ids[:failing_page * page_size]  # what came before the failure, nothing more
        tally('faults', 'paginate under random fault schedules', 'typed errors raised')
    tally('faults', 'paginate under random fault schedules', 'members lost or repeated', 0)
    assert len(api.waits) == len(expected_waits)
    for wait, expected in zip(api.waits, expected_waits):
        if expected is not None:
            assert wait == expected  # a 429: exactly what the server asked


def paginate_settings(max_examples):
    return settings(max_examples=max_examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@paginate_settings(examples(25, 8))
@given(schedule=schedules, page_size=st.sampled_from([250, 500, 1000]), raise_errors=st.booleans())
def test_paginate_under_random_fault_schedules(sb, all_member_ids, schedule, page_size, raise_errors):
    check_paginate_under_faults(sb, all_member_ids, schedule, page_size, raise_errors)


@pytest.mark.soak
@paginate_settings(400)
@given(schedule=schedules, page_size=st.sampled_from([100, 250, 500, 1000]), raise_errors=st.booleans())
def test_paginate_under_random_fault_schedules_soak(sb, all_member_ids, schedule, page_size, raise_errors):
    check_paginate_under_faults(sb, all_member_ids, schedule, page_size, raise_errors)


def test_the_prediction_of_the_property_test_is_not_trivial():
    # One schedule per outcome, so that a predict() that always said "fine" would fail here.
    assert predict({}, 3) == (None, None, [])
    assert predict({1: [('reset', 3, {})]}, 3)[:2] == (1, 'reset')
    assert predict({0: [('rate_limit', 2, {'retry_after': 1})]}, 3) == (None, None, [1.0, 1.0])
    assert predict({0: [('rate_limit', 1, {'retry_after': 120})]}, 3)[:2] == (0, 'rate_limit')
    assert predict({0: [('delay', 1, {}), ('reset', 2, {})]}, 3) == (None, None, [None, None])
