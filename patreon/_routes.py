"""Every route of API v2 that the client calls, declared once.

:class:`patreon.API`'s route methods (through one helper), :mod:`patreon.scopes`, the sandbox's route table,
scopes, page limits and self links, and the command line's scopes are made from :data:`ROUTES`;
``tests/test_declarations.py`` fails when one of them, or what is written next to it (a method's signature and
docstring, the stub, the quickstart's table of routes), disagrees with it.
"""
from __future__ import unicode_literals

import collections

#: The states of a live, in the only order Patreon lets it move (what ``create_live`` and ``update_live`` send).
LIVE_STATES = ('pre_live', 'live', 'live_ended')

_ADDRESS = 'campaigns.members.address'
_MEMBERS_EMAIL = 'campaigns.members[email]'

class Route(collections.namedtuple('Route', ['name', 'method', 'path', 'params', 'path_params', 'scope', 'returns',
                                             'includes', 'pages', 'email_scope', 'include_scopes', 'max_page_size',
                                             'max_page_size_with'])):
    """One route: ``name`` is the :class:`patreon.API` method that calls it.

    - ``method``, ``path``: ``'GET'``, ``'campaigns/{id}/members'`` (each ``{id}`` filled by one of ``path_params``);
    - ``params``: the API method's parameters, in order;
    - ``scope``: the scope Patreon refuses the route without;
    - ``returns``: the JSON:API type of its ``data`` (``None``: it answers 204);
    - ``includes``: the relationships Patreon documents for ``include`` on it;
    - ``pages``: a list route, taking ``page_size`` and ``cursor``;
    - ``email_scope``: what an ``email`` field adds; ``include_scopes``: what an include's step adds;
    - ``max_page_size``: the largest page Patreon serves (``None``: not documented), smaller with the includes of
      ``max_page_size_with`` (``{include: size}``).
    """

    __slots__ = ()

    def page_limit(self, includes=()):
        """The largest page Patreon serves with these top-level ``includes``; ``None``: not documented."""
        limits = [self.max_page_size_with[name] for name in includes if name in self.max_page_size_with]
        return min(limits) if limits else self.max_page_size


def _route(name, method, path, params, scope, returns=None, includes=(), pages=False, email_scope=_MEMBERS_EMAIL,
           include_scopes=None, max_page_size=None, max_page_size_with=None):
    path_params = tuple(params[:path.count('{id}')])
    return Route(name, method, path, tuple(params), path_params, scope, returns, tuple(includes), pages,
                 email_scope, include_scopes or {'address': _ADDRESS}, max_page_size, max_page_size_with or {})


_READ = ('includes', 'fields')
_LIST = ('page_size', 'cursor') + _READ
_ONE = ('resource_id',) + _READ
_MEMBER_INCLUDES = ('address', 'campaign', 'currently_entitled_tiers', 'user', 'pledge_history')

#: API method name -> :class:`Route`, in the order of the API's documentation.
ROUTES = collections.OrderedDict((route.name, route) for route in (
    # Patreon's docs return the user's campaign only to a token with the campaigns scope; the email is the user's own.
    _route('get_identity', 'GET', 'identity', _READ, 'identity', 'user', ('memberships', 'campaign'),
           email_scope='identity[email]',
           include_scopes={'address': _ADDRESS, 'campaign': 'campaigns', 'campaigns': 'campaigns'}),
    _route('get_campaigns', 'GET', 'campaigns', _LIST, 'campaigns', 'campaign',
           ('tiers', 'creator', 'benefits', 'goals'), pages=True),
    _route('get_campaigns_by_id', 'GET', 'campaigns/{id}', _ONE, 'campaigns', 'campaign',
           ('tiers', 'creator', 'benefits', 'goals')),
    _route('get_campaigns_by_id_members', 'GET', 'campaigns/{id}/members', ('resource_id',) + _LIST,
           'campaigns.members', 'member', _MEMBER_INCLUDES, pages=True, max_page_size=1000,
           max_page_size_with={'pledge_history': 500}),
    _route('get_members_by_id', 'GET', 'members/{id}', _ONE, 'campaigns.members', 'member', _MEMBER_INCLUDES),
    _route('get_campaigns_by_id_posts', 'GET', 'campaigns/{id}/posts', ('resource_id',) + _LIST,
           'campaigns.posts', 'post', ('user', 'campaign'), pages=True, max_page_size=1000),
    _route('get_posts_by_id', 'GET', 'posts/{id}', _ONE, 'campaigns.posts', 'post', ('user', 'campaign')),
    _route('get_webhooks', 'GET', 'webhooks', _LIST, 'w:campaigns.webhook', 'webhook', ('client', 'campaign'),
           pages=True),
    _route('get_webhooks_by_id', 'GET', 'webhooks/{id}', _ONE, 'w:campaigns.webhook', 'webhook',
           ('client', 'campaign')),
    _route('create_webhook', 'POST', 'webhooks', ('campaign_id', 'uri', 'triggers'), 'w:campaigns.webhook',
           'webhook'),
    _route('update_webhook', 'PATCH', 'webhooks/{id}', ('webhook_id', 'uri', 'triggers', 'paused'),
           'w:campaigns.webhook', 'webhook'),
    _route('delete_webhook', 'DELETE', 'webhooks/{id}', ('webhook_id',), 'w:campaigns.webhook'),
    # Lives: early access, Patreon says they may change.
    _route('get_lives_by_id', 'GET', 'lives/{id}', _ONE, 'campaigns.lives', 'live', ('campaign', 'live_access_rules')),
    _route('create_live', 'POST', 'lives',
           ('state', 'title', 'description', 'scheduled_for', 'live_access_rule_ids'), 'w:campaigns.lives', 'live'),
    _route('update_live', 'PATCH', 'lives/{id}', ('live_id', 'state'), 'w:campaigns.lives', 'live'),
    _route('delete_live', 'DELETE', 'lives/{id}', ('live_id',), 'w:campaigns.lives'),
))


def template(path):
    """The declared form of a path as the client calls it: each id (every other segment) as ``{id}``, no query."""
    segments = path.split('?', 1)[0].split('/')
    return '/'.join('{id}' if index % 2 else segment for index, segment in enumerate(segments))


def by_path():
    """``{path: {method: Route}}``, paths in the order of :data:`ROUTES`."""
    table = collections.OrderedDict()  # type: collections.OrderedDict
    for route in ROUTES.values():
        table.setdefault(route.path, collections.OrderedDict())[route.method] = route
    return table

