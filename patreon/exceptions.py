"""Exceptions raised by the client.

Every exception derives from :class:`PatreonError` (but :class:`TotalTimeout`); docs/errors.md tells which is
raised when.  Messages never contain a token or a secret; a pickled exception drops its ``response``.

Usage::

    try:
        api.get_identity()
    except patreon.exceptions.Unauthorized:
        ...  # the token expired or lacks a scope
    except patreon.exceptions.RateLimited as exc:
        time.sleep(exc.retry_after)
"""
from __future__ import unicode_literals

import json

import requests
import six

__all__ = ['PatreonError', 'APIError', 'Unauthorized', 'Forbidden', 'NotFound', 'RateLimited', 'ServerError',
           'InvalidResponse', 'NotJSONResponse', 'InvalidErrorResponse', 'InvalidUnauthorizedResponse',
           'InvalidForbiddenResponse', 'InvalidNotFoundResponse', 'InvalidRateLimitedResponse', 'InvalidServerResponse',
           'NotJSONErrorResponse', 'NotJSONUnauthorizedResponse', 'NotJSONForbiddenResponse', 'NotJSONNotFoundResponse',
           'NotJSONRateLimitedResponse', 'NotJSONServerResponse', 'NoPrimaryData', 'APIErrorNoPrimaryData',
           'UnauthorizedNoPrimaryData', 'ForbiddenNoPrimaryData', 'NotFoundNoPrimaryData', 'RateLimitedNoPrimaryData',
           'ServerErrorNoPrimaryData', 'no_primary_data', 'OAuthError',
           'RequestBudgetExceeded', 'InvalidWebhook', 'InvalidSignature', 'TotalTimeout', 'PaginationError',
           'V1MethodRemoved', 'InvalidArgument', 'TokenStoreError', 'InvalidCredential', 'UnknownFieldError',
           'UnknownFieldWarning', 'UnknownScopeWarning', 'MissingAttributeWarning', 'RealPatreonBlocked',
           'PatchedRequestsIgnored',
           'error_class_for_status']


class PatreonError(Exception):
    """Base class of every error raised by this package.

    :ivar refresh_error: the error of the automatic token refresh that failed
        before this error surfaced, else ``None`` (see "Token refresh" in
        docs/tokens.md): an ``OAuthError`` whose ``error`` is ``'invalid_grant'`` means
        the user must sign in again; anything else is a passing failure.
    """

    refresh_error = None

    if six.PY2:  # pragma: no cover - Python 2 prints exceptions through str(), which must be bytes there
        def __unicode__(self):
            message = self.args[0] if self.args else ''
            return message if isinstance(message, six.text_type) else bytes(message).decode('utf-8', 'replace')

        def __str__(self):
            return self.__unicode__().encode('utf-8')

    def __reduce__(self):
        # Rebuilt from its message and attributes: __init__ called with the message alone changed the message.
        # The response stays behind: its request carries the token, and the client secret in its form body.
        state = dict(self.__dict__)
        for name in _NOT_PICKLED:
            if name in state:
                state[name] = None
        for name, value in list(state.items()):
            if isinstance(value, BaseException) and not isinstance(value, PatreonError):
                state[name] = _detached(value)
        return _rebuild, (type(self), self.args), state


class APIError(PatreonError):
    """The API answered with an error.

    :ivar status_code: the HTTP status, an ``int``.
    :ivar errors: the JSON:API ``errors`` list of the answer (may be empty).
    :ivar request_id: Patreon's ``x-patreon-uuid`` header, or ``None``.
    :ivar patreon_sha: the ``x-patreon-sha`` header (the server's build), or ``None``.
    :ivar cf_ray: the ``cf-ray`` header (Cloudflare's id of the request), or ``None``.
    :ivar response_headers: the three above as a dict of the headers the answer had
        (``{'x-patreon-uuid': ..., 'x-patreon-sha': ..., 'cf-ray': ...}``), worth quoting to Patreon support;
        credentials the request carried are masked in them.
    :ivar response: the :class:`requests.Response` (``None`` once pickled: its request holds the token).
    """

    def __init__(self, status_code, errors=None, request_id=None, response=None):
        self.status_code = status_code
        self.errors = list(errors or [])
        self.request_id = request_id
        self.response = response
        self.patreon_sha = _header(response, 'x-patreon-sha')
        self.cf_ray = _header(response, 'cf-ray')
        super(APIError, self).__init__(self._describe())

    @property
    def response_headers(self):
        """The answer's headers worth quoting to Patreon support, by name; only those it had."""
        values = (('x-patreon-uuid', getattr(self, 'request_id', None)),
                  ('x-patreon-sha', getattr(self, 'patreon_sha', None)), ('cf-ray', getattr(self, 'cf_ray', None)))
        return dict((name, value) for name, value in values if value is not None)

    def _describe(self):
        first = self.errors[0] if self.errors and isinstance(self.errors[0], dict) else {}
        title = first.get('title') or first.get('code_name') or _REASONS.get(self.status_code, 'Error')
        message = '{} {}'.format(self.status_code, title)
        detail = first.get('detail')
        if detail and detail != title:
            message += ': {}'.format(detail)
        if self.request_id:
            message += ' (request id {})'.format(self.request_id)
        return message


class Unauthorized(APIError):
    """401: the token is missing, invalid, expired, or lacks a scope."""


class Forbidden(APIError):
    """403: the token may not see this resource."""


class NotFound(APIError):
    """404: no such resource."""


class RateLimited(APIError):
    """429: too many requests.

    :ivar retry_after: seconds to wait before trying again (a ``float``), from
        the ``Retry-After`` header or the body's ``retry_after_seconds``;
        ``None`` when Patreon said neither.
    """

    def __init__(self, status_code, errors=None, request_id=None, response=None, retry_after=None):
        self.retry_after = retry_after
        super(RateLimited, self).__init__(status_code, errors, request_id, response)

    def _describe(self):
        message = super(RateLimited, self)._describe()
        if self.retry_after is not None:
            message += '; retry after {:g} s'.format(self.retry_after)
        return message


class ServerError(APIError):
    """5xx: Patreon failed; trying again later may work."""


class InvalidResponse(PatreonError, ValueError):
    """The answer is not what was due: not JSON (an HTML page, a cut body), or no JSON:API document, or no tokens.

    For an error status it comes as that status's :class:`APIError` too (see :class:`InvalidErrorResponse`).

    :ivar status_code: the HTTP status of the answer.
    :ivar response: the :class:`requests.Response` (``None`` once pickled).
    """

    def __init__(self, message, status_code=None, response=None):
        self.status_code = status_code
        self.response = response
        Exception.__init__(self, message)  # not super(): a JSON decode error's __init__ wants (msg, doc, pos)


# What 0.5.1's ``response.json()`` raised for a body that is not JSON, with the installed requests: its
# JSONDecodeError from 2.27 on (also a RequestException); before, that of the json module requests used (simplejson
# when installed), or a ValueError.
_JSON_DECODE_ERROR = (getattr(requests.exceptions, 'JSONDecodeError', None)
                      or getattr(getattr(requests.compat, 'json', json), 'JSONDecodeError', ValueError))


class NotJSONResponse(InvalidResponse, _JSON_DECODE_ERROR):
    """The body is not JSON at all: an HTML page, an empty or cut body.

    Also the decode error 0.5.1 let through from ``response.json()``; ``msg`` is the message, ``doc`` is empty
    (the body stays out of the exception), ``pos`` is 0.
    """

    msg = property(lambda self: self.args[0] if self.args else '')
    request = None
    doc = ''
    pos = 0
    lineno = 1
    colno = 1


class InvalidErrorResponse(APIError, InvalidResponse):
    """An error status (400 or more) with a body that is not a JSON object: an :class:`APIError` and invalid.

    This class stands for the statuses without a class of their own (400, 405, 409, ...); :attr:`errors` is empty.
    """

    def __init__(self, message, status_code=None, response=None):
        InvalidResponse.__init__(self, message, status_code, response)
        self.errors = []
        self.request_id = _header(response, 'x-patreon-uuid')
        self.patreon_sha = _header(response, 'x-patreon-sha')
        self.cf_ray = _header(response, 'cf-ray')


class InvalidUnauthorizedResponse(Unauthorized, InvalidErrorResponse):
    """A 401 whose body is not JSON (an expired token has been answered with an HTML page)."""


class InvalidForbiddenResponse(Forbidden, InvalidErrorResponse):
    """A 403 whose body is not JSON (an edge's block page): a :class:`Forbidden` and an :class:`InvalidResponse`."""


class InvalidNotFoundResponse(NotFound, InvalidErrorResponse):
    """A 404 whose body is not JSON: a :class:`NotFound` and an :class:`InvalidResponse`."""


class InvalidRateLimitedResponse(RateLimited, InvalidErrorResponse):
    """A 429 whose body is not JSON: a :class:`RateLimited` (with ``retry_after`` from the header) and an
    :class:`InvalidResponse`.
    """

    def __init__(self, message, status_code=None, response=None, retry_after=None):
        InvalidErrorResponse.__init__(self, message, status_code, response)
        self.retry_after = retry_after


class InvalidServerResponse(ServerError, InvalidErrorResponse):
    """A 5xx whose body is not JSON (a proxy's HTML page): a :class:`ServerError` and an :class:`InvalidResponse`."""


class NotJSONErrorResponse(InvalidErrorResponse, NotJSONResponse):
    """An error status whose body is not JSON at all: an :class:`InvalidErrorResponse` and a :class:`NotJSONResponse`.

    A body of JSON that is not an object comes as the ``Invalid...`` class alone.
    """


class NotJSONUnauthorizedResponse(InvalidUnauthorizedResponse, NotJSONErrorResponse):
    """A 401 whose body is not JSON: an :class:`InvalidUnauthorizedResponse` and a :class:`NotJSONResponse`."""


class NotJSONForbiddenResponse(InvalidForbiddenResponse, NotJSONErrorResponse):
    """A 403 whose body is not JSON: an :class:`InvalidForbiddenResponse` and a :class:`NotJSONResponse`."""


class NotJSONNotFoundResponse(InvalidNotFoundResponse, NotJSONErrorResponse):
    """A 404 whose body is not JSON: an :class:`InvalidNotFoundResponse` and a :class:`NotJSONResponse`."""


class NotJSONRateLimitedResponse(InvalidRateLimitedResponse, NotJSONErrorResponse):
    """A 429 whose body is not JSON: an :class:`InvalidRateLimitedResponse` and a :class:`NotJSONResponse`."""


class NotJSONServerResponse(InvalidServerResponse, NotJSONErrorResponse):
    """A 5xx whose body is not JSON: an :class:`InvalidServerResponse` and a :class:`NotJSONResponse`."""


class NoPrimaryData(PatreonError, AttributeError):
    """``.data()`` of an errors document: there is no primary data, only the error.

    Also the status's :class:`APIError` (:func:`no_primary_data`).  Only ``.data()`` raises it: elsewhere an
    ``AttributeError`` would be swallowed by ``getattr`` and ``hasattr``.
    """


class APIErrorNoPrimaryData(APIError, NoPrimaryData):
    """An :class:`APIError` raised by ``.data()`` of its errors document."""


class UnauthorizedNoPrimaryData(Unauthorized, NoPrimaryData):
    """An :class:`Unauthorized` raised by ``.data()`` of its errors document."""


class ForbiddenNoPrimaryData(Forbidden, NoPrimaryData):
    """A :class:`Forbidden` raised by ``.data()`` of its errors document."""


class NotFoundNoPrimaryData(NotFound, NoPrimaryData):
    """A :class:`NotFound` raised by ``.data()`` of its errors document."""


class RateLimitedNoPrimaryData(RateLimited, NoPrimaryData):
    """A :class:`RateLimited` raised by ``.data()`` of its errors document."""


class ServerErrorNoPrimaryData(ServerError, NoPrimaryData):
    """A :class:`ServerError` raised by ``.data()`` of its errors document."""


class OAuthError(PatreonError):
    """The token endpoint refused (``{"error": "invalid_grant"}`` and the like).

    :ivar error: the OAuth error code, e.g. ``'invalid_grant'``.
    :ivar error_description: Patreon's explanation, or ``None``.
    :ivar status_code: the HTTP status.
    :ivar response: the :class:`requests.Response` (``None`` once pickled).
    """

    def __init__(self, error, error_description=None, status_code=None, response=None):
        self.error = error
        self.error_description = error_description
        self.status_code = status_code
        self.response = response
        message = 'OAuth token request failed ({}): {}'.format(status_code, error)
        if error_description:
            message += ': {}'.format(error_description)
        super(OAuthError, self).__init__(message)


class RequestBudgetExceeded(PatreonError):
    """Too many 4xx answers lately: the call was not sent, so that Patreon's edge does not block the client.

    Raised before sending once ``Limits.max_4xx_per_10_minutes`` 4xx responses came in the last 10 minutes.

    :ivar retry_after: seconds until the budget frees up (a ``float``).
    """

    def __init__(self, message, retry_after=None):
        self.retry_after = retry_after
        super(RequestBudgetExceeded, self).__init__(message)


class InvalidWebhook(PatreonError, ValueError):
    """A webhook delivery that cannot be used (missing header, unknown trigger, body not JSON:API of its type)."""


class InvalidSignature(InvalidWebhook):
    """A webhook delivery whose ``X-Patreon-Signature`` does not match its body."""


class TotalTimeout(requests.exceptions.Timeout):
    """One attempt of a request outlasted its total timeout (``Timeout.total``: connect, headers and body together).

    Never retried; it carries no request (whose headers hold the token).

    :ivar total_timeout: the bound that was reached, in seconds.
    """

    def __init__(self, message, total_timeout=None):
        self.total_timeout = total_timeout
        super(TotalTimeout, self).__init__(message)

    def __reduce__(self):
        return type(self), (self.args[0] if self.args else '', self.total_timeout)


class PaginationError(PatreonError):
    """Pagination cannot go on without losing or repeating resources."""


class InvalidArgument(PatreonError, ValueError):
    """An argument cannot be sent as given (an id with a control character, an empty id)."""


class TokenStoreError(PatreonError, ValueError):
    """A token store holds something that is not a token dict (a file another program wrote, a torn record), or
    could not save the tokens of a refresh (a full disk, permissions).

    After a failed save the client keeps the new tokens and saves them at its next call (docs/tokens.md).
    """


class InvalidCredential(InvalidArgument):
    """A token, secret or code that cannot be sent: empty, not text, or with a control or non-ASCII character.

    Surrounding whitespace (a newline read with the token from a file) is stripped, not refused. The message
    names the argument and never quotes its value.
    """


class UnknownFieldError(InvalidArgument):
    """A name in ``fields`` or ``includes`` that :mod:`patreon.schemas` does not know, refused in strict mode.

    Raised only with ``strict_fields=True``; by default it is an :class:`UnknownFieldWarning`.
    """


class UnknownFieldWarning(UserWarning):
    """A name in ``fields`` or ``includes`` that :mod:`patreon.schemas` does not know: most likely a typo.

    The request is still sent (Patreon may have added the name); ``strict_fields=True`` makes it an error.
    """


class UnknownScopeWarning(UnknownFieldWarning):
    """A scope of an authorization URL that :mod:`patreon.scopes` does not know: most likely a typo, which Patreon
    answers at the callback with ``error=invalid_scope``. The URL is still built (Patreon may have added it)."""


class MissingAttributeWarning(UserWarning):
    """An attribute read that the answer does not carry: API v2 returns only the attributes asked for (or the name
    is no attribute of the type: a typo, or a relationship).

    ``resource.attribute(name)`` still returns ``None``, as 0.5.1 did; the warning comes once per type and name.
    """


class RealPatreonBlocked(PatreonError, RuntimeError):
    """A request to the real Patreon, refused before it was sent, because a test forbids it.

    Raised while the pytest plugin's ``patreon_sandbox`` fixture (or
    :func:`patreon.endpoint.override_default_base_url`) is active, by a client that still points at Patreon.
    Not a ``requests`` error, so that handling of an unreachable Patreon cannot hide it.
    """


class PatchedRequestsIgnored(RealPatreonBlocked):
    """A mock stands in for ``requests.<method>``, and the request is one 0.5.1 never made, sent past the mock.

    The routes 0.5.1 did not have go through a ``requests.Session``, which the mock does not intercept;
    intercept with ``responses``, or test against the sandbox (docs/migrating.md).
    """


class V1MethodRemoved(PatreonError, AttributeError):
    """A method of ``patreon`` 0.5.0 (Patreon's API v1, discontinued) was called: the message names its v2 successor.

    An ``AttributeError``, as for any name the client lacks (``hasattr(api, 'fetch_user')`` is ``False``).

    :ivar name: the v1 method, e.g. ``'fetch_user'``.
    :ivar replacement: the method of :class:`patreon.API` to use instead, e.g. ``'get_identity'``.
    """

    def __init__(self, message, name=None, replacement=None):
        super(V1MethodRemoved, self).__init__(message)
        self.name = name  # after: AttributeError's own __init__ (Python 3.10+) sets name to None
        self.replacement = replacement


_REASONS = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
    405: 'Method Not Allowed', 406: 'Not Acceptable', 410: 'Gone',
    429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
    503: 'Service Unavailable', 504: 'Gateway Timeout',
}

_ERRORS_BY_STATUS = {401: Unauthorized, 403: Forbidden, 404: NotFound, 429: RateLimited}
_INVALID_ERRORS_BY_STATUS = {401: InvalidUnauthorizedResponse, 403: InvalidForbiddenResponse,
                             404: InvalidNotFoundResponse, 429: InvalidRateLimitedResponse}
_NOT_JSON_ERRORS = {
    InvalidErrorResponse: NotJSONErrorResponse, InvalidUnauthorizedResponse: NotJSONUnauthorizedResponse,
    InvalidForbiddenResponse: NotJSONForbiddenResponse, InvalidNotFoundResponse: NotJSONNotFoundResponse,
    InvalidRateLimitedResponse: NotJSONRateLimitedResponse, InvalidServerResponse: NotJSONServerResponse,
}
_NO_PRIMARY_DATA = {APIError: APIErrorNoPrimaryData, Unauthorized: UnauthorizedNoPrimaryData,
                     Forbidden: ForbiddenNoPrimaryData, NotFound: NotFoundNoPrimaryData,
                     RateLimited: RateLimitedNoPrimaryData, ServerError: ServerErrorNoPrimaryData}
# Attributes a pickle leaves out: a requests.Response pickles its request, Authorization header and form body included.
_NOT_PICKLED = ('response', 'request')


def error_class_for_status(status_code, invalid_body=False, not_json=False):
    """Return the :class:`APIError` subclass that stands for ``status_code``.

    With ``invalid_body=True``, the class for an answer whose body is not a
    JSON object: the same, and also an :class:`InvalidResponse`; with
    ``not_json=True`` too, for a body that is not JSON at all: also a
    :class:`NotJSONResponse`.
    """
    if invalid_body:
        if status_code >= 500:
            invalid_class = InvalidServerResponse
        else:
            invalid_class = _INVALID_ERRORS_BY_STATUS.get(status_code, InvalidErrorResponse)
        return _NOT_JSON_ERRORS[invalid_class] if not_json else invalid_class
    if status_code >= 500:
        return ServerError
    return _ERRORS_BY_STATUS.get(status_code, APIError)


def no_primary_data(error):
    """``error`` as ``.data()`` of its errors document raises it: a copy of it that is also a :class:`NoPrimaryData`.

    The copy has the same message and attributes; an error of another class is returned as it is.
    """
    no_data_class = _NO_PRIMARY_DATA.get(type(error))
    if no_data_class is None:
        return error
    copy = _rebuild(no_data_class, error.args)
    copy.__dict__.update(error.__dict__)
    copy.__cause__ = getattr(error, '__cause__', None)  # a refresh that failed first, as the traceback shows it
    copy.__suppress_context__ = getattr(error, '__suppress_context__', False)
    return copy


def _header(response, name):
    headers = getattr(response, 'headers', None)
    value = headers.get(name) if headers is not None and hasattr(headers, 'get') else None
    return value if isinstance(value, six.string_types) else None


def _rebuild(cls, args):
    """An exception of ``cls`` with ``args``, without running its ``__init__`` (the state follows)."""
    error = cls.__new__(cls)
    error.args = args
    return error


def _detached(error):
    """A copy of a foreign exception (e.g. a ``requests`` one, whose request holds the token) without its request."""
    try:
        return type(error)(*[_as_text(arg) for arg in error.args])
    except Exception:  # a signature that takes no plain message
        return PatreonError('{}: {}'.format(type(error).__name__, _as_text(error)))


def _as_text(value):
    try:
        return six.text_type(value)
    except UnicodeError:  # Python 2: bytes that are not ASCII
        return bytes(value).decode('utf-8', 'replace')
