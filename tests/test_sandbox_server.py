"""The sandbox is a well-behaved server: malformed requests answered, huge ones refused, idle ones dropped,
webhooks delivered to loopback hosts only (decided on the host's text, never by resolving a name)."""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import socket

import pytest

from patreon.sandbox import Sandbox
from patreon.sandbox._webhooks import is_loopback
from test_sandbox_support import Receiver, SandboxClient, trickle_until_hung_up, webhook_document

MAX_BODY = 4096


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=5, seed=19, idle_timeout=0.3, max_body=MAX_BODY)


def connect(sandbox):
    host, port = sandbox._server.server_address[:2]
    connection = socket.create_connection((host, port), timeout=30)  # a bound that only a hang reaches
    return connection


def read_all(connection):
    """Everything the server sends until it closes the connection."""
    chunks = []
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            return b''.join(chunks)
        chunks.append(chunk)


def exchange(sandbox, raw):
    """Send ``raw`` bytes; the status and body the server answered, after checking it closed the connection."""
    connection = connect(sandbox)
    try:
        connection.sendall(raw)
        answer = read_all(connection)
    finally:
        connection.close()
    head, _, body = answer.partition(b'\r\n\r\n')
    status = int(head.split(b' ')[1]) if head else None
    return status, body


def post_head(path, *headers):
    lines = ['POST %s HTTP/1.1' % path, 'Host: 127.0.0.1'] + list(headers)
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('ascii')


TOKEN_PATH = '/api/oauth2/token'


@pytest.mark.parametrize('headers, body', [
    (['Content-Length: abc'], b''),
    (['Content-Length: +5'], b'abcde'),
    (['Content-Length: 1_0'], b'abcdefghij'),
    (['Content-Length: -1'], b''),
    (['Content-Length: 5', 'Content-Length: 6'], b'abcdef'),
    (['Transfer-Encoding: chunked'], b'zz\r\nabc\r\n0\r\n\r\n'),
    (['Transfer-Encoding: chunked'], b'-3\r\nabc\r\n0\r\n\r\n'),
    (['Transfer-Encoding: chunked'], b'3\r\nabcdef\r\n0\r\n\r\n'),
    (['Transfer-Encoding: gzip'], b'abc'),
    (['Transfer-Encoding: chunked', 'Content-Length: 3'], b'3\r\nabc\r\n0\r\n\r\n'),
])
def test_a_malformed_request_gets_a_400_answer_and_the_connection_closes(sb, headers, body):
    status, answer = exchange(sb, post_head(TOKEN_PATH, *headers) + body)
    assert status == 400
    assert json.loads(answer.decode('utf-8'))['errors'][0]['status'] == '400'
    assert sb.requests[-1].status == 400


def test_a_request_whose_body_ends_early_gets_a_400(sb):
    connection = connect(sb)
    try:
        connection.sendall(post_head(TOKEN_PATH, 'Content-Length: 10') + b'abc')
        connection.shutdown(socket.SHUT_WR)  # the client is done, three bytes short
        answer = read_all(connection)
    finally:
        connection.close()
    assert answer.startswith(b'HTTP/1.1 400 ')


@pytest.mark.parametrize('headers, body', [
    (['Content-Length: 999999999999999999'], b''),
    (['Content-Length: %d' % (MAX_BODY + 1)], b''),
    (['Transfer-Encoding: chunked'], b'%x\r\n' % (MAX_BODY + 1)),
    (['Transfer-Encoding: chunked'], b'800\r\n' + b'a' * 0x800 + b'\r\n801\r\n'),
])
def test_a_body_larger_than_the_limit_is_refused_with_413_before_it_is_read(sb, headers, body):
    # None of these bodies is sent whole: the answer comes without the server waiting for it.
    status, answer = exchange(sb, post_head(TOKEN_PATH, *headers) + body)
    assert status == 413
    assert json.loads(answer.decode('utf-8'))['errors'][0]['status'] == '413'


def test_well_formed_bodies_are_still_read_both_ways(sb):
    form = b'grant_type=refresh_token&refresh_token=nope&client_id=x&client_secret=y'
    for headers, body in ((['Content-Length: %d' % len(form)], form),
                          (['Transfer-Encoding: chunked'], b'%x;ext=1\r\n%s\r\n0\r\nX-Trailer: 1\r\n\r\n' % (
                              len(form), form))):
        connection = connect(sb)
        try:
            connection.sendall(post_head(TOKEN_PATH, 'Content-Type: application/x-www-form-urlencoded',
                                         'Connection: close', *headers) + body)
            answer = read_all(connection)
        finally:
            connection.close()
        assert answer.startswith(b'HTTP/1.1 401 ') and b'invalid_client' in answer  # the form was read


@pytest.mark.parametrize('raw', [
    b'',  # connected, silent
    b'GET /api/oauth2/v2/identity HTTP/1.1\r\nHost: 127.0.0.1\r\n',  # headers never finished
    post_head(TOKEN_PATH, 'Content-Length: 100') + b'abc',  # a body that stops coming
    post_head(TOKEN_PATH, 'Transfer-Encoding: chunked') + b'10\r\nabc',
])
def test_an_unfinished_request_is_dropped_after_the_idle_timeout(sb, raw):
    connections = [connect(sb) for _ in range(20)]  # a handful of half-open connections, each its own thread
    try:
        for connection in connections:
            connection.sendall(raw)
        # The server closes each one (recv returns b''): the client's 30 s bound is never what ends it.
        assert [read_all(connection) for connection in connections] == [b''] * len(connections)
    finally:
        for connection in connections:
            connection.close()
    assert SandboxClient(sb).get('identity').status_code == 200


def test_the_idle_timeout_must_be_a_number_of_seconds():
    for value in (0, -1, float('nan'), float('inf'), '30', True):
        with pytest.raises(ValueError):
            Sandbox(members=1, idle_timeout=value)


# -- webhooks go to loopback hosts only ------------------------------------------------------------------------------


@pytest.mark.parametrize('host', ['127.0.0.1', '127.0.0.2', '127.255.255.254', 'localhost', '::1'])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize('host', [
    '127.0.0.1.example.invalid', '127.example.invalid', '127.0.0.1.', '127.1', '0x7f.0.0.1', '0177.0.0.1',
    '127.0.0.1 ', 'localhost.', 'localhost.example.invalid', 'mylocalhost', '::ffff:10.0.0.1', '::2',
    '0.0.0.0', '10.0.0.1', '128.0.0.1', '', None, '127.0.0.1\x00.example.invalid', '\u0661\u0662\u0667.0.0.1',
])
def test_names_that_only_look_like_loopback_are_not(host):
    assert not is_loopback(host)


def test_a_webhook_on_a_name_that_starts_like_127_is_never_resolved_nor_delivered(sb, monkeypatch):
    resolved = []
    real_getaddrinfo = socket.getaddrinfo

    def recording_getaddrinfo(host, *args, **kwargs):
        resolved.append(host)
        return real_getaddrinfo(host, *args, **kwargs)
    monkeypatch.setattr(socket, 'getaddrinfo', recording_getaddrinfo)
    api = SandboxClient(sb)
    with Receiver() as receiver:
        port = receiver.server.server_address[1]
        for uri in ('http://127.0.0.1.example.invalid:%d/hook' % port, receiver.url):
            answer = api.post('webhooks', json=webhook_document(sb.campaign_id, uri, ['members:pledge:create']))
            assert answer.status_code == 201
        sb.clear_log()
        sb.pledge(sb.tier_ids[1])
        by_uri = dict((delivery.uri, delivery) for delivery in sb.deliveries)
        refused = by_uri['http://127.0.0.1.example.invalid:%d/hook' % port]
        assert refused.status is None and 'loopback' in refused.error
        assert by_uri[receiver.url].ok and len(receiver.received) == 1
    assert not [host for host in resolved if 'example' in '%s' % host]


@pytest.mark.parametrize('method, path', [
    ('DELETE', '/api/oauth2/v2/webhooks/..'),
    ('GET', '/api/oauth2/v2/campaigns/../members'),
    ('GET', '/api/oauth2/v2/campaigns/%2e%2E/members'),
    ('GET', '/api/oauth2/v2/members/.'),
    ('PATCH', '/api/oauth2/v2/webhooks/%2E'),
])
def test_a_dot_segment_where_an_id_goes_is_a_400_never_another_route(sb, method, path):
    raw = ('%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' % (
        method, path, sb.creator_token)).encode('ascii')

    status, answer = exchange(sb, raw)

    assert status == 400
    assert 'dot segment' in json.loads(answer.decode('utf-8'))['errors'][0]['detail']


@pytest.mark.parametrize('raw', [
    # The head trickled: request line and headers (8 s at this pace, 27 idle timeouts).
    b'GET /api/oauth2/v2/identity HTTP/1.1\r\nHost: 127.0.0.1\r\n' + b'X-Padding: ' + b'x' * 100 + b'\r\n\r\n',
    # The body trickled, after a head sent whole.
    post_head(TOKEN_PATH, 'Content-Length: 160') + b'a' * 160,
])
def test_a_request_trickled_a_byte_at_a_time_is_dropped_after_the_idle_timeout_as_a_whole(sb, raw):
    connection = connect(sb)
    try:
        if raw.startswith(b'POST'):
            head = raw[:raw.index(b'\r\n\r\n') + 4]
            connection.sendall(head)
            raw = raw[len(head):]
        sent = trickle_until_hung_up(connection, raw)
    finally:
        connection.close()
    assert sent < len(raw)
    assert SandboxClient(sb).get('identity').status_code == 200


def test_requests_on_a_kept_alive_connection_each_get_the_whole_idle_timeout(sb):
    # The deadline is per request: a connection that sends requests promptly is served as long as it likes.
    client = SandboxClient(sb)
    assert [client.get('identity').status_code for _ in range(30)] == [200] * 30
