"""The sandbox's own request and response objects, independent of the HTTP server.

Routes take a :class:`Request` and return a :class:`Response`; the server in
:mod:`.server` turns them into bytes on a socket. Keeping them apart lets one
place decide about the wire (keep-alive, faults, logging).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json

import six
from six.moves.urllib.parse import parse_qsl

JSONAPI_TYPE = 'application/vnd.api+json'
JSON_TYPE = 'application/json'
HTML_TYPE = 'text/html; charset=utf-8'


def parse_query(raw):
    """Decode a query string or form body into ``[(name, value), ...]`` of text, on 2 and 3 alike."""
    pairs = parse_qsl(six.ensure_str(raw), keep_blank_values=True)
    return [(six.ensure_text(name), six.ensure_text(value)) for name, value in pairs]


def dump_json(document):
    """Serialise ``document`` compactly as UTF-8 bytes (non-ASCII stays readable)."""
    text = json.dumps(document, ensure_ascii=False, separators=(',', ':'))
    return six.ensure_binary(text, 'utf-8')


class HeaderDict(dict):
    """Request headers: a plain dict with canonical names (``User-Agent``) whose lookups ignore case."""

    def __init__(self, items=()):
        dict.__init__(self)
        for name, value in items:
            self[name] = value

    @staticmethod
    def canonical(name):
        return '-'.join(part.capitalize() for part in name.split('-'))

    def __setitem__(self, name, value):
        dict.__setitem__(self, self.canonical(name), value)

    def __getitem__(self, name):
        return dict.__getitem__(self, self.canonical(name))

    def __contains__(self, name):
        return dict.__contains__(self, self.canonical(name))

    def get(self, name, default=None):
        return dict.get(self, self.canonical(name), default)


class Request(object):
    """One HTTP request as the routes see it: ``query`` is the raw query string."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.params = parse_query(query)
        self.client_address = None  # the peer's IP address, set by the server that read the request

    def param(self, name, default=None):
        """The last value given for query parameter ``name``."""
        value = default
        for key, given in self.params:
            if key == name:
                value = given
        return value


class Response(object):
    """An answer to send: ``truncate``, ``reset`` and ``trickle`` ask the server to misbehave on purpose.

    ``trickle`` is None or ``(chunk, interval)``: send the body ``chunk`` bytes every ``interval`` seconds.
    """

    def __init__(self, status, body=b'', content_type=None, headers=None):
        self.status = status
        self.body = body
        self.headers = list(headers or [])
        if content_type:
            self.headers.append(('Content-Type', content_type))
        self.truncate = False
        self.reset = False
        self.trickle = None


def json_response(status, document, content_type=JSONAPI_TYPE, headers=None):
    """A JSON answer (JSON:API's media type unless told otherwise)."""
    return Response(status, dump_json(document), content_type, headers)


def html_response(status, title, text, headers=None):
    """A small HTML page, like the ones Patreon's edge answers with."""
    page = '<!DOCTYPE html><html><head><title>%s</title></head><body>%s</body></html>' % (title, text)
    return Response(status, page.encode('utf-8'), HTML_TYPE, headers)
