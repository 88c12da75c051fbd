"""Turn HTTP answers into what the clients return: documents, dicts or exceptions."""
from __future__ import unicode_literals

import re
import time

import six

from .exceptions import InvalidResponse, InvalidServerResponse, OAuthError, RateLimited, error_class_for_status
from .jsonapi.parser import JSONAPIParser
from .transport import retry_after_seconds

EXCERPT_LENGTH = 200
# Values of these keys are credentials; a cut token answer must not leak them into a message.
_SECRET_VALUES = re.compile(
    r'("(?:access_token|refresh_token|client_secret|secret|code|id_token)"\s*:\s*")[^"]*')


class ErrorDocument(dict):
    """The errors document an error answer carried, as 0.5.1 returned it.

    It is the body's dict (``resp.get('errors')`` works as before), and
    :meth:`data` raises the matching :class:`~patreon.exceptions.APIError`
    instead of failing with ``AttributeError``::

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
    """The JSON body of ``response``; :class:`InvalidResponse` when it is not JSON.

    Usage::

        body = decode_json(response, secrets=(client_secret,))  # the secret is masked in the error message
    """
    try:
        return response.json()
    except (ValueError, RuntimeError):  # RuntimeError: nested too deep (RecursionError, Python 2's too)
        error_class = InvalidServerResponse if response.status_code >= 500 else InvalidResponse
        raise error_class(
            'Patreon answered {} {} with a body that is not JSON: {}'.format(
                response.status_code, response.reason or '', _excerpt(response, secrets)),
            status_code=response.status_code, response=response)


def api_error(response, body):
    """The :class:`~patreon.exceptions.APIError` for an error answer and its decoded body.

    Usage::

        error = api_error(response, decode_json(response))  # e.g. a NotFound for a 404
        raise error
    """
    errors = body.get('errors') if isinstance(body, dict) else None
    errors = errors if isinstance(errors, list) else []
    error_class = error_class_for_status(response.status_code)
    kwargs = {}
    if error_class is RateLimited:
        kwargs['retry_after'] = retry_after_seconds(response)
    return error_class(response.status_code, errors, response.headers.get('x-patreon-uuid'),
                       response, **kwargs)


def api_result(response, raise_errors=False, secrets=()):
    """What an ``API`` route returns for ``response``.

    A :class:`JSONAPIParser`; ``None`` for an empty success (204); an
    :class:`ErrorDocument` for a body with ``errors`` (raised as an
    :class:`~patreon.exceptions.APIError` with ``raise_errors``).

    Usage::

        response = transport.request('GET', '/api/oauth2/v2/identity', headers=headers)
        user = api_result(response, raise_errors=True).data()
    """
    if response.status_code == 204:
        return None
    body = decode_json(response, secrets)
    if not isinstance(body, dict):
        raise InvalidResponse(
            'Patreon answered {} with JSON that is not a JSON:API document: {}'.format(
                response.status_code, _excerpt(response, secrets)),
            status_code=response.status_code, response=response)
    if body.get('errors') or (raise_errors and response.status_code >= 400):
        error = api_error(response, body)
        if raise_errors:
            raise error
        return ErrorDocument(body, error)
    return JSONAPIParser(body)


def oauth_result(response, raise_errors=False, secrets=(), now=None):
    """What the token endpoint's ``response`` becomes: the token dict, or Patreon's error dict.

    Token answers gain ``expires_at`` (epoch seconds) when they carry ``expires_in``.

    Usage::

        tokens = oauth_result(response, raise_errors=True, now=1700000000)
        tokens['expires_at']  # 1700000000 + tokens['expires_in']
    """
    body = decode_json(response, secrets)
    if not isinstance(body, dict):
        raise InvalidResponse(
            'The token endpoint answered {} with JSON that is not an object'.format(response.status_code),
            status_code=response.status_code, response=response)
    if body.get('error') or response.status_code >= 400:
        if raise_errors:
            raise OAuthError(_text(body.get('error')) or 'http_{}'.format(response.status_code),
                             _text(body.get('error_description')), response.status_code, response)
        return body
    expires_in = body.get('expires_in')
    if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool):
        try:
            body['expires_at'] = int((time.time() if now is None else now) + expires_in)
        except (OverflowError, ValueError):
            pass  # infinite, NaN or astronomically far: no date to give, and no reason to fail the login
    return body


def _text(value):
    return None if value is None else six.text_type(value)


def _excerpt(response, secrets):
    # Secrets are masked in the whole body before it is cut, so no cut can leave part of one.
    text = response.content.decode('utf-8', 'replace')
    for secret in secrets:
        if secret:
            text = text.replace(secret, '***')
    text = _SECRET_VALUES.sub(r'\1***', text)
    text = ' '.join(text[:EXCERPT_LENGTH * 4].split())
    if not text:
        return '(empty body)'
    if len(text) > EXCERPT_LENGTH:
        text = text[:EXCERPT_LENGTH] + '...'
    return repr(text) if six.PY3 else repr(text)[1:]
