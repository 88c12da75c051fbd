"""Turn HTTP responses into what the clients return: documents, dicts or exceptions.

A status of 400 or more is an error whatever its body; a 2xx is data only when it is what was due. Credentials of
the request are masked in every message and error dict.
"""
from __future__ import unicode_literals

import logging
import time

import six

from .exceptions import (_REASONS, InvalidResponse, InvalidServerResponse, NotJSONResponse, NotJSONServerResponse,
                         OAuthError, RateLimited, error_class_for_status, no_primary_data)
from .jsonapi.parser import JSONAPIParser
from ._masking import Mask
from ._patterns import LazyPattern
from ._retry_after import retry_after_seconds

logger = logging.getLogger(__name__)

EXCERPT_LENGTH = 200
#: The longest ``expires_in`` (seconds) taken at its word; Patreon gives 31 days.
MAX_EXPIRES_IN = 366 * 24 * 3600

_CONTROL = LazyPattern('[\x00-\x1f\x7f-\x9f]')
_REASON_LENGTH = 80
_NOT_JSON = object()  # what a token answer's body is when it does not decode
# What a bearer token may hold: printable ASCII, no space (anything else cannot go in a header).
_USABLE_TOKEN = LazyPattern(r'\A[\x21-\x7e]+\Z')


class ErrorDocument(dict):
    """The errors document of an error response, a dict as 0.5.1 returned it (``'errors' in resp`` always holds).

    :meth:`data` raises the matching :class:`~patreon.exceptions.APIError` (also a ``NoPrimaryData``).

    :ivar error: the :class:`~patreon.exceptions.APIError` it stands for.
    """

    def __init__(self, body, error):
        super(ErrorDocument, self).__init__(body)
        self.error = error

    @property
    def data(self):
        """Raise :attr:`error` as a ``NoPrimaryData`` on access: ``hasattr(result, 'data')`` is false as in 0.5.1."""
        raise no_primary_data(self.error)


def decode_json(response, secrets=()):
    """The JSON body of ``response``, or raise ``InvalidResponse`` (with the status's ``APIError`` class for 400+).

    The message quotes the start of the body, ``secrets`` masked.
    """
    mask = Mask.of(secrets)
    try:
        return response.json()
    except (ValueError, RuntimeError):  # RuntimeError: nested too deep (RecursionError, Python 2's too)
        pass  # raised below, outside the handler: the decode error, which holds the whole body, is no context
    message = 'Patreon answered {} {} with a body that is not JSON: {}'.format(
        response.status_code, reason_phrase(response, mask), _excerpt(response, mask))
    if response.status_code >= 400:
        raise _invalid_error(response, message, mask, not_json=True)
    raise NotJSONResponse(message, status_code=response.status_code, response=response)


def api_error(response, body, secrets=()):
    """The status's ``APIError`` for an error response and its decoded body, ``secrets`` masked."""
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
    """What an ``API`` route returns for ``response``: a ``JSONAPIParser``, an :class:`ErrorDocument`, or ``None``.

    ``None`` only for a 204 where no document is due; 400+ (or a 2xx with ``errors``) is an ``ErrorDocument`` or
    raised
    with ``raise_errors``; anything else raises ``InvalidResponse`` (docs/errors.md), never an empty result.
    """
    status = response.status_code
    if 200 <= status < 300 and not response.content:
        if not document_expected:
            return None
        raise NotJSONResponse('Patreon answered {} {} with no body, where a JSON:API document is due'.format(
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
    """The ``(type, id)`` of a JSON:API resource object (both non-empty strings); ``None`` when it is not one."""
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
    """The token dict for a token endpoint response, or Patreon's error dict (``OAuthError`` with ``raise_errors``).

    An error dict always has ``error`` (``'http_<status>'`` if the body had none); an answer without a usable token
    raises ``InvalidResponse``.  Adds ``expires_at`` (epoch seconds) when ``expires_in`` is usable.
    """
    status = response.status_code
    mask = Mask.of(secrets, token_like=True)
    try:
        body = response.json()
    except (ValueError, RuntimeError):  # RuntimeError: nested too deep (RecursionError, Python 2's too)
        body = _NOT_JSON  # raised below, outside the handler: the decode error holds the whole body
    if body is _NOT_JSON:
        message = 'The token endpoint answered {} {} with a body that is not JSON: {}'.format(
            status, reason_phrase(response, mask), _excerpt(response, mask))
        raise _invalid_token_answer(response, message, mask, NotJSONServerResponse, NotJSONResponse)
    if not isinstance(body, dict):
        message = 'The token endpoint answered {} with JSON that is not an object'.format(status)
        raise _invalid_token_answer(response, message, mask, InvalidServerResponse, InvalidResponse)
    if body.get('error') or not 200 <= status < 300:
        error = mask.text(_text_or_none(body['error'])) if body.get('error') else 'http_{}'.format(status)
        description = body.get('error_description')
        description = None if description is None else mask.text(_text_or_none(description))
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
    """The response's reason phrase, fit for a message (Latin-1, cut short, controls as ``?``, ``secrets`` masked)."""
    reason = response.reason
    if isinstance(reason, bytes):
        reason = reason.decode('latin-1')
    if not isinstance(reason, six.text_type):
        return ''
    reason = _CONTROL.sub('?', reason[:_REASON_LENGTH * 2]).strip()
    return Mask.of(secrets).text(reason)[:_REASON_LENGTH]


def _invalid_token_answer(response, message, mask, server_class, other_class):
    """The error for a token answer that is no JSON object: ``server_class`` (headers masked) for a 5xx."""
    if response.status_code >= 500:
        return _with_masked_headers(server_class(message, response.status_code, response), response, mask)
    return other_class(message, status_code=response.status_code, response=response)


def _invalid_error(response, message, mask, not_json=False):
    """The error for a status of 400 or more whose body is not a JSON object: the status's class, and invalid."""
    error_class = error_class_for_status(response.status_code, invalid_body=True, not_json=not_json)
    extra = {}  # type: dict
    if issubclass(error_class, RateLimited):
        extra['retry_after'] = retry_after_seconds(response)
    error = error_class(message, response.status_code, response, **extra)
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


def _text_or_none(value):
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
