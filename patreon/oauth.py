"""OAuth: the authorization URL, code exchange and token refresh (a whole login: docs/oauth.md)."""
import base64
import hmac
import os
import warnings

import six

from . import _destination
from ._credentials import check_user_agent, clean_credential
from ._responses import ErrorDocument, oauth_result, reason_phrase
from ._stand_in import post_token_request, stand_in
from ._transport import DEFAULT_LIMITS, Transport, budget_for, limits_policy
from .endpoint import DEFAULT_BASE_URL
from .exceptions import OAuthError, UnknownScopeWarning
from ._query import checked_bool, checked_count, checked_text, encode_query, names_text
from .policies import DEFAULT_TIMEOUT
from .utils import app_user_agent

__all__ = ['OAuth', 'make_state', 'check_state', 'AUTHORIZE_PATH', 'TOKEN_PATH', 'BECOME_PATRON_PATH']

AUTHORIZE_PATH = '/oauth2/authorize'
BECOME_PATRON_PATH = '/oauth2/become-patron'
TOKEN_PATH = '/api/oauth2/token'


def _scope_text(scopes):
    """The ``scope`` parameter of ``scopes``; a name :mod:`patreon.scopes` does not know warns (a typo would only
    show at the callback, as ``error=invalid_scope``)."""
    text = names_text(scopes, 'scopes', separator=' ', empty='')
    from .jsonapi._known_names import described
    from .scopes import ALL  # on first use: the route declarations it reads are not needed to log in otherwise
    unknown = [name for name in text.split(' ') if name and name not in ALL]
    if unknown:
        warnings.warn(UnknownScopeWarning(
            'scopes names {}, not a scope known to patreon.scopes: Patreon would answer the login with '
            'error=invalid_scope; known: {}'.format(described(unknown, ALL), ' '.join(ALL))), stacklevel=3)
    return text


class OAuth(object):
    """The OAuth client of one Patreon app (client id and secret).

    A token answer is Patreon's dict (``access_token``, ``refresh_token``, ``expires_in``, ``scope``, ...) plus
    ``expires_at`` in epoch seconds. A refusal is Patreon's error dict (``{"error": "invalid_grant"}``), whose
    ``.error`` is the :class:`~patreon.exceptions.OAuthError`; with ``raise_errors=True`` that error is raised.
    A success without a usable ``access_token`` raises :class:`~patreon.exceptions.InvalidResponse`; a credential
    that cannot be sent raises :class:`~patreon.exceptions.InvalidCredential`.  Token requests are never retried.

    Usage::

        oauth = patreon.OAuth(client_id, client_secret)
        tokens = oauth.get_tokens(code, 'https://example.org/oauth/redirect')
        api = patreon.API(tokens['access_token'])

    :param session: a :class:`requests.Session` to send through; one is made by default.
    :param timeout: a :class:`patreon.Timeout`, or seconds, or ``(connect, read)``, as on :class:`patreon.API`.
    :param base_url: where Patreon is (a sandbox's ``url`` in tests).
    :param raise_errors: raise :class:`~patreon.exceptions.OAuthError` on refusals.
    :param user_agent: the app's name, first in the ``User-Agent`` of token requests, as on :class:`patreon.API`.
    :param limits: a :class:`patreon.Limits`, of which only ``max_4xx_per_10_minutes`` applies: the token
        endpoint's 4xx responses (codes replayed at a login callback, refused refreshes) count with the API's, for
        every client of ``base_url`` in the process, as Patreon's edge counts them; ``None``: no budget.
    """

    def __init__(self, client_id, client_secret, session=None, timeout=DEFAULT_TIMEOUT,
                 base_url=DEFAULT_BASE_URL, raise_errors=False, user_agent=None, limits=DEFAULT_LIMITS):
        self.user_agent = check_user_agent(user_agent)
        self.client_id = clean_credential(client_id, 'client_id')
        self.client_secret = clean_credential(client_secret, 'client_secret')
        self.raise_errors = checked_bool(raise_errors, 'raise_errors')
        self.transport = Transport(base_url, session=session, timeout=timeout)
        self.transport.budget = budget_for(limits_policy(limits).max_4xx_per_10_minutes, self.transport.base_url)

    def __repr__(self):
        return '<patreon.OAuth client_id={!r} base_url={!r}>'.format(self.client_id, self.transport.base_url)

    def get_authorization_url(self, redirect_uri, scopes=None, state=None):
        """The URL to send the person to, to approve this app.

        :param scopes: scope names (a list, e.g. of :mod:`patreon.scopes` constants, or one space-separated string).
        :param state: an unguessable value from :func:`make_state`, checked in the callback.
        :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) when ``redirect_uri``, ``scopes`` or
            ``state`` is not a string (``scopes``: nor a list of them) or cannot be sent as UTF-8.
        """
        query = [('response_type', 'code'), ('client_id', self.client_id),
                 ('redirect_uri', checked_text(redirect_uri, 'redirect_uri'))]
        if scopes is not None:
            query.append(('scope', _scope_text(scopes)))
        if state is not None:
            query.append(('state', checked_text(state, 'state')))
        return self.transport.url(AUTHORIZE_PATH) + '?' + encode_query(query)

    def get_become_patron_url(self, redirect_uri, min_cents, scopes=None, state=None):
        """The URL that takes the person through pledging at least ``min_cents``, then back as from ``authorize``.

        Patreon's "become a patron" login (undocumented; used by Patreon's own plugin): the callback gets a
        ``code`` (and ``state``) exactly as after :meth:`get_authorization_url`, for :meth:`get_tokens`.

        :param min_cents: the smallest monthly pledge, in cents of the campaign's currency (an ``int`` above 0,
            or a string of digits).
        :param scopes: scope names (a list, e.g. of :mod:`patreon.scopes` constants, or one space-separated string).
        :param state: an unguessable value from :func:`make_state`, checked in the callback.
        :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) as :meth:`get_authorization_url` does, and
            for a ``min_cents`` that is not a whole number above 0.
        """
        query = [('response_type', 'code'), ('min_cents', '{}'.format(_min_cents(min_cents))),
                 ('client_id', self.client_id), ('redirect_uri', checked_text(redirect_uri, 'redirect_uri'))]
        if scopes is not None:
            query.append(('scope', _scope_text(scopes)))
        if state is not None:
            query.append(('state', checked_text(state, 'state')))
        return self.transport.url(BECOME_PATRON_PATH) + '?' + encode_query(query)

    def get_tokens(self, code, redirect_uri):
        """Exchange the authorization ``code`` the callback received for tokens.

        :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) before anything is sent, when ``code`` or
            ``redirect_uri`` cannot be (the code is single use: a bad ``redirect_uri`` would spend it).
        """
        return self._token_request({'grant_type': 'authorization_code', 'code': clean_credential(code, 'code'),
                                    'redirect_uri': checked_text(redirect_uri, 'redirect_uri')})

    def refresh_token(self, refresh_token, redirect_uri=None):
        """Trade ``refresh_token`` for new tokens; keep the new refresh token, the old one stops working.

        ``redirect_uri`` is accepted for 0.5.1's callers and not sent.
        """
        return self._token_request({'grant_type': 'refresh_token',
                                    'refresh_token': clean_credential(refresh_token, 'refresh_token')})

    def _token_request(self, params):
        replaced = stand_in('POST')
        if replaced is not None:  # a test's mock, or the application's wrapper: 0.5.1 sent through it
            _destination.check_destination(self.transport.base_url)
            return post_token_request(replaced, self.transport.url(TOKEN_PATH), self._params_of_0_5_1(params),
                                      app_user_agent(self.user_agent, self.transport.session))
        # A form body, as Patreon documents: in a query string the secret would land in logs.
        form = [('grant_type', params.pop('grant_type'))] + sorted(params.items()) + [
            ('client_id', self.client_id), ('client_secret', self.client_secret)]
        # Never redirected: requests would post the secret and the code or refresh token again, to the Location.
        response = self.transport.request('POST', TOKEN_PATH, data=encode_query(form), allow_redirects=False,
                                          headers={'Content-Type': 'application/x-www-form-urlencoded',
                                                   'User-Agent': app_user_agent(self.user_agent,
                                                                                self.transport.session)})
        secrets = (self.client_secret, params.get('code'), params.get('refresh_token'))
        if 300 <= response.status_code < 400:
            response.close()
            raise OAuthError('unexpected_redirect', 'the token endpoint answered {} {}; token requests are never '
                             'redirected'.format(response.status_code, reason_phrase(response, secrets) or 'Redirect'),
                             response.status_code, response)
        try:
            return oauth_result(response, True, secrets)
        except OAuthError as error:
            if self.raise_errors:
                raise
            # Patreon's error dict (masked), as 0.5.1 returned it, whose .error (the OAuthError) keeps the status.
            return ErrorDocument(oauth_result(response, False, secrets), error)

    def _params_of_0_5_1(self, params):
        """The query parameters 0.5.1 sent for a token request, in its order."""
        ordered = [('grant_type', params['grant_type'])]
        ordered += [(name, params[name]) for name in ('code', 'refresh_token') if name in params]
        ordered += [('client_id', self.client_id), ('client_secret', self.client_secret)]
        ordered += [(name, params[name]) for name in ('redirect_uri',) if name in params]
        return dict(ordered)


def make_state():
    """A fresh, unguessable ``state`` (URL-safe text) for one authorization request."""
    return base64.urlsafe_b64encode(os.urandom(24)).decode('ascii').rstrip('=')


def check_state(expected, received):
    """Whether the ``state`` the callback ``received`` is the one sent, compared in constant time.

    ``False`` when either is missing or empty.

    Usage::

        if not check_state(session.pop('oauth_state', None), request.args.get('state')):
            abort(403)
    """
    if not isinstance(expected, (six.text_type, bytes)) or not isinstance(received, (six.text_type, bytes)):
        return False
    if not expected or not received:
        return False
    return hmac.compare_digest(_utf8(expected), _utf8(received))


def _min_cents(min_cents):
    return checked_count(min_cents, 'min_cents', what='a whole number of cents', max_digits=12)


def _utf8(text):
    return text.encode('utf-8') if isinstance(text, six.text_type) else text
