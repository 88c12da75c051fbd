"""What a token refresh that gave no usable token says: :class:`RefreshFailure`, and the 401 it explains."""
from __future__ import unicode_literals

import re

import six

from ._credentials import clean_credential
from ._routes import template
from .exceptions import InvalidCredential, InvalidResponse, OAuthError


class RefreshFailure(object):
    """Why an automatic refresh gave no token that works: ``reason`` (text), and the refresh's ``error``."""

    def __init__(self, reason, error=None, refused=False):
        self.reason = reason
        self.error = error
        self.refused = refused

    @classmethod
    def lacking_scope(cls, route):
        return cls('{} refused an access token right after its refresh, so no refresh can fix its 401 (the token '
                   'lacks a scope it needs)'.format(route))

    @classmethod
    def of(cls, error):
        # A refusal (4xx with an OAuth error) kills the refresh token; a 408, 429, 5xx, network error or garbled
        # answer is a passing failure of the token endpoint, and a later 401 may refresh again.
        status = getattr(error, 'status_code', None)
        if isinstance(error, OAuthError) and (status is None or (400 <= status < 500 and status not in (408, 429))):
            code = error.error if re.match(r'^[a-z_]{1,40}$', error.error or '') else 'an OAuth error'
            return cls('the token refresh was refused ({}): the user must authorize the app again'.format(code),
                       error, refused=True)
        what = type(error).__name__ + (' {}'.format(status) if status else '')
        return cls('the token refresh failed ({}); the tokens are kept and a later call refreshes again'.format(what),
                   error)


def refused_elsewhere():
    """The failure a refresh token the token store remembers as refused stands for."""
    return RefreshFailure('the token refresh was refused (invalid_grant, as the token store remembers): the user '
                          'must authorize the app again', OAuthError('invalid_grant', None), refused=True)


def stored_expiry(tokens):
    """The ``expires_at`` of a token dict when it is epoch seconds, else ``None`` (unknown: only a 401 refreshes)."""
    when = tokens.get('expires_at')
    if isinstance(when, bool) or not isinstance(when, six.integer_types + (float,)) or when != when:
        return None
    return when


def route_of(method, path):
    """What a scope is granted for, whatever the ids and the query: the key of a route that needs one."""
    return '{} {}'.format(method, template(path))


def usable_tokens(tokens):
    """The token dict of a refresh with its tokens checked; InvalidResponse when it cannot be used (fail closed)."""
    if not isinstance(tokens, dict):
        raise InvalidResponse('the token refresh answered {}, not a token dict'.format(type(tokens).__name__))
    try:
        checked = {'access_token': clean_credential(tokens.get('access_token'), 'access_token')}
        if tokens.get('refresh_token'):  # none, or empty: the old one stays
            checked['refresh_token'] = clean_credential(tokens['refresh_token'], 'refresh_token')
    except InvalidCredential as exc:
        raise InvalidResponse('the token refresh answered tokens that cannot be used: {}'.format(exc))
    return dict(tokens, **checked)


def explained(error, failure):
    """``error`` (the 401) saying why no refresh fixed it, with the refresh's error as ``refresh_error``."""
    error.refresh_error = failure.error
    if failure.error is not None:
        error.__cause__ = failure.error  # six.raise_from sets it on Python 3 only
    message = error.args[0] if error.args else ''
    error.args = (six.text_type('{}; {}').format(message, failure.reason),) + tuple(error.args[1:])
    return error
