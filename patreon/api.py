"""The API v2 client: one method per route.

Usage::

    import patreon

    api = patreon.API(access_token)
    campaign = api.get_campaigns(10).data()[0]
    for member in api.paginate(api.get_campaigns_by_id_members, campaign.id(), page_size=1000,
                               includes=['user'], fields={'member': ['full_name']}):
        print(member.attribute('full_name'))
"""
import collections
import datetime
import logging

import six

from . import _destination, _forks
from ._credentials import check_user_agent, clean_resource_id
from ._routes import LIVE_STATES, ROUTES
from .exceptions import InvalidArgument, InvalidResponse, PaginationError, PatreonError, V1MethodRemoved
from .jsonapi.parser import JSONAPIParser
from ._query import (checked_bool, checked_count, checked_list, checked_text, encode_query, names_text,
                     query_names, quote, url_with, urlsplit)
from .policies import DEFAULT_TIMEOUT
from .pacing import DEFAULT_TOKEN_RATE_LIMIT, Pacer, PacerChain, RequestBudget, shared_budget, shared_pacer
from ._refresh import TokenRefresh
from ._refresh_failure import explained, route_of
from ._responses import ErrorDocument, api_result, reason_phrase
from ._transport import DEFAULT_LIMITS, DEFAULT_RETRY, Transport, limits_policy
from .endpoint import DEFAULT_BASE_URL
from .utils import app_user_agent

__all__ = ['API', 'ErrorDocument', 'API_ROOT', 'LIVE_STATES']

_logger = logging.getLogger(__name__)

API_ROOT = '/api/oauth2/v2/'
_DEFAULT_CURSOR_PATH = 'links.next'
_FALLBACK_CURSOR_PATH = 'meta.pagination.cursors.next'



# Loaded on first use, so that `import patreon` stays light: the schemas that field names are checked against, and
# the scope tables that explain a 401 or 403.
def _known_names():
    from .jsonapi import _known_names
    return _known_names


def _scopes_module():
    from . import scopes
    return scopes


def _explain_lacking(error, method, path, granted):
    if getattr(error, 'status_code', None) in (401, 403):
        from ._scope_notes import explain_lacking
        explain_lacking(error, method, path, granted)


class API(object):
    """A client of Patreon's API v2 for one access token; safe to share across threads.

    Each route method returns a :class:`~patreon.jsonapi.parser.JSONAPIParser`, or Patreon's errors document (a
    dict) when the response has ``errors``; with ``raise_errors=True`` an
    :class:`~patreon.exceptions.APIError` is raised instead.

    :param access_token: the OAuth access token (``None`` with a ``token_store`` that holds one).
    :param session: a :class:`requests.Session` to send through; one is made by default.
    :param timeout: a :class:`patreon.Timeout` (connect, read, total), or seconds, or ``(connect, read)``.
    :param base_url: where Patreon is; point it at a :class:`patreon.sandbox.Sandbox` in tests.
    :param raise_errors: raise instead of returning errors documents.
    :param retry: a :class:`patreon.RetryPolicy`, a number of retries, or ``None``: never retry.
    :param refresh: a :class:`patreon.RefreshPolicy`: refresh the tokens after a 401 or before they expire.
    :param limits: a :class:`patreon.Limits` (pacing, 4xx budget), or ``None``: no limits.
    :param refresh_token: the refresh token that goes with ``access_token``.
    :param expires_at: when ``access_token`` expires, in epoch seconds, or ``None``.
    :param token_store: a :class:`patreon.tokens.TokenStore` the tokens are read from and saved to; every refresh
        runs under its lock, and a store shared by processes (:mod:`patreon.stores`) shares the limits too.
    :param scopes: the scopes the token was granted (the token response's ``scope``, or a list), so that a 401 or
        403 names the scopes missing; ``None``: not known.
    :param strict_fields: a field or include unknown to :mod:`patreon.schemas` raises
        :class:`~patreon.exceptions.UnknownFieldError` instead of warning.
    :param user_agent: the app's name, sent first in ``User-Agent`` (Patreon asks apps to name themselves).
    :raises patreon.exceptions.InvalidCredential: an empty token, or one with a control or non-ASCII character.
    :raises patreon.exceptions.InvalidArgument: a setting of the wrong kind or out of range.

    Usage::

        api = patreon.API(access_token, raise_errors=True, retry=patreon.RetryPolicy(max_retries=5),
                          timeout=patreon.Timeout(total=60))
        user = api.get_identity(fields={'user': ['full_name']}).data()
    """

    def __init__(self, access_token, session=None, timeout=DEFAULT_TIMEOUT, base_url=DEFAULT_BASE_URL,
                 raise_errors=False, retry=DEFAULT_RETRY, refresh=None, limits=DEFAULT_LIMITS, refresh_token=None,
                 expires_at=None, token_store=None, scopes=None, strict_fields=False, user_agent=None):
        self.user_agent = check_user_agent(user_agent)
        self._tokens = TokenRefresh(access_token, refresh_token, refresh, expires_at=expires_at,
                                    token_store=token_store)
        self.scopes = scopes
        self.raise_errors = checked_bool(raise_errors, 'raise_errors')
        self.strict_fields = checked_bool(strict_fields, 'strict_fields')
        self.limits = limits_policy(limits)
        self.transport = Transport(base_url, session=session, timeout=timeout, retry=retry)
        base_url = self.transport.base_url
        token_rate = self.limits.token_rate
        if token_rate == 'auto':
            token_rate = DEFAULT_TOKEN_RATE_LIMIT if isinstance(self.limits.rate, tuple) \
                and callable(getattr(token_store, 'shared_pacer', None)) else None
        oauth_client = self._tokens.oauth_client
        pacers = [_pacer(token_rate, base_url, 'token ' + _token_key(token_store, self._tokens.access_token),
                         token_store),
                  _pacer(self.limits.rate, base_url,
                         getattr(oauth_client, 'client_id', None) or self._tokens.access_token, token_store)]
        pacers = [pacer for pacer in pacers if pacer is not None]
        self.transport.pacer = (pacers[0] if len(pacers) == 1 else PacerChain(pacers)) if pacers else None
        self.transport.budget = _budget(self.limits.max_4xx_per_10_minutes, base_url, token_store)

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
                'API.{} instead (see "Moving from 0.5.0 (API v1)" in docs/migrating.md)'.format(name, replacement),
                name=name, replacement=replacement.split('(', 1)[0])
        raise AttributeError('{!r} object has no attribute {!r}'.format(type(self).__name__, name))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Close the connections of the session this client made."""
        self.transport.close()

    # Routes of 0.5.1

    def get_identity(self, includes=None, fields=None):
        """``GET identity``: the user the token belongs to.

        Usage::

            user = api.get_identity(includes=['memberships'], fields={'user': ['full_name', 'email']}).data()
            memberships = user.relationship('memberships')
        """
        return self._route_call('get_identity', (), includes, fields)

    def get_campaigns(self, page_size, cursor=None, includes=None, fields=None):
        """``GET campaigns``: the campaigns of the token's user."""
        return self._route_call('get_campaigns', (), includes, fields, page_size, cursor)

    def get_campaigns_by_id(self, resource_id, includes=None, fields=None):
        """``GET campaigns/{id}``."""
        return self._route_call('get_campaigns_by_id', (resource_id,), includes, fields)

    def get_campaigns_by_id_members(self, resource_id, page_size, cursor=None, includes=None, fields=None):
        """``GET campaigns/{id}/members``: one page of a campaign's members.

        Usage::

            page = api.get_campaigns_by_id_members(campaign_id, 100, includes=['user'],
                                                   fields={'member': ['full_name', 'patron_status']})
            names = [member.attribute('full_name') for member in page.data()]  # all pages: see paginate()
        """
        return self._route_call('get_campaigns_by_id_members', (resource_id,), includes, fields, page_size, cursor)

    def get_members_by_id(self, resource_id, includes=None, fields=None):
        """``GET members/{id}``."""
        return self._route_call('get_members_by_id', (resource_id,), includes, fields)

    def get_webhooks(self, page_size, cursor=None, includes=None, fields=None):
        """``GET webhooks``: the webhooks of the token's client."""
        return self._route_call('get_webhooks', (), includes, fields, page_size, cursor)

    def get_webhooks_by_id(self, resource_id, includes=None, fields=None):
        """``GET webhooks/{id}``."""
        return self._route_call('get_webhooks_by_id', (resource_id,), includes, fields)

    # Routes beyond 0.5.1

    def get_campaigns_by_id_posts(self, resource_id, page_size, cursor=None, includes=None, fields=None):
        """``GET campaigns/{id}/posts``: one page of a campaign's posts."""
        return self._route_call('get_campaigns_by_id_posts', (resource_id,), includes, fields, page_size, cursor)

    def get_posts_by_id(self, resource_id, includes=None, fields=None):
        """``GET posts/{id}``."""
        return self._route_call('get_posts_by_id', (resource_id,), includes, fields)

    def create_webhook(self, campaign_id, uri, triggers):
        """``POST webhooks``: the answer holds the new webhook's ``secret``.

        Usage::

            from patreon import webhooks

            hook = api.create_webhook(campaign_id, 'https://example.org/hooks/patreon',
                                      [webhooks.MEMBERS_PLEDGE_CREATE]).data()
            store(hook.id(), hook.attribute('secret'))
        """
        return self._route_call('create_webhook', document={'data': {
            'type': 'webhook',
            'attributes': {'triggers': _triggers(triggers), 'uri': checked_text(uri, 'uri')},
            'relationships': {'campaign': {'data': {
                'type': 'campaign', 'id': clean_resource_id(campaign_id, 'the campaign relationship')}}},
        }})

    def update_webhook(self, webhook_id, uri=None, triggers=None, paused=None):
        """``PATCH webhooks/{id}``, sending only what is given.

        ``paused=False`` is sent: it makes Patreon replay the events it queued.
        """
        attributes = {}
        if uri is not None:
            attributes['uri'] = checked_text(uri, 'uri')
        if triggers is not None:
            attributes['triggers'] = _triggers(triggers)
        if paused is not None:
            attributes['paused'] = checked_bool(paused, 'paused')  # bool('false') would pause it
        webhook_id = clean_resource_id(webhook_id, 'webhooks/{id}')
        return self._route_call('update_webhook', (webhook_id,), document={'data': {
            'id': webhook_id, 'type': 'webhook', 'attributes': attributes}})

    def delete_webhook(self, webhook_id):
        """``DELETE webhooks/{id}``; ``None`` when Patreon answers 204."""
        return self._route_call('delete_webhook', (webhook_id,))

    # Lives (early access: Patreon says they may change)

    def get_lives_by_id(self, resource_id, includes=None, fields=None):
        """``GET lives/{id}`` (scope ``campaigns.lives``).

        ``stream_key`` and ``rtmp_url`` (which may embed the key) are credentials: ask for them only when
        needed, and keep them out of logs.
        """
        return self._route_call('get_lives_by_id', (resource_id,), includes, fields)

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
        return self._route_call('create_live', document={'data': {'type': 'live', 'attributes': attributes}})

    def update_live(self, live_id, state):
        """``PATCH lives/{id}``: move a live on, ``'pre_live'`` -> ``'live'`` -> ``'live_ended'``.

        Patreon refuses any other transition (a 4xx: :class:`~patreon.exceptions.APIError`).
        """
        live_id = clean_resource_id(live_id, 'lives/{id}')  # before the state, as the path was checked first
        return self._route_call('update_live', (live_id,), document={'data': {
            'id': live_id, 'type': 'live', 'attributes': {'state': _live_state(state)}}})

    def delete_live(self, live_id):
        """``DELETE lives/{id}``; ``None`` when Patreon answers 204."""
        return self._route_call('delete_live', (live_id,))

    # Pagination

    def paginate(self, method, *args, **kwargs):
        """Yield every resource of every page of a list route, or raise.

        Errors always raise here, whatever ``raise_errors`` says; a resource repeated from the page before is not
        yielded again (docs/pagination.md).

        Usage::

            for member in api.paginate(api.get_campaigns_by_id_members, campaign_id,
                                       page_size=1000, includes=['user']):
                print(member.relationship('user').id())

        ``prefetch=True`` (a keyword) fetches the next page on a thread while the caller works on this one.

        :param method: a list method of this client, e.g. :meth:`get_campaigns_by_id_members`;
            the other arguments are its own (``cursor=`` names the first page).
        :raises patreon.exceptions.PaginationError: a next pointer that cannot be
            followed, a cursor that repeats,
            :data:`~patreon.pagination.MAX_STALLED_PAGES` pages in a row with nothing new, or as many pages in
            all that repeat the first (or a checkpoint) page whole: a listing that cycles under fresh cursors.
        :raises patreon.exceptions.InvalidResponse: a page that is not a page of resources.
        :raises patreon.exceptions.APIError: a page answered with an error.
        :raises patreon.exceptions.InvalidArgument: ``method`` is not a list route (a route method declared as
            none, as :meth:`get_identity`; another callable that takes no ``cursor``), or a route method is given
            no ``page_size``, before any request.
        """
        for page in self.paginate_pages(method, *args, **kwargs):
            data = page.data()
            for resource in data if isinstance(data, list) else [data] if data is not None else []:
                yield resource

    def paginate_pages(self, method, *args, **kwargs):
        """Yield every page (a :class:`~patreon.jsonapi.parser.JSONAPIParser`) of a list route, checked whole.

        A page that repeats resources of the page before comes without them in its ``data``.  Raises as
        :meth:`paginate` does.
        """
        prefetch = checked_bool(kwargs.pop('prefetch', False), 'prefetch')
        if not callable(method):
            raise InvalidArgument('paginate needs a list method of the client (e.g. api.get_campaigns), not {}'.format(
                type(method).__name__))
        route = _declared_route(method)
        takes_cursor = route.pages if route is not None else _takes_cursor(method)
        if takes_cursor is False:  # a single resource's route: "paginating" it would hide the mistake
            raise InvalidArgument('paginate needs a list route, one that takes a cursor (e.g. api.get_campaigns); '
                                  '{} is not one: call it directly'.format(getattr(method, '__name__', 'this method')))
        if route is not None and route.pages:
            missing = _missing_arguments(method, args, kwargs)
            if 'page_size' in missing:
                raise InvalidArgument(_page_size_needed(route, kwargs.get('includes')))
            if missing:
                raise InvalidArgument('paginate({}, ...) needs {}'.format(route.name, ', '.join(missing)))
        first_cursor = kwargs.pop('cursor', None)

        def fetch_page(cursor):
            page = method(*args, **kwargs) if cursor is None else method(*args, cursor=cursor, **kwargs)
            if isinstance(page, ErrorDocument):
                raise page.error
            if not isinstance(page, JSONAPIParser):
                raise PaginationError('{} returned {}, not a page of the API'.format(
                    getattr(method, '__name__', 'the method'), type(page).__name__))
            return page

        from ._paging import iterate_pages, prefetched  # on first use: `import patreon` leaves it out
        pages = iterate_pages(fetch_page, first_cursor, list_route=takes_cursor)
        return prefetched(pages) if prefetch else pages

    @staticmethod
    def extract_cursor(jsonapi_document, cursor_path=_DEFAULT_CURSOR_PATH):
        """The ``page[cursor]`` of the link at ``cursor_path``; at the end of a listing, what 0.5.1 gave there.

        What 0.5.1 did with the same input, but that with the default path a page whose link gives no cursor
        returns ``meta.pagination.cursors.next`` (docs/pagination.md).  Prefer :meth:`paginate`.

        :param jsonapi_document: a :class:`~patreon.jsonapi.parser.JSONAPIParser` or a dict.
        :param cursor_path: a dotted path of keys (``None`` walks nothing, as in 0.5.1).
        :returns: the cursor (text), or ``None``.
        :raises Exception: exactly ``Exception('Provided cursor path did not result in a link', value)`` at the end
            of a listing (Patreon's last page has no ``links``), or when the path ends on a value that is no link.
        :raises patreon.exceptions.PaginationError: a link that cannot be parsed
            or whose cursor is not UTF-8 text; with the default path, a
            ``meta.pagination.cursors.next`` that is neither null nor a non-empty string.
        :raises patreon.exceptions.InvalidArgument: ``cursor_path`` that is not a string or ``None``.
        """
        if cursor_path is not None and not isinstance(cursor_path, six.string_types):
            raise InvalidArgument('cursor_path must be a dotted path such as \'links.next\', not {}'.format(
                type(cursor_path).__name__))
        document = jsonapi_document.json_data if isinstance(jsonapi_document, JSONAPIParser) \
            else jsonapi_document
        from ._paging import NOT_A_LINK, checked_cursor, cursor_from_link, follow_path, link_at
        link, stray = link_at(document, cursor_path)
        cursor = cursor_from_link(link) if link else None
        if cursor is None and cursor_path == _DEFAULT_CURSOR_PATH:
            fallback = follow_path(document, _FALLBACK_CURSOR_PATH)
            if fallback is not None:
                return checked_cursor(fallback, _FALLBACK_CURSOR_PATH)
        if stray is not None:
            raise Exception(NOT_A_LINK, stray)  # exactly Exception, as 0.5.1 raised: loops compare the type
        return cursor

    # The one request helper of every route above: the route's declaration says how to call it.

    def _route_call(self, name, ids=(), includes=None, fields=None, page_size=None, cursor=None, document=None):
        route = ROUTES[name]
        path = _path(route.path, ids)
        if route.method != 'GET':
            return self._call(route.method, path) if document is None else self._call(route.method, path,
                                                                                       json=document)
        if route.pages:
            query = [('page[count]', _page_size(page_size))]
            if cursor:
                query.append(('page[cursor]', _cursor_text(cursor)))
            path += '?' + encode_query(query)
        include, field_lists = query_names(includes, fields)
        _known_names().check_names(include, field_lists, strict=self.strict_fields, returns=route.returns)
        return self._call('GET', url_with(path, include, field_lists))

    def _call(self, method, path, **kwargs):
        _forks.check()  # before any lock is taken: in a child of fork() on 2.7 and 3.6, they are replaced first
        from ._stand_in import get_document, stand_in  # on the first call: `import patreon` leaves it out
        replaced = stand_in(method) if method == 'GET' else None
        if replaced is not None:  # a test's mock, or the application's wrapper: 0.5.1 sent through it
            _destination.check_destination(self.transport.base_url)
            return get_document(replaced, self.transport.url(API_ROOT + path), self.access_token,
                                app_user_agent(self.user_agent, self.transport.session))
        tokens = self._tokens
        tokens.save_unsaved()  # tokens a failed save to the token store left behind
        tokens.before_call()  # a token that expires soon is refreshed first
        if tokens.callbacks_pending:
            tokens.run_callbacks()  # left behind by a callback that raised while others waited
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
            tokens.run_callbacks()  # outside the refresh lock: the callback may call this client
            _raise_save_failure(tokens)
            if not retry:
                break
            token, refreshes = tokens.snapshot()
            response = self._send(method, path, token, kwargs)
        if response.status_code == 401 or tokens.records_responses_to(token):
            failure = tokens.record_response(token, response.status_code, route or route_of(method, path)) or failure
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
    """The pacer a rate asks for: ``None``, the one given, or the store's (else the process's) for ``owner``."""
    if rate_limit is None or isinstance(rate_limit, Pacer) or callable(getattr(rate_limit, 'acquire', None)):
        return rate_limit
    if callable(getattr(store, 'shared_pacer', None)):  # a store shared by processes paces them together
        return store.shared_pacer(base_url, owner, rate_limit)
    return shared_pacer(base_url, owner, rate_limit)


def _budget(limit, base_url, store=None):
    """The 4xx budget ``limit`` asks for: ``None``, the one given, or the store's or process's."""
    if limit is None or isinstance(limit, RequestBudget):
        return limit
    if callable(getattr(store, 'shared_budget', None)):
        return store.shared_budget(base_url, limit)
    return shared_budget(base_url, limit)


def _token_key(store, access_token):
    """What the per-token pacer is keyed by: a shared store's token set (it outlives refreshes), else the token."""
    key = getattr(store, 'token_key', None)
    return key if isinstance(key, six.string_types) else (access_token or '')


def _path(template, ids):
    # Ids are stripped, checked (no dot segment) and quoted, so that an id can never reach another route.
    ids = iter(ids)
    return '/'.join(quote(clean_resource_id(next(ids), template).encode('utf-8'), safe='') if segment == '{id}'
                    else segment for segment in template.split('/'))


def _cursor_text(cursor):
    if isinstance(cursor, datetime.datetime):
        from .version_compatibility.utc_timezone import isoformat_utc  # here: a package and a module less to import
        return isoformat_utc(cursor)
    if isinstance(cursor, six.text_type):
        return checked_text(cursor, 'cursor')
    return cursor  # as 0.5.1 did: any other cursor is sent as given


def _page_size(page_size):
    return checked_count(page_size, 'page_size')


def _declared_route(method):
    """The :data:`ROUTES` declaration ``method`` calls, when it is a route method of a client (a subclass's
    override too); else ``None``."""
    owner = getattr(method, '__self__', None)
    if isinstance(owner, API):
        for name, route in ROUTES.items():
            if getattr(owner, name, None) == method:
                return route
    return None


def _missing_arguments(method, args, kwargs):
    """The names of the parameters ``method`` requires that ``args`` and ``kwargs`` leave out (checked before the
    walk begins: the call itself would raise a bare TypeError at the first page); ``[]`` when it cannot be told."""
    # The method's own signature: a decorator that fills an argument in is what is called, not what it wraps.
    signature = _signature(method, follow_wrapped=False)
    if signature is None or signature.var_positional or signature.var_keyword:
        return []  # unreadable, or a wrapper: what it requires is not written here
    return [name for name in signature.required[len(args):] if name not in kwargs]


def _page_size_needed(route, includes):
    """Why a walk of ``route`` given no ``page_size`` is refused, and what to pass."""
    try:
        include = query_names(includes)[0] or ''
    except InvalidArgument:
        include = ''  # the includes are refused when the method is called, with their own message
    limit = route.page_limit(include.split(','))
    return 'paginate({}, ...) needs page_size=, the number of {}s per page ({})'.format(
        route.name, route.returns, 'at most {}'.format(limit) if limit else 'Patreon documents no largest page')


def _takes_cursor(method):
    """``True`` when ``method`` has a ``cursor`` parameter, as every list route does; ``False`` when it can take
    none (no ``cursor``, no ``**kwargs``); ``None`` when that cannot be told (``**kwargs``, no readable signature)."""
    signature = _signature(method)
    if signature is None:
        return None
    if 'cursor' in signature.names:
        return True
    return None if signature.var_keyword else False


_Signature = collections.namedtuple('_Signature', 'names required var_positional var_keyword')


def _signature(method, follow_wrapped=True):
    """The parameters ``method`` is called with (a bound method's ``self`` left out): their ``names``, those
    ``required`` in order, and whether it takes ``*args`` / ``**kwargs``; ``None`` with no readable signature."""
    import inspect  # here, not at the top: it costs ~3 ms of import, and only paginate() needs it
    try:
        if six.PY2:  # pragma: no cover - Python 2 has no inspect.signature
            spec = inspect.getargspec(method)
            names = spec.args[1:] if getattr(method, '__self__', None) is not None else spec.args
            return _Signature(names, names[:len(names) - len(spec.defaults or ())], spec.varargs is not None,
                              spec.keywords is not None)
        parameters = list(inspect.signature(method, follow_wrapped=follow_wrapped).parameters.values())
    except (TypeError, ValueError):  # a callable object or builtin without a readable signature
        return None
    kinds = set(parameter.kind for parameter in parameters)
    named = [parameter for parameter in parameters if parameter.kind not in (parameter.VAR_POSITIONAL,
                                                                             parameter.VAR_KEYWORD)]
    return _Signature([parameter.name for parameter in named],
                      [parameter.name for parameter in named if parameter.default is parameter.empty],
                      inspect.Parameter.VAR_POSITIONAL in kinds, inspect.Parameter.VAR_KEYWORD in kinds)


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
    ids = checked_list(ids, param, 'a list of ids', alone=(six.text_type, bytes) + six.integer_types)
    return [clean_resource_id(item, param) for item in ids]


def _triggers(triggers):
    """Webhook triggers (a list of names, or one comma-separated string, as ``includes`` take) as a list of text.

    :raises InvalidArgument: not a list of names, or a name that is no trigger Patreon sends (it would answer 400,
        and ``parse_webhook`` refuses such deliveries).
    """
    from .webhooks import ALL_TRIGGERS  # on first use: `import patreon` leaves it out
    names = checked_list(triggers, 'triggers', 'a list of trigger names', alone=(six.text_type, bytes))
    texts = [name for item in names for name in names_text(checked_text(item, 'triggers'), 'triggers',
                                                            empty='').split(',') if name]
    unknown = [name for name in texts if name not in ALL_TRIGGERS]
    if unknown or not texts:
        from .jsonapi._known_names import described
        raise InvalidArgument('triggers {}; known: {}'.format(
            'names {}, no trigger Patreon sends'.format(described(unknown, ALL_TRIGGERS)) if unknown
            else 'must name at least one trigger', ', '.join(ALL_TRIGGERS)))
    return texts
