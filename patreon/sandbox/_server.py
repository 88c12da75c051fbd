"""The HTTP/1.1 server: threads, keep-alive, TLS, the request log, and faults on the wire.

Standard library only (through ``six.moves``). The server is quiet: nothing
per request goes to stderr or to the logs (query strings may hold secrets).
It is also hard to wedge: bodies are read by :mod:`.http_limits` (400 for bad
framing, 413 past ``max_body``), every socket operation waits at most
``idle_timeout`` seconds, and so does a whole request (its line, headers and
body), so half-sent and trickled requests free their threads.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import logging
import socket
import struct
import threading
import time

import six
from six.moves import BaseHTTPServer, http_client, socketserver

from .._clock import monotonic
from ._errors import APIError
from ._http_limits import IDLE_TIMEOUT, MAX_BODY, BadRequest, WholeRequestDeadline, read_body
from ._messages import HeaderDict, Request

logger = logging.getLogger(__name__)


class RecordList(list):
    """A list with ``clear()`` on Python 2 too."""

    def clear(self):
        del self[:]


class RequestRecord(object):
    """One request served: ``status`` is None when the connection was reset on purpose."""

    def __init__(self, method, path, query, status, headers):
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.headers = headers

    def __repr__(self):
        # Never the headers: they hold the bearer token.
        return '<RequestRecord %s %s -> %s>' % (self.method, self.path, self.status)


class SandboxRequestHandler(WholeRequestDeadline):
    """Turns one HTTP exchange into a :class:`~.messages.Request` for the application."""

    protocol_version = 'HTTP/1.1'
    server_version = 'PatreonSandbox/1.0'
    # Headers and body go out in separate writes: with Nagle on, each small answer on a kept-alive
    # connection would wait ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def setup(self):
        # Every write waits at most the idle timeout, and a request must arrive whole within it: a half-sent or
        # trickled request cannot hold its thread.
        self.timeout = self.server.idle_timeout
        WholeRequestDeadline.setup(self)

    def do_GET(self):
        self._serve()

    do_POST = do_PATCH = do_DELETE = do_PUT = do_GET

    def log_message(self, format, *args):
        """Quiet: no per-request lines on stderr."""

    def _serve(self):
        path, _, query = six.ensure_text(self.path).partition('?')
        headers = HeaderDict((six.ensure_text(name), six.ensure_text(value))
                             for name, value in self.headers.items())
        try:
            body = read_body(self.headers, self.rfile, self.server.max_body)
        except BadRequest as error:
            # The stream is out of step with the framing: answer, then close the connection.
            response = APIError(error.status, 1, 'ParameterInvalid', http_client.responses[error.status],
                                error.message, headers=[('Connection', 'close')]).response()
            self.close_connection = True
        else:
            request = Request(self.command, path, query, headers, body)
            request.client_address = self.client_address[0]
            response = self.server.application.handle(request)
        if not path.startswith(self.server.unlogged_prefixes):
            # Logged before answering, so a client that got its answer finds the record.
            self.server.log.append(RequestRecord(self.command, path, query, response.status, headers))
        if response.reset:
            self._reset()
        else:
            self._send(response)

    def _send(self, response):
        body = response.body
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(six.ensure_str(name), six.ensure_str(value))
        if response.status != 204:
            self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if response.truncate:
            # Promise the whole body, send half, hang up.
            self.wfile.write(body[:len(body) // 2])
            self.close_connection = True
        elif response.trickle:
            self._trickle(body, *response.trickle)
        else:
            self.wfile.write(body)

    def _trickle(self, body, chunk, interval):
        """Send ``body`` ``chunk`` bytes every ``interval`` seconds: each read is quick, the whole is slow."""
        for start in range(0, len(body), chunk):
            if start:
                time.sleep(interval)
            self.wfile.write(body[start:start + chunk])
            self.wfile.flush()

    def _reset(self):
        """Hang up with a TCP RST (SO_LINGER 0) instead of answering."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack(str('ii'), 1, 0))
        self.connection.close()


class SandboxHTTPServer(socketserver.ThreadingMixIn, BaseHTTPServer.HTTPServer):
    """A threaded HTTP/1.1 server that can drop every open connection when stopped."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    # socketserver's 5 makes a burst of clients wait for SYN retransmits (a second or more) to get in.
    request_queue_size = 128

    def __init__(self, address, application, log, ssl_context=None, idle_timeout=IDLE_TIMEOUT,
                 max_body=MAX_BODY, unlogged_prefixes=()):
        self.application = application
        self.log = log
        self.ssl_context = ssl_context
        self.idle_timeout = idle_timeout
        self.max_body = max_body
        # Requests below these paths (the sandbox's control endpoint) stay out of the log of API requests.
        self.unlogged_prefixes = tuple(unlogged_prefixes)
        self._connections = set()
        self._serving_threads = set()  # the threads serving a connection now
        self._connections_lock = threading.Lock()
        BaseHTTPServer.HTTPServer.__init__(self, address, SandboxRequestHandler)

    def server_bind(self):
        # HTTPServer.server_bind resolves the host name (slow without DNS); the address will do.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        # The TLS handshake too waits at most the idle timeout.
        request.settimeout(self.idle_timeout)
        if self.ssl_context is not None:
            request = self.ssl_context.wrap_socket(request, server_side=True)
        with self._connections_lock:
            self._connections.add(request)
            self._serving_threads.add(threading.current_thread())
        try:
            self.RequestHandlerClass(request, client_address, self)
        finally:
            with self._connections_lock:
                self._connections.discard(request)
                self._serving_threads.discard(threading.current_thread())
            request.close()

    def handle_error(self, request, client_address):
        logger.debug('sandbox: connection from %s ended with an error', client_address, exc_info=True)

    @staticmethod
    def join_connections(threads, timeout):
        """Wait, ``timeout`` seconds at most in all, for ``threads`` (from :meth:`close_connections`) to end."""
        deadline = monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - monotonic()))

    def close_connections(self):
        """Shut down every open (keep-alive) connection so their threads end now; return those threads.

        Taken before the shutdown: a thread leaves the set once its connection ends, a moment before it does.
        """
        with self._connections_lock:
            connections = list(self._connections)
            threads = list(self._serving_threads)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except (socket.error, ValueError):
                pass
        return threads
