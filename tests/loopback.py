"""A loopback HTTP server that answers exactly the bytes a test scripts: trickles, cut bodies, absurd headers.

The sandbox is a well-behaved Patreon; this server is a hostile one.  Each
connection serves one request: the server reads the request head, hands the
socket to the next script, and closes the connection when the script returns.

Usage::

    with ScriptedServer([answer(200, b'{"data": []}', ('Content-Length', '999'))]) as server:
        requests.get(server.url + '/x')  # a body cut short
        server.requests                  # ['GET /x HTTP/1.1']
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import gzip
import io
import select
import socket
import threading

THREAD_NAME = 'scripted-server'
PACE = 0.2  # seconds between two trickled bytes
# A bound on a trickle, so that a client that never hangs up cannot keep a test running for ever.
MAX_TRICKLE = 300


class ScriptedServer(object):
    """Serves ``scripts`` in turn, one per connection (the last one again once they run out).

    :ivar url: ``http://127.0.0.1:<port>``.
    :ivar requests: the request line of each request served, in order.
    :ivar hung_up: set when a script saw the client close the connection before the script was done.
    """

    def __init__(self, scripts):
        self.scripts = list(scripts)
        self.requests = []
        self.hung_up = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(('127.0.0.1', 0))
        self._listener.listen(8)
        self.url = 'http://127.0.0.1:{}'.format(self._listener.getsockname()[1])
        self._lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(target=self._accept, name=THREAD_NAME)
        self._thread.daemon = True
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._stopped = True
        try:
            # A connection of our own wakes the accept() up, so that the thread ends before close() returns.
            socket.create_connection(self._listener.getsockname(), timeout=5).close()
        except (socket.error, OSError):
            pass
        self._thread.join(10)
        self._listener.close()

    def _accept(self):
        while True:
            connection, _ = self._listener.accept()
            if self._stopped:
                connection.close()
                return
            handler = threading.Thread(target=self._serve, args=(connection,), name=THREAD_NAME)
            handler.daemon = True
            handler.start()

    def _serve(self, connection):
        try:
            head = b''
            while b'\r\n\r\n' not in head:
                received = connection.recv(65536)
                if not received:
                    return
                head += received
            with self._lock:
                self.requests.append(head.split(b'\r\n', 1)[0].decode('latin-1'))
                script = self.scripts[min(len(self.requests), len(self.scripts)) - 1]
            if script(connection) == 'hung up':
                self.hung_up.set()
        except (socket.error, OSError):
            self.hung_up.set()  # a reset while writing: the client went away
        finally:
            connection.close()


def response_head(status, headers):
    """The bytes of a status line and ``headers`` (``(name, value)`` pairs, values as bytes or text).

    ``Connection: close`` comes first: the server closes each connection after one answer, and says so.
    """
    lines = ['HTTP/1.1 {} Whatever'.format(status).encode('ascii'), b'Connection: close']
    for name, value in headers:
        lines.append(name.encode('ascii') + b': ' + (value if isinstance(value, bytes) else value.encode('latin-1')))
    return b'\r\n'.join(lines) + b'\r\n\r\n'


def answer(status, body, *headers):
    """A script that sends one whole answer as given (no header added but ``Connection: close``)."""
    def script(connection):
        connection.sendall(response_head(status, headers) + body)
    return script


def json_answer(status, body, *headers):
    """A script for a JSON answer with its true Content-Length, and ``headers`` besides."""
    headers = (('Content-Type', 'application/json'), ('Content-Length', str(len(body)))) + headers
    return answer(status, body, *headers)


def cut(status, body, sent, *headers):
    """A script that promises ``body`` (its Content-Length) and sends only its first ``sent`` bytes."""
    def script(connection):
        head = response_head(status, (('Content-Type', 'application/json'),
                                      ('Content-Length', str(len(body)))) + headers)
        connection.sendall(head + body[:sent])
    return script


def trickle(first, piece=b'X', pace=PACE, limit=MAX_TRICKLE):
    """A script that sends ``first``, then ``piece`` every ``pace`` seconds until the client hangs up.

    Returns ``'hung up'`` when the client closed the connection (what the
    tests assert); gives up after ``limit`` pieces.
    """
    def script(connection):
        connection.sendall(first)
        for _ in range(limit):
            # Wait for the pace, or for the client to hang up (the socket becomes readable, at its end).
            readable, _, _ = select.select([connection], [], [], pace)
            if readable:
                try:
                    if not connection.recv(1):
                        return 'hung up'
                except (socket.error, OSError):
                    return 'hung up'
            try:
                connection.sendall(piece)
            except (socket.error, OSError):
                return 'hung up'
        return 'gave up'
    return script


def gzipped(data):
    """``data`` compressed with gzip, as a server sends it with ``Content-Encoding: gzip``."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode='wb') as compressor:
        compressor.write(data)
    return buffer.getvalue()
