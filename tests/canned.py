"""A loopback HTTP server that answers every request with canned answers, in order, for answers no sandbox sends.

Usage::

    with CannedServer([(401, {'Content-Type': 'text/html'}, b'<html>Session expired</html>')]) as server:
        api = patreon.API(token, base_url=server.url)
        ...
        server.requests  # [(method, path, headers, body)] of every request served
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import threading

from six.moves import BaseHTTPServer

from helpers import LoopbackServer


class _Handler(BaseHTTPServer.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def _answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path, dict(self.headers.items()), body))
            index = min(len(server.requests), len(server.answers)) - 1
        status, headers, content = server.answers[index]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PATCH = do_DELETE = _answer

    def log_message(self, *args):
        pass  # quiet tests


class CannedServer(LoopbackServer):
    """Serves ``answers`` (``(status, headers, body bytes)``) in order on 127.0.0.1; the last one repeats."""

    def __init__(self, answers):
        super(CannedServer, self).__init__(_Handler)
        self.server.answers = list(answers)
        self.server.requests = []
        self.server.lock = threading.Lock()

    @property
    def requests(self):
        return self.server.requests
