"""Patreon's JSON:API error answers, raised by routes as :class:`APIError`."""
from __future__ import absolute_import, division, print_function, unicode_literals

import uuid
from collections import OrderedDict

from ._messages import json_response

UNAUTHORIZED_DETAIL = 'The server could not verify that you are authorized to access the URL requested.'
THROTTLED_DETAIL = 'You have made too many attempts. Please try again later.'


def error_document(status, code, code_name, title, detail, **extra):
    """One JSON:API error document in Patreon's shape (keys sorted, ``status`` a string)."""
    error = dict(extra, code=code, code_name=code_name, detail=detail, id='%s' % uuid.uuid4(),
                 status='%d' % status, title=title)
    return OrderedDict([('errors', [OrderedDict(sorted(error.items()))])])


class APIError(Exception):
    """A route's refusal: becomes a JSON:API error response."""

    def __init__(self, status, code, code_name, title, detail, headers=None, **extra):
        Exception.__init__(self, detail)
        self.status = status
        self.code = code
        self.code_name = code_name
        self.title = title
        self.detail = detail
        self.headers = headers or []
        self.extra = extra

    def response(self):
        document = error_document(self.status, self.code, self.code_name, self.title, self.detail,
                                  **self.extra)
        return json_response(self.status, document, headers=self.headers)

    @classmethod
    def bad_request(cls, detail, code_name='ParameterInvalid'):
        return cls(400, 1, code_name, 'Invalid parameter', detail)

    @classmethod
    def unauthorized(cls, detail=UNAUTHORIZED_DETAIL):
        return cls(401, 1, 'Unauthorized', 'Unauthorized', detail)

    @classmethod
    def forbidden(cls, detail):
        return cls(403, 1, 'Forbidden', 'Forbidden', detail)

    @classmethod
    def not_found(cls, detail):
        return cls(404, 3, 'ResourceMissing', 'Not Found', detail)

    @classmethod
    def method_not_allowed(cls, method, allowed):
        detail = 'The method %s is not allowed here; use %s.' % (method, ', '.join(allowed))
        return cls(405, 1, 'MethodNotAllowed', 'Method Not Allowed', detail,
                   headers=[('Allow', ', '.join(allowed))])

    @classmethod
    def internal_error(cls):
        return cls(500, None, 'InternalServerError', 'Internal Server Error',
                   'The sandbox failed to answer this request (a bug: see its log).')

    @classmethod
    def throttled(cls, retry_after, header=True):
        headers = [('Retry-After', '%d' % retry_after)] if header else []
        return cls(429, None, 'RequestThrottled', THROTTLED_DETAIL, THROTTLED_DETAIL, headers=headers,
                   retry_after_seconds=retry_after)
