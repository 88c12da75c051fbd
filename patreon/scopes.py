"""OAuth scopes of Patreon's API v2: a constant for each, and which of them a call needs (table: docs/oauth.md).

When the client knows the token's scopes, a 401 or 403 names the route's scope the token lacks.
"""
from __future__ import unicode_literals

import six
from six.moves.urllib.parse import parse_qsl

from ._routes import by_path, template
from .exceptions import InvalidArgument
from ._query import checked_text, names_text

__all__ = ['IDENTITY', 'IDENTITY_EMAIL', 'IDENTITY_MEMBERSHIPS', 'CAMPAIGNS', 'CAMPAIGNS_MEMBERS',
           'CAMPAIGNS_MEMBERS_EMAIL', 'CAMPAIGNS_MEMBERS_ADDRESS', 'CAMPAIGNS_POSTS', 'CAMPAIGNS_WEBHOOK',
           'CAMPAIGNS_LIVES', 'CAMPAIGNS_LIVES_WRITE', 'ALL', 'required_scopes', 'granted_scopes']

IDENTITY = 'identity'
IDENTITY_EMAIL = 'identity[email]'
IDENTITY_MEMBERSHIPS = 'identity.memberships'
CAMPAIGNS = 'campaigns'
CAMPAIGNS_MEMBERS = 'campaigns.members'
CAMPAIGNS_MEMBERS_EMAIL = 'campaigns.members[email]'
CAMPAIGNS_MEMBERS_ADDRESS = 'campaigns.members.address'
CAMPAIGNS_POSTS = 'campaigns.posts'
CAMPAIGNS_WEBHOOK = 'w:campaigns.webhook'
CAMPAIGNS_LIVES = 'campaigns.lives'
CAMPAIGNS_LIVES_WRITE = 'w:campaigns.lives'

#: Every scope, in the order of Patreon's list (a tuple: an authorization URL built from it is always the same).
ALL = (IDENTITY, IDENTITY_EMAIL, IDENTITY_MEMBERSHIPS, CAMPAIGNS, CAMPAIGNS_WEBHOOK, CAMPAIGNS_MEMBERS,
       CAMPAIGNS_MEMBERS_EMAIL, CAMPAIGNS_MEMBERS_ADDRESS, CAMPAIGNS_POSTS, CAMPAIGNS_LIVES, CAMPAIGNS_LIVES_WRITE)

# Route ('{id}' for ids) -> method -> its declaration (patreon._routes): the scope it needs whatever the query asks,
# and those its email fields and includes add.
_ROUTES = by_path()


def required_scopes(method, path, includes=None, fields=None):
    """The set of scopes a call needs to get all it asks: its route's, and those its ``includes`` and ``fields`` add.

    An ``email`` field adds ``identity[email]`` (on ``identity``) or ``campaigns.members[email]``; ``address``
    adds ``campaigns.members.address``; on ``identity`` an include reaching a campaign adds ``campaigns``.

    :param method: ``'GET'``, ``'POST'``, ``'PATCH'`` or ``'DELETE'``.
    :param path: the route with its ids, as the API methods call it (``'campaigns/7/members'``), with or
        without ``/api/oauth2/v2/`` and a query string (whose ``include`` and ``fields[...]`` count too).
    :param includes: relationships to include (a list, or one comma-separated string; dotted paths work).
    :param fields: ``{type: [attribute, ...]}`` as the API methods take it.
    :returns: a ``set`` of scope names.
    :raises patreon.exceptions.InvalidArgument: a method or path that is no route of API v2 known here.

    Usage::

        required_scopes('GET', 'campaigns/7/members', fields={'user': ['email']})
        # {'campaigns.members', 'campaigns.members[email]'}
    """
    route_scope, data_scopes = _needs(method, path, includes, fields)
    return set([route_scope]) | data_scopes


def _needs(method, path, includes=None, fields=None):
    """``(scope, others)``: the scope Patreon refuses the route without, and those that only add data."""
    method_text = checked_text(method, 'method').upper() if isinstance(method, (six.text_type, bytes)) else None
    if method_text is None or not isinstance(path, (six.text_type, bytes)):
        raise InvalidArgument('required_scopes needs a method and a path as text')
    route, query = _route(checked_text(path, 'path'))
    declared = _ROUTES.get(route, {}).get(method_text)
    if declared is None:
        raise InvalidArgument('{} {} is no route of API v2 known to patreon.scopes'.format(method_text, route))
    include_names, field_map = _query_parts(query)
    include_names.extend(_names(includes, 'includes', ','))
    for resource_type, names in (fields or {}).items() if isinstance(fields, dict) else ():
        field_map.setdefault(resource_type, []).extend(_names(names, 'fields', ','))
    if fields is not None and not isinstance(fields, dict):
        raise InvalidArgument('fields must be a dict of JSON:API type to attribute names, not {}'.format(
            type(fields).__name__))
    scope = declared.scope
    needed = set(declared.include_scopes[part] for name in include_names for part in name.split('.')
                 if part in declared.include_scopes)
    if any('email' in names for resource_type, names in field_map.items() if resource_type in ('user', 'member')):
        needed.add(declared.email_scope)
    if field_map.get('address'):
        needed.add(CAMPAIGNS_MEMBERS_ADDRESS)
    return scope, needed - set([scope])


def granted_scopes(scopes):
    """The scopes of a token as a ``frozenset``: from the token answer's ``scope`` text, or a list of names.

    ``None`` stays ``None`` (not known).

    :raises patreon.exceptions.InvalidArgument: neither text nor a list of texts.
    """
    if scopes is None:
        return None
    return frozenset(name for name in _names(scopes, 'scopes', ' ') if name)


def _route(path):
    """``('campaigns/{id}/members', 'query')`` for a path as the client calls it."""
    path, _, query = path.partition('?')
    path = path.strip('/')
    if path.startswith('api/oauth2/v2/'):
        path = path[len('api/oauth2/v2/'):]
    return template(path), query


def _query_parts(query):
    """``(includes, fields)`` named by a query string (``include=...&fields%5Buser%5D=...``)."""
    includes, fields = [], {}
    for name, value in parse_qsl(query):
        if name == 'include':
            includes.extend(value.split(','))
        elif name.startswith('fields[') and name.endswith(']'):
            fields.setdefault(name[len('fields['):-1], []).extend(value.split(','))
    return includes, fields


def _names(names, param, separator):
    """The names a request sends for ``names`` (a list of texts or one ``separator``-separated text): split and
    trimmed as the client sends them, so that a scope is judged by what is sent."""
    text = names_text(names, param, separator=separator, empty='') if names is not None else ''
    return text.split(separator) if text else []
