"""Helpers shared by the sandbox tests: an HTTP client, a webhook receiver, fixtures, a TLS pair.

Usage::

    from test_sandbox_support import SandboxClient, Receiver, load_fixture

    client = SandboxClient(sb)
    client.get('identity', params={'fields[user]': 'full_name'}).json()
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import os
import select
import socket
import ssl

import requests
from six.moves import BaseHTTPServer, socketserver

from helpers import LoopbackServer, load_fixture  # noqa: F401 (the sandbox tests import load_fixture from here)
from patreon.sandbox._messages import HeaderDict


# A self-signed test-only certificate for 127.0.0.1 (valid until 2126): not a secret, never used elsewhere.
TEST_CERT = """-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUIwbqJIyn8W16gkRZYVYx/4z4GCUwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNzA1NTUyM1oYDzIxMjYxMTAz
MDU1NTIzWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATd0jSjXD4sKfpcOWGM2/tvDb6m1Ig2JokPhoD71t9t5WBbEeFg+z80
3R88IEQDmDEsBlK6EoYVMcKs1tGQCBseo28wbTAdBgNVHQ4EFgQUb7f6ZU9T40lF
WOX/tZXnpI6047gwHwYDVR0jBBgwFoAUb7f6ZU9T40lFWOX/tZXnpI6047gwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSQAwRgIhANdGcxyBDHbfFUqLBp7pl7dOapWgFqYSemOmmlSuJlzhAiEA
0gyVixfjMEG/CGFv9C6GUlzZEn+04S9E6T7xXvMKL2A=
-----END CERTIFICATE-----
"""
TEST_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgDv10BVfpiU6oZqFs
4lKdvrlqh9G8/1DX9dqKAal0C/KhRANCAATd0jSjXD4sKfpcOWGM2/tvDb6m1Ig2
JokPhoD71t9t5WBbEeFg+z803R88IEQDmDEsBlK6EoYVMcKs1tGQCBse
-----END PRIVATE KEY-----
"""


def write_tls_files(directory):
    """Write the test certificate and key into ``directory``; returns ``(cert_path, key_path)``."""
    cert_path, key_path = os.path.join(str(directory), 'cert.pem'), os.path.join(str(directory), 'key.pem')
    for path, text in ((cert_path, TEST_CERT), (key_path, TEST_KEY)):
        with io.open(path, 'w') as handle:
            handle.write(text)
    return cert_path, key_path


def server_tls_context(directory):
    cert_path, key_path = write_tls_files(directory)
    context = ssl.SSLContext(getattr(ssl, 'PROTOCOL_TLS_SERVER', ssl.PROTOCOL_SSLv23))
    context.load_cert_chain(cert_path, key_path)
    return context


class SandboxClient(object):
    """Plain ``requests`` against a sandbox; ``token`` defaults to the creator's."""

    def __init__(self, sandbox, token=None):
        self.sandbox = sandbox
        self.token = token or sandbox.creator_token
        self.session = requests.Session()

    def request(self, method, path, token=None, **kwargs):
        headers = kwargs.pop('headers', {})
        headers.setdefault('Authorization', 'Bearer ' + (token or self.token))
        return self.session.request(method, self.sandbox.url + '/api/oauth2/v2/' + path, headers=headers,
                                    timeout=30, **kwargs)

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, **kwargs):
        return self.request('POST', path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request('PATCH', path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)

    def all_members(self, campaign_id, params=None, count=None):
        """Every member of every page, following ``meta.pagination.cursors.next``."""
        params = dict(params or {})
        if count:
            params['page[count]'] = count
        pages = []
        while True:
            answer = self.get('campaigns/%s/members' % campaign_id, params=params)
            assert answer.status_code == 200, answer.text
            pages.append(answer.json())
            cursor = pages[-1]['meta']['pagination']['cursors']['next']
            if cursor is None:
                return pages
            params['page[cursor]'] = cursor

    def close(self):
        self.session.close()


def error_of(answer, status):
    """The single JSON:API error of ``answer``, after checking its status and shape."""
    assert answer.status_code == status, answer.text
    errors = answer.json()['errors']
    assert len(errors) == 1
    assert errors[0]['status'] == '%d' % status
    return errors[0]


def webhook_document(campaign_id, uri, triggers):
    return {'data': {'type': 'webhook', 'attributes': {'triggers': triggers, 'uri': uri},
                     'relationships': {'campaign': {'data': {'type': 'campaign', 'id': campaign_id}}}}}


class _ReceiverHandler(BaseHTTPServer.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        receiver = self.server.receiver
        receiver.received.append((HeaderDict(self.headers.items()), body, self.path))
        self.send_response(receiver.status)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, format, *args):
        pass


class _ReceiverServer(socketserver.ThreadingMixIn, BaseHTTPServer.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gives up (TLS refused, timeout) is part of the tests


class Receiver(LoopbackServer):
    """A webhook receiver on 127.0.0.1 that records every POST and answers ``status``."""

    def __init__(self, status=200, ssl_context=None):
        self.status = status
        self.received = []
        super(Receiver, self).__init__(_ReceiverHandler, _ReceiverServer)
        self.server.receiver = self
        if ssl_context is not None:
            self.server.socket = ssl_context.wrap_socket(self.server.socket, server_side=True)
        scheme = 'https' if ssl_context is not None else 'http'
        # TLS receivers go by name: Python 2 cannot match a certificate against an IP address.
        host = 'localhost' if ssl_context is not None else '127.0.0.1'
        self.url = '%s://%s:%d/hooks/patreon' % (scheme, host, self.server.server_address[1])


#: Seconds between two trickled bytes: far less than the idle timeouts the tests set (0.3 s).
TRICKLE_PACE = 0.05


def trickle_until_hung_up(connection, raw):
    """Send ``raw`` a byte every TRICKLE_PACE seconds; how many were sent when the server hung up (all: never)."""
    for sent in range(len(raw)):
        # The pace, or the server's hang-up (the socket turns readable, at its end), whichever comes first.
        readable, _, _ = select.select([connection], [], [], TRICKLE_PACE)
        if readable:
            try:
                if not connection.recv(65536):
                    return sent
            except socket.error:
                return sent
        try:
            connection.sendall(raw[sent:sent + 1])
        except socket.error:
            return sent
    return len(raw)
