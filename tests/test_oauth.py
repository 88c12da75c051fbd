# -*- coding: utf-8 -*-
"""patreon.oauth: the token endpoint (a form body, never the URL), the authorization URL and the CSRF state."""
from __future__ import absolute_import, division, print_function, unicode_literals

import math
import re
import time
import warnings

import pytest
import responses
from six.moves.urllib.parse import quote

import patreon
from helpers import (AUTHORIZE_URL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_URL, fixture_bytes, form_pairs,
                     RecordingSession, http_fixture, load_fixture)  # noqa: F401 (the fixture `http`)
from patreon.exceptions import InvalidResponse, OAuthError, UnknownFieldWarning, UnknownScopeWarning
from patreon.oauth import OAuth, check_state, make_state
from patreon.utils import user_agent_string

CODE = 'code_Zx8cV5bN2mQ9'
REDIRECT_URI = 'https://app.example.org/oauth/redirect?next=/home'


def client(**kwargs):
    return OAuth(CLIENT_ID, CLIENT_SECRET, **kwargs)


def assert_token_request(request):
    assert request.method == 'POST'
    assert request.url == TOKEN_URL  # nothing in the query string: the secret stays out of logs
    assert request.headers['Content-Type'] == 'application/x-www-form-urlencoded'
    assert request.headers['User-Agent'] == user_agent_string()
    assert 'Authorization' not in request.headers


# get_tokens

def test_get_tokens_posts_a_form(http):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('token_response.json'))

    client().get_tokens(CODE, REDIRECT_URI)

    request = http.calls[0].request
    assert_token_request(request)
    pairs = form_pairs(request)
    assert sorted(pairs) == sorted([
        ('grant_type', 'authorization_code'), ('code', CODE), ('client_id', CLIENT_ID),
        ('client_secret', CLIENT_SECRET), ('redirect_uri', REDIRECT_URI)])
    assert pairs[0] == ('grant_type', 'authorization_code')


def test_get_tokens_returns_the_token_dict_with_expires_at(http):
    body = load_fixture('token_response.json')
    http.add(responses.POST, TOKEN_URL, json=body)

    before = time.time()
    tokens = client().get_tokens(CODE, REDIRECT_URI)
    after = time.time()

    assert isinstance(tokens, dict)
    assert {key: value for key, value in tokens.items() if key != 'expires_at'} == body
    assert int(before + body['expires_in']) <= tokens['expires_at'] <= int(after + body['expires_in'])


def test_get_tokens_positional_and_keyword_arguments(http):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('token_response.json'))
    http.add(responses.POST, TOKEN_URL, json=load_fixture('token_response.json'))

    OAuth(CLIENT_ID, CLIENT_SECRET).get_tokens(CODE, REDIRECT_URI)
    OAuth(client_id=CLIENT_ID, client_secret=CLIENT_SECRET).get_tokens(code=CODE, redirect_uri=REDIRECT_URI)

    assert sorted(form_pairs(http.calls[0].request)) == sorted(form_pairs(http.calls[1].request))


def test_get_tokens_error_dict_is_returned_as_is(http):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('oauth_error_invalid_grant.json'), status=400)

    assert client().get_tokens(CODE, REDIRECT_URI) == {'error': 'invalid_grant'}


@pytest.mark.parametrize('status', [400, 401, 429, 503])
def test_a_refusal_dict_keeps_the_oauth_error_and_its_status(http, status):
    http.add(responses.POST, TOKEN_URL, json={'error': 'invalid_grant'}, status=status)

    answer = client().refresh_token(REFRESH_TOKEN)

    assert answer == {'error': 'invalid_grant'} and isinstance(answer, dict)
    assert isinstance(answer.error, OAuthError)
    assert (answer.error.error, answer.error.status_code) == ('invalid_grant', status)
    with pytest.raises(OAuthError):
        answer.data()


def test_get_tokens_raise_errors(http):
    http.add(responses.POST, TOKEN_URL, status=400,
             json={'error': 'invalid_request', 'error_description': 'redirect_uri does not match'})

    with pytest.raises(OAuthError) as info:
        client(raise_errors=True).get_tokens(CODE, REDIRECT_URI)

    error = info.value
    assert (error.error, error.error_description, error.status_code) == \
        ('invalid_request', 'redirect_uri does not match', 400)
    assert error.response.status_code == 400
    assert CLIENT_SECRET not in str(error) and CODE not in str(error)


def test_get_tokens_invalid_grant_raises(http):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('oauth_error_invalid_grant.json'), status=400)

    with pytest.raises(OAuthError) as info:
        client(raise_errors=True).get_tokens(CODE, REDIRECT_URI)

    assert (info.value.error, info.value.error_description) == ('invalid_grant', None)


@pytest.mark.parametrize('raise_errors', [False, True])
def test_get_tokens_html_answer_is_invalid_response(http, raise_errors):
    page = '<html><body>bot check for {} {} {}</body></html>'.format(CLIENT_SECRET, CODE, CLIENT_ID)
    http.add(responses.POST, TOKEN_URL, body=page.encode('ascii'), status=403, content_type='text/html')

    with pytest.raises(InvalidResponse) as info:
        client(raise_errors=raise_errors).get_tokens(CODE, REDIRECT_URI)

    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert '403' in message
    assert 'bot check' in message
    assert CLIENT_SECRET not in message
    assert CODE not in message


# refresh_token

@pytest.mark.parametrize('redirect_uri', [None, REDIRECT_URI])
def test_refresh_token_posts_a_form_without_redirect_uri(http, redirect_uri):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('token_response.json'))

    tokens = client().refresh_token(REFRESH_TOKEN, redirect_uri)

    request = http.calls[0].request
    assert_token_request(request)
    pairs = form_pairs(request)
    assert sorted(pairs) == sorted([
        ('grant_type', 'refresh_token'), ('refresh_token', REFRESH_TOKEN), ('client_id', CLIENT_ID),
        ('client_secret', CLIENT_SECRET)])
    assert pairs[0] == ('grant_type', 'refresh_token')
    assert tokens['access_token'] == 'at_Hc2u0Jq8yZ'
    assert tokens['refresh_token'] == 'rt_Wq83nB0kL1'
    assert isinstance(tokens['expires_at'], int)


def test_refresh_token_keyword_redirect_uri(http):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('token_response.json'))

    client().refresh_token(refresh_token=REFRESH_TOKEN, redirect_uri=REDIRECT_URI)

    assert 'redirect_uri' not in dict(form_pairs(http.calls[0].request))


def test_refresh_token_error_dict_and_raise(http):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('oauth_error_invalid_grant.json'), status=400)
    http.add(responses.POST, TOKEN_URL, json=load_fixture('oauth_error_invalid_grant.json'), status=400)

    assert client().refresh_token(REFRESH_TOKEN) == {'error': 'invalid_grant'}
    with pytest.raises(OAuthError) as info:
        client(raise_errors=True).refresh_token(REFRESH_TOKEN)
    assert info.value.error == 'invalid_grant'
    assert REFRESH_TOKEN not in str(info.value)


def test_refresh_token_html_answer_hides_the_refresh_token(http):
    http.add(responses.POST, TOKEN_URL, status=502, content_type='text/html',
             body='<html>upstream failed for {}</html>'.format(REFRESH_TOKEN).encode('ascii'))

    with pytest.raises(InvalidResponse) as info:
        client().refresh_token(REFRESH_TOKEN)

    assert REFRESH_TOKEN not in str(info.value)
    assert '502' in str(info.value)


def test_token_requests_are_not_retried(http):
    http.add(responses.POST, TOKEN_URL, body=fixture_bytes('error_502.html'), status=502,
             content_type='text/html')

    with pytest.raises(InvalidResponse):
        client().get_tokens(CODE, REDIRECT_URI)

    assert len(http.calls) == 1  # a retried code exchange would spend a single-use code


# Transport keywords

def test_base_url_session_and_timeout(http):
    http.add(responses.POST, 'http://127.0.0.1:8765/api/oauth2/token', json=load_fixture('token_response.json'))
    session = RecordingSession()

    client(base_url='http://127.0.0.1:8765/', session=session, timeout=4.5).get_tokens(CODE, REDIRECT_URI)

    assert len(session.requests) == 1
    method, url, kwargs = session.requests[0]
    assert (method, url, kwargs['timeout']) == ('POST', 'http://127.0.0.1:8765/api/oauth2/token', 4.5)
    assert http.calls[0].request.url == 'http://127.0.0.1:8765/api/oauth2/token'


def test_default_timeout_is_finite(http):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('token_response.json'))
    session = RecordingSession()

    client(session=session).get_tokens(CODE, REDIRECT_URI)

    timeout = session.requests[0][2]['timeout']
    for part in timeout if isinstance(timeout, tuple) else (timeout,):
        assert part is not None and 0 < part < float('inf') and not math.isnan(part)


def test_repr_does_not_contain_the_secret():
    oauth = client()

    assert CLIENT_SECRET not in repr(oauth)
    assert repr(oauth).startswith('<patreon.OAuth')
    assert patreon.OAuth is OAuth


# get_authorization_url

def test_get_authorization_url_exact():
    url = client().get_authorization_url('https://app.example.org/cb', scopes=['identity', 'identity[email]',
                                                                             'campaigns'], state='s_Tate-1')

    assert url == (AUTHORIZE_URL + '?response_type=code&client_id=' + CLIENT_ID +
                   '&redirect_uri=https%3A%2F%2Fapp.example.org%2Fcb'
                   '&scope=identity+identity%5Bemail%5D+campaigns&state=s_Tate-1')


def test_get_authorization_url_omits_scope_and_state_when_none():
    assert client().get_authorization_url('https://app.example.org/cb') == (
        AUTHORIZE_URL + '?response_type=code&client_id=' + CLIENT_ID +
        '&redirect_uri=https%3A%2F%2Fapp.example.org%2Fcb')
    assert client().get_authorization_url('https://x.example/cb', None, 'st') == (
        AUTHORIZE_URL + '?response_type=code&client_id=' + CLIENT_ID + '&redirect_uri=https%3A%2F%2Fx.example%2Fcb'
        '&state=st')


def test_get_authorization_url_takes_a_scope_string_and_base_url():
    oauth = OAuth('cid', CLIENT_SECRET, base_url='http://127.0.0.1:5000')

    assert oauth.get_authorization_url('http://localhost/cb', scopes='identity campaigns') == (
        'http://127.0.0.1:5000/oauth2/authorize?response_type=code&client_id=cid'
        '&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&scope=identity+campaigns')


@pytest.mark.parametrize('build', [
    lambda oauth, scopes: oauth.get_authorization_url('https://x.example/cb', scopes=scopes),
    lambda oauth, scopes: oauth.get_become_patron_url('https://x.example/cb', 500, scopes=scopes),
])
def test_a_scope_patreon_scopes_does_not_know_warns_and_is_still_sent(build):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        url = build(client(), ['identitty', patreon.scopes.CAMPAIGNS])
        build(client(), ' '.join(patreon.scopes.ALL))
        build(client(), [])
    assert 'scope=identitty+campaigns' in url
    assert [warning.category for warning in caught] == [UnknownScopeWarning]
    assert issubclass(UnknownScopeWarning, UnknownFieldWarning)  # a filter on misspelt names covers scopes too
    message = str(caught[0].message)
    assert message.startswith("scopes names 'identitty' (did you mean 'identity'?), not a scope known to "
                              "patreon.scopes") and \
        'invalid_scope' in message and 'identity.memberships' in message
    assert caught[0].filename == __file__  # it points at the caller's line


def test_get_authorization_url_never_contains_the_secret():
    assert CLIENT_SECRET not in client().get_authorization_url('https://x.example/cb', ['identity'], 'st')


# State

def test_make_state_is_unique_and_url_safe():
    states = [make_state() for _ in range(200)]

    assert len(set(states)) == len(states)
    for state in states:
        assert re.match(r'^[A-Za-z0-9_-]{22,}$', state)  # at least 128 bits in URL-safe base64
        assert quote(state, safe='') == state
    assert patreon.oauth.make_state is make_state


@pytest.mark.parametrize('expected, received, result', [
    ('abc', 'abc', True),
    ('st\u00e9', 'st\u00e9', True),
    (b'abc', b'abc', True),
    ('abc', 'abd', False),
    ('abc', 'abcd', False),
    ('abc', None, False),
    (None, 'abc', False),
    (None, None, False),
    ('', '', False),
    ('abc', '', False),
    (123, 123, False),
    (['abc'], ['abc'], False),
])
def test_check_state(expected, received, result):
    assert check_state(expected, received) is result


def test_check_state_with_a_made_state():
    state = make_state()

    assert check_state(state, state) is True
    assert check_state(state, make_state()) is False
