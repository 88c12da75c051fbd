"""The API v2 client: one method per route.

Usage::

    import patreon

    api = patreon.API(access_token)
    campaign = api.get_campaigns(10).data()[0]
    for member in api.paginate(api.get_campaigns_by_id_members, campaign.id(), page_size=1000,
                               includes=['user'], fields={'member': ['full_name']}):
        print(member.attribute('full_name'))
"""
import datetime
import logging
import re

import six

from . import endpoint, forks
from .credentials import clean_resource_id
from .exceptions import InvalidArgument, InvalidResponse, PaginationError, PatreonError, V1MethodRemoved
from .jsonapi.parser import JSONAPIParser
from .jsonapi.url_util import checked_bool, checked_text, encode_query, query_names, quote, url_with, urlsplit
from .pacing import (DEFAULT_MAX_4XX, DEFAULT_RATE_LIMIT, DEFAULT_TOKEN_RATE_LIMIT, Pacer, PacerChain, RequestBudget,
                     shared_budget, shared_pacer)
from .refresh import DEFAULT_REFRESH_MARGIN, TokenRefresh, explained, route_of
from .responses import ErrorDocument, api_result, reason_phrase
from .transport import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, RetryPolicy, Transport
from .utils import app_user_agent, check_user_agent

logger = logging.getLogger(__name__)

API_ROOT = '/api/oauth2/v2/'
_DEFAULT_CURSOR_PATH = 'links.next'
_FALLBACK_CURSOR_PATH = 'meta.pagination.cursors.next'



# Loaded on first use, so that `import patreon` stays light: the schemas that field names are checked against, and
# the scope tables that explain a 401 or 403.
def _known_names():
    from .jsonapi import known_names
    return known_names


def _scopes_module():
    from . import scopes
    return scopes


def _explain_lacking(error, method, path, granted):
    if getattr(error, 'status_code', None) in (401, 403):
        _scopes_module().explain_lacking(error, method, path, granted)


# token_rate_limit's default: Patreon's per-token limit with a store shared by processes (its token set outlives
# refreshes and processes), unless rate_limit is None or a pacer of the caller's; else off.
_FOLLOWS_RATE_LIMIT = object()


class API(object):
    """A client of Patreon's API v2 for one access token.

    Each route method returns a :class:`~patreon.jsonapi.parser.JSONAPIParser`
    or, when Patreon answers with ``errors``, that errors document (a dict);
    with ``raise_errors=True`` it raises instead.  One object is safe to share
    across threads.

    Usage::

        api = patreon.API(access_token, raise_errors=True)
        user = api.get_identity(includes=['memberships'], fields={'user': ['full_name']}).data()

    :param access_token: the OAuth access token.
    :param session: a :class:`requests.Session` to send through; one is made by default.
    :param timeout: seconds (or ``(connect, read)``) for each request.
    :param base_url: where Patreon is; point it at a :class:`patreon.sandbox.Sandbox` in tests.
    :param raise_errors: raise :class:`~patreon.exceptions.APIError` subclasses
        instead of returning errors documents.
    :param max_retries: retries of ``GET``/``DELETE`` on 429, 5xx and connection
        errors; ``0`` disables them.
    :param max_retry_wait: the longest ``Retry-After`` (seconds) worth waiting for.
    :param oauth_client: an :class:`patreon.OAuth`; with ``refresh_token``, a
        401 refreshes the tokens once and retries the request (see "Token
        refresh" in the README).  A token refused right after its refresh is
        never refreshed again: at most one refresh per access token.  When a
        refresh fails, the 401's :class:`~patreon.exceptions.Unauthorized`
        says why and carries the refresh's own error as ``refresh_error``
        (and ``__cause__``).
    :param refresh_token: the refresh token that goes with ``access_token``.
    :param on_token_refresh: called with the new token dict after a refresh,
        so the application can store the new single-use refresh token.  It
        runs outside any lock (it may call this client), once per refresh, in
        the order of the refreshes; what it raises propagates from the call
        that ran it, and the client keeps the new tokens all the same.
    :param total_timeout: seconds one attempt of a request may take in all
        (connect, headers and body), however slowly the server sends it.
    :param strict_fields: a name of ``fields`` or ``includes`` unknown to
        :mod:`patreon.schemas` (a typo: Patreon would answer it with nothing)
        raises :class:`~patreon.exceptions.UnknownFieldError` and nothing is
        sent; by default it is an :class:`~patreon.exceptions.UnknownFieldWarning`
        and the request goes, as Patreon may add names later.
    :param scopes: the scopes the token was granted: the token answer's
        ``scope`` text as it came, or a list of names (see
        :mod:`patreon.scopes`); ``None``, not known.  When known, a 401 or 403
        names the scopes the call needed and the token lacks.  An automatic
        refresh replaces them with its own answer's ``scope``.
    :param expires_at: when ``access_token`` expires, in epoch seconds (the
        ``expires_at`` of a token dict), or ``None``.  With ``oauth_client``
        and ``refresh_token``, a call made less than ``refresh_margin`` seconds
        before it refreshes the tokens first, once for all threads; the 401
        path stays the fallback.
    :param refresh_margin: seconds (default 14 days: tokens have died ~11
        days before ``expires_in`` said); ``0`` refreshes only after a 401.
    :param token_store: a :class:`patreon.tokens.TokenStore`: the tokens are
        read from it (``access_token`` may then be ``None``), and every refresh
        runs under ``token_store.lock()`` after reloading it, so that
        processes sharing the store refresh once; the new tokens are saved
        there before ``on_token_refresh`` runs, and a refused refresh token
        is remembered there, never sent again.  A store that is shared by
        processes (:mod:`patreon.stores`: SQLite for one machine, Redis for
        many) also holds the pacers and the 4xx budget, so that every process
        using it stays under Patreon's limits together.  Every 401 reloads
        the store first, so tokens another process saved (its refresh, a new
        login) reach a client whose refresh token was refused.  When the save
        fails, the call raises :class:`~patreon.exceptions.TokenStoreError`,
        the new tokens are used and passed to ``on_token_refresh`` all the
        same, and the next call saves them.
    :param rate_limit: ``(requests, seconds)`` that every attempt waits its
        turn for, shared by the clients of the process with the same OAuth
        client (or token) and ``base_url``; Patreon's documented 100 per 2
        seconds by default; a :class:`patreon.pacing.Pacer` to share one
        explicitly; ``None`` disables it.
    :param token_rate_limit: ``(requests, seconds)`` per access token
        (Patreon's 100 per minute by default; a refresh does not reset it),
        waited for before ``rate_limit``; keyed by the token set of a shared
        ``token_store``, else by the first access token; a pacer object to
        share one explicitly; ``None`` disables it.  By default it is on
        with a ``token_store`` shared by processes (:mod:`patreon.stores`)
        while ``rate_limit`` is a ``(requests, seconds)`` tuple; else off.
    :param max_4xx_per_10_minutes: past this many 4xx answers in 10 minutes
        (counted for every client of ``base_url`` in the process), calls
        raise :class:`~patreon.exceptions.RequestBudgetExceeded` without
        sending, instead of earning Patreon's half-hour block at ~2,000;
        ``None`` disables it.
    :param user_agent: the app's name, sent first in every request's ``User-Agent``, the package's name and
        version after it (Patreon asks every app to name itself, e.g. ``'MyCampaignName - Sync App'``, and
        may answer 403 to calls that do not). Without it, a ``User-Agent`` set on ``session`` is kept the
        same way; else the package's alone is sent. Printable ASCII text, else
        :class:`~patreon.exceptions.InvalidArgument`.

    ``access_token``, ``refresh_token`` (here and when set later) are stripped
    of surrounding whitespace; an empty one, or one with a control or
    non-ASCII character, raises :class:`~patreon.exceptions.InvalidCredential`
    (a ``ValueError``) whose message never quotes it.  Redirects are never
    followed: a 3xx answer raises :class:`~patreon.exceptions.InvalidResponse`,
    as following it could carry the token elsewhere.
    """

    def __init__(self, access_token, session=None, timeout=DEFAULT_TIMEOUT, base_url=DEFAULT_BASE_URL,
                 raise_errors=False, max_retries=3, max_retry_wait=60.0, oauth_client=None,
                 refresh_token=None, on_token_refresh=None, total_timeout=DEFAULT_TOTAL_TIMEOUT, scopes=None,
                 strict_fields=False, expires_at=None, refresh_margin=DEFAULT_REFRESH_MARGIN, token_store=None,
                 rate_limit=DEFAULT_RATE_LIMIT, max_4xx_per_10_minutes=DEFAULT_MAX_4XX, user_agent=None,
                 token_rate_limit=_FOLLOWS_RATE_LIMIT):
        self.user_agent = check_user_agent(user_agent)
        self._tokens = TokenRefresh(access_token, refresh_token, oauth_client, on_token_refresh,
                                    expires_at=expires_at, refresh_margin=refresh_margin, token_store=token_store)
        self.scopes = scopes
        self.raise_errors = checked_bool(raise_errors, 'raise_errors')
        self.strict_fields = checked_bool(strict_fields, 'strict_fields')
        self.transport = Transport(base_url, session=session, timeout=timeout,
                                   retry=RetryPolicy(max_retries=max_retries, max_retry_wait=max_retry_wait),
                                   total_timeout=total_timeout)
        base_url = self.transport.base_url
        if token_rate_limit is _FOLLOWS_RATE_LIMIT:
            token_rate_limit = DEFAULT_TOKEN_RATE_LIMIT if isinstance(rate_limit, tuple) \
                and callable(getattr(token_store, 'shared_pacer', None)) else None
        pacers = [_pacer(token_rate_limit, base_url, 'token ' + _token_key(token_store, self._tokens.access_token),
                         token_store),
                  _pacer(rate_limit, base_url, getattr(oauth_client, 'client_id', None) or self._tokens.access_token,
                         token_store)]
        pacers = [pacer for pacer in pacers if pacer is not None]
        self.transport.pacer = (pacers[0] if len(pacers) == 1 else PacerChain(pacers)) if pacers else None
        self.transport.budget = _budget(max_4xx_per_10_minutes, base_url, token_store)

    @property
    def access_token(self):
        """The access token sent as ``Authorization: Bearer``; setting it checks it as the constructor does."""
        return self._tokens.access_token

    @access_token.setter
    def access_token(self, token):
        self._tokens.access_token = token

    @property
    def refresh_token(self):
        """The refresh token a 401 spends (``None``: no refresh); setting it checks it as the constructor does."""
        return self._tokens.refresh_token

    @refresh_token.setter
    def refresh_token(self, token):
        self._tokens.refresh_token = token

    @property
    def oauth_client(self):
        """The :class:`patreon.OAuth` that refreshes the tokens after a 401, or ``None``."""
        return self._tokens.oauth_client

    @oauth_client.setter
    def oauth_client(self, client):
        self._tokens.oauth_client = client

    @property
    def expires_at(self):
        """When the access token expires (epoch seconds), or ``None``; set it with a token set by hand."""
        return self._tokens.expires_at

    @expires_at.setter
    def expires_at(self, when):
        self._tokens.expires_at = when

    @property
    def token_store(self):
        """The :class:`patreon.tokens.TokenStore` the tokens come from and go to, or ``None``."""
        return self._tokens.token_store

    @property
    def on_token_refresh(self):
        """Called with the new token dict after each refresh (outside every lock), or ``None``."""
        return self._tokens.on_token_refresh

    @on_token_refresh.setter
    def on_token_refresh(self, callback):
        self._tokens.on_token_refresh = callback

    @property
    def scopes(self):
        """The token's scopes as a ``frozenset`` (from the last refresh's answer, if any), or ``None``: not known."""
        refreshed = self._tokens.granted_scope
        if refreshed is None:
            return self._scopes
        try:
            return _scopes_module().granted_scopes(refreshed)
        except InvalidArgument:  # a scope text no request could carry: not known, rather than an error here
            return None

    @scopes.setter
    def scopes(self, scopes):
        self._scopes = None if scopes is None else _scopes_module().granted_scopes(scopes)
        self._tokens.granted_scope = None  # what the application says now outranks an older refresh

    def __repr__(self):
        return '<patreon.API base_url={!r}>'.format(self.transport.base_url)

    def __getattr__(self, name):
        # Only names the class lacks come here: the methods of patreon 0.5.0 (API v1) say what replaced them.
        replacement = _V1_METHODS.get(name)
        if replacement is not None:
            raise V1MethodRemoved(
                'API.{}() was a method of patreon 0.5.0, for Patreon\'s API v1, which Patreon discontinued: use '
                'API.{} instead (see "Moving from 0.5.0 (API v1)" in the README)'.format(name, replacement),
                name=name, replacement=replacement.split('(', 1)[0])
        raise AttributeError('{!r} object has no attribute {!r}'.format(type(self).__name__, name))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Close the connections of the session this client made.

        Usage::

            with patreon.API(access_token) as api:  # close() is called on leaving the block
                user = api.get_identity().data()
        """
        self.transport.close()

    # Routes of 0.5.1

    def get_identity(self, includes=None, fields=None):
        """``GET identity``: the user the token belongs to.

        Usage::

            user = api.get_identity(includes=['memberships'], fields={'user': ['full_name', 'email']}).data()
            memberships = user.relationship('memberships')
        """
        return self._get_resource('identity', includes, fields)

    def get_campaigns(self, page_size, cursor=None, includes=None, fields=None):
        """``GET campaigns``: the campaigns of the token's user.

        Usage::

            page = api.get_campaigns(10, fields={'campaign': ['creation_name', 'patron_count']})
            campaign_ids = [campaign.id() for campaign in page.data()]
        """
        return self._get_collection('campaigns', page_size, cursor, includes, fields)

    def get_campaigns_by_id(self, resource_id, includes=None, fields=None):
        """``GET campaigns/{id}``.

        Usage::

            campaign = api.get_campaigns_by_id(campaign_id, includes=['tiers'], fields={'tier': ['title']}).data()
            tiers = campaign.relationship('tiers')
        """
        return self._get_resource(_path('campaigns', resource_id), includes, fields)

    def get_campaigns_by_id_members(self, resource_id, page_size, cursor=None, includes=None, fields=None):
        """``GET campaigns/{id}/members``: one page of a campaign's members.

        Usage::

            page = api.get_campaigns_by_id_members(campaign_id, 100, includes=['user'],
                                                   fields={'member': ['full_name', 'patron_status']})
            names = [member.attribute('full_name') for member in page.data()]  # all pages: see paginate()
        """
        return self._get_collection(_path('campaigns', resource_id, 'members'), page_size, cursor,
                                    includes, fields)

    def get_members_by_id(self, resource_id, includes=None, fields=None):
        """``GET members/{id}``.

        Usage::

            doc = api.get_members_by_id(member_id, includes=['currently_entitled_tiers'],
                                        fields={'member': ['patron_status', 'currently_entitled_amount_cents']})
            status = doc.data().attribute('patron_status')
        """
        return self._get_resource(_path('members', resource_id), includes, fields)

    def get_webhooks(self, page_size, cursor=None, includes=None, fields=None):
        """``GET webhooks``: the webhooks of the token's client.

        Usage::

            for hook in api.get_webhooks(10, fields={'webhook': ['uri', 'triggers', 'paused']}).data():
                print(hook.id(), hook.attribute('uri'))
        """
        return self._get_collection('webhooks', page_size, cursor, includes, fields)

    def get_webhooks_by_id(self, resource_id, includes=None, fields=None):
        """``GET webhooks/{id}``.

        Usage::

            doc = api.get_webhooks_by_id(webhook_id, fields={'webhook': ['paused', 'num_consecutive_times_failed']})
            failures = doc.data().attribute('num_consecutive_times_failed')
        """
        return self._get_resource(_path('webhooks', resource_id), includes, fields)

    # Routes beyond 0.5.1

    def get_campaigns_by_id_posts(self, resource_id, page_size, cursor=None, includes=None, fields=None):
        """``GET campaigns/{id}/posts``: one page of a campaign's posts.

        Usage::

            page = api.get_campaigns_by_id_posts(campaign_id, 20, fields={'post': ['title', 'published_at']})
            titles = [post.attribute('title') for post in page.data()]
        """
        return self._get_collection(_path('campaigns', resource_id, 'posts'), page_size, cursor,
                                    includes, fields)

    def get_posts_by_id(self, resource_id, includes=None, fields=None):
        """``GET posts/{id}``.

        Usage::

            post = api.get_posts_by_id(post_id, fields={'post': ['title', 'url', 'is_public']}).data()
        """
        return self._get_resource(_path('posts', resource_id), includes, fields)

    def create_webhook(self, campaign_id, uri, triggers):
        """``POST webhooks``: the answer holds the new webhook's ``secret``.

        Usage::

            from patreon import webhooks

            hook = api.create_webhook(campaign_id, 'https://example.org/hooks/patreon',
                                      [webhooks.MEMBERS_PLEDGE_CREATE]).data()
            store(hook.id(), hook.attribute('secret'))
        """
        return self._send_document('POST', 'webhooks', {'data': {
            'type': 'webhook',
            'attributes': {'triggers': _triggers(triggers), 'uri': checked_text(uri, 'uri')},
            'relationships': {'campaign': {'data': {
                'type': 'campaign', 'id': clean_resource_id(campaign_id, 'the campaign relationship')}}},
        }})

    def update_webhook(self, webhook_id, uri=None, triggers=None, paused=None):
        """``PATCH webhooks/{id}``, sending only what is given.

        ``paused=False`` is sent: it makes Patreon replay the events it queued.

        Usage::

            api.update_webhook(webhook_id, paused=False)  # resume; Patreon sends what it queued
            api.update_webhook(webhook_id, triggers=[webhooks.MEMBERS_CREATE, webhooks.MEMBERS_DELETE])
        """
        attributes = {}
        if uri is not None:
            attributes['uri'] = checked_text(uri, 'uri')
        if triggers is not None:
            attributes['triggers'] = _triggers(triggers)
        if paused is not None:
            attributes['paused'] = checked_bool(paused, 'paused')  # bool('false') would pause it
        return self._send_document('PATCH', _path('webhooks', webhook_id), {'data': {
            'id': clean_resource_id(webhook_id, 'webhooks/{id}'), 'type': 'webhook', 'attributes': attributes}})

    def delete_webhook(self, webhook_id):
        """``DELETE webhooks/{id}``; ``None`` when Patreon answers 204.

        Usage::

            api.delete_webhook(webhook_id)
        """
        return self._call('DELETE', _path('webhooks', webhook_id))

    # Lives (early access: Patreon says they may change)

    def get_lives_by_id(self, resource_id, includes=None, fields=None):
        """``GET lives/{id}`` (scope ``campaigns.lives``).

        ``stream_key`` and ``rtmp_url`` (which may embed the key) are credentials: ask for them only when
        needed, and keep them out of logs.

        Usage::

            live = api.get_lives_by_id(live_id, fields={'live': ['title', 'state', 'scheduled_for']}).data()
            live.attribute('state')  # 'pre_live', 'live' or 'live_ended'
        """
        return self._get_resource(_path('lives', resource_id), includes, fields)

    def create_live(self, state='pre_live', title=None, description=None, scheduled_for=None,
                    live_access_rule_ids=None):
        """``POST lives`` (scope ``w:campaigns.lives``), sending only what is given.

        :param state: ``'pre_live'``, ``'live'`` or ``'live_ended'``.
        :param scheduled_for: a :class:`datetime.datetime` (sent as ISO 8601 UTC; a naive one is taken as
            UTC), or ISO 8601 text sent as given.
        :param live_access_rule_ids: ids of the campaign's ``live-access-rule`` resources (who may watch).
        :raises patreon.exceptions.InvalidArgument: an unknown state, or a value that cannot be sent.

        Usage::

            import datetime

            live = api.create_live(title='Studio session', scheduled_for=datetime.datetime(2026, 5, 1, 18, 0),
                                   live_access_rule_ids=[rule_id]).data()
            stream_key = live.attribute('stream_key')  # a credential: never log it
        """
        attributes = {'state': _live_state(state)}
        if title is not None:
            attributes['title'] = checked_text(title, 'title')
        if description is not None:
            attributes['description'] = checked_text(description, 'description')
        if scheduled_for is not None:
            from .version_compatibility.utc_timezone import isoformat_utc  # here: a package and a module less to import
            attributes['scheduled_for'] = isoformat_utc(scheduled_for) if isinstance(
                scheduled_for, datetime.datetime) else checked_text(scheduled_for, 'scheduled_for')
        if live_access_rule_ids is not None:
            attributes['live_access_rule_ids'] = _resource_ids(live_access_rule_ids, 'live_access_rule_ids')
        return self._send_document('POST', 'lives', {'data': {'type': 'live', 'attributes': attributes}})

    def update_live(self, live_id, state):
        """``PATCH lives/{id}``: move a live on, ``'pre_live'`` -> ``'live'`` -> ``'live_ended'``.

        Patreon refuses any other transition (a 4xx: :class:`~patreon.exceptions.APIError`).

        Usage::

            api.update_live(live_id, 'live')
            api.update_live(live_id, 'live_ended')
        """
        return self._send_document('PATCH', _path('lives', live_id), {'data': {
            'id': clean_resource_id(live_id, 'lives/{id}'), 'type': 'live',
            'attributes': {'state': _live_state(state)}}})

    def delete_live(self, live_id):
        """``DELETE lives/{id}``; ``None`` when Patreon answers 204.

        Usage::

            api.delete_live(live_id)
        """
        return self._call('DELETE', _path('lives', live_id))

    # Pagination

    def paginate(self, method, *args, **kwargs):
        """Yield every resource of every page of a list route, or raise.

        Each resource resolves its relationships within its own page; only
        one page is held at a time.  Errors always raise here, whatever
        ``raise_errors`` says.  A resource that a page repeats from the page
        before is not yielded again (a listing that restarts under fresh
        cursors may repeat others before it raises); the walk ends on the page whose next
        cursor is null, or raises (see :mod:`patreon.pagination`).

        Usage::

            for member in api.paginate(api.get_campaigns_by_id_members, campaign_id,
                                       page_size=1000, includes=['user']):
                print(member.relationship('user').id())

        :param method: a list method of this client, e.g. :meth:`get_campaigns_by_id_members`;
            the other arguments are its own (``cursor=`` names the first page).
        :param prefetch: ``True`` fetches the next page on a thread while the
            caller works on this one (see :func:`patreon.pagination.prefetched`):
            the same resources, in the same order, errors raised at the same
            place; two pages in memory at most.  Pacing, budgets and timeouts
            apply as without it.
        :raises patreon.exceptions.PaginationError: a next pointer that cannot be
            followed, a cursor that repeats,
            :data:`~patreon.pagination.MAX_STALLED_PAGES` pages in a row with nothing new, or as many pages in
            all that repeat the first (or a checkpoint) page whole: a listing that cycles under fresh cursors.
        :raises patreon.exceptions.InvalidResponse: a page that is not a page of resources.
        :raises patreon.exceptions.APIError: a page answered with an error.
        :raises patreon.exceptions.InvalidArgument: ``method`` is not a list route (it takes no ``cursor``, as
            :meth:`get_identity`), before any request.
        """
        for page in self.paginate_pages(method, *args, **kwargs):
            data = page.data()
            for resource in data if isinstance(data, list) else [data] if data is not None else []:
                yield resource

    def paginate_pages(self, method, *args, **kwargs):
        """Yield every page (a :class:`~patreon.jsonapi.parser.JSONAPIParser`) of a list route, checked whole.

        Each page's ``meta.pagination.total`` tells how many resources there
        are in all.  A page that repeats resources of the page before comes
        without them in its ``data``.  Raises as :meth:`paginate` does.

        Usage::

            for page in api.paginate_pages(api.get_campaigns_by_id_members, campaign_id, page_size=500,
                                           prefetch=True):
                save_members(page.data())  # the next page is on its way meanwhile
        """
        prefetch = checked_bool(kwargs.pop('prefetch', False), 'prefetch')
        if not callable(method):
            raise InvalidArgument('paginate needs a list method of the client (e.g. api.get_campaigns), not {}'.format(
                type(method).__name__))
        takes_cursor = _takes_cursor(method)
        if takes_cursor is False:  # a single resource's route: "paginating" it would hide the mistake
            raise InvalidArgument('paginate needs a list route, one that takes a cursor (e.g. api.get_campaigns); '
                                  '{} is not one: call it directly'.format(getattr(method, '__name__', 'this method')))
        first_cursor = kwargs.pop('cursor', None)

        def fetch_page(cursor):
            page = method(*args, **kwargs) if cursor is None else method(*args, cursor=cursor, **kwargs)
            if isinstance(page, ErrorDocument):
                raise page.error
            if not isinstance(page, JSONAPIParser):
                raise PaginationError('{} returned {}, not a page of the API'.format(
                    getattr(method, '__name__', 'the method'), type(page).__name__))
            return page

        from .pagination import iterate_pages, prefetched  # on first use: `import patreon` leaves it out
        pages = iterate_pages(fetch_page, first_cursor, list_route=takes_cursor)
        return prefetched(pages) if prefetch else pages

    @staticmethod
    def extract_cursor(jsonapi_document, cursor_path=_DEFAULT_CURSOR_PATH):
        """The ``page[cursor]`` of the link at ``cursor_path``; at the end of a listing, what 0.5.1 gave there.

        Everything but one case is what 0.5.1 did with the same input:

        - a link (a string) at the path: its first ``page[cursor]``, or
          ``None`` when it has none;
        - ``None`` when the value at the path is null, empty or missing at
          its last key (``{'links': {'next': None}}``, ``{'links': {}}``);
        - ``Exception('Provided cursor path did not result in a link',
          value)``, of type exactly ``Exception``, when the walk ends on a
          truthy value that is not a string: a non-string link, or the object
          that lacks a key before the last one.  Patreon's last members page
          has no ``links`` at all, so there this raises, as 0.5.1 did, and
          loops written for 0.5.1 end on it (``except Exception: break``).

        The one case that differs: with the default path, where the link
        gives no cursor but ``meta.pagination.cursors.next`` holds one (a page
        with a next page but without ``links.next``), that cursor is returned
        (0.5.1 ended the listing there, dropping the members after it).
        :meth:`paginate` needs none of this: it ends on the last page.

        :param jsonapi_document: a :class:`~patreon.jsonapi.parser.JSONAPIParser` or a dict.
        :param cursor_path: a dotted path of keys (``None`` walks nothing, as in 0.5.1).
        :returns: the cursor (text), or ``None``.
        :raises Exception: the end of a listing, or a path that ends on no link (above).
        :raises patreon.exceptions.PaginationError: a link that cannot be parsed
            or whose cursor is not UTF-8 text; with the default path, a
            ``meta.pagination.cursors.next`` that is neither null nor a non-empty string.
        :raises patreon.exceptions.InvalidArgument: ``cursor_path`` that is not a string or ``None``.

        Usage::

            cursor = None
            while True:
                page = api.get_campaigns_by_id_members(campaign_id, 100, cursor=cursor)
                save(page.data())
                try:
                    cursor = api.extract_cursor(page)
                except Exception:  # the last page: Patreon sends no links there
                    break
                if not cursor:
                    break
        """
        if cursor_path is not None and not isinstance(cursor_path, six.string_types):
            raise InvalidArgument('cursor_path must be a dotted path such as \'links.next\', not {}'.format(
                type(cursor_path).__name__))
        document = jsonapi_document.json_data if isinstance(jsonapi_document, JSONAPIParser) \
            else jsonapi_document
        from .pagination import NOT_A_LINK, checked_cursor, cursor_from_link, follow_path, link_at
        link, stray = link_at(document, cursor_path)
        cursor = cursor_from_link(link) if link else None
        if cursor is None and cursor_path == _DEFAULT_CURSOR_PATH:
            fallback = follow_path(document, _FALLBACK_CURSOR_PATH)
            if fallback is not None:
                return checked_cursor(fallback, _FALLBACK_CURSOR_PATH)
        if stray is not None:
            raise Exception(NOT_A_LINK, stray)  # exactly Exception, as 0.5.1 raised: loops compare the type
        return cursor

    # Shared request helpers: every route above is one of these.

    def _get_resource(self, path, includes, fields):
        include, field_lists = query_names(includes, fields)
        _known_names().check_names(include, field_lists, strict=self.strict_fields)
        return self._call('GET', url_with(path, include, field_lists))

    def _get_collection(self, path, page_size, cursor, includes, fields):
        query = [('page[count]', _page_size(page_size))]
        if cursor:
            query.append(('page[cursor]', _cursor_text(cursor)))
        return self._get_resource(path + '?' + encode_query(query), includes, fields)

    def _send_document(self, method, path, document):
        return self._call(method, path, json=document)

    def _call(self, method, path, **kwargs):
        forks.check()  # before any lock is taken: in a child of fork() on 2.7 and 3.6, they are replaced first
        from .stand_in import get_document, stand_in  # on the first call: `import patreon` leaves it out
        replaced = stand_in(method) if method == 'GET' else None
        if replaced is not None:  # a test's mock, or the application's wrapper: 0.5.1 sent through it
            endpoint.check_destination(self.transport.base_url)
            return get_document(replaced, self.transport.url(API_ROOT + path), self.access_token,
                                app_user_agent(self.user_agent, self.transport.session))
        tokens = self._tokens
        tokens.save_unsaved()  # tokens a failed save to the token store left behind
        tokens.before_call()  # a token that expires soon is refreshed first
        if tokens.undelivered:
            tokens.deliver()  # left behind by a callback that raised while others waited
        _raise_save_failure(tokens)
        first_token, refreshes = tokens.snapshot()
        token = first_token
        response = self._send(method, path, token, kwargs)
        failure = route = None
        # Twice at most: tokens taken over from the token store may have expired too, and then one refresh helps.
        for _ in range(2):
            if response.status_code != 401:
                break
            route = route or route_of(method, path)
            retry, failure = tokens.after_401(token, refreshes, route)
            tokens.deliver()  # outside the refresh lock: the callback may call this client
            _raise_save_failure(tokens)
            if not retry:
                break
            token, refreshes = tokens.snapshot()
            response = self._send(method, path, token, kwargs)
        if response.status_code == 401 or tokens.wants_answer(token):
            failure = tokens.judge(token, response.status_code, route or route_of(method, path)) or failure
        try:
            result = api_result(response, self.raise_errors, secrets=(first_token, token, tokens.refresh_token),
                                document_expected=method != 'DELETE')  # only a DELETE may answer 204
        except PatreonError as error:
            _explain_lacking(error, method, path, self.scopes)
            if failure is None:
                raise
            six.raise_from(explained(error, failure), failure.error)
        if isinstance(result, ErrorDocument):
            _explain_lacking(result.error, method, path, self.scopes)
            if failure is not None:
                explained(result.error, failure)
        return result

    def _send(self, method, path, token, kwargs):
        # Never redirected: requests would carry the token to a same-host Location, and a redirect is no answer.
        response = self.transport.request(method, API_ROOT + path, headers=self._headers(token),
                                          allow_redirects=False, **kwargs)
        if 300 <= response.status_code < 400:
            response.close()
            location = urlsplit(response.headers.get('Location') or '')
            raise InvalidResponse(
                'Patreon answered {} {} to {} {}, a redirect{}; the client never follows one, as it could carry the '
                'access token elsewhere'.format(
                    response.status_code, reason_phrase(response, (token,)), method, path.split('?', 1)[0],
                    ' to {}://{}'.format(location.scheme, location.hostname) if location.hostname else ''),
                status_code=response.status_code, response=response)
        return response

    def _headers(self, token):
        return {'Authorization': 'Bearer {}'.format(token),
                'User-Agent': app_user_agent(self.user_agent, self.transport.session)}

def _raise_save_failure(tokens):
    """Raise the TokenStoreError of a refresh whose new tokens the store could not keep (they are in use)."""
    failure = tokens.take_save_failure()
    if failure is not None:
        raise failure


def _pacer(rate_limit, base_url, owner, store=None):
    """The pacer ``rate_limit`` asks for: ``None``, the one given, or the store's (else the process's) for ``owner``."""
    if rate_limit is None or isinstance(rate_limit, Pacer) or callable(getattr(rate_limit, 'acquire', None)):
        return rate_limit
    if callable(getattr(store, 'shared_pacer', None)):  # a store shared by processes paces them together
        return store.shared_pacer(base_url, owner, rate_limit)
    return shared_pacer(base_url, owner, rate_limit)


def _budget(limit, base_url, store=None):
    """The 4xx budget ``max_4xx_per_10_minutes`` asks for: ``None``, the one given, or the store's or process's."""
    if limit is None or isinstance(limit, RequestBudget):
        return limit
    if callable(getattr(store, 'shared_budget', None)):
        return store.shared_budget(base_url, limit)
    return shared_budget(base_url, limit)


def _token_key(store, access_token):
    """What the per-token pacer is keyed by: a shared store's token set (it outlives refreshes), else the token."""
    key = getattr(store, 'token_key', None)
    return key if isinstance(key, six.string_types) else (access_token or '')


def _path(*segments):
    # Ids are stripped, checked (no dot segment) and quoted, so that an id can never reach another route.
    where = '/'.join('{id}' if index % 2 else segment for index, segment in enumerate(segments))
    return '/'.join(quote(clean_resource_id(segment, where).encode('utf-8'), safe='') for segment in segments)


def _cursor_text(cursor):
    if isinstance(cursor, datetime.datetime):
        from .version_compatibility.utc_timezone import isoformat_utc  # here: a package and a module less to import
        return isoformat_utc(cursor)
    if isinstance(cursor, six.text_type):
        return checked_text(cursor, 'cursor')
    return cursor  # as 0.5.1 did: any other cursor is sent as given


def _page_size(page_size):
    """``page_size`` as a whole number above 0 (a string of digits, as 0.5.1 sent it, too), or InvalidArgument."""
    if isinstance(page_size, six.string_types) and re.match(r'^[0-9]{1,18}$', page_size.strip()):
        page_size = int(page_size)  # 18 digits at most: int() of thousands raises on Python 3.11+
    if isinstance(page_size, bool) or not isinstance(page_size, six.integer_types) or page_size < 1:
        raise InvalidArgument('page_size must be a whole number above 0, not {}'.format(
            page_size if isinstance(page_size, six.integer_types) and not isinstance(page_size, bool)
            else type(page_size).__name__))
    return page_size


def _takes_cursor(method):
    """``True`` when ``method`` has a ``cursor`` parameter, as every list route does; ``False`` when it can take
    none (no ``cursor``, no ``**kwargs``); ``None`` when that cannot be told (``**kwargs``, no readable signature)."""
    import inspect  # here, not at the top: it costs ~3 ms of import, and only paginate() needs it
    try:
        if six.PY2:  # pragma: no cover - Python 2 has no inspect.signature
            spec = inspect.getargspec(method)
            names, any_keyword = spec.args, spec.keywords is not None
        else:
            parameters = inspect.signature(method).parameters
            names = parameters
            any_keyword = any(parameter.kind == parameter.VAR_KEYWORD for parameter in parameters.values())
    except (TypeError, ValueError):  # a callable object or builtin without a readable signature
        return None
    if 'cursor' in names:
        return True
    return None if any_keyword else False


# The states of a live, as patreon.schemas.live.STATES (not imported from there: `import patreon` loads no schema).
LIVE_STATES = ('pre_live', 'live', 'live_ended')
# The methods of patreon 0.5.0 (API v1) -> what replaced them.
_V1_METHODS = {
    'fetch_user': 'get_identity(includes=..., fields=...)',
    'fetch_campaign': 'get_campaigns(page_size, includes=..., fields=...)',
    'fetch_campaign_and_patrons': 'get_campaigns(...) and paginate(api.get_campaigns_by_id_members, campaign_id, ...)',
    'fetch_page_of_pledges': 'get_campaigns_by_id_members(campaign_id, page_size, cursor=..., includes=..., '
                             'fields=...)',
}


def _live_state(state):
    """``state`` if it is a state of a live, else InvalidArgument naming the states."""
    text = checked_text(state, 'state')
    if text not in LIVE_STATES:
        raise InvalidArgument('state must be one of {}'.format(', '.join(LIVE_STATES)))
    return text


def _resource_ids(ids, param):
    """A list of checked resource ids (one id alone is a list of one), or InvalidArgument naming ``param``."""
    if isinstance(ids, (six.text_type, bytes) + six.integer_types) and not isinstance(ids, bool):
        ids = [ids]
    if ids is None or isinstance(ids, dict):
        raise InvalidArgument('{} must be a list of ids, not {}'.format(param, type(ids).__name__))
    try:
        items = list(ids)
    except TypeError:
        raise InvalidArgument('{} must be a list of ids, not {}'.format(param, type(ids).__name__))
    return [clean_resource_id(item, param) for item in items]


def _triggers(triggers):
    """Webhook triggers (a list of names, or one name) as a list of text, or InvalidArgument naming ``triggers``."""
    if isinstance(triggers, (six.text_type, bytes)):
        return [checked_text(triggers, 'triggers')]
    if triggers is None or isinstance(triggers, dict):
        raise InvalidArgument('triggers must be a list of trigger names, not {}'.format(type(triggers).__name__))
    try:
        names = list(triggers)
    except TypeError:
        raise InvalidArgument('triggers must be a list of trigger names, not {}'.format(type(triggers).__name__))
    return [checked_text(name, 'triggers') for name in names]
