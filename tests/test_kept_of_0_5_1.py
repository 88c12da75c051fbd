"""What code written against 0.5.1 leans on besides the routes: subclasses of patreon.API that use access_token,
build_url and patreon.utils.user_agent_string; isinstance checks of JSONAPIParser; includes and fields as sets.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import subprocess
import sys

import pytest
import requests
import responses
from six.moves.urllib.parse import parse_qs, urlsplit

import patreon
import patreon.utils
from patreon.exceptions import InvalidResponse, error_class_for_status
from patreon.jsonapi.parser import JSONAPIParser
from patreon.jsonapi.url_util import build_url

from helpers import ACCESS_TOKEN, API_URL, load_fixture

try:
    from unittest import mock
except ImportError:  # Python 2.7: the backport
    import mock

IDENTITY = 'identity_with_memberships.json'


class PostsAPI(patreon.API):
    """A subclass as applications wrote them for 0.5.1: a route it lacked, sent with requests and its own headers."""

    def __init__(self, access_token, campaign_id):
        super(PostsAPI, self).__init__(access_token)
        self.campaign_id = campaign_id

    def get_posts(self):
        suffix = build_url('campaigns/{}/posts'.format(self.campaign_id), fields={'post': ['title']})
        return requests.get(API_URL + suffix, headers={
            'Authorization': 'Bearer {}'.format(self.access_token),
            'User-Agent': patreon.utils.user_agent_string(),
        }).json()


@responses.activate
def test_a_subclass_uses_access_token_build_url_and_user_agent_string():
    posts = {'data': [{'type': 'post', 'id': '9', 'attributes': {'title': 'Hello'}}]}
    responses.add(responses.GET, API_URL + 'campaigns/77/posts?fields%5Bpost%5D=title', json=posts)
    responses.add(responses.GET, API_URL + 'identity', json=load_fixture(IDENTITY))
    api = PostsAPI(ACCESS_TOKEN, 77)

    assert api.access_token == ACCESS_TOKEN
    assert api.get_posts() == posts
    assert isinstance(api.get_identity(), JSONAPIParser)  # the routes it inherits work as on patreon.API
    for call in responses.calls:
        assert call.request.headers['Authorization'] == 'Bearer ' + ACCESS_TOKEN
        assert call.request.headers['User-Agent'] == patreon.utils.user_agent_string()
    assert patreon.utils.user_agent_string().startswith('Patreon-Python, version ')
    api.access_token = 'at_second_Jk7hG4fD1sA'  # set later, as some apps do after a refresh
    api.get_identity()
    assert responses.calls[-1].request.headers['Authorization'] == 'Bearer at_second_Jk7hG4fD1sA'


@responses.activate
def test_includes_and_fields_given_as_sets_are_sent_whole():
    responses.add(responses.GET, API_URL + 'identity', json=load_fixture(IDENTITY))
    result = patreon.API(ACCESS_TOKEN).get_identity(includes={'memberships', 'campaign'},
                                                   fields={'user': {'full_name', 'email'}, 'member': frozenset(
                                                       ['patron_status'])})

    assert isinstance(result, JSONAPIParser)
    query = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert set(query['include'][0].split(',')) == {'memberships', 'campaign'}
    assert set(query['fields[user]'][0].split(',')) == {'full_name', 'email'}
    assert query['fields[member]'] == ['patron_status']
    assert set(parse_qs(urlsplit(build_url('x', includes={'a', 'b'})).query)['include'][0].split(',')) == {'a', 'b'}


def test_results_through_a_mock_of_requests_get_are_json_api_parsers_too():
    with mock.patch('requests.get') as get:
        get.return_value.json.return_value = load_fixture(IDENTITY)
        result = PostsAPI(ACCESS_TOKEN, 77).get_identity(includes={'memberships'})
    assert isinstance(result, JSONAPIParser)
    assert get.call_args[0][0] == API_URL + 'identity?include=memberships'


NOT_JSON_BODIES = [
    (200, b'<html>Down for maintenance</html>'),
    (200, b''),
    (401, b'<html>401 Authorization Required</html>'),
    (404, b'Not Found'),
    (429, b'<html>Too Many Requests</html>'),
    (502, b'<html>502 Bad Gateway</html>'),
]


def _what_0_5_1_raised(url):
    """The exception 0.5.1 met for this answer: its `requests.get(url, headers=...).json()` with today's requests."""
    try:
        requests.get(url, headers={'Authorization': 'Bearer ' + ACCESS_TOKEN}).json()
    except Exception as exc:  # noqa: BLE001 - whatever requests raises is the oracle
        return exc
    raise AssertionError('the body decoded as JSON')


@responses.activate
@pytest.mark.parametrize('status, body', NOT_JSON_BODIES)
def test_an_answer_that_is_not_json_is_caught_by_what_caught_the_decode_error_of_0_5_1(status, body):
    responses.add(responses.GET, API_URL + 'identity', body=body, status=status, content_type='text/html')
    theirs = _what_0_5_1_raised(API_URL + 'identity')

    with pytest.raises(Exception) as info:
        patreon.API(ACCESS_TOKEN, retry=None).get_identity()

    # Every class the decode error of 0.5.1 was (requests' JSONDecodeError: a json.JSONDecodeError, a ValueError,
    # a RequestException, an IOError) catches ours: an `except` written for 0.5.1 still stops it.
    for cls in type(theirs).__mro__:
        if cls not in (object, BaseException, Exception):
            assert isinstance(info.value, cls), cls
    assert isinstance(info.value, InvalidResponse)
    assert str(status) in str(info.value) and ACCESS_TOKEN not in str(info.value)
    if status >= 400:  # and the status's class: except Unauthorized sees a 401 page
        assert isinstance(info.value, error_class_for_status(status))


@responses.activate
@pytest.mark.parametrize('status', [200, 400, 502])
def test_a_token_answer_that_is_not_json_is_caught_as_in_0_5_1(status):
    responses.add(responses.POST, 'https://www.patreon.com/api/oauth2/token', body=b'<html>oops</html>',
                  status=status, content_type='text/html')
    try:
        requests.post('https://www.patreon.com/api/oauth2/token').json()
    except Exception as exc:  # noqa: BLE001 - the oracle
        theirs = exc

    with pytest.raises(Exception) as info:
        patreon.OAuth('client-id', 'client-secret-Xy7Kq2Lw9Pz4').get_tokens('code-1', 'https://example.com/cb')

    for cls in type(theirs).__mro__:
        if cls not in (object, BaseException, Exception):
            assert isinstance(info.value, cls), cls
    assert 'client-secret-Xy7Kq2Lw9Pz4' not in str(info.value)


@responses.activate
def test_data_of_an_errors_document_keeps_the_refresh_failure_as_its_cause():
    responses.add(responses.GET, API_URL + 'identity', json=load_fixture('error_401.json'), status=401)
    responses.add(responses.POST, 'https://www.patreon.com/api/oauth2/token', json={'error': 'invalid_grant'},
                  status=400)
    oauth = patreon.OAuth('client-id', 'client-secret-Xy7Kq2Lw9Pz4')
    api = patreon.API(ACCESS_TOKEN, refresh=patreon.RefreshPolicy(oauth), refresh_token='rt-Qw3Er5Ty7Ui9')
    document = api.get_identity()

    with pytest.raises(AttributeError) as info:
        document.data()

    assert info.value.refresh_error is document.error.refresh_error is not None
    assert info.value.__cause__ is document.error.__cause__ is not None  # the traceback shows the refusal
    assert getattr(info.value, '__suppress_context__', False) == getattr(document.error, '__suppress_context__', False)


def test_without_requests_json_decode_error_the_decode_error_is_that_of_the_json_module_requests_uses():
    # requests before 2.27 has no JSONDecodeError; its response.json() used requests.compat.json, simplejson when
    # installed: 0.5.1's callers caught that module's JSONDecodeError.
    script = '\n'.join([
        'import sys, types, requests, requests.compat',
        'del requests.exceptions.JSONDecodeError',
        'stand_in = types.ModuleType("simplejson")',
        'stand_in.JSONDecodeError = type("JSONDecodeError", (ValueError,), {})',
        'requests.compat.json = stand_in',
        'from patreon.exceptions import NotJSONResponse, NotJSONUnauthorizedResponse',
        'assert issubclass(NotJSONResponse, stand_in.JSONDecodeError)',
        'assert issubclass(NotJSONUnauthorizedResponse, stand_in.JSONDecodeError)',
        'assert not issubclass(NotJSONResponse, requests.RequestException)',
        'print("ok")',
    ])
    assert subprocess.check_output([sys.executable, '-c', script]).strip() == b'ok'


@responses.activate
def test_a_token_answer_a_stand_in_cannot_decode_is_a_failed_refresh_not_a_crash():
    responses.add(responses.GET, API_URL + 'identity', json=load_fixture('error_401.json'), status=401)
    undecodable = mock.Mock(status_code=502, text='<html>Bad gateway</html>')
    undecodable.json.side_effect = ValueError('No JSON object could be decoded')  # json's error before requests 2.27
    oauth = patreon.OAuth('client-id', 'client-secret-Xy7Kq2Lw9Pz4')
    api = patreon.API(ACCESS_TOKEN, refresh=patreon.RefreshPolicy(oauth), refresh_token='rt-Qw3Er5Ty7Ui9',
                      raise_errors=True)

    with mock.patch('requests.post', return_value=undecodable) as post:
        with pytest.raises(patreon.exceptions.Unauthorized) as info:
            api.get_identity()

    assert post.call_count == 1  # the refresh was tried through the stand-in, as 0.5.1 made it
    assert isinstance(info.value.refresh_error, ValueError)  # the 401 carries it: no raw decode error escaped
    assert 'the token refresh failed (ValueError)' in str(info.value)
    assert api.access_token == ACCESS_TOKEN  # the tokens are kept for a later refresh
