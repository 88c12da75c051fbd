"""Tests written for 0.5.1 patch requests.get / requests.post: while something stands in for them, 0.5.1's calls go
through it, made as 0.5.1 made them and read as 0.5.1 read them; real calls keep the session, timeouts and form body.

The expected URLs and parameters are written out here as 0.5.1 sent them, not computed by the package.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import datetime

import pytest
import requests
import responses

import patreon
from patreon import endpoint
from patreon.exceptions import RealPatreonBlocked
from patreon.jsonapi.parser import JSONAPIParser
from patreon.utils import user_agent_string

from helpers import ACCESS_TOKEN, API_URL, CLIENT_ID, CLIENT_SECRET, TOKEN_URL, form_pairs, load_fixture

try:
    from unittest import mock
except ImportError:  # Python 2.7: the backport
    import mock

IDENTITY = 'identity_with_memberships.json'
CODE = 'code_Mn4bV7cX0zL'
REDIRECT_URI = 'https://app.example/oauth/redirect'


def headers_of_0_5_1(token=ACCESS_TOKEN):
    return {'Authorization': 'Bearer ' + token, 'User-Agent': user_agent_string()}


class Answer(object):
    """An answer as 0.5.1's own specs made them: ``json()`` and ``status_code``, nothing else."""

    def __init__(self, data, status_code=200):
        self.data = data
        self.status_code = status_code

    def json(self):
        return self.data


ROUTES = [
    (lambda api: api.get_identity(), 'identity'),
    (lambda api: api.get_identity(includes=['memberships'], fields={'user': ['full_name', 'email']}),
     'identity?fields%5Buser%5D=full_name%2Cemail&include=memberships'),
    (lambda api: api.get_campaigns(25), 'campaigns?page%5Bcount%5D=25'),
    (lambda api: api.get_campaigns(25, cursor='Mock Cursor'),
     'campaigns?page%5Bcount%5D=25&page%5Bcursor%5D=Mock+Cursor'),
    (lambda api: api.get_campaigns(10, cursor=datetime.datetime(2020, 1, 2, 3, 4, 5), includes=['tiers']),
     'campaigns?page%5Bcount%5D=10&page%5Bcursor%5D=2020-01-02T03%3A04%3A05%2B00%3A00&include=tiers'),
    (lambda api: api.get_campaigns_by_id(12), 'campaigns/12'),
    (lambda api: api.get_campaigns_by_id_members(12, 5, cursor='c1', includes=['user']),
     'campaigns/12/members?page%5Bcount%5D=5&page%5Bcursor%5D=c1&include=user'),
    (lambda api: api.get_members_by_id('m-1', fields={'member': ['patron_status']}),
     'members/m-1?fields%5Bmember%5D=patron_status'),
    (lambda api: api.get_webhooks(25), 'webhooks?page%5Bcount%5D=25'),
    (lambda api: api.get_webhooks_by_id(7), 'webhooks/7'),
]


@pytest.mark.parametrize('call, suffix', ROUTES, ids=[suffix for _, suffix in ROUTES])
def test_each_get_of_0_5_1_goes_through_a_mock_of_requests_get_as_0_5_1_made_it(call, suffix):
    document = load_fixture(IDENTITY)
    with mock.patch('requests.get') as get:
        get.return_value = Answer(document)
        result = call(patreon.API(ACCESS_TOKEN))

    get.assert_called_once_with(API_URL + suffix, headers=headers_of_0_5_1())
    assert isinstance(result, JSONAPIParser)
    assert result.json_data is document  # read with json() alone, as 0.5.1 did


def test_an_errors_document_through_the_mock_is_returned_as_0_5_1_returned_it():
    errors = {'errors': [{'code_name': 'Unauthorized', 'status': '401'}]}
    with mock.patch('requests.get') as get:
        get.return_value = Answer(errors, status_code=401)
        result = patreon.API(ACCESS_TOKEN).get_identity()

    assert result is errors


def test_a_mock_whose_json_is_set_serves_the_0_5_1_style_of_test():
    # The shape of most applications' tests: return_value.json.return_value, and assertions on the call.
    with mock.patch('requests.get') as get:
        get.return_value.json.return_value = load_fixture(IDENTITY)
        user = patreon.API(ACCESS_TOKEN).get_identity().data()

    assert user.id() == load_fixture(IDENTITY)['data']['id']
    assert get.call_args == mock.call(API_URL + 'identity', headers=headers_of_0_5_1())


def test_an_autospecced_mock_is_gone_through_too():
    with mock.patch('requests.get', autospec=True) as get:
        get.return_value = Answer(load_fixture(IDENTITY))
        patreon.API(ACCESS_TOKEN).get_identity()

    get.assert_called_once_with(API_URL + 'identity', headers=headers_of_0_5_1())


@pytest.mark.parametrize('call, params', [
    (lambda oauth: oauth.get_tokens(CODE, REDIRECT_URI),
     {'grant_type': 'authorization_code', 'code': CODE, 'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET,
      'redirect_uri': REDIRECT_URI}),
    (lambda oauth: oauth.refresh_token('rt_Zx8cV5bN2mQ', redirect_uri=REDIRECT_URI),
     {'grant_type': 'refresh_token', 'refresh_token': 'rt_Zx8cV5bN2mQ', 'client_id': CLIENT_ID,
      'client_secret': CLIENT_SECRET}),
], ids=['get_tokens', 'refresh_token'])
def test_token_requests_go_through_a_mock_of_requests_post_with_0_5_1s_query_parameters(call, params):
    with mock.patch('requests.post') as post:
        result = call(patreon.OAuth(CLIENT_ID, CLIENT_SECRET))

    post.assert_called_once_with(TOKEN_URL, params=params, headers={'User-Agent': user_agent_string()})
    assert result is post.return_value.json.return_value  # what json() gave, as 0.5.1 returned it


def test_a_replacement_that_is_no_mock_is_gone_through_as_well():
    # An application's own stand-in (a wrapper, a recorder): "replaced" is what counts, not who replaced it.
    calls = []

    def recording_get(url, **kwargs):
        calls.append((url, kwargs))
        return Answer(load_fixture(IDENTITY))

    def recording_post(url, **kwargs):
        calls.append((url, kwargs))
        return Answer({'access_token': 'at_new', 'refresh_token': 'rt_new'})

    with mock.patch.object(requests, 'get', recording_get), mock.patch.object(requests, 'post', recording_post):
        patreon.API(ACCESS_TOKEN).get_campaigns(3)
        tokens = patreon.OAuth(CLIENT_ID, CLIENT_SECRET).refresh_token('rt_Zx8cV5bN2mQ')

    assert calls == [
        (API_URL + 'campaigns?page%5Bcount%5D=3', {'headers': headers_of_0_5_1()}),
        (TOKEN_URL, {'params': {'grant_type': 'refresh_token', 'refresh_token': 'rt_Zx8cV5bN2mQ',
                                'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET},
                     'headers': {'User-Agent': user_agent_string()}}),
    ]
    assert tokens == {'access_token': 'at_new', 'refresh_token': 'rt_new'}


def test_the_apps_name_goes_through_a_replacement_too():
    # user_agent= is the app's word to Patreon: a stand-in for requests must not lose it.
    calls = []

    def recording(url, **kwargs):
        calls.append(kwargs['headers']['User-Agent'])
        return Answer({'access_token': 'at_new'} if 'token' in url else load_fixture(IDENTITY))

    with mock.patch.object(requests, 'get', recording), mock.patch.object(requests, 'post', recording):
        patreon.API(ACCESS_TOKEN, user_agent='Lunar Sync').get_campaigns(3)
        patreon.OAuth(CLIENT_ID, CLIENT_SECRET, user_agent='Lunar Sync').refresh_token('rt_Zx8cV5bN2mQ')

    assert calls == ['Lunar Sync ({})'.format(user_agent_string())] * 2


@responses.activate
def test_without_a_replacement_calls_keep_the_session_the_timeout_and_the_form_body():
    responses.add(responses.GET, API_URL + 'identity', json=load_fixture(IDENTITY))
    responses.add(responses.POST, TOKEN_URL, json={'access_token': 'at_new', 'refresh_token': 'rt_new',
                                                   'expires_in': 3600})
    with mock.patch('requests.get') as get:
        pass  # a patch that has ended leaves requests' own function behind
    api = patreon.API(ACCESS_TOKEN)

    api.get_identity()
    tokens = patreon.OAuth(CLIENT_ID, CLIENT_SECRET).get_tokens(CODE, REDIRECT_URI)

    get.assert_not_called()
    assert len(responses.calls) == 2
    token_request = responses.calls[1].request
    assert '?' not in token_request.url  # nothing in the query string: the secret is in the form body
    assert dict(form_pairs(token_request))['client_secret'] == CLIENT_SECRET
    assert tokens['access_token'] == 'at_new'
    assert api.transport.session is api.transport.session and api.transport.timeout.read == 30.0


def test_a_client_blocked_from_patreon_is_blocked_through_a_replacement_too():
    # A wrapper may reach the network: a test's block on the real Patreon holds for it as for the session.
    with endpoint.override_default_base_url('http://127.0.0.1:9'):
        with mock.patch('requests.get') as get:
            with pytest.raises(RealPatreonBlocked):
                patreon.API(ACCESS_TOKEN, base_url='https://www.patreon.com').get_identity()
            get.return_value = Answer(load_fixture(IDENTITY))
            patreon.API(ACCESS_TOKEN).get_identity()  # left at the default: sent to the test's URL, through get
    get.assert_called_once_with('http://127.0.0.1:9/api/oauth2/v2/identity', headers=headers_of_0_5_1())


def test_an_app_whose_wrapper_stands_in_for_requests_post_logs_in_through_the_sandbox():
    # 0.5.1's form of the token request, made through the wrapper, reaches the sandbox, which takes it as Patreon does.
    from patreon.sandbox import Sandbox
    real_post, sent = requests.post, []

    def post_with_a_timeout(url, **kwargs):
        sent.append(kwargs)
        return real_post(url, timeout=10, **kwargs)

    with Sandbox(members=3, seed=20) as sandbox:
        oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url)
        with mock.patch.object(requests, 'post', post_with_a_timeout):
            tokens = oauth.refresh_token(sandbox.creator_refresh_token)

        assert sorted(sent[0]['params']) == ['client_id', 'client_secret', 'grant_type', 'refresh_token']
        assert 'data' not in sent[0]
        api = patreon.API(tokens['access_token'], base_url=sandbox.url)
        assert api.get_identity().data().id() == sandbox.creator_user_id
