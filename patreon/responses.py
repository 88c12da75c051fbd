"""Turn HTTP answers into what the clients return: documents, dicts or exceptions.

The status decides first: an answer of 400 or more is an error whatever its
body; a 2xx answer is data only when it is what was due (a JSON:API document,
a token answer with a usable ``access_token``); anything else raises a typed
error.  Every message, and every error dict handed back, is built from the
answer with the credentials of the request masked.
"""
from __future__ import unicode_literals

import logging
import time

import six

from .exceptions import (_REASONS, InvalidResponse, InvalidServerResponse, OAuthError, RateLimited,
                         error_class_for_status)
from .jsonapi.parser import JSONAPIParser
from .masking import MASK, MIN_SECRET_LENGTH, Mask  # noqa: F401 (MASK and MIN_SECRET_LENGTH: first defined here)
from .patterns import LazyPattern
from .retry import retry_after_seconds

logger = logging.getLogger(__name__)

EXCERPT_LENGTH = 200
#: The longest ``expires_in`` (seconds) taken at its word; Patreon gives 31 days.
MAX_EXPIRES_IN = 366 * 24 * 3600

_CONTROL = LazyPattern('[\x00-\x1f\x7f-\x9f]')
_REASON_LENGTH = 80
# What a bearer token may hold: printable ASCII, no space (anything else cannot go in a header).
_USABLE_TOKEN = LazyPattern(r'\A[\x21-\x7e]+\Z')


class ErrorDocument(dict):
    """The errors document an error answer carried, as 0.5.1 returned it.

    It is the body's dict (``resp.get('errors')`` works as before), and
    :meth:`data` raises the matching :class:`~patreon.exceptions.APIError`
    instead of failing with ``AttributeError``.  When the body had no
    ``errors`` list (a load balancer's ``{"message": "Service Unavailable"}``),
    one describing the status is added: ``'errors' in resp`` holds for every
    error answer.  Credentials the answer echoed are masked::

        >>> api.get_identity().data()
        Traceback (most recent call last):
        patreon.exceptions.Unauthorized: 401 Unauthorized: ...

    :ivar error: the :class:`~patreon.exceptions.APIError` it stands for.
    """

    def __init__(self, body, error):
        super(ErrorDocument, self).__init__(body)
        self.error = error

    def data(self):
        """Raise :attr:`error`: an errors document has no primary data.

        Usage::

            result = api.get_identity()
            user = result.data()  # a resource, or the APIError raised when result is an ErrorDocument
        """
        raise self.error


def decode_json(response, secrets=()):
    """The JSON body of ``response``; a typed error when it is not JSON.

    For a status of 400 or more the error is the status's
    :class:`~patreon.exceptions.APIError` that is also an
    :class:`~patreon.exceptions.InvalidResponse` (a 401 page is an
    :class:`~patreon.exceptions.InvalidUnauthorizedResponse`); otherwise an
    :class:`~patreon.exceptions.InvalidResponse`.  Its message names the
    status and quotes the start of the body, ``secrets`` masked.

    Usage::

        body = decode_json(response, secrets=(access_token,))  # the token is masked in the error message
    """
    mask = Mask.of(secrets)
    try:
        return response.json()
    except (ValueError, RuntimeError):  # RuntimeError: nested too deep (RecursionError, Python 2's too)
        message = 'Patreon answered {} {} with a body that is not JSON: {}'.format(
            response.status_code, reason_phrase(response, mask), _excerpt(response, mask))
        if response.status_code >= 400:
            raise _invalid_error(response, message, mask)
        raise InvalidResponse(message, status_code=response.status_code, response=response)


def api_error(response, body, secrets=()):
    """The :class:`~patreon.exceptions.APIError` for an error answer and its decoded body.

    The class comes from the status; ``errors`` is the body's list (empty
    when it has none), with ``secrets`` masked in its text.

    Usage::

        error = api_error(response, decode_json(response))  # e.g. a NotFound for a 404
        raise error
    """
    mask = Mask.of(secrets)
    errors = body.get('errors') if isinstance(body, dict) else None
    errors = mask.data(errors) if isinstance(errors, list) else []
    error_class = error_class_for_status(response.status_code)
    kwargs = {}
    if error_class is RateLimited:
        kwargs['retry_after'] = retry_after_seconds(response)
    error = error_class(response.status_code, errors, _echoed(response, 'x-patreon-uuid', mask), response, **kwargs)
    return _with_masked_headers(error, response, mask)


def api_result(response, raise_errors=False, secrets=(), document_expected=True):
    """What an ``API`` route returns for ``response``.

    - A 2xx with no body (204): ``None`` when no document is due
      (``document_expected=False``: a ``DELETE``); else
      :class:`~patreon.exceptions.InvalidResponse`, never ``None`` where
      the caller goes on to call ``.data()``.
    - 400 or more, whatever the body: an :class:`ErrorDocument` (by default)
      or the :class:`~patreon.exceptions.APIError` raised (``raise_errors``).
      A body that is not a JSON object raises in both modes (the contract of
      0.5.1's callers: a ``ValueError``), with a class that is both the
      status's and :class:`~patreon.exceptions.InvalidResponse`.
    - 2xx with a truthy ``errors``: as an error answer.
    - 2xx with a JSON:API document (``data`` ``null``, a resource object
      with a string ``type`` and ``id``, or a list of them):
      a :class:`JSONAPIParser`.
    - Anything else (not JSON, no ``data``, a list, a string, an empty body,
      ``{"data": {}}``, ``{"data": [1, 2]}``, a status that is neither 2xx
      nor an error):
      :class:`~patreon.exceptions.InvalidResponse`, never an empty result.

    ``secrets`` (the tokens the request carried) are masked in every message
    and in the :class:`ErrorDocument`.

    Usage::

        response = transport.request('GET', '/api/oauth2/v2/identity', headers=headers)
        user = api_result(response, raise_errors=True).data()
    """
    status = response.status_code
    if 200 <= status < 300 and not response.content:
        if not document_expected:
            return None
        raise InvalidResponse('Patreon answered {} {} with no body, where a JSON:API document is due'.format(
            status, reason_phrase(response, secrets)), status_code=status, response=response)
    mask = Mask.of(secrets)
    body = decode_json(response, mask)
    if status >= 400 and not isinstance(body, dict):
        raise _invalid_error(response, _not_a_document(response, mask), mask)
    if status >= 400 or (isinstance(body, dict) and body.get('errors')):
        error = api_error(response, body, mask)
        if raise_errors:
            raise error
        return ErrorDocument(_error_document(body, status, mask), error)
    if not 200 <= status < 300:
        raise InvalidResponse('Patreon answered {} {}, which is neither a document nor an error'.format(
            status, reason_phrase(response, mask)), status_code=status, response=response)
    if not isinstance(body, dict) or 'data' not in body or not _resources_or_null(body['data']):
        raise InvalidResponse(_not_a_document(response, mask), status_code=status, response=response)
    return JSONAPIParser(body)


def resource_key(resource):
    """The ``(type, id)`` of a JSON:API resource object; ``None`` when ``resource`` is not one.

    A resource object is a JSON object whose ``type`` and ``id`` are non-empty
    strings. Single answers and pages are checked with it.

    Usage::

        resource_key({'type': 'member', 'id': '7'})  # ('member', '7')
        resource_key({'type': 'member'})             # None
    """
    if not isinstance(resource, dict):
        return None
    kind, ident = resource.get('type'), resource.get('id')
    if kind and ident and isinstance(kind, six.string_types) and isinstance(ident, six.string_types):
        return kind, ident
    return None


def _resources_or_null(data):
    """Whether ``data`` is primary data: ``null``, a resource object, or a list of them."""
    if isinstance(data, list):
        return all(map(resource_key, data))
    return data is None or resource_key(data) is not None


def oauth_result(response, raise_errors=False, secrets=(), now=None):
    """What the token endpoint's ``response`` becomes: the token dict, or Patreon's error dict.

    - A refusal (a truthy ``error``, or a status that is not 2xx): Patreon's
      error dict, with ``error`` set to ``'http_<status>'`` when the body
      had none, so that ``'error' in tokens`` holds; or an
      :class:`~patreon.exceptions.OAuthError` with ``raise_errors``.
    - A 2xx answer whose ``access_token`` (or ``refresh_token``, when
      present) is not a usable token (missing, empty, not a string, spaces
      or control characters): :class:`~patreon.exceptions.InvalidResponse`
      in both modes; it is no tokens.
    - A body that is not a JSON object:
      :class:`~patreon.exceptions.InvalidResponse` (for a 5xx, an
      :class:`~patreon.exceptions.InvalidServerResponse`).

    Token answers gain ``expires_at`` (int, epoch seconds) when ``expires_in``
    is a number of seconds above 0 and at most :data:`MAX_EXPIRES_IN`;
    any other value (negative, NaN, infinite, huge, a bool, a string) gives
    no ``expires_at``, and no error.  Credentials (``secrets``, and any value
    shaped like a token) are masked in every message and error dict.

    Usage::

        tokens = oauth_result(response, raise_errors=True, now=1700000000)
        tokens['expires_at']  # 1700000000 + tokens['expires_in']
    """
    status = response.status_code
    mask = Mask.of(secrets, token_like=True)
    not_json_class = InvalidServerResponse if status >= 500 else InvalidResponse
    try:
        body = response.json()
    except (ValueError, RuntimeError):  # RuntimeError: nested too deep (RecursionError, Python 2's too)
        raise not_json_class('The token endpoint answered {} {} with a body that is not JSON: {}'.format(
            status, reason_phrase(response, mask), _excerpt(response, mask)), status_code=status, response=response)
    if not isinstance(body, dict):
        raise not_json_class('The token endpoint answered {} with JSON that is not an object'.format(status),
                             status_code=status, response=response)
    if body.get('error') or not 200 <= status < 300:
        error = mask.text(_text(body['error'])) if body.get('error') else 'http_{}'.format(status)
        description = body.get('error_description')
        description = None if description is None else mask.text(_text(description))
        if raise_errors:
            raise OAuthError(error, description, status, response)
        refusal = mask.data(body)
        if not refusal.get('error'):
            refusal['error'] = error
        return refusal
    for name in ('access_token', 'refresh_token'):
        value = body.get(name)
        if (value is not None or name == 'access_token') and not _usable_token(value):
            # The value is never quoted: it may be a credential, whole or in part.
            raise InvalidResponse('The token endpoint answered {} without a usable {} ({})'.format(
                status, name, 'missing' if value is None else 'a {} that cannot be a token'.format(
                    type(value).__name__)), status_code=status, response=response)
    expires_at = _expires_at(body.get('expires_in'), now)
    if expires_at is not None:
        body['expires_at'] = expires_at
    elif 'expires_in' in body:
        logger.warning('the token answer has an unusable expires_in (%s): no expires_at',
                       type(body['expires_in']).__name__)
    return body


def reason_phrase(response, secrets=()):
    """The answer's reason phrase (``'Bad Gateway'``) as it may go in a message; ``''`` when it has none.

    A server chooses it freely: it is decoded as Latin-1 (Python 2 keeps it as bytes), cut short, its
    control characters shown as ``?``, and the credentials of the request (``secrets``) masked.

    Usage::

        'Patreon answered {} {}'.format(response.status_code, reason_phrase(response, (access_token,)))
    """
    reason = response.reason
    if isinstance(reason, bytes):
        reason = reason.decode('latin-1')
    if not isinstance(reason, six.text_type):
        return ''
    reason = _CONTROL.sub('?', reason[:_REASON_LENGTH * 2]).strip()
    return Mask.of(secrets).text(reason)[:_REASON_LENGTH]


def _invalid_error(response, message, mask):
    """The error for a status of 400 or more whose body is not a JSON object: the status's class, and invalid."""
    error_class = error_class_for_status(response.status_code, invalid_body=True)
    if issubclass(error_class, RateLimited):
        error = error_class(message, response.status_code, response, retry_after=retry_after_seconds(response))
    else:
        error = error_class(message, response.status_code, response)
    return _with_masked_headers(error, response, mask)


def _with_masked_headers(error, response, mask):
    """``error`` whose header attributes hold the answer's headers with the request's credentials masked."""
    error.request_id = _echoed(response, 'x-patreon-uuid', mask)
    error.patreon_sha = _echoed(response, 'x-patreon-sha', mask)
    error.cf_ray = _echoed(response, 'cf-ray', mask)
    return error


def _echoed(response, name, mask):
    """The text of header ``name`` (``None`` when absent), credentials masked: a server may echo the token there."""
    value = response.headers.get(name)
    if isinstance(value, bytes):  # Python 2's headers
        value = value.decode('utf-8', 'replace')
    return mask.text(value) if isinstance(value, six.text_type) else None


def _not_a_document(response, mask):
    return 'Patreon answered {} with JSON that is not a JSON:API document: {}'.format(
        response.status_code, _excerpt(response, mask))


def _error_document(body, status, mask):
    """The errors document of an error answer: its body, masked, with an ``errors`` list that says the status."""
    document = mask.data(body)
    errors = document.get('errors')
    if not (isinstance(errors, list) and errors):
        reason = _REASONS.get(status, 'Error')
        document['errors'] = [{
            'status': six.text_type(status), 'title': reason,
            'detail': 'Patreon answered {} {} without a JSON:API errors list'.format(status, reason)}]
    return document


def _expires_at(expires_in, now):
    # bool is an int, and NaN fails every comparison: both end here without a date.
    if isinstance(expires_in, bool) or not isinstance(expires_in, six.integer_types + (float,)):
        return None
    if not 0 < expires_in <= MAX_EXPIRES_IN:
        return None
    return int((time.time() if now is None else now) + expires_in)


def _usable_token(value):
    return isinstance(value, six.string_types) and _USABLE_TOKEN.match(value) is not None


def _text(value):
    return None if value is None else six.text_type(value)


def _excerpt(response, mask):
    # Secrets are masked in the whole body before it is cut, so no cut can leave part of one.
    text = mask.text(response.content.decode('utf-8', 'replace'))
    text = ' '.join(text[:EXCERPT_LENGTH * 4].split())
    if not text:
        return '(empty body)'
    if len(text) > EXCERPT_LENGTH:
        text = text[:EXCERPT_LENGTH] + '...'
    return repr(text) if six.PY3 else repr(text)[1:]
