"""The route table and the handlers of API v2 and OAuth, with Patreon's semantics.

:class:`Application` takes a :class:`~.messages.Request` and returns a
:class:`~.messages.Response`: it matches the route, applies injected faults and
rate limits, authenticates the bearer token, checks scopes and ownership
(401/403/404 as Patreon answers them) and renders JSON:API documents.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import logging
import time
import uuid
from collections import OrderedDict

import six
from six.moves import http_client
from six.moves.urllib.parse import unquote, urlsplit

from .. import _routes
from ..oauth import AUTHORIZE_PATH, BECOME_PATRON_PATH, TOKEN_PATH
from ._become_patron import become_patron
from ._control import CONTROL_PREFIX
from ._documents import DocumentError, Renderer, parse_fields, parse_include, request_data
from ._errors import APIError
from ._faults import field_fault_response
from ._live_routes import LiveRoutes
from ._messages import Response, html_response, json_response
from ._paging import Page
from ._resources import SELF_PATHS, View
from ._webhooks import TRIGGERS

logger = logging.getLogger(__name__)

API_PREFIX = '/api/oauth2/v2/'
DEFAULT_PAGE = 20


class Route(object):
    """A path pattern (``campaigns/{id}/members``), its handlers and the scope each needs, per method."""

    def __init__(self, pattern, handlers, scopes=None, prefix=API_PREFIX):
        self.pattern = pattern
        self.handlers = handlers
        self.scopes = scopes or {}
        self.prefix = prefix
        self.path = prefix + pattern
        self._segments = self.path.split('/')

    def match(self, path):
        """The ``{id}`` value (or '' when the pattern has none) if ``path`` fits, else None."""
        segments = path.split('/')
        if len(segments) != len(self._segments):
            return None
        found = ''
        for pattern, segment in zip(self._segments, segments):
            if pattern == '{id}' and segment:
                found = segment
            elif pattern != segment:
                return None
        return found


#: The handler (a method of :class:`Application`) of each route that :mod:`patreon._routes` declares.
HANDLERS = {
    'get_identity': 'get_identity',
    'get_campaigns': 'list_campaigns',
    'get_campaigns_by_id': 'get_campaign',
    'get_campaigns_by_id_members': 'list_members',
    'get_members_by_id': 'get_member',
    'get_campaigns_by_id_posts': 'list_posts',
    'get_posts_by_id': 'get_post',
    'get_webhooks': 'list_webhooks',
    'get_webhooks_by_id': 'get_webhook',
    'create_webhook': 'create_webhook',
    'update_webhook': 'update_webhook',
    'delete_webhook': 'delete_webhook',
    'get_lives_by_id': 'get_live',
    'create_live': 'create_live',
    'update_live': 'update_live',
    'delete_live': 'delete_live',
}


def _oauth_route(path, method, handler):
    """The route of one of the client's OAuth paths: its last segment is the name a fault targets (``'token'``)."""
    prefix, _, pattern = path.rpartition('/')
    return Route(pattern, {method: handler}, prefix=prefix + '/')


ROUTES = tuple(
    Route(pattern, dict((method, HANDLERS[route.name]) for method, route in methods.items()),
          dict((method, route.scope) for method, route in methods.items()))
    for pattern, methods in _routes.by_path().items()
) + (
    _oauth_route(TOKEN_PATH, 'POST', 'token'),
    _oauth_route(AUTHORIZE_PATH, 'GET', 'authorize'),
    _oauth_route(BECOME_PATRON_PATH, 'GET', 'become_patron'),
)
#: The route names that faults can target.
ROUTE_NAMES = tuple(route.pattern for route in ROUTES)


def match_route(path):
    """``(route, id)`` for ``path``, or ``(None, None)``."""
    path = path.rstrip('/') if path != '/' else path
    for route in ROUTES:
        found = route.match(path)
        if found is not None:
            return route, found
    return None, None


class Application(LiveRoutes):
    """Serves requests against one sandbox's world, OAuth server, webhooks and faults."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.world = sandbox.world
        self.lock = sandbox.lock
        self.oauth = sandbox.oauth
        self.hub = sandbox.hub

    # -- entry point ---------------------------------------------------------------------

    def handle(self, request):
        """Answer ``request``; every answer carries a fresh ``x-patreon-uuid``."""
        if request.path == CONTROL_PREFIX.rstrip('/') or request.path.startswith(CONTROL_PREFIX):
            return self.sandbox.control.handle(request)  # no faults, no rate limit: see _control.py
        route, resource_id = match_route(request.path)
        fault = self.sandbox.faults.take(route.pattern if route else None)
        response = self._faulty(fault) if fault else None
        request.stall = bool(fault and fault.kind == 'stall')
        if response is None:
            try:
                response = self._dispatch(request, route, resource_id)
            except APIError as error:
                response = error.response()
            except Exception:  # a sandbox bug: answer like Patreon's 500 rather than hang up
                logger.exception('sandbox: %s %s failed', request.method, request.path)
                response = APIError.internal_error().response()
        if fault and fault.kind == 'truncated':
            response.truncate = True
        if fault and fault.kind == 'trickle':
            response.trickle = (fault.options['chunk'], fault.options['interval'])
        response.headers.append(('x-patreon-uuid', '%s' % uuid.uuid4()))
        return response

    def _faulty(self, fault):
        """The answer an injected fault replaces the real one with (None: answer normally)."""
        options = fault.options
        if fault.kind == 'rate_limit':
            return APIError.throttled(options['retry_after'], options['header']).response()
        if fault.kind == 'server_error':
            status = options['status']
            phrase = http_client.responses[status]
            return html_response(status, '%d %s' % (status, phrase), phrase.capitalize())
        if fault.kind == 'reset':
            response = Response(None)
            response.reset = True
            return response
        if fault.kind == 'delay':
            time.sleep(options['seconds'])
        return field_fault_response(fault)

    def _dispatch(self, request, route, resource_id):
        if any(unquote(segment) in ('.', '..') for segment in request.path.split('/')):
            # Where a proxy resolves it, the request reaches another route than the one its client built.
            raise APIError.bad_request('The path %s holds a dot segment (. or ..), which is no id.' % request.path)
        if route is None:
            raise APIError.not_found('There is no route %s.' % request.path)
        handler = route.handlers.get(request.method)
        if handler is None:
            raise APIError.method_not_allowed(request.method, sorted(route.handlers))
        if route.prefix == API_PREFIX and ('[' in request.query or ']' in request.query):
            raise APIError.bad_request('Brackets in the query string must be percent-encoded '
                                       '(fields%5Bmember%5D, not fields[member]).')
        return getattr(self, handler)(request, resource_id, route)

    # -- helpers -------------------------------------------------------------------------

    def _authenticate(self, request, route):
        scheme, _, value = request.headers.get('Authorization', '').partition(' ')
        token = self.oauth.lookup(value.strip()) if scheme.lower() == 'bearer' else None
        if token is None:
            raise APIError.unauthorized()
        self._throttle(token.client_id)
        scope = route.scopes[request.method]
        if scope not in token.scopes:
            raise APIError.unauthorized("This request needs the scope '%s', which the access token "
                                        "was not granted." % scope)
        return token

    def _throttle(self, client_id):
        limiter = self.sandbox.rate_limiter
        retry_after = limiter.hit(client_id) if limiter and client_id else None
        if retry_after is not None:
            raise APIError.throttled(retry_after)

    def _view(self, token, identity=False):
        client = self.oauth.clients[token.client_id]
        return View(self.world, self.sandbox.url, token.user_id, token.scopes, client.campaign_id,
                    identity=identity)

    def _renderer(self, request, view, type_name):
        try:
            include = parse_include(request.param('include'), type_name)
        except DocumentError as error:
            raise APIError.bad_request('%s' % error, 'ParameterInvalidOnType')
        return Renderer(view, parse_fields(request.params), include)

    def _owned(self, records, resource_id, token, noun, owner_of):
        record = records.get(resource_id)
        if record is None:
            raise APIError.not_found('There is no %s with id %s.' % (noun, resource_id))
        if owner_of(record) != token.user_id:
            raise APIError.forbidden('This %s does not belong to the user of the access token.' % noun)
        return record

    def _campaign_owner(self, record):
        return self.world.campaigns[record.campaign_id].creator_id

    def _page_document(self, request, renderer, records_by_id, ids, maximum):
        page = Page.from_request(request, ids, DEFAULT_PAGE, maximum, stall=getattr(request, 'stall', False))
        records = [records_by_id[record_id] for record_id in page.ids]
        url = self.sandbox.url + request.path
        return renderer.document(records, many=True, meta=page.meta(), links=page.links(url, request))

    # -- identity and campaigns ----------------------------------------------------------

    def get_identity(self, request, _, route):
        token = self._authenticate(request, route)
        with self.lock:
            view = self._view(token, identity=True)
            user = self.world.users[token.user_id]
            links = OrderedDict([('self', view.api_url('user/%s' % user.id))])
            document = self._renderer(request, view, 'user').document(user, links=links)
        return json_response(200, document)

    def list_campaigns(self, request, _, route):
        token = self._authenticate(request, route)
        with self.lock:
            view = self._view(token)
            campaigns = [campaign for campaign in self.world.campaigns.values()
                         if campaign.creator_id == token.user_id]
            meta = OrderedDict([('pagination', OrderedDict([('total', len(campaigns))]))])
            document = self._renderer(request, view, 'campaign').document(campaigns, many=True, meta=meta)
        return json_response(200, document)

    def get_campaign(self, request, campaign_id, route):
        token = self._authenticate(request, route)
        with self.lock:
            view = self._view(token)
            campaign = self._owned(self.world.campaigns, campaign_id, token, 'campaign',
                                   lambda c: c.creator_id)
            links = OrderedDict([('self', view.api_url(SELF_PATHS[campaign.type] % campaign.id))])
            document = self._renderer(request, view, 'campaign').document(campaign, links=links)
        return json_response(200, document)

    # -- members -------------------------------------------------------------------------

    def list_members(self, request, campaign_id, route):
        token = self._authenticate(request, route)
        with self.lock:
            view = self._view(token)
            campaign = self._owned(self.world.campaigns, campaign_id, token, 'campaign',
                                   lambda c: c.creator_id)
            renderer = self._renderer(request, view, 'member')
            maximum = _routes.ROUTES['get_campaigns_by_id_members'].page_limit(renderer.include)
            document = self._page_document(request, renderer, self.world.members, campaign.member_ids,
                                           maximum)
        return json_response(200, document)

    def get_member(self, request, member_id, route):
        token = self._authenticate(request, route)
        with self.lock:
            view = self._view(token)
            member = self._owned(self.world.members, member_id, token, 'member', self._campaign_owner)
            links = OrderedDict([('self', view.api_url(SELF_PATHS[member.type] % member.id))])
            document = self._renderer(request, view, 'member').document(member, links=links)
        return json_response(200, document)

    # -- posts ---------------------------------------------------------------------------

    def list_posts(self, request, campaign_id, route):
        token = self._authenticate(request, route)
        with self.lock:
            view = self._view(token)
            campaign = self._owned(self.world.campaigns, campaign_id, token, 'campaign',
                                   lambda c: c.creator_id)
            renderer = self._renderer(request, view, 'post')
            document = self._page_document(request, renderer, self.world.posts, campaign.post_ids,
                                           _routes.ROUTES['get_campaigns_by_id_posts'].page_limit())
        return json_response(200, document)

    def get_post(self, request, post_id, route):
        token = self._authenticate(request, route)
        with self.lock:
            view = self._view(token)
            post = self._owned(self.world.posts, post_id, token, 'post', self._campaign_owner)
            links = OrderedDict([('self', view.api_url(SELF_PATHS[post.type] % post.id))])
            document = self._renderer(request, view, 'post').document(post, links=links)
        return json_response(200, document)

    # -- webhooks ------------------------------------------------------------------------

    def _own_webhook(self, token, webhook_id):
        with self.hub.state_lock:
            webhook = self.hub.webhooks.get(webhook_id)
        if webhook is None:
            raise APIError.not_found('There is no webhook with id %s.' % webhook_id)
        if webhook.client.id != token.client_id or self._campaign_owner(webhook) != token.user_id:
            raise APIError.forbidden('This webhook belongs to another client or campaign.')
        return webhook

    def _webhook_document(self, token, webhook, request=None):
        with self.lock, self.hub.state_lock:
            view = self._view(token)
            if request is None:
                return Renderer(view, all_fields=True).document(webhook)
            return self._renderer(request, view, 'webhook').document(webhook)

    def list_webhooks(self, request, _, route):
        token = self._authenticate(request, route)
        with self.lock, self.hub.state_lock:
            view = self._view(token)
            webhooks = [webhook for webhook in self.hub.webhooks.values()
                        if webhook.client.id == token.client_id
                        and self._campaign_owner(webhook) == token.user_id]
            meta = OrderedDict([('pagination', OrderedDict([('total', len(webhooks))]))])
            document = self._renderer(request, view, 'webhook').document(webhooks, many=True, meta=meta)
        return json_response(200, document)

    def get_webhook(self, request, webhook_id, route):
        token = self._authenticate(request, route)
        webhook = self._own_webhook(token, webhook_id)
        return json_response(200, self._webhook_document(token, webhook, request))

    def create_webhook(self, request, _, route):
        token = self._authenticate(request, route)
        data = request_data(request, 'webhook')
        attributes = data.get('attributes') or {}
        triggers = _triggers(attributes.get('triggers'))
        uri = _uri(attributes.get('uri'))
        try:
            campaign_id = data['relationships']['campaign']['data']['id']
        except (KeyError, TypeError):
            raise APIError.bad_request('relationships.campaign.data.id is required.')
        with self.lock:
            self._owned(self.world.campaigns, campaign_id, token, 'campaign', lambda c: c.creator_id)
        webhook = self.hub.create(campaign_id, self.oauth.clients[token.client_id], uri, triggers)
        return json_response(201, self._webhook_document(token, webhook))

    def update_webhook(self, request, webhook_id, route):
        token = self._authenticate(request, route)
        webhook = self._own_webhook(token, webhook_id)
        data = request_data(request, 'webhook')
        if '%s' % data.get('id', webhook.id) != webhook.id:
            raise APIError.bad_request('data.id does not match the webhook of the URL.')
        attributes = data.get('attributes') or {}
        changes = {}
        if 'triggers' in attributes:
            changes['triggers'] = _triggers(attributes['triggers'])
        if 'uri' in attributes:
            changes['uri'] = _uri(attributes['uri'])
        if 'paused' in attributes:
            if not isinstance(attributes['paused'], bool):
                raise APIError.bad_request('paused must be true or false.')
            changes['paused'] = attributes['paused']
        with self.hub.state_lock:
            for name, value in changes.items():
                setattr(webhook, name, value)
        if changes.get('paused') is False:
            self.hub.flush(webhook)
        return json_response(200, self._webhook_document(token, webhook))

    def delete_webhook(self, request, webhook_id, route):
        token = self._authenticate(request, route)
        self.hub.delete(self._own_webhook(token, webhook_id))
        return Response(204)

    # -- OAuth ---------------------------------------------------------------------------

    def token(self, request, _, route):
        self._throttle(self.oauth.client_id_of(request))
        return self.oauth.token(request)

    def authorize(self, request, _, route):
        logins = self.sandbox.logins
        chooser = logins.chooser(request, self.oauth.clients, self.sandbox.login_users)
        return chooser or self.oauth.authorize(request, self.world.users, logins.user_id)

    def become_patron(self, request, _, route):
        return become_patron(self.sandbox, request)


def _triggers(value):
    if not isinstance(value, list) or not value:
        raise APIError.bad_request('triggers must be a non-empty list of %s.' % ', '.join(TRIGGERS))
    unknown = [trigger for trigger in value if trigger not in TRIGGERS]
    if unknown:
        raise APIError.bad_request('Unknown trigger(s): %s.' % ', '.join('%s' % t for t in unknown))
    return value


def _uri(value):
    parts = urlsplit(value) if isinstance(value, six.string_types) else None
    if parts is None or parts.scheme not in ('http', 'https') or not parts.hostname:
        raise APIError.bad_request('uri must be an absolute http(s) URL.')
    return value
