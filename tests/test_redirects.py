"""Redirects never carry a credential anywhere: over loopback, a first server redirects to a second one.

Token requests would post the client secret and the code or refresh token to the ``Location`` (``requests``
re-posts on 307/308); API calls would send the bearer token again on a redirect within the same origin. Neither
client follows redirects: a 3xx is an error, and the second server never hears of it.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import threading

import pytest
import requests
from six.moves import BaseHTTPServer, socketserver

import patreon
from helpers import ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from patreon.exceptions import InvalidResponse, OAuthError, Unauthorized

REDIRECTS = [301, 302, 303, 307, 308]
CODE = 'code_Rd7fK2mQ9xLw4'
TOKENS = {'access_token': 'at_from_the_wrong_host', 'refresh_token': 'rt_from_the_wrong_host', 'expires_in': 60}
UNAUTHORIZED = {'errors': [{'code_name': 'Unauthorized', 'status': '401', 'title': 'Unauthorized'}]}


class _Handler(BaseHTTPServer.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def _answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        self.server.owner.requests.append((self.command, self.path, dict(self.headers.items()), body))
        status, headers, payload = self.server.owner.answer(self.command, self.path)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_DELETE = _answer

    def log_message(self, *args):
        pass


class _Server(socketserver.ThreadingMixIn, BaseHTTPServer.HTTPServer):
    daemon_threads = True


class Recorder(object):
    """A loopback server that records every request and answers ``answer(method, path)``.

    ``answer`` gives ``(status, headers, body)``; by default 200 with a JSON body.
    """

    def __init__(self, answer=None):
        self.requests = []
        self.answer = answer or (lambda method, path: json_answer(200, TOKENS))
        self.server = _Server(('127.0.0.1', 0), _Handler)
        self.server.owner = self
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05})
        self.thread.daemon = True
        self.thread.start()

    @property
    def url(self):
        return 'http://127.0.0.1:{}'.format(self.server.server_address[1])

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def json_answer(status, document, headers=()):
    return status, [('Content-Type', 'application/json')] + list(headers), json.dumps(document).encode('utf-8')


def redirect(status, location):
    return status, [('Location', location), ('Content-Type', 'application/json')], b'{}'


@pytest.fixture
def target():
    server = Recorder()
    yield server
    server.close()


@pytest.fixture
def servers(target):
    """``make(answer)``: a first server, closed after the test; with ``target``, the place its redirects point to."""
    made = []

    def make(answer):
        made.append(Recorder(answer))
        return made[-1]

    yield make
    for server in made:
        server.close()


def everything_said(server):
    return ' '.join('{} {} {} {}'.format(method, path, headers, body) for method, path, headers, body in
                    server.requests)


# Token requests ---------------------------------------------------------------------------------------------------

TOKEN_CALLS = [
    ('get_tokens', lambda oauth: oauth.get_tokens(CODE, 'https://app.example.org/cb')),
    ('refresh_token', lambda oauth: oauth.refresh_token(REFRESH_TOKEN)),
]


@pytest.mark.parametrize('status', REDIRECTS)
@pytest.mark.parametrize('raise_errors', [False, True])
@pytest.mark.parametrize('call', [call for _, call in TOKEN_CALLS], ids=[name for name, _ in TOKEN_CALLS])
def test_a_token_request_never_follows_a_redirect(servers, target, status, raise_errors, call):
    first = servers(lambda method, path: redirect(status, target.url + '/api/oauth2/token'))
    oauth = patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url=first.url, raise_errors=raise_errors)

    with pytest.raises(OAuthError) as raised:
        call(oauth)

    assert target.requests == []  # the secret and the code or refresh token went nowhere else
    assert len(first.requests) == 1
    error = raised.value
    assert (error.error, error.status_code) == ('unexpected_redirect', status)
    assert str(status) in str(error)
    for secret in (CLIENT_SECRET, CODE, REFRESH_TOKEN):
        assert secret not in str(error)


@pytest.mark.parametrize('status', [307, 308])
def test_an_automatic_refresh_never_follows_a_redirect(servers, target, status):
    def answer(method, path):
        if path == '/api/oauth2/token':
            return redirect(status, target.url + '/api/oauth2/token')
        return json_answer(401, UNAUTHORIZED)

    first = servers(answer)
    api = patreon.API(ACCESS_TOKEN, base_url=first.url, raise_errors=True, refresh_token=REFRESH_TOKEN,
                      refresh=patreon.RefreshPolicy(patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url=first.url)))

    with pytest.raises(Unauthorized) as raised:
        api.get_identity()

    assert target.requests == []
    assert isinstance(raised.value.refresh_error, OAuthError)
    assert raised.value.refresh_error.status_code == status
    assert api.access_token == ACCESS_TOKEN  # the other host's tokens were never taken
    assert [(method, path) for method, path, _, _ in first.requests] == [
        ('GET', '/api/oauth2/v2/identity'), ('POST', '/api/oauth2/token')]


# API routes -------------------------------------------------------------------------------------------------------

ROUTE_CALLS = [
    ('get_identity', lambda api: api.get_identity()),
    ('get_campaigns_by_id_members', lambda api: api.get_campaigns_by_id_members(12, 10)),
    ('create_webhook', lambda api: api.create_webhook(12, 'https://app.example.org/hook', ['posts:publish'])),
    ('update_webhook', lambda api: api.update_webhook(7, paused=True)),
    ('delete_webhook', lambda api: api.delete_webhook(7)),
]


@pytest.mark.parametrize('status', REDIRECTS)
@pytest.mark.parametrize('raise_errors', [False, True])
@pytest.mark.parametrize('call', [call for _, call in ROUTE_CALLS], ids=[name for name, _ in ROUTE_CALLS])
def test_an_api_call_never_follows_a_redirect_to_another_host(servers, target, status, raise_errors, call):
    first = servers(lambda method, path: redirect(status, target.url + path))
    api = patreon.API(ACCESS_TOKEN, base_url=first.url, raise_errors=raise_errors, retry=None)

    with pytest.raises(InvalidResponse) as raised:
        call(api)

    assert target.requests == []
    assert len(first.requests) == 1
    assert raised.value.status_code == status
    assert 'redirect' in str(raised.value) and ACCESS_TOKEN not in str(raised.value)


@pytest.mark.parametrize('location', ['/api/oauth2/v2/elsewhere', 'https://127.0.0.1/api/oauth2/v2/identity'])
def test_an_api_call_never_follows_a_redirect_within_its_host(servers, location):
    first = servers(lambda method, path: redirect(302, location))
    api = patreon.API(ACCESS_TOKEN, base_url=first.url, retry=None)

    with pytest.raises(InvalidResponse):
        api.get_identity()

    assert len(first.requests) == 1


def test_why_requests_alone_is_not_enough(servers, target):
    # requests drops the Authorization header when a redirect changes the host or port, but not within one origin:
    # only refusing redirects keeps the token from a Location the server chose.
    same_origin = servers(lambda method, path: redirect(302, '/elsewhere') if path == '/first'
                          else json_answer(200, {}))
    other_port = servers(lambda method, path: redirect(302, target.url + '/elsewhere'))
    headers = {'Authorization': 'Bearer ' + ACCESS_TOKEN}

    requests.get(same_origin.url + '/first', headers=headers, timeout=10)
    requests.get(other_port.url + '/first', headers=headers, timeout=10)

    assert [path for _, path, _, _ in same_origin.requests] == ['/first', '/elsewhere']
    assert ACCESS_TOKEN in str(same_origin.requests[1][2])  # followed, with the token
    assert len(target.requests) == 1 and ACCESS_TOKEN not in everything_said(target)  # followed, without it
