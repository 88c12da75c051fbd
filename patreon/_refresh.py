"""Automatic token refresh: one refresh for every request a 401 met, never a storm, never a deadlock.

A refresh token is single use, so it is spent at most once; a token refused right after its refresh is a missing
scope and is not refreshed again there.  With a token store, every refresh runs under its lock after reloading it.
"""
from __future__ import unicode_literals

import collections
import logging
import threading
import time

import requests
import six

from . import _forks
from ._clock import monotonic
from ._credentials import checked_tokens, clean_credential
from ._refresh_failure import RefreshFailure, refused_elsewhere, stored_expiry, usable_tokens
from ._responses import ErrorDocument
from .exceptions import InvalidArgument, OAuthError, PatreonError, TokenStoreError
from ._policy import check_seconds, checked_callback, checked_margin, checked_oauth_client
from .policies import DEFAULT_REFRESH_MARGIN, RefreshPolicy  # noqa: F401

# Seconds before a refresh before a call is tried again, after it failed (refused: as Patreon's own plugin waits).
_RETRY_AFTER_FAILURE = 60.0
_RETRY_AFTER_REFUSAL = 600.0
#: Seconds after a refresh during which a route that refuses the new token (not having accepted it) lacks a scope;
#: a refusal later may be its expiry. Tokens live for weeks; a retry right after a refresh comes within seconds.
FRESH_FOR = 600.0

logger = logging.getLogger(__name__)



def _tokens():
    # patreon.tokens (file locks, temporary files) on first use: most clients have no token store.
    from . import tokens
    return tokens


def _refused_in(stored, refresh_token):
    """Whether the token store's dict ``stored`` remembers ``refresh_token`` as refused."""
    tokens = _tokens()
    return refresh_token is not None and stored.get(tokens.REFUSED_KEY) == tokens.digest(refresh_token)

class TokenRefresh(object):
    """The tokens of one client, refreshed after a 401 at most once per access token.

    :param policy: a :class:`RefreshPolicy`, whose settings become the ``oauth_client``, ``on_token_refresh``
        and ``refresh_margin`` attributes (checked again when set); ``None``: no refresh.
    :param token_store: a :class:`patreon.tokens.TokenStore` the tokens are read from (instead of those given)
        and saved to, or ``None``.
    :raises patreon.exceptions.InvalidArgument: a ``token_store`` without ``load``, ``save`` and ``lock``.
    :raises patreon.exceptions.InvalidCredential: a token that cannot be sent.
    """

    def __init__(self, access_token, refresh_token=None, policy=None, expires_at=None, token_store=None):
        if token_store is not None and not all(callable(getattr(token_store, name, None))
                                               for name in ('load', 'save', 'lock')):
            raise InvalidArgument('token_store must be a patreon.tokens.TokenStore (load, save and lock), not '
                                  '{}'.format(type(token_store).__name__))
        stored = token_store.load() if token_store is not None else None
        if stored is not None:
            stored = checked_tokens(stored, 'the token store')
            access_token, refresh_token = stored['access_token'], stored.get('refresh_token') or None
            expires_at = stored_expiry(stored)
        self.access_token = access_token
        self.refresh_token = refresh_token
        policy = refresh_policy(policy)
        self.oauth_client = policy.oauth_client if policy else None
        self.on_token_refresh = policy.on_token_refresh if policy else None
        self.expires_at = expires_at
        self.refresh_margin = policy.margin if policy else DEFAULT_REFRESH_MARGIN
        self.token_store = token_store
        self.clock = time.time
        self._margin_cap = None  # half the lifetime of the last refreshed token: a short-lived one is not refreshed on
        self._not_before = 0.0  # no refresh before a call until then (after one failed)
        self._refresh_lock = threading.Lock()  # one refresh at a time; held across the token request
        self._state_lock = threading.Lock()  # held briefly: the tokens and the outcomes of refreshes change together
        self._refreshes = 0  # refresh attempts finished
        self._last_failure = None  # the RefreshFailure of the last attempt, when it failed
        self._refused = None  # (refresh token, RefreshFailure) of the refresh token last refused
        # The access token of the last refresh, when it came, and the routes that have accepted it: a route that
        # refuses it before accepting it, within FRESH_FOR seconds, lacks a scope (whatever other routes answer).
        self._fresh_token = None
        self._fresh_at = 0.0
        self._accepted_by = set()
        # 'GET campaigns': routes that refused a fresh token; a 401 there never refreshes, until a 2xx there shows
        # the refusal passed. A refresh through another route keeps the marks: scopes survive a refresh.
        self._routes_lacking_scope = set()
        # (on_token_refresh, tokens) of refreshes not yet delivered, in order
        self._callbacks = collections.deque()  # type: collections.deque
        self.granted_scope = None  # the ``scope`` text of the last refresh's answer, for messages naming scopes
        self._running_callbacks = False
        self._unsaved = None  # (tokens, the access token they replaced) when saving them to the store failed
        self._save_failure = None  # the TokenStoreError to raise from the call whose refresh could not be saved
        if stored is not None and _refused_in(stored, self.refresh_token):
            self._refused = (self.refresh_token, refused_elsewhere())
        _forks.track(self)

    def _after_fork(self):
        # A thread of the parent may have held these at the fork: in the child nobody would ever release them.
        self._refresh_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._running_callbacks = False
        self._callbacks.clear()  # the parent delivers its refreshes; the child would call on_token_refresh twice

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
        self._oauth_client = None if client is None else checked_oauth_client(client)

    @property
    def on_token_refresh(self):
        """Called with the new token dict after each refresh, or ``None``."""
        return self._on_token_refresh

    @on_token_refresh.setter
    def on_token_refresh(self, callback):
        self._on_token_refresh = checked_callback(callback)

    @property
    def expires_at(self):
        """When the access token expires, in epoch seconds, or ``None`` when unknown."""
        return self._expires_at

    @expires_at.setter
    def expires_at(self, when):
        self._expires_at = None if when is None else check_seconds('expires_at', when, zero=True)

    @property
    def refresh_margin(self):
        """Seconds before ``expires_at`` when a call refreshes the tokens first (``0``: only after a 401)."""
        return self._refresh_margin

    @refresh_margin.setter
    def refresh_margin(self, seconds):
        self._refresh_margin = checked_margin(seconds)

    @property
    def callbacks_pending(self):
        """Whether refreshes wait for their ``on_token_refresh`` (left behind by a callback that raised)."""
        return bool(self._callbacks)

    def records_responses_to(self, token):
        """Whether :meth:`record_response` must see the HTTP responses to ``token`` (cheap: no lock): while it is
        fresh from a refresh, and while a route is marked as lacking a scope (a 2xx there clears the mark)."""
        return bool(self._routes_lacking_scope) or (token is not None and token == self._fresh_token)

    def _fresh_for(self, token, route):
        """Whether ``route`` refusing ``token`` means it lacks a scope (the state lock held): ``token`` came from the
        last refresh less than :data:`FRESH_FOR` seconds ago, and ``route`` has not accepted it."""
        if token != self._fresh_token:
            return False
        if monotonic() - self._fresh_at >= FRESH_FOR:
            self._fresh_token = None  # a refusal now may be its expiry; nothing more to learn from its answers
            return False
        return route not in self._accepted_by

    def snapshot(self):
        """``(access token, number of refreshes)``, read together: a 401 tells which refresh came after the request."""
        with self._state_lock:
            return self.access_token, self._refreshes

    def before_call(self):
        """Refresh first, once for all threads, when ``expires_at`` is less than ``refresh_margin`` away.

        A failure is logged and the call goes on with the old token; no retry of it for a minute (ten after a
        refusal).
        """
        if not self._expiring() or self.oauth_client is None or self.refresh_token is None:
            return
        with self._refresh_lock:
            with self._state_lock:
                token, refresh_token = self.access_token, self.refresh_token
                if not self._expiring() or (self._refused is not None and self._refused[0] == refresh_token):
                    return  # refreshed by another thread while this one waited, or refused already
            if self.token_store is None:
                failure = self._refresh(refresh_token)
            else:
                with self.token_store.lock():
                    outcome = self._reload(token)
                    if outcome == 'refused' or (outcome == 'adopted' and not self._expiring()):
                        return
                    failure = self._refresh(self.refresh_token)
            if failure is not None:
                self._not_before = self.clock() + (_RETRY_AFTER_REFUSAL if failure.refused else _RETRY_AFTER_FAILURE)
                logger.warning('before a call, as the access token expires soon, %s', failure.reason)

    def _expiring(self):
        expires_at = self._expires_at
        if expires_at is None:
            return False
        now = self.clock()
        margin = self._refresh_margin if self._margin_cap is None else min(self._refresh_margin, self._margin_cap)
        return now >= self._not_before and expires_at - now < margin

    def after_401(self, failed_token, refreshes_seen, route):
        """Refresh at most once for all the requests that saw ``failed_token`` refused; returns ``(retry, failure)``.

        ``failure`` is the :class:`RefreshFailure` that explains the 401 when not retrying.  With a token store, the
        store is reloaded under its lock first: tokens another process saved are used, a token it refused is not
        sent.
        """
        if self.token_store is None and (self.oauth_client is None or self.refresh_token is None):
            return False, None
        with self._refresh_lock:
            with self._state_lock:
                if self.access_token != failed_token:
                    return True, None  # refreshed by another thread while this one waited, or set by the application
            if self.token_store is None:
                return self._refresh_after_401(failed_token, refreshes_seen, route)
            with self.token_store.lock():
                if self._reload(failed_token) == 'adopted':
                    return True, None
                return self._refresh_after_401(failed_token, refreshes_seen, route)

    def _refresh_after_401(self, failed_token, refreshes_seen, route):
        """``after_401`` once the store (if any) had nothing newer: refresh, unless it cannot help."""
        with self._state_lock:
            if self._fresh_for(failed_token, route) or route in self._routes_lacking_scope:
                self._routes_lacking_scope.add(route)  # scopes survive a refresh: so does this 401
                return False, RefreshFailure.lacking_scope(route)
            if self._refreshes != refreshes_seen:
                return False, self._last_failure  # a refresh tried since this request left failed: same answer
            refresh_token = self.refresh_token
            if self.oauth_client is None or refresh_token is None:
                return False, None
            if self._refused is not None and self._refused[0] == refresh_token:
                return False, self._refused[1]  # refused already: asking again only adds 4xx answers
        failure = self._refresh(refresh_token)
        if failure is not None:
            logger.warning('after a 401, %s', failure.reason)
            return False, failure
        return True, None

    def _reload(self, token):
        """Under the store's lock: ``'adopted'`` (another process's tokens), ``'refused'``, or ``None``."""
        stored = self.token_store.load()
        if stored is not None:
            stored = checked_tokens(stored, 'the token store')
        if self._unsaved is not None:
            unsaved, replaced = self._unsaved
            if stored is None or stored['access_token'] == replaced:
                self._save(unsaved, replaced, report=False)
                return None
            self._unsaved = None  # the store moved on (a new login): what it holds now wins
        if stored is None:
            return None
        with self._state_lock:
            if stored['access_token'] != token:
                # Not marked fresh: whoever saved them may have done so long ago, and they may have expired since.
                self.access_token = stored['access_token']
                self.refresh_token = stored.get('refresh_token') or self.refresh_token
                self.expires_at = stored_expiry(stored)
                if isinstance(stored.get('scope'), six.string_types):
                    self.granted_scope = stored['scope']
                self._refreshes += 1
                self._last_failure = None
                logger.info('access token replaced by the one another client saved in the token store')
                return 'adopted'
            if _refused_in(stored, self.refresh_token):
                self._refused = (self.refresh_token, refused_elsewhere())
                return 'refused'
        return None

    def save_unsaved(self):
        """Save the tokens a failed save left behind (the store's lock held); a new failure is logged."""
        if self._unsaved is None or self.token_store is None:
            return
        with self._refresh_lock:
            with self.token_store.lock():
                self._reload(self.access_token)

    def _save(self, tokens, replaced, report):
        """Save ``tokens`` (which replace the access token ``replaced``); on failure keep them for the next call,
        and, when ``report``, note the TokenStoreError for the call to raise."""
        try:
            self.token_store.save(tokens)
        except Exception as exc:  # disk full, permissions, the application's own store failing: the tokens stay
            # The store still holds what the first unsaved refresh replaced: only over that are these saved later.
            self._unsaved = (tokens, replaced if self._unsaved is None else self._unsaved[1])
            # Named by type and errno only: a store of the application's might quote the values it failed to write.
            errno = getattr(exc, 'errno', None)
            cause = type(exc).__name__ + (' [Errno {}]'.format(errno) if errno else '')
            logger.warning('the token store could not save the refreshed tokens (%s); saved again at the next call',
                           cause)
            if report:
                self._save_failure = TokenStoreError(
                    '{!r} could not save the refreshed tokens ({}): they are in use, passed to on_token_refresh, '
                    'and saved again at the next call'.format(self.token_store, cause))
            return
        self._unsaved = None

    def take_save_failure(self):
        """The :class:`~patreon.exceptions.TokenStoreError` of a refresh whose tokens could not be saved, once."""
        with self._state_lock:
            failure, self._save_failure = self._save_failure, None
        return failure

    def _refresh(self, refresh_token):
        """Spend ``refresh_token`` (the refresh lock held); save the outcome; the failure, or ``None``."""
        tokens, failure = self._ask_for_tokens(refresh_token)
        with self._state_lock:
            replaced = self.access_token
            self._refreshes += 1
            self._last_failure = failure
            if failure is None:
                self.access_token = self._fresh_token = tokens['access_token']
                self._fresh_at = monotonic()
                self._accepted_by = set()
                self.refresh_token = tokens.get('refresh_token') or refresh_token
                self.expires_at = stored_expiry(tokens)
                if isinstance(tokens.get('scope'), six.string_types):
                    self.granted_scope = tokens['scope']
                lifetime = tokens.get('expires_in')
                self._margin_cap = lifetime / 2.0 if isinstance(lifetime, six.integer_types + (float,)) \
                    and not isinstance(lifetime, bool) and lifetime > 0 else None
            elif failure.refused:
                self._refused = (refresh_token, failure)
        if self.token_store is not None:
            if failure is None:
                self._save(dict(tokens, refresh_token=self.refresh_token), replaced, report=True)
            elif failure.refused:
                self._remember_refusal(refresh_token)
        if failure is None:
            logger.info('access token refreshed')
            if self.on_token_refresh is not None:
                self._callbacks.append((self.on_token_refresh, tokens))  # under the refresh lock: in refresh order
        return failure

    def _remember_refusal(self, refresh_token):
        """Mark ``refresh_token`` refused in the store, so that no process sends it again (a failure is logged)."""
        try:
            remembered = dict(self.token_store.load() or {'access_token': self.access_token,
                                                          'refresh_token': refresh_token})
            remembered[_tokens().REFUSED_KEY] = _tokens().digest(refresh_token)
            self.token_store.save(remembered)
        except Exception as exc:  # the refusal is reported all the same; other processes will meet it themselves
            logger.warning('the token store could not remember the refused refresh token (%s)', type(exc).__name__)

    def _ask_for_tokens(self, refresh_token):
        """``(tokens, None)`` from the token endpoint, or ``(None, RefreshFailure)``."""
        try:
            tokens = self.oauth_client.refresh_token(refresh_token)
            if isinstance(tokens, ErrorDocument) and isinstance(tokens.error, OAuthError):
                raise tokens.error  # patreon.OAuth's refusal, with its status
            if isinstance(tokens, dict) and tokens.get('error'):  # another client's error dict: a refusal
                raise OAuthError(six.text_type(tokens['error']), None)
            return usable_tokens(tokens), None
        except (requests.RequestException, PatreonError, ValueError) as exc:  # ValueError: a stand-in's .json()
            return None, RefreshFailure.of(exc)

    def record_response(self, token, status_code, route):
        """Record the status of a response to ``token`` on ``route``; the :class:`RefreshFailure` of a missing scope,
        or
        ``None`` (a 401 to a fresh token on a route that has not accepted it: a refresh keeps the scopes).
        """
        if status_code == 401:
            with self._state_lock:
                if self._fresh_for(token, route):
                    self._routes_lacking_scope.add(route)
                lacking = route in self._routes_lacking_scope
            return RefreshFailure.lacking_scope(route) if lacking else None
        if 200 <= status_code < 300:
            with self._state_lock:
                if self._fresh_for(token, route):
                    self._accepted_by.add(route)  # from now on, a 401 there may be the token's expiry
                if route in self._routes_lacking_scope:
                    self._routes_lacking_scope.discard(route)
                    logger.info('%s accepted the access token: a 401 there may refresh it again', route)
        return None

    def run_callbacks(self):
        """Call ``on_token_refresh`` for each refresh not yet passed to it, in order, one thread at a time.

        A callback that calls this client never waits for itself; what it raises propagates, and the next call runs
        the rest.
        """
        while True:
            with self._state_lock:
                if self._running_callbacks or not self._callbacks:
                    return
                callback, tokens = self._callbacks.popleft()
                self._running_callbacks = True
            try:
                callback(tokens)
            finally:
                with self._state_lock:
                    self._running_callbacks = False


def refresh_policy(value):
    """``refresh`` as a client takes it: a :class:`RefreshPolicy`, or ``None`` (no refresh)."""
    if value is None or isinstance(value, RefreshPolicy):
        return value
    raise InvalidArgument('refresh must be a patreon.RefreshPolicy or None, not {}'.format(type(value).__name__))
