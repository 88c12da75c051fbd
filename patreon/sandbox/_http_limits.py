"""Reading a request body safely: framing checked, size bounded, malformed requests answered, never crashed on.

A server that trusts ``Content-Length`` allocates what a client claims, and
one that ``int()``-s it drops the connection on ``abc`` (or reads ``+5`` and
``1_0`` as numbers). Here the framing is parsed strictly: a
``Content-Length`` is one run of decimal digits, a chunk size one run of hex
digits; anything else is a :class:`BadRequest` with status 400, a body past
``max_body`` bytes one with status 413, refused before anything is read.
Reads that wait longer than the connection's idle timeout raise
``socket.timeout`` from the socket itself (the server sets it); with
:class:`WholeRequestDeadline`, so does a request that has not arrived whole
(line, headers and body) within that time, however steadily it trickles.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import numbers
import re
import socket

from six.moves import BaseHTTPServer

from .._clock import monotonic

#: The largest request body the sandbox reads (bytes); its requests are a few hundred bytes.
MAX_BODY = 1024 * 1024
#: Seconds a connection may wait for the next bytes of a request (or for a next request) before it is dropped.
IDLE_TIMEOUT = 30.0
#: The longest line read for a chunk size or a trailer field (bytes, CRLF included).
MAX_LINE = 1024

_DECIMAL = re.compile(r'\A[0-9]{1,18}\Z')
_HEX = re.compile(r'\A[0-9A-Fa-f]{1,16}\Z')


def check_idle_timeout(value):
    """``value`` as float seconds if it is a number above 0 and at most a day; else ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < float(value) <= 86400:
        raise ValueError('idle_timeout must be a number of seconds above 0 and at most 86400, not %r' % (value,))
    return float(value)


class BadRequest(Exception):
    """A request the sandbox refuses to read: ``status`` (400 or 413) and a ``message`` that says why."""

    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status = status
        self.message = message


def _header_values(headers, name):
    """Every value of header ``name`` (``email.message.Message`` on Python 3, ``mimetools.Message`` on 2)."""
    if hasattr(headers, 'get_all'):
        return headers.get_all(name) or []
    return headers.getheaders(name)


def content_length(headers, max_body=MAX_BODY):
    """The request's ``Content-Length`` as an int (0 when absent); :class:`BadRequest` when not one number."""
    values = [value.strip() for value in _header_values(headers, 'Content-Length')]
    if not values:
        return 0
    if len(set(values)) != 1 or not _DECIMAL.match(values[0]):
        raise BadRequest(400, 'Content-Length must be one decimal number of bytes.')
    length = int(values[0])
    if length > max_body:
        raise BadRequest(413, 'The request body is larger than %d bytes.' % max_body)
    return length


def read_body(headers, rfile, max_body=MAX_BODY):
    """The request body as bytes, framed by ``Transfer-Encoding: chunked`` or ``Content-Length``.

    :raises BadRequest: 400 for framing that is not HTTP/1.1's (a length that
        is not a number, both framings at once, an encoding other than
        chunked, a bad chunk size, a body that ends early), 413 for a body
        larger than ``max_body``.
    :raises socket.timeout: the client stopped sending for longer than the idle timeout.
    """
    encodings = [value.strip().lower() for value in _header_values(headers, 'Transfer-Encoding')]
    if encodings:
        if encodings != ['chunked']:
            raise BadRequest(400, 'The only Transfer-Encoding understood is chunked.')
        if _header_values(headers, 'Content-Length'):
            raise BadRequest(400, 'A request cannot have both Content-Length and Transfer-Encoding.')
        return _read_chunked(rfile, max_body)
    length = content_length(headers, max_body)
    body = rfile.read(length) if length else b''
    if len(body) != length:
        raise BadRequest(400, 'The request body ended after %d of %d bytes.' % (len(body), length))
    return body


def _line(rfile):
    line = rfile.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise BadRequest(400, 'A chunk-size or trailer line is longer than %d bytes.' % MAX_LINE)
    if not line.endswith(b'\n'):
        raise BadRequest(400, 'The chunked body ended early.')
    return line


def _read_chunked(rfile, max_body):
    chunks, total = [], 0
    while True:
        size_text = _line(rfile).split(b';')[0].strip().decode('latin-1')
        if not _HEX.match(size_text):
            raise BadRequest(400, 'A chunk size must be hexadecimal digits.')
        size = int(size_text, 16)
        if not size:
            break
        total += size
        if total > max_body:
            raise BadRequest(413, 'The request body is larger than %d bytes.' % max_body)
        chunk = rfile.read(size)
        if len(chunk) != size or _line(rfile).strip():
            raise BadRequest(400, 'A chunk is not followed by CRLF where its size says.')
        chunks.append(chunk)
    while _line(rfile).strip():
        pass  # trailer fields: ignored
    return b''.join(chunks)


class DeadlineReader(io.RawIOBase):
    """The reading side of ``connection``, each read bounded by what is left of the current request's time.

    A client that sends a byte now and then never lets one read wait out its timeout: each read here waits
    at most until :meth:`start`'s deadline, then raises ``socket.timeout``. Closing it leaves the socket open
    (the server closes it).
    """

    def __init__(self, connection, limit):
        io.RawIOBase.__init__(self)
        self._connection = connection
        self.limit = limit
        self.deadline = None

    def start(self):
        """Begin a request: from now, it has :attr:`limit` seconds to arrive whole."""
        self.deadline = monotonic() + self.limit

    def readable(self):
        return True

    def readinto(self, buffer):
        left = self.limit if self.deadline is None else self.deadline - monotonic()
        if left <= 0:
            raise socket.timeout('the request did not arrive whole within %g s' % self.limit)
        self._connection.settimeout(min(left, self.limit))
        try:
            return self._connection.recv_into(buffer)
        finally:
            self._connection.settimeout(self.limit)  # what the answer's writes wait at most


class WholeRequestDeadline(BaseHTTPServer.BaseHTTPRequestHandler):
    """A ``BaseHTTPRequestHandler`` whose each request must arrive whole within ``self.timeout`` seconds.

    ``timeout`` alone bounds each read, so a request trickled a byte at a time holds its thread as long as its
    client likes; here the time between the start of a request (the wait for its first line included) and its
    last byte is bounded. A request cut by the deadline ends the connection, as an idle one does.
    """

    # Base methods called by name, not super(): on Python 2 the base is a classic class.
    def setup(self):
        BaseHTTPServer.BaseHTTPRequestHandler.setup(self)
        self.rfile.close()  # type: ignore[has-type] # the socket's own file: unclosed, it would keep the connection open (Python 3)
        self._deadline_reader = DeadlineReader(self.connection, self.timeout)
        self.rfile = io.BufferedReader(self._deadline_reader)

    def handle_one_request(self):
        self._deadline_reader.start()
        BaseHTTPServer.BaseHTTPRequestHandler.handle_one_request(self)
