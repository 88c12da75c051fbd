"""The sandbox's OAuth server: registered clients, authorization codes and tokens.

``/oauth2/authorize`` approves at once, as the sandbox's default patron (or the
user named by the extra ``sandbox_user`` parameter), and redirects with a
single-use code. ``/api/oauth2/token`` exchanges codes and rotates refresh
tokens, with OAuth-style errors (``{"error": "invalid_grant"}``), never
JSON:API ones. Access tokens expire ``token_ttl`` seconds after issue.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import base64
import binascii
import hmac
import os
import threading
import time
from collections import OrderedDict

import six
from six.moves.urllib.parse import urlencode

from ._messages import JSON_TYPE, html_response, json_response, parse_query
from ._resources import ALL_SCOPES

#: Scopes granted when an authorization request names none.
DEFAULT_SCOPES = ('identity', 'identity[email]')
#: How long an authorization code may wait for its exchange.
CODE_TTL = 600


def random_token(nbytes=30):
    """An unguessable token of letters and digits (never derived from the seed).

    Like Patreon's, it never starts with ``-``, which a command line would read as an option.
    """
    return base64.b32encode(os.urandom(nbytes)).decode('ascii').rstrip('=').lower()


class Client(object):
    """A registered OAuth client, owned by a creator (``user_id``) and their campaign."""

    type = 'client'

    def __init__(self, client_id, secret, name, user_id, campaign_id, redirect_uris):
        self.id = client_id
        self.secret = secret
        self.name = name
        self.description = '%s, registered in the Patreon sandbox.' % name
        self.user_id = user_id
        self.campaign_id = campaign_id
        self.redirect_uris = list(redirect_uris)

    def __repr__(self):
        return '<Client %s %r>' % (self.id, self.name)


class AccessToken(object):
    """What an access token grants: a user, through a client, with scopes, until ``expires_at``."""

    def __init__(self, user_id, client_id, scopes, expires_at):
        self.user_id = user_id
        self.client_id = client_id
        self.scopes = tuple(scopes)
        self.expires_at = expires_at

    def __repr__(self):
        return '<AccessToken user=%s client=%s>' % (self.user_id, self.client_id)


class OAuthError(Exception):
    """A token-endpoint refusal in OAuth's shape: ``{"error": ..., "error_description": ...}``."""

    def __init__(self, status, error, description=None):
        Exception.__init__(self, error)
        self.status = status
        self.error = error
        self.description = description

    def response(self):
        body = OrderedDict([('error', self.error)])
        if self.description:
            body['error_description'] = self.description
        return json_response(self.status, body, content_type=JSON_TYPE, headers=_NO_STORE)


_NO_STORE = [('Cache-Control', 'no-store'), ('Pragma', 'no-cache')]


class OAuthServer(object):
    """Clients, codes and tokens, behind one lock."""

    def __init__(self, token_ttl=2678400, clock=time.time):
        self.token_ttl = token_ttl
        self.clock = clock
        self.clients = OrderedDict()
        self._codes = {}
        self._access = {}
        self._refresh = {}
        self._lock = threading.Lock()

    # -- clients and tokens ----------------------------------------------------------------

    def register_client(self, name, user_id, campaign_id, redirect_uris, client_id=None):
        """Register a client (id random unless given); returns the :class:`Client`."""
        client = Client(client_id or random_token(24), random_token(40), name, user_id, campaign_id,
                        redirect_uris)
        self.clients[client.id] = client
        return client

    def issue(self, user_id, client_id, scopes, expires_in=None):
        """A fresh access + refresh token pair, as the token endpoint answers it."""
        expires_in = self.token_ttl if expires_in is None else expires_in
        access_token, refresh_token = random_token(), random_token()
        with self._lock:
            self._access[access_token] = AccessToken(user_id, client_id, scopes,
                                                     self.clock() + expires_in)
            self._refresh[refresh_token] = AccessToken(user_id, client_id, scopes, None)
        return OrderedDict([
            ('access_token', access_token),
            ('refresh_token', refresh_token),
            ('expires_in', expires_in),
            ('scope', ' '.join(scopes)),
            ('token_type', 'Bearer'),
            ('version', '0.0.1'),
        ])

    def lookup(self, access_token):
        """The :class:`AccessToken` behind ``access_token``; None when unknown or expired."""
        with self._lock:
            token = self._access.get(access_token)
        if token is None or self.clock() >= token.expires_at:
            return None
        return token

    def expire(self, access_token):
        """Make ``access_token`` expired from now on; KeyError when unknown."""
        with self._lock:
            self._access[access_token].expires_at = self.clock()

    def expire_tokens(self, user_id=None):
        """Expire every live access token (of ``user_id`` only, when given); returns how many."""
        now = self.clock()
        with self._lock:
            live = [token for token in self._access.values()
                    if now < token.expires_at and user_id in (None, token.user_id)]
            for token in live:
                token.expires_at = now
        return len(live)

    # -- /oauth2/authorize ------------------------------------------------------------------

    def authorize(self, request, users, default_user_id):
        """Approve at once and redirect with a code, or answer 400 when the redirect is unsafe."""
        client = self.clients.get(request.param('client_id'))
        if client is None:
            return html_response(400, 'Invalid client', 'Unknown client_id.')
        redirect_uri = request.param('redirect_uri')
        if redirect_uri not in client.redirect_uris:
            return html_response(400, 'Invalid redirect_uri',
                                 'The redirect_uri is not registered for this client.')
        user_id = request.param('sandbox_user') or default_user_id
        if user_id not in users:
            return html_response(400, 'Unknown user', 'sandbox_user is not a user of this sandbox.')
        state = request.param('state')
        scopes = (request.param('scope') or '').split() or list(DEFAULT_SCOPES)
        if request.param('response_type') != 'code':
            return _redirect(redirect_uri, [('error', 'unsupported_response_type')], state)
        if [scope for scope in scopes if scope not in ALL_SCOPES]:
            return _redirect(redirect_uri, [('error', 'invalid_scope')], state)
        code = random_token()
        with self._lock:
            self._codes[code] = (client.id, user_id, redirect_uri, tuple(scopes),
                                 self.clock() + CODE_TTL)
        return _redirect(redirect_uri, [('code', code)], state)

    # -- /api/oauth2/token ------------------------------------------------------------------

    def token(self, request):
        """Answer the token endpoint: exchange a code or rotate a refresh token."""
        try:
            return json_response(200, self._grant(request), content_type=JSON_TYPE, headers=_NO_STORE)
        except OAuthError as error:
            return error.response()

    def client_id_of(self, request):
        """The client a token request claims to be (for rate limiting), or None."""
        try:
            return self._form(request).get('client_id') or self._basic_auth(request)[0]
        except OAuthError:
            return None

    def _grant(self, request):
        form = self._form(request)
        grant_type = _required(form, 'grant_type')
        client = self._authenticate_client(form, request)
        if grant_type == 'authorization_code':
            return self._exchange_code(form, client)
        if grant_type == 'refresh_token':
            return self._rotate(form, client)
        raise OAuthError(400, 'unsupported_grant_type',
                         "grant_type must be 'authorization_code' or 'refresh_token'.")

    @staticmethod
    def _form(request):
        """The token request's parameters: a form body, or the query string (0.5.1 sent that); both at once is
        refused.
        """
        if request.params:
            if request.body:
                raise OAuthError(400, 'invalid_request', 'Send the parameters in the URL or in the request '
                                 'body (application/x-www-form-urlencoded), not in both.')
            return dict(request.params)
        content_type = request.headers.get('Content-Type', '').split(';')[0].strip().lower()
        if content_type != 'application/x-www-form-urlencoded':
            raise OAuthError(400, 'invalid_request',
                             'The body must be application/x-www-form-urlencoded.')
        try:
            return dict(parse_query(request.body))
        except UnicodeError:
            raise OAuthError(400, 'invalid_request', 'The body is not UTF-8.')

    @staticmethod
    def _basic_auth(request):
        """``(client_id, client_secret)`` from HTTP Basic authentication, or ``(None, None)``."""
        scheme, _, value = request.headers.get('Authorization', '').partition(' ')
        if scheme.lower() != 'basic':
            return None, None
        try:
            decoded = base64.b64decode(value.strip().encode('ascii')).decode('utf-8')
        except (binascii.Error, TypeError, UnicodeError):
            raise OAuthError(401, 'invalid_client', 'Malformed Basic authentication.')
        client_id, _, secret = decoded.partition(':')
        return client_id, secret

    def _authenticate_client(self, form, request):
        client_id, secret = form.get('client_id'), form.get('client_secret')
        if client_id is None:
            client_id, secret = self._basic_auth(request)
        if not client_id:
            raise OAuthError(400, 'invalid_request', 'Missing parameter: client_id.')
        if secret is None:
            raise OAuthError(400, 'invalid_request', 'Missing parameter: client_secret.')
        client = self.clients.get(client_id)
        if client is None or not hmac.compare_digest(six.ensure_binary(client.secret),
                                                     six.ensure_binary(secret)):
            raise OAuthError(401, 'invalid_client')
        return client

    def _exchange_code(self, form, client):
        code = _required(form, 'code')
        redirect_uri = _required(form, 'redirect_uri')
        with self._lock:
            # Single use: the code is gone whatever the outcome.
            grant = self._codes.pop(code, None)
        if grant is None:
            raise OAuthError(400, 'invalid_grant')
        client_id, user_id, granted_redirect_uri, scopes, expires_at = grant
        if client_id != client.id or granted_redirect_uri != redirect_uri or self.clock() >= expires_at:
            raise OAuthError(400, 'invalid_grant')
        return self.issue(user_id, client.id, scopes)

    def _rotate(self, form, client):
        refresh_token = _required(form, 'refresh_token')
        with self._lock:
            grant = self._refresh.get(refresh_token)
            if grant is None or grant.client_id != client.id:
                raise OAuthError(400, 'invalid_grant')
            del self._refresh[refresh_token]
        return self.issue(grant.user_id, client.id, grant.scopes)


def _required(form, name):
    value = form.get(name)
    if not value:
        raise OAuthError(400, 'invalid_request', 'Missing parameter: %s.' % name)
    return value


def _redirect(redirect_uri, params, state):
    if state is not None:
        params.append(('state', state))
    separator = '&' if '?' in redirect_uri else '?'
    query = urlencode([(six.ensure_str(name), six.ensure_str(value)) for name, value in params])
    return html_response(302, 'Redirecting', 'Redirecting.',
                         headers=[('Location', redirect_uri + separator + query)])
