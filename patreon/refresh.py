"""Automatic token refresh: one refresh for every request a 401 met, never a storm, never a deadlock.

:class:`TokenRefresh` holds one client's tokens and what it has learnt from
its refreshes; :class:`patreon.API` asks it what to do after a 401.  A
refresh token is single use, so it is spent at most once, and a token that a
route refuses right after its refresh is never refreshed again there: the
route needs a scope the grant lacks, and a refresh keeps the scopes.

Usage::

    refresh = TokenRefresh(access_token, refresh_token, oauth_client, on_token_refresh=store)
    token, refreshes = refresh.snapshot()
    # ... the request with token met a 401 on 'GET identity':
    retry, failure = refresh.after_401(token, refreshes, 'GET identity')
    refresh.deliver()  # on_token_refresh, outside every lock
"""
from __future__ import unicode_literals

import collections
import logging
import re
import threading

import requests
import six

from .credentials import clean_credential
from .exceptions import InvalidArgument, InvalidCredential, InvalidResponse, OAuthError, PatreonError
from .responses import ErrorDocument

logger = logging.getLogger(__name__)


class TokenRefresh(object):
    """The tokens of one client, refreshed after a 401 at most once per access token.

    :ivar access_token: sent as ``Authorization: Bearer``; checked when set
        (:class:`~patreon.exceptions.InvalidCredential`).
    :ivar refresh_token: spent by a refresh (``None``: no refresh); checked when set.
    :ivar oauth_client: an :class:`patreon.OAuth` (or anything with its
        ``refresh_token(token)``), or ``None``.
    :ivar on_token_refresh: called with the new token dict after each refresh, outside every lock.

    Usage::

        refresh = TokenRefresh('at_1', 'rt_1', patreon.OAuth(client_id, client_secret))
        refresh.access_token  # 'at_1'
    """

    def __init__(self, access_token, refresh_token=None, oauth_client=None, on_token_refresh=None):
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.oauth_client = oauth_client
        self.on_token_refresh = on_token_refresh
        self._refresh_lock = threading.Lock()  # one refresh at a time; held across the token request
        self._state_lock = threading.Lock()  # held briefly: the tokens and the outcomes of refreshes change together
        self._refreshes = 0  # refresh attempts finished
        self._last_failure = None  # the RefreshFailure of the last attempt, when it failed
        self._refused = None  # (refresh token, RefreshFailure) of the refresh token last refused
        self._fresh_token = None  # the access token of the last refresh, until the API first accepts it
        # 'GET campaigns': routes that refused a fresh token; a 401 there never refreshes, until a 2xx there shows
        # the refusal passed. A refresh through another route keeps the marks: scopes survive a refresh.
        self._hopeless_routes = set()
        self._callbacks = collections.deque()  # (on_token_refresh, tokens) of refreshes not yet delivered, in order
        self.granted_scope = None  # the ``scope`` text of the last refresh's answer, for messages naming scopes
        self._delivering = False

    @property
    def access_token(self):
        """The access token sent as ``Authorization: Bearer``."""
        return self._access_token

    @access_token.setter
    def access_token(self, token):
        self._access_token = clean_credential(token, 'access_token')

    @property
    def refresh_token(self):
        """The refresh token a 401 spends (``None``: no refresh)."""
        return self._refresh_token

    @refresh_token.setter
    def refresh_token(self, token):
        self._refresh_token = None if token is None else clean_credential(token, 'refresh_token')

    @property
    def oauth_client(self):
        """What refreshes the tokens after a 401 (a :class:`patreon.OAuth`), or ``None``."""
        return self._oauth_client

    @oauth_client.setter
    def oauth_client(self, client):
        # Checked now: found wrong at the first 401, it would fail with the refresh token at stake.
        if client is not None and not callable(getattr(client, 'refresh_token', None)):
            raise InvalidArgument('oauth_client must be a patreon.OAuth (something with its refresh_token method), '
                                  'not {}'.format(type(client).__name__))
        self._oauth_client = client

    @property
    def on_token_refresh(self):
        """Called with the new token dict after each refresh, or ``None``."""
        return self._on_token_refresh

    @on_token_refresh.setter
    def on_token_refresh(self, callback):
        if callback is not None and not callable(callback):
            raise InvalidArgument('on_token_refresh must be callable, not {}'.format(type(callback).__name__))
        self._on_token_refresh = callback

    @property
    def undelivered(self):
        """Whether refreshes wait for their ``on_token_refresh`` (left behind by a callback that raised)."""
        return bool(self._callbacks)

    def wants_answer(self, token):
        """Whether :meth:`judge` has something to learn from an answer to ``token`` (cheap: no lock).

        True while ``token`` is fresh, and while any route is marked hopeless (a 2xx there clears the mark).
        """
        return bool(self._hopeless_routes) or (token is not None and token == self._fresh_token)

    def snapshot(self):
        """``(access token, number of refreshes)``, read together: a 401 tells which refresh came after the request."""
        with self._state_lock:
            return self.access_token, self._refreshes

    def after_401(self, failed_token, refreshes_seen, route):
        """Refresh the tokens at most once for all the requests that saw ``failed_token`` refused.

        ``refreshes_seen`` is the count of refreshes when the request left, ``route`` what refused it
        (``'GET campaigns'``). Returns ``(retry, failure)``:
        whether to send the request again with the current token, and the :class:`RefreshFailure` that
        explains the 401 when not.
        """
        if self.oauth_client is None or self.refresh_token is None:
            return False, None
        with self._refresh_lock:
            with self._state_lock:
                if self.access_token != failed_token:
                    return True, None  # refreshed by another thread while this one waited, or set by the application
                if failed_token == self._fresh_token or route in self._hopeless_routes:
                    self._hopeless_routes.add(route)  # scopes survive a refresh: so does this 401
                    return False, RefreshFailure.hopeless(route)
                if self._refreshes != refreshes_seen:
                    return False, self._last_failure  # a refresh tried since this request left failed: same answer
                refresh_token = self.refresh_token
                if self._refused is not None and self._refused[0] == refresh_token:
                    return False, self._refused[1]  # refused already: asking again only adds 4xx answers
            tokens, failure = self._ask_for_tokens(refresh_token)
            with self._state_lock:
                self._refreshes += 1
                self._last_failure = failure
                if failure is None:
                    self.access_token = self._fresh_token = tokens['access_token']
                    self.refresh_token = tokens.get('refresh_token') or refresh_token
                    if isinstance(tokens.get('scope'), six.string_types):
                        self.granted_scope = tokens['scope']
                elif failure.refused:
                    self._refused = (refresh_token, failure)
            if failure is not None:
                logger.warning('after a 401, %s', failure.reason)
                return False, failure
            logger.info('access token refreshed')
            if self.on_token_refresh is not None:
                self._callbacks.append((self.on_token_refresh, tokens))  # under the refresh lock: in refresh order
            return True, None

    def _ask_for_tokens(self, refresh_token):
        """``(tokens, None)`` from the token endpoint, or ``(None, RefreshFailure)``."""
        try:
            tokens = self.oauth_client.refresh_token(refresh_token)
            if isinstance(tokens, ErrorDocument) and isinstance(tokens.error, OAuthError):
                raise tokens.error  # patreon.OAuth's refusal, with its status
            if isinstance(tokens, dict) and tokens.get('error'):  # another client's error dict: a refusal
                raise OAuthError(six.text_type(tokens['error']), None)
            return usable_tokens(tokens), None
        except (requests.RequestException, PatreonError) as exc:
            return None, RefreshFailure.of(exc)

    def judge(self, token, status_code, route):
        """Learn from an answer to the token of the last refresh; the failure to report when no refresh can help.

        A 401 to a token the API has not accepted yet cannot be an expiry: the route needs a scope the grant lacks,
        and since a refresh keeps the scopes, a 401 there never refreshes again. A 2xx proves the token: when it
        expires, it may be refreshed. A 2xx on a route proves the route too: its mark goes, so that a 401 there
        when the token expires refreshes it (the first refusal passed; it was no missing scope).
        """
        if status_code == 401:
            with self._state_lock:
                if token == self._fresh_token:
                    self._hopeless_routes.add(route)
                hopeless = route in self._hopeless_routes
            return RefreshFailure.hopeless(route) if hopeless else None
        if 200 <= status_code < 300:
            with self._state_lock:
                if token == self._fresh_token:
                    self._fresh_token = None
                if route in self._hopeless_routes:
                    self._hopeless_routes.discard(route)
                    logger.info('%s accepted the access token: a 401 there may refresh it again', route)
        return None

    def deliver(self):
        """Call ``on_token_refresh`` for every refresh not yet delivered, one at a time, in order.

        A thread that finds another delivering leaves the rest to it, so a callback that calls this client (and
        meets a 401) never waits for itself. What a callback raises propagates; the next call delivers the rest.
        """
        while True:
            with self._state_lock:
                if self._delivering or not self._callbacks:
                    return
                callback, tokens = self._callbacks.popleft()
                self._delivering = True
            try:
                callback(tokens)
            finally:
                with self._state_lock:
                    self._delivering = False


class RefreshFailure(object):
    """Why an automatic refresh gave no token that works: ``reason`` (text), and the refresh's ``error``."""

    def __init__(self, reason, error=None, refused=False):
        self.reason = reason
        self.error = error
        self.refused = refused

    @classmethod
    def hopeless(cls, route):
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


def route_of(method, path):
    """What a scope is granted for, whatever the ids and the query: the key of a route that needs one.

    Usage::

        route_of('GET', 'campaigns/7/members?page%5Bcount%5D=10')  # 'GET campaigns/{id}/members'
    """
    segments = path.split('?', 1)[0].split('/')
    return '{} {}'.format(method, '/'.join('{id}' if index % 2 else segment for index, segment in enumerate(segments)))


def usable_tokens(tokens):
    """The token dict of a refresh with its tokens checked; InvalidResponse when it cannot be used (fail closed).

    Usage::

        usable_tokens({'access_token': 'at_2', 'refresh_token': 'rt_2'})  # the same dict
        usable_tokens({'access_token': 'at\n2'})                          # InvalidResponse
    """
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
    """``error`` (the 401) saying why no refresh fixed it, with the refresh's error as ``refresh_error``.

    Usage::

        raise explained(unauthorized, RefreshFailure.of(oauth_error))  # "401 Unauthorized; the token refresh ..."
    """
    error.refresh_error = failure.error
    if failure.error is not None:
        error.__cause__ = failure.error  # six.raise_from sets it on Python 3 only
    message = error.args[0] if error.args else ''
    error.args = (six.text_type('{}; {}').format(message, failure.reason),) + tuple(error.args[1:])
    return error
