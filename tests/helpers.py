"""Shared helpers of the contract tests: the sample documents, the HTTP mock, and readers of sent requests.

Usage::

    from helpers import API_URL, http_fixture, load_fixture  # noqa: F401 (the fixture `http`)

    def test_identity(http):
        http.add(responses.GET, API_URL + 'identity', json=load_fixture('identity_with_memberships.json'))
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import datetime
import io
import json
import os
import socket
import subprocess
import sys
import threading

import pytest
import requests
import responses
from six.moves import BaseHTTPServer, socketserver
from six.moves.urllib.parse import parse_qsl

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Sample documents live beside the tests: a clone (or the sdist) alone runs the suite.
FIXTURES_DIR = os.path.join(REPO_ROOT, 'tests', 'fixtures')
FIXTURES = FIXTURES_DIR  # the name the first version of this module used



def doc_text(name):
    """The text of ``README.md`` or of a page of the documentation site (``'docs/oauth.md'``)."""
    with io.open(os.path.join(REPO_ROOT, name), encoding='utf-8') as handle:
        return handle.read()


def doc_pages():
    """Every Markdown page of the documentation site, as paths from the repository's root (``docs/...``), sorted."""
    pages = []
    for folder, _, names in os.walk(os.path.join(REPO_ROOT, 'docs')):
        pages.extend(os.path.relpath(os.path.join(folder, name), REPO_ROOT).replace(os.sep, '/')
                     for name in names if name.endswith('.md'))
    return sorted(pages)


BASE_URL = 'https://www.patreon.com'
API_URL = BASE_URL + '/api/oauth2/v2/'
TOKEN_URL = BASE_URL + '/api/oauth2/token'
AUTHORIZE_URL = BASE_URL + '/oauth2/authorize'

# Long and distinctive, so that finding it in a message or URL cannot be a coincidence.
ACCESS_TOKEN = 'at_Ks9dTb3xQz7LmN2pVw4rYh6JcF8gUe1a'
REFRESH_TOKEN = 'rt_Pq2wEr5tYu8iOp1aSd4fGh7jKl0zXc3v'
CLIENT_ID = 'client_id_Vb6nM9qW2eR5'
CLIENT_SECRET = 'cs_Lk3jH6gF9dS2aP5oI8uY1tR4eW7qZ0x'


def fixture_path(name):
    """The absolute path of the sample document ``name`` in ``tests/fixtures``."""
    return os.path.join(FIXTURES_DIR, name)


def fixture_bytes(name):
    """The raw bytes of the sample document ``name``."""
    with io.open(fixture_path(name), 'rb') as handle:
        return handle.read()


def load_fixture(name):
    """The sample document ``name``: parsed JSON for ``*.json``, bytes otherwise (a fresh copy each call)."""
    content = fixture_bytes(name)
    if name.endswith('.json'):
        return json.loads(content.decode('utf-8'))
    return content


@pytest.fixture(name='http')
def http_fixture():
    """The fixture ``http``: a :class:`responses.RequestsMock` active for one test; every response registered must
    be used. Import it into a test module to use it there."""
    with responses.RequestsMock() as mock:
        yield mock


def body_text(request):
    """The body of a sent request as text."""
    body = request.body
    if isinstance(body, bytes):
        return body.decode('utf-8')
    return body


def json_body(request):
    """The JSON body of a sent request, parsed."""
    return json.loads(body_text(request))


def form_pairs(request):
    """The ``(name, value)`` pairs of a sent form-urlencoded body, in order."""
    return parse_qsl(body_text(request), keep_blank_values=True, strict_parsing=True)


def fetch(status, body=b'', headers=None, content_type='application/json'):
    """A real :class:`requests.Response` with this status, body and headers, served by ``responses``.

    :param body: bytes or text; a dict or list is sent as JSON.
    """
    url = 'https://www.patreon.com/api/oauth2/v2/test'
    with responses.RequestsMock() as mock:
        if isinstance(body, (dict, list)):
            mock.add(responses.GET, url, json=body, status=status, headers=headers or {})
        else:
            mock.add(responses.GET, url, body=body, status=status, headers=headers or {}, content_type=content_type)
        return requests.get(url)


def closed_port():
    """A loopback port where nobody listens (connection refused): bound by the OS, then released."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class RecordingSession(requests.Session):
    """A caller's session: records what the client asks of it."""

    def __init__(self):
        super(RecordingSession, self).__init__()
        self.requests = []

    def request(self, method, url, **kwargs):
        self.requests.append((method, url, kwargs))
        return super(RecordingSession, self).request(method, url, **kwargs)


class FixedOffset(datetime.tzinfo):
    """A fixed UTC offset (Python 2.7 has no datetime.timezone)."""

    def __init__(self, hours):
        self.offset = datetime.timedelta(hours=hours)

    def utcoffset(self, dt):
        return self.offset

    def dst(self, dt):
        return datetime.timedelta(0)

    def tzname(self, dt):
        return 'UTC{:+d}'.format(int(self.offset.total_seconds() // 3600))


class ThreadedHTTPServer(socketserver.ThreadingMixIn, BaseHTTPServer.HTTPServer):
    """An HTTP server with a thread per connection, which the test's exit does not wait for."""

    daemon_threads = True

    def get_request(self):
        # Without TCP_NODELAY, an answer written as a head and then a body waits out the client's delayed ACK:
        # 40 ms per request on a kept-alive connection.
        connection, address = BaseHTTPServer.HTTPServer.get_request(self)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class LoopbackServer(object):
    """An HTTP server on 127.0.0.1 port 0, served by a daemon thread while the ``with`` block lasts.

    Subclasses pass their handler (and server class), then hang what the handler needs on ``self.server``.
    """

    def __init__(self, handler_class, server_class=ThreadedHTTPServer):
        self.server = server_class(('127.0.0.1', 0), handler_class)
        self.url = 'http://127.0.0.1:{}'.format(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05})
        self.thread.daemon = True

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def token_request_count(sandbox):
    """How many requests ``sandbox`` has served at its token endpoint."""
    return len([record for record in sandbox.requests if record.path == '/api/oauth2/token'])


def refreshing_api(sandbox, scopes=None, expired=True, refresh_token=None, **kwargs):
    """A client of ``sandbox`` able to refresh, its token of ``scopes`` (all by default) just expired.

    Returns ``(api, tokens, stored)``: ``stored`` receives what ``on_token_refresh`` is called with, unless
    ``on_token_refresh`` is given.
    """
    import patreon  # here: the suite's own helpers load without the package
    tokens = sandbox.issue_tokens(scopes=scopes)
    stored = []
    oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url)
    refresh = patreon.RefreshPolicy(oauth, on_token_refresh=kwargs.pop('on_token_refresh', stored.append),
                                    margin=kwargs.pop('refresh_margin', patreon._refresh.DEFAULT_REFRESH_MARGIN))
    api = patreon.API(tokens['access_token'], base_url=sandbox.url,
                      refresh_token=refresh_token or tokens['refresh_token'], refresh=refresh, **kwargs)
    if expired:
        sandbox.expire_access_token(tokens['access_token'])
    return api, tokens, stored


def start_child(script, *args):
    """A Python child running ``script`` with ``args``, the repository first on its path, its pipes open."""
    env = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    return subprocess.Popen([sys.executable, '-c', script] + list(args), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def run_children_together(script, args, count, guard_seconds=60):
    """Start ``count`` children of ``script``; once all say ``ready``, let them go at once; ``(out, err)`` of each.

    ``guard_seconds`` only kills a hung child: a passing run takes a fraction of it.
    """
    children = [start_child(script, *args) for _ in range(count)]
    timer = threading.Timer(guard_seconds, lambda: [child.kill() for child in children])
    timer.start()
    try:
        for child in children:
            assert child.stdout.readline() == b'ready\n', child.stderr.read()
        for child in children:
            child.stdin.write(b'go\n')
            child.stdin.flush()
        outputs = [child.communicate() for child in children]
    finally:
        timer.cancel()
    for child, (_, err) in zip(children, outputs):
        assert child.returncode == 0, err
    return outputs
