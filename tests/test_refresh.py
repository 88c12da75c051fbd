"""Automatic token refresh over loopback: at most one refresh per access token, a callback that cannot deadlock,
and a failed refresh that says why (``refresh_error``, ``__cause__``).

The 16-thread variant of "one refresh per token" lives in test_concurrency.py.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import re
import sys
import threading

import pytest
import requests
import responses
import six

import patreon
from patreon.exceptions import OAuthError, ServerError, Unauthorized
from patreon.api import ErrorDocument
from patreon.sandbox import ALL_SCOPES

from helpers import API_URL, TOKEN_URL, token_request_count
from helpers import refreshing_api as sandbox_refreshing_api

GUARD_SECONDS = 100  # only against a deadlock, under the 120 s bound of every test: a loaded 2.7 took 40 s
NOT_CAMPAIGNS = [scope for scope in ALL_SCOPES if scope != 'campaigns']


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=5, seed=41)


@pytest.fixture(autouse=True)
def clean(sb):
    sb.clear_faults()
    yield
    sb.clear_faults()


def refreshing_api(sb, **kwargs):
    """:func:`helpers.refreshing_api` that never sleeps a backoff; returns the client and the stored tokens."""
    api, _, stored = sandbox_refreshing_api(sb, **kwargs)
    api.transport.sleep = lambda seconds: None
    return api, stored


def in_a_thread(work):
    """Run ``work()`` in a thread; fail (rather than hang) when it does not end: a deadlock."""
    outcome = {}

    def run():
        try:
            outcome['result'] = work()
        except Exception:  # reported below, whatever it is
            outcome['error'] = sys.exc_info()

    thread = threading.Thread(target=run)
    thread.daemon = True
    thread.start()
    thread.join(GUARD_SECONDS)
    assert not thread.is_alive(), 'deadlock: the call did not return within {} s'.format(GUARD_SECONDS)
    if 'error' in outcome:
        six.reraise(*outcome['error'])
    return outcome['result']


# At most one refresh per access token ----------------------------------------------------------------------------

@pytest.mark.parametrize('expired', [True, False])
def test_a_401_that_a_refresh_cannot_fix_refreshes_once_however_many_calls(sb, expired):
    api, stored = refreshing_api(sb, scopes=NOT_CAMPAIGNS, expired=expired, raise_errors=True)
    before = token_request_count(sb)

    for _ in range(20):
        with pytest.raises(Unauthorized) as raised:
            api.get_campaigns(5)
        assert 'right after its refresh' in str(raised.value)
        assert raised.value.refresh_error is None  # no refresh failed: the token lacks the scope
    assert token_request_count(sb) - before == 1
    assert len(stored) == 1 and api.access_token == stored[0]['access_token']
    # The refreshed token works where it has the scope, and that does not make the campaigns route refresh again.
    assert api.get_identity().data().id() == sb.creator_user_id
    with pytest.raises(Unauthorized):
        api.get_campaigns(5)
    assert token_request_count(sb) - before == 1
    # When that token expires for real, a route it may use refreshes it; the campaigns route still never does.
    sb.expire_access_token(api.access_token)
    assert api.get_identity().data().id() == sb.creator_user_id
    for _ in range(5):
        with pytest.raises(Unauthorized):
            api.get_campaigns(5)
    assert token_request_count(sb) - before == 2 and len(stored) == 2


def test_a_refreshed_token_that_worked_is_refreshed_again_when_it_expires(sb):
    api, stored = refreshing_api(sb)
    before = token_request_count(sb)
    for _ in range(3):
        assert api.get_identity().data().id() == sb.creator_user_id
        sb.expire_access_token(api.access_token)
    assert api.get_identity().data().id() == sb.creator_user_id
    assert token_request_count(sb) - before == 4  # one per expiry
    assert [tokens['access_token'] for tokens in stored][-1] == api.access_token
    assert len(set(tokens['access_token'] for tokens in stored)) == 4


def test_a_fresh_token_refused_in_default_mode_says_why_in_the_errors_document(sb):
    api, stored = refreshing_api(sb, scopes=NOT_CAMPAIGNS)

    answer = api.get_campaigns(5)

    assert isinstance(answer, ErrorDocument) and answer['errors'][0]['status'] == '401'
    assert 'right after its refresh' in str(answer.error)
    assert answer.error.refresh_error is None
    assert len(stored) == 1


def test_a_route_that_accepts_the_token_after_refusing_it_fresh_is_refreshed_when_the_token_expires():
    """A fresh token refused once (a passing 401), then accepted: weeks later its expiry there refreshes it."""
    valid = set()
    refuse_once = set()
    issued = []

    def token_endpoint(request):
        issued.append('at_fresh_token_number_{:04d}'.format(len(issued) + 1))
        valid.add(issued[-1])
        return 200, {}, json.dumps({'access_token': issued[-1], 'refresh_token': 'rt_refresh_{:04d}_abcdefgh'.format(
            len(issued)), 'expires_in': 3600})

    def members(request):
        token = request.headers['Authorization'].split(' ', 1)[1]
        if token in valid and token not in refuse_once:
            return 200, {}, json.dumps({'data': [], 'meta': {'pagination': {'cursors': {'next': None}}}})
        refuse_once.discard(token)
        return 401, {}, json.dumps({'errors': [{'status': '401', 'title': 'Unauthorized'}]})

    with responses.RequestsMock() as http:
        http.add_callback(responses.POST, TOKEN_URL, callback=token_endpoint)
        http.add_callback(responses.GET, re.compile(re.escape(API_URL + 'campaigns/1/members') + '.*'),
                          callback=members)
        api = patreon.API('at_expired_token_00000000', refresh_token='rt_initial_abcdefghijk', raise_errors=True,
                          retry=None, refresh=patreon.RefreshPolicy(patreon.OAuth('cid', 'cs_SUPERSECRET_0123456789')))
        refuse_once.add('at_fresh_token_number_0001')
        with pytest.raises(Unauthorized) as raised:
            api.get_campaigns_by_id_members('1', 10)
        assert 'right after its refresh' in str(raised.value) and issued == ['at_fresh_token_number_0001']
        assert api.get_campaigns_by_id_members('1', 10).data() == []  # the refusal passed: the route works

        valid.discard('at_fresh_token_number_0001')  # weeks later, the token expires
        assert api.get_campaigns_by_id_members('1', 10).data() == []
        assert issued == ['at_fresh_token_number_0001', 'at_fresh_token_number_0002']
        assert api.access_token == 'at_fresh_token_number_0002'


# on_token_refresh: outside the lock, in order, once each ----------------------------------------------------------

def test_a_callback_that_calls_the_api_and_meets_a_401_does_not_deadlock(sb):
    inner = []

    def store_and_check(tokens):
        inner.append(api.get_campaigns(5))  # the fresh token lacks the scope: a 401, which waits for no lock

    api, _ = refreshing_api(sb, scopes=NOT_CAMPAIGNS, on_token_refresh=store_and_check)
    before = token_request_count(sb)

    identity = in_a_thread(lambda: api.get_identity())

    assert identity.data().id() == sb.creator_user_id
    assert len(inner) == 1 and inner[0]['errors'][0]['status'] == '401'
    assert token_request_count(sb) - before == 1


def test_a_callback_whose_call_refreshes_again_gets_both_refreshes_in_order(sb):
    delivered = []

    def callback(tokens):
        delivered.append(('start', tokens['access_token']))
        if len(delivered) == 1:
            assert api.get_identity().data().id() == sb.creator_user_id  # the new token works...
            sb.expire_access_token(tokens['access_token'])  # ...then expires: this call refreshes again
            assert api.get_identity().data().id() == sb.creator_user_id
        delivered.append(('end', tokens['access_token']))

    api, _ = refreshing_api(sb, on_token_refresh=callback)
    before = token_request_count(sb)

    assert in_a_thread(lambda: api.get_identity()).data().id() == sb.creator_user_id

    assert token_request_count(sb) - before == 2
    first, second = delivered[0][1], delivered[2][1]
    assert delivered == [('start', first), ('end', first), ('start', second), ('end', second)]
    assert api.access_token == second != first


def test_a_refresh_queued_behind_a_callback_that_raised_is_delivered_by_the_next_call(sb):
    delivered = []

    def callback(tokens):
        delivered.append(tokens['access_token'])
        if len(delivered) == 1:
            assert api.get_identity().data().id() == sb.creator_user_id
            sb.expire_access_token(tokens['access_token'])
            api.get_identity()  # refreshes again: its callback waits for this one to end
            raise RuntimeError('the database is down')

    api, _ = refreshing_api(sb, on_token_refresh=callback)

    with pytest.raises(RuntimeError):
        in_a_thread(lambda: api.get_identity())
    assert len(delivered) == 1

    assert api.get_identity().data().id() == sb.creator_user_id
    assert delivered[1:] == [api.access_token]  # once, in order, by the next call
    api.get_identity()
    assert len(delivered) == 2


def test_an_exception_in_the_callback_propagates_and_the_client_keeps_the_new_tokens(sb):
    calls = []

    def failing_store(tokens):
        calls.append(tokens)
        raise RuntimeError('the database is down')

    api, _ = refreshing_api(sb, on_token_refresh=failing_store)
    before = token_request_count(sb)

    with pytest.raises(RuntimeError):
        api.get_identity()

    assert len(calls) == 1
    assert (api.access_token, api.refresh_token) == (calls[0]['access_token'], calls[0]['refresh_token'])
    assert api.get_identity().data().id() == sb.creator_user_id  # the new token, no second refresh
    assert token_request_count(sb) - before == 1 and len(calls) == 1


# A failed refresh says why ----------------------------------------------------------------------------------------

def surfaced(api, raise_errors):
    """The Unauthorized a call surfaces, raised or inside the returned errors document."""
    if raise_errors:
        with pytest.raises(Unauthorized) as raised:
            api.get_identity()
        return raised.value
    answer = api.get_identity()
    assert isinstance(answer, ErrorDocument) and answer['errors'][0]['status'] == '401'
    assert isinstance(answer.error, Unauthorized)
    return answer.error


@pytest.mark.parametrize('raise_errors', [False, True])
def test_a_refused_refresh_token_is_an_invalid_grant_in_refresh_error(sb, raise_errors):
    api, stored = refreshing_api(sb, refresh_token='rt-the-sandbox-never-issued', raise_errors=raise_errors)
    before = token_request_count(sb)

    error = surfaced(api, raise_errors)

    assert isinstance(error.refresh_error, OAuthError)
    assert error.refresh_error.error == 'invalid_grant' and error.refresh_error.status_code == 400
    assert error.__cause__ is error.refresh_error
    assert 'refresh was refused (invalid_grant)' in str(error)
    assert 'rt-the-sandbox-never-issued' not in str(error)
    again = surfaced(api, raise_errors)  # not asked again, and still says why
    assert again.refresh_error.error == 'invalid_grant'
    assert token_request_count(sb) - before == 1 and stored == []


@pytest.mark.parametrize('raise_errors', [False, True])
@pytest.mark.parametrize('fault, options, expected', [
    ('server_error', {'status': 503}, ServerError),
    ('reset', {}, requests.ConnectionError),
    ('rate_limit', {'retry_after': 30}, OAuthError),
])
def test_a_passing_failure_of_the_token_endpoint_keeps_the_tokens_and_is_tried_again(sb, raise_errors, fault,
                                                                                      options, expected):
    api, stored = refreshing_api(sb, raise_errors=raise_errors)
    old_tokens = (api.access_token, api.refresh_token)
    sb.inject_fault('token', fault, 1, **options)

    error = surfaced(api, raise_errors)

    assert isinstance(error.refresh_error, expected)
    assert not (isinstance(error.refresh_error, OAuthError) and error.refresh_error.error == 'invalid_grant')
    assert error.__cause__ is error.refresh_error
    assert 'the token refresh failed' in str(error) and 'tokens are kept' in str(error)
    assert (api.access_token, api.refresh_token) == old_tokens and stored == []
    # Later, the token endpoint is back: the next 401 refreshes.
    assert api.get_identity().data().id() == sb.creator_user_id
    assert len(stored) == 1

