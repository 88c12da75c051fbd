"""patreon.endpoint: where clients left at the default base_url send, and when the real Patreon is refused.

Also the requests 0.5.1 never made while a mock stands in for requests.get/requests.post (0.5.1's own calls go
through the mock: test_stand_in.py): they go through the session, so one to the real Patreon is refused with
PatchedRequestsIgnored before anything is sent; and the other ways to test: responses, and the sandbox.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import copy
import pickle
import threading

import pytest
import requests
import responses

import patreon
from patreon import _destination, endpoint
from patreon.exceptions import (InvalidArgument, PatchedRequestsIgnored, PatreonError, RealPatreonBlocked,
                                Unauthorized)
from patreon.sandbox import Sandbox
from patreon.utils import user_agent_string

from helpers import ACCESS_TOKEN, API_URL, CLIENT_ID, CLIENT_SECRET, load_fixture

try:
    from unittest import mock
except ImportError:  # Python 2.7: the backport
    import mock

IDENTITY_URL = API_URL + 'identity'
IDENTITY = 'identity_with_memberships.json'


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=5, seed=4)


def test_without_an_override_clients_send_to_patreon():
    assert endpoint.default_base_url() == 'https://www.patreon.com'
    assert patreon.API(ACCESS_TOKEN).transport.base_url == 'https://www.patreon.com'
    assert patreon.OAuth(CLIENT_ID, CLIENT_SECRET).get_authorization_url('https://app.example/cb').startswith(
        'https://www.patreon.com/oauth2/authorize?')


def test_clients_left_at_the_default_follow_the_override_even_when_created_before_it(sandbox):
    early_api = patreon.API(sandbox.creator_token)  # e.g. created when the app's module was imported
    early_oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret)
    with endpoint.override_default_base_url(sandbox.url + '/'):
        late_api = patreon.API(sandbox.creator_token)
        for api in (early_api, late_api):
            assert api.get_identity().data().id() == sandbox.creator_user_id
        assert early_oauth.get_authorization_url(sandbox.redirect_uri).startswith(sandbox.url + '/oauth2/authorize?')
        tokens = early_oauth.refresh_token(sandbox.creator_refresh_token)
        assert 'access_token' in tokens
    assert early_api.transport.base_url == late_api.transport.base_url == 'https://www.patreon.com'


def test_a_client_given_base_url_keeps_it(sandbox):
    with Sandbox(members=1, seed=1) as other:
        api = patreon.API(other.creator_token, base_url=other.url)
        with endpoint.override_default_base_url(sandbox.url):
            assert api.transport.base_url == other.url
            assert api.get_identity().data().id() == other.creator_user_id


def test_setting_base_url_pins_it():
    transport = patreon.API(ACCESS_TOKEN).transport
    transport.base_url = 'http://127.0.0.1:9/'
    with endpoint.override_default_base_url('http://127.0.0.1:8'):
        assert transport.base_url == 'http://127.0.0.1:9'


@responses.activate
@pytest.mark.parametrize('url', ['https://www.patreon.com', 'https://www.patreon.com/', 'https://patreon.com',
                                 'http://api.patreon.com', 'https://WWW.PATREON.COM.'])
def test_while_an_override_is_active_the_real_patreon_is_refused_before_anything_is_sent(url):
    responses.add(responses.GET, IDENTITY_URL, json=load_fixture(IDENTITY))
    with endpoint.override_default_base_url('http://127.0.0.1:9') as override:
        with pytest.raises(RealPatreonBlocked) as caught:
            patreon.API(ACCESS_TOKEN, base_url=url).get_identity()
        with pytest.raises(RealPatreonBlocked):
            patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url=url).get_tokens('code', 'https://app.example/cb')
    assert len(responses.calls) == 0
    assert len(override.refused) == 2 and override.refused[0] == str(caught.value)
    message = str(caught.value)
    assert 'http://127.0.0.1:9' in message and 'real Patreon' in message
    assert ACCESS_TOKEN not in message and CLIENT_SECRET not in message
    # Loud: not a requests error that an app's "Patreon is unreachable" branch would swallow.
    assert isinstance(caught.value, (PatreonError, RuntimeError))
    assert not isinstance(caught.value, requests.RequestException)


@responses.activate
@pytest.mark.parametrize('url', ['https://www.patreon.com\\', 'https://www.patre%6Fn.com', 'https://patreon%2Ecom',
                                 'https://www.patreon.com%2e', 'https://www.patreon.com\\x',
                                 'HTTPS://www.PATRE%6fN.com:443'])
def test_a_spelling_that_urllib3_reads_as_patreon_is_refused_before_anything_is_sent(url):
    # urlsplit reads another host in each (or none); urllib3, which connects, ends the host at a backslash
    # and percent-decodes it. A host with either is no base URL: refused when the client is made.
    with endpoint.override_default_base_url('http://127.0.0.1:9'):
        with pytest.raises(InvalidArgument):
            patreon.API(ACCESS_TOKEN, base_url=url).get_identity()
        with pytest.raises(InvalidArgument):
            patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url=url).refresh_token('rt_abcdefgh')
    assert len(responses.calls) == 0
    # And the block, for a URL that reaches it otherwise, judges the host urllib3 would connect to.
    with endpoint.override_default_base_url('http://127.0.0.1:9'):
        with pytest.raises(RealPatreonBlocked) as raised:
            _destination.check_destination(url + '/api/oauth2/v2/identity', 'GET')
    assert 'patreon.com)' in str(raised.value)  # the host it would have reached
    assert _destination.connected_host(url + '/api/oauth2/v2/identity') == _destination.connected_host(url) in (
        'www.patreon.com', 'patreon.com')


def test_a_base_url_with_a_user_part_is_refused_when_the_client_is_made():
    # urllib3 would connect to www.patreon.com, urlsplit reads app.example: no such URL is a base URL.
    url = 'https://www.patreon.com\\@app.example'
    with pytest.raises(InvalidArgument):
        patreon.API(ACCESS_TOKEN, base_url=url)
    with pytest.raises(InvalidArgument):
        patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url=url)
    assert _destination.connected_host(url + '/api/oauth2/v2/identity') == 'www.patreon.com'


def test_a_host_urllib3_reads_elsewhere_is_judged_where_it_connects():
    assert _destination.connected_host('https://app.example\\@www.patreon.com/') == 'app.example'
    assert not _destination.is_patreon('https://app.example\\@www.patreon.com/')


@responses.activate
def test_hosts_that_only_look_like_patreon_are_not_refused():
    for url in ('https://notpatreon.com', 'https://patreon.com.example'):
        responses.add(responses.GET, url + '/api/oauth2/v2/identity', json=load_fixture(IDENTITY))
        with endpoint.override_default_base_url('http://127.0.0.1:9'):
            assert patreon.API(ACCESS_TOKEN, base_url=url).get_identity().data().id()
    assert _destination.is_patreon('https://www.patreon.com/x')
    assert not _destination.is_patreon('not a url at all') and not _destination.is_patreon('http://[::1')  # unparsable


@responses.activate
def test_an_override_that_does_not_block_lets_patreon_through():
    responses.add(responses.GET, IDENTITY_URL, json=load_fixture(IDENTITY))
    with endpoint.override_default_base_url('http://127.0.0.1:9', block_patreon=False) as override:
        assert patreon.API(ACCESS_TOKEN, base_url='https://www.patreon.com').get_identity().data().id()
    assert override.refused == []
    assert repr(override) == '<patreon.endpoint override url=http://127.0.0.1:9 block_patreon=False>'


def test_overrides_nest_and_hold_for_every_thread():
    seen = []
    with endpoint.override_default_base_url('http://127.0.0.1:1'):
        with endpoint.override_default_base_url('http://127.0.0.1:2'):
            thread = threading.Thread(target=lambda: seen.append(patreon.API(ACCESS_TOKEN).transport.base_url))
            thread.start()
            thread.join()
        seen.append(endpoint.default_base_url())
    seen.append(endpoint.default_base_url())
    assert seen == ['http://127.0.0.1:2', 'http://127.0.0.1:1', 'https://www.patreon.com']


def test_an_override_ends_even_when_its_block_raises():
    with pytest.raises(KeyError):
        with endpoint.override_default_base_url('http://127.0.0.1:1'):
            raise KeyError('boom')
    assert endpoint.default_base_url() == 'https://www.patreon.com'


@pytest.mark.parametrize('url', [None, 7, '', '127.0.0.1:9', 'ftp://127.0.0.1', 'http://'])
def test_an_override_must_be_an_http_url(url):
    with pytest.raises(InvalidArgument):
        with endpoint.override_default_base_url(url):
            pass  # pragma: no cover - never entered
    assert endpoint.default_base_url() == 'https://www.patreon.com'


# --- Tests written for 0.5.1: a mock in place of requests.get / requests.post (see also test_stand_in.py) ----------

@responses.activate
def test_a_request_0_5_1_never_made_is_refused_while_a_mock_stands_in_for_its_function():
    # create_webhook is no call of 0.5.1: it goes through the session, which a mock of requests.post would not stop.
    responses.add(responses.POST, API_URL + 'webhooks', json={})
    with mock.patch('requests.post') as post:
        with pytest.raises(PatchedRequestsIgnored) as caught:
            patreon.API(ACCESS_TOKEN).create_webhook('123', 'https://app.example/hook', ['members:create'])
    post.assert_not_called()
    assert len(responses.calls) == 0  # nothing left the process: the request was refused, not sent
    assert isinstance(caught.value, RealPatreonBlocked)
    message = str(caught.value)
    assert 'requests.post' in message and 'responses' in message and 'sandbox' in message
    assert ACCESS_TOKEN not in message


@responses.activate
def test_a_mock_of_requests_post_alone_leaves_the_gets_of_the_api_on_the_session():
    # As with 0.5.1, whose GETs went through requests.get: a mock of post does not concern them.
    responses.add(responses.GET, IDENTITY_URL, json=load_fixture(IDENTITY))
    with mock.patch.object(requests, 'post') as post:
        assert patreon.API(ACCESS_TOKEN).get_identity().data().id() == load_fixture(IDENTITY)['data']['id']
    post.assert_not_called()
    assert len(responses.calls) == 1


@responses.activate
def test_the_first_way_forward_responses_intercepts_what_the_client_sends():
    # What a 0.5.1 spec becomes: the same assertions, made on the request that responses intercepted.
    responses.add(responses.GET, IDENTITY_URL, json=load_fixture(IDENTITY))
    user = patreon.API(ACCESS_TOKEN).get_identity().data()
    assert user.id() == load_fixture(IDENTITY)['data']['id']
    request = responses.calls[0].request
    assert request.url == IDENTITY_URL
    assert request.headers['Authorization'] == 'Bearer ' + ACCESS_TOKEN
    assert request.headers['User-Agent'] == user_agent_string()


def test_the_second_way_forward_the_sandbox_answers_as_patreon_does(sandbox):
    with endpoint.override_default_base_url(sandbox.url):
        user = patreon.API(sandbox.creator_token).get_identity().data()
        assert user.id() == sandbox.creator_user_id
        with pytest.raises(Unauthorized):
            patreon.API('not-a-token', raise_errors=True).get_identity()


def test_the_default_base_url_is_patreons_url_marked_by_its_type_not_its_identity():
    default = endpoint.DEFAULT_BASE_URL
    assert default == 'https://www.patreon.com' == endpoint.PATREON_URL and isinstance(default, str)
    copies = [copy.copy(default), copy.deepcopy(default), pickle.loads(pickle.dumps(default, 2))]
    assert all(_destination.follows_default(url) for url in [default] + copies)
    on_purpose = ['https://www.patreon.com', str(default), default + '', default.rstrip('/')]
    assert not any(_destination.follows_default(url) for url in on_purpose)
    with endpoint.override_default_base_url('http://127.0.0.1:9', block_patreon=False):
        assert patreon.API('token', base_url=copies[-1]).transport.base_url == 'http://127.0.0.1:9'
        assert patreon.OAuth('id', 'secret').transport.base_url == 'http://127.0.0.1:9'
        assert patreon.API('token', base_url=on_purpose[1]).transport.base_url == 'https://www.patreon.com'
