"""The sandbox's OAuth: authorize redirects, single-use codes, refresh rotation, expiry, errors."""
from __future__ import absolute_import, division, print_function, unicode_literals

import base64
import time

import pytest
import requests
from six.moves.urllib.parse import parse_qs, urlsplit

from patreon.sandbox import ALL_SCOPES
from test_sandbox_support import SandboxClient, error_of, load_fixture


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=12, seed=1, token_ttl=3600)


def authorize(sb, **params):
    query = dict(response_type='code', client_id=sb.client_id, redirect_uri=sb.redirect_uri, state='xyz',
                 scope='identity identity[email] identity.memberships')
    query.update(params)
    query = dict((key, value) for key, value in query.items() if value is not None)
    return requests.get(sb.url + '/oauth2/authorize', params=query, allow_redirects=False)


def code_from(answer):
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers['Location']).query)['code'][0]


def token_request(sb, **form):
    data = dict(client_id=sb.client_id, client_secret=sb.client_secret)
    data.update(form)
    data = dict((key, value) for key, value in data.items() if value is not None)
    return requests.post(sb.url + '/api/oauth2/token', data=data)


def exchange(sb, code, **form):
    form.setdefault('redirect_uri', sb.redirect_uri)
    return token_request(sb, grant_type='authorization_code', code=code, **form)


def oauth_error(answer, status, error):
    assert answer.status_code == status, answer.text
    assert answer.headers['Content-Type'] == 'application/json'
    body = answer.json()
    assert body['error'] == error
    return body


# -- /oauth2/authorize ---------------------------------------------------------------------------


def test_authorize_redirects_back_with_a_code_and_the_state(sb):
    answer = authorize(sb)
    location = urlsplit(answer.headers['Location'])
    assert '%s://%s%s' % (location.scheme, location.netloc, location.path) == sb.redirect_uri
    query = parse_qs(location.query)
    assert query['state'] == ['xyz'] and len(query['code'][0]) >= 20
    assert 'x-patreon-uuid' in answer.headers


def test_authorize_without_state_has_no_state(sb):
    assert 'state' not in parse_qs(urlsplit(authorize(sb, state=None).headers['Location']).query)


def test_authorize_keeps_a_query_already_in_the_redirect_uri(sb):
    sb.register_redirect_uri('http://127.0.0.1:5000/callback?next=home')
    sb.register_redirect_uri('http://127.0.0.1:5000/callback?next=home')  # twice is fine
    assert sb.client.redirect_uris.count('http://127.0.0.1:5000/callback?next=home') == 1
    location = authorize(sb, redirect_uri='http://127.0.0.1:5000/callback?next=home').headers['Location']
    query = parse_qs(urlsplit(location).query)
    assert query['next'] == ['home'] and query['code'] and query['state'] == ['xyz']


@pytest.mark.parametrize('params', [
    {'client_id': 'nobody'},
    {'client_id': None},
    {'redirect_uri': 'https://evil.example/steal'},
    {'redirect_uri': None},
    {'sandbox_user': '1'},
])
def test_authorize_refuses_without_redirecting(sb, params):
    answer = authorize(sb, **params)
    assert answer.status_code == 400 and 'Location' not in answer.headers
    assert answer.headers['Content-Type'].startswith('text/html')


@pytest.mark.parametrize('params, error', [
    ({'response_type': 'token'}, 'unsupported_response_type'),
    ({'scope': 'identity everything'}, 'invalid_scope'),
])
def test_authorize_reports_request_errors_to_the_redirect_uri(sb, params, error):
    query = parse_qs(urlsplit(authorize(sb, **params).headers['Location']).query)
    assert query == {'error': [error], 'state': ['xyz']}


def test_authorize_is_get_only(sb):
    assert error_of(requests.post(sb.url + '/oauth2/authorize'), 405)


# -- the authorization code grant ----------------------------------------------------------------


def test_a_code_is_exchanged_once_for_tokens_of_the_approving_user(sb):
    code = code_from(authorize(sb))
    answer = exchange(sb, code)
    assert answer.status_code == 200 and answer.headers['Content-Type'] == 'application/json'
    tokens = answer.json()
    assert set(tokens) == set(load_fixture('token_response.json'))
    assert tokens['expires_in'] == 3600 and tokens['token_type'] == 'Bearer' and tokens['version'] == '0.0.1'
    assert tokens['scope'] == 'identity identity[email] identity.memberships'
    assert answer.headers['Cache-Control'] == 'no-store'
    api = SandboxClient(sb, tokens['access_token'])
    identity = api.get('identity', params={'fields[user]': 'email'}).json()
    assert identity['data']['id'] == sb.patron_user_id and '@' in identity['data']['attributes']['email']
    assert 'campaigns' in error_of(api.get('campaigns'), 401)['detail']
    assert oauth_error(exchange(sb, code), 400, 'invalid_grant') == load_fixture('oauth_error_invalid_grant.json')


def test_sandbox_user_chooses_who_approves(sb):
    tokens = exchange(sb, code_from(authorize(sb, sandbox_user=sb.creator_user_id))).json()
    assert SandboxClient(sb, tokens['access_token']).get('identity').json()['data']['id'] == sb.creator_user_id


def test_no_scope_means_the_default_scopes(sb):
    tokens = exchange(sb, code_from(authorize(sb, scope=None))).json()
    assert tokens['scope'] == 'identity identity[email]'


def test_a_code_is_bound_to_its_redirect_uri_and_client(sb):
    code = code_from(authorize(sb))
    oauth_error(exchange(sb, code, redirect_uri='http://localhost:8000/other'), 400, 'invalid_grant')
    oauth_error(exchange(sb, code), 400, 'invalid_grant')  # the failed attempt used it up
    other = sb.other_client
    code = code_from(authorize(sb))
    answer = exchange(sb, code, client_id=other.id, client_secret=other.secret)
    oauth_error(answer, 400, 'invalid_grant')


def test_an_old_code_expires(sb):
    code = code_from(authorize(sb))
    clock = sb.oauth.clock
    sb.oauth.clock = lambda: clock() + 601
    try:
        oauth_error(exchange(sb, code), 400, 'invalid_grant')
    finally:
        sb.oauth.clock = clock


def test_client_authentication(sb):
    code = code_from(authorize(sb))
    oauth_error(exchange(sb, code, client_secret='wrong'), 401, 'invalid_client')
    oauth_error(exchange(sb, code, client_id='nobody'), 401, 'invalid_client')
    # HTTP Basic works as well as the form fields.
    basic = base64.b64encode(('%s:%s' % (sb.client_id, sb.client_secret)).encode('ascii')).decode('ascii')
    answer = requests.post(sb.url + '/api/oauth2/token', headers={'Authorization': 'Basic ' + basic},
                           data={'grant_type': 'authorization_code', 'code': code_from(authorize(sb)),
                                 'redirect_uri': sb.redirect_uri})
    assert answer.status_code == 200 and answer.json()['access_token']
    answer = requests.post(sb.url + '/api/oauth2/token', headers={'Authorization': 'Basic !!notbase64'},
                           data={'grant_type': 'refresh_token', 'refresh_token': 'x'})
    oauth_error(answer, 401, 'invalid_client')


@pytest.mark.parametrize('form, missing', [
    ({'grant_type': None}, 'grant_type'),
    ({'client_id': None, 'client_secret': None}, 'client_id'),
    ({'client_secret': None}, 'client_secret'),
    ({'code': None}, 'code'),
    ({'redirect_uri': None}, 'redirect_uri'),
])
def test_missing_parameters_are_invalid_request(sb, form, missing):
    data = dict(grant_type='authorization_code', code='some-code', redirect_uri=sb.redirect_uri)
    data.update(form)
    body = oauth_error(token_request(sb, **data), 400, 'invalid_request')
    assert missing in body['error_description']


def test_an_unknown_grant_type_is_unsupported(sb):
    oauth_error(token_request(sb, grant_type='password'), 400, 'unsupported_grant_type')


def test_parameters_in_the_url_and_in_the_body_at_once_are_refused(sb):
    answer = requests.post(sb.url + '/api/oauth2/token', params={'client_secret': sb.client_secret},
                           data={'grant_type': 'refresh_token', 'refresh_token': sb.creator_refresh_token,
                                 'client_id': sb.client_id, 'client_secret': sb.client_secret})
    assert 'URL' in oauth_error(answer, 400, 'invalid_request')['error_description']


def token_request_of_0_5_1(sb, params):
    # As 0.5.1 sent it (and Patreon's documentation shows it): every parameter in the query string, no body.
    return requests.post(sb.url + '/api/oauth2/token', params=params,
                         headers={'User-Agent': 'Patreon-Python, version 0.5.1, platform Linux'})


def test_a_login_of_0_5_1_with_the_parameters_in_the_url_gets_tokens(sb):
    code = code_from(authorize(sb))
    answer = token_request_of_0_5_1(sb, {'grant_type': 'authorization_code', 'code': code,
                                         'client_id': sb.client_id, 'client_secret': sb.client_secret,
                                         'redirect_uri': sb.redirect_uri})
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    identity = SandboxClient(sb, tokens['access_token']).get('identity').json()
    assert identity['data']['id'] == sb.patron_user_id

    refreshed = token_request_of_0_5_1(sb, {'grant_type': 'refresh_token', 'refresh_token': tokens['refresh_token'],
                                            'client_id': sb.client_id, 'client_secret': sb.client_secret})
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()['refresh_token'] != tokens['refresh_token']
    # The parameters in the URL are checked as in a body: a wrong secret is refused, a spent code too.
    wrong = token_request_of_0_5_1(sb, {'grant_type': 'refresh_token', 'refresh_token': refreshed.json()[
        'refresh_token'], 'client_id': sb.client_id, 'client_secret': 'not-the-secret'})
    oauth_error(wrong, 401, 'invalid_client')
    spent = token_request_of_0_5_1(sb, {'grant_type': 'authorization_code', 'code': code, 'client_id': sb.client_id,
                                        'client_secret': sb.client_secret, 'redirect_uri': sb.redirect_uri})
    oauth_error(spent, 400, 'invalid_grant')


def test_the_body_must_be_a_utf8_form(sb):
    answer = requests.post(sb.url + '/api/oauth2/token', json={'grant_type': 'refresh_token'})
    assert 'x-www-form-urlencoded' in oauth_error(answer, 400, 'invalid_request')['error_description']
    answer = requests.post(sb.url + '/api/oauth2/token', data=b'grant_type=\xff\xfe',
                           headers={'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'})
    oauth_error(answer, 400, 'invalid_request')


def test_the_token_endpoint_is_post_only(sb):
    assert error_of(requests.get(sb.url + '/api/oauth2/token'), 405)


# -- refresh and expiry --------------------------------------------------------------------------


def test_refreshing_rotates_the_refresh_token_and_keeps_the_old_access_token(sb):
    first = exchange(sb, code_from(authorize(sb))).json()
    answer = token_request(sb, grant_type='refresh_token', refresh_token=first['refresh_token'])
    second = answer.json()
    assert answer.status_code == 200
    assert second['refresh_token'] != first['refresh_token'] and second['access_token'] != first['access_token']
    assert second['scope'] == first['scope'] and second['expires_in'] == 3600
    oauth_error(token_request(sb, grant_type='refresh_token', refresh_token=first['refresh_token']),
                400, 'invalid_grant')
    for token in (first['access_token'], second['access_token']):
        assert SandboxClient(sb, token).get('identity').status_code == 200
    other = sb.other_client
    answer = token_request(sb, grant_type='refresh_token', refresh_token=second['refresh_token'],
                           client_id=other.id, client_secret=other.secret)
    oauth_error(answer, 400, 'invalid_grant')


def test_an_expired_access_token_is_refused_and_refreshing_helps(sb):
    tokens = sb.issue_tokens(sb.patron_user_id, scopes=['identity'])
    api = SandboxClient(sb, tokens['access_token'])
    assert api.get('identity').status_code == 200
    sb.expire_access_token(tokens['access_token'])
    assert error_of(api.get('identity'), 401)
    fresh = token_request(sb, grant_type='refresh_token', refresh_token=tokens['refresh_token']).json()
    assert SandboxClient(sb, fresh['access_token']).get('identity').json()['data']['id'] == sb.patron_user_id


def test_a_token_issued_with_no_lifetime_is_already_expired(sb):
    tokens = sb.issue_tokens(expires_in=0)
    assert tokens['expires_in'] == 0
    assert error_of(SandboxClient(sb, tokens['access_token']).get('identity'), 401)


def test_tokens_issued_directly(sb):
    tokens = sb.issue_tokens()
    assert tokens['scope'] == ' '.join(ALL_SCOPES) and tokens['expires_in'] == 3600
    for bad in ({'user_id': '1'}, {'scopes': ['identity', 'root']}, {'client_id': 'nobody'}):
        with pytest.raises(ValueError):
            sb.issue_tokens(**bad)
    with pytest.raises(ValueError):
        sb.expire_access_token('never-issued')
    other = sb.issue_tokens(client_id=sb.other_client.id)
    assert SandboxClient(sb, other['access_token']).get('identity').status_code == 200
    assert set(sb.clients) == set([sb.client_id, sb.other_client.id])
    assert sb.client_secret not in repr(sb.client)
    token = sb.oauth.lookup(other['access_token'])
    assert other['access_token'] not in repr(token) and sb.other_client.id in repr(token)


def test_token_lifetime_follows_the_clock(sb):
    tokens = sb.issue_tokens()
    clock = sb.oauth.clock
    sb.oauth.clock = lambda: time.time() + 3601
    try:
        assert error_of(SandboxClient(sb, tokens['access_token']).get('identity'), 401)
    finally:
        sb.oauth.clock = clock
