"""Names of the attributes and relationships of each Patreon API v2 resource, one module per resource.

Each module has classes ``Attributes`` and ``Relationships`` whose constants equal their names, so that
typos fail loudly instead of silently asking for nothing. The submodules are imported only when used:
``import patreon`` stays fast.
"""
from __future__ import absolute_import

import importlib

import six

#: JSON:API resource type (as in a document's ``"type"`` and in ``fields[<type>]``) -> schema module name.
SCHEMA_MODULE_NAMES = {
    'address': 'address',
    'benefit': 'benefit',
    'campaign': 'campaign',
    'client': 'oauthclient',
    'deliverable': 'deliverable',
    'goal': 'goal',
    'live': 'live',
    'live-access-rule': 'live_access_rule',
    'media': 'media',
    'member': 'member',
    'pledge-event': 'pledge_event',
    'post': 'post',
    'tier': 'tier',
    'user': 'user',
    'webhook': 'webhook',
}

__all__ = sorted(SCHEMA_MODULE_NAMES.values()) + ['SCHEMA_MODULE_NAMES', 'schema_for_type', 'all_fields']

# Modules already looked up, so repeated calls (one per resource of a page) skip the import machinery.
_schema_modules = {}


def schema_for_type(resource_type):
    """Return the schema module for a JSON:API resource type, importing it on first use.

    :param resource_type: the resource's ``type``, e.g. ``'member'``, ``'client'`` or ``'pledge-event'``.
    :returns: the module, e.g. :mod:`patreon.schemas.member`, with classes ``Attributes`` and ``Relationships``.
    :raises KeyError: if the type is not a known Patreon resource type.
    """
    module = _schema_modules.get(resource_type)
    if module is None:
        if resource_type not in SCHEMA_MODULE_NAMES:
            raise KeyError('no schema for JSON:API resource type {0!r}; known types: {1}'.format(
                resource_type, ', '.join(sorted(SCHEMA_MODULE_NAMES))))
        module = importlib.import_module('.' + SCHEMA_MODULE_NAMES[resource_type], __name__)
        _schema_modules[resource_type] = module
    return module


# Attribute names a schema keeps for old code that API v2 no longer has: asking for them only risks a 400.
_GONE = {'campaign': frozenset(['earnings_visibility'])}


def all_fields(*types):
    """The ``fields`` argument asking for every attribute of each JSON:API type given.

    v2 sends no attribute that is not asked for; this asks for all of them (those the schema marks as gone from
    API v2 excepted). Credentials are attributes too (a ``webhook``'s ``secret``, a ``live``'s ``stream_key``):
    keep what comes back out of logs.

    :param types: JSON:API types, e.g. ``'member'``, ``'user'``, ``'pledge-event'``.
    :returns: ``{type: [attribute, ...]}``, each list sorted.
    :raises KeyError: a type that is no Patreon resource type (as :func:`schema_for_type`).

    Usage::

        api.get_campaigns_by_id_members(campaign_id, 100, includes=['user'], fields=all_fields('member', 'user'))
    """
    fields = {}
    for resource_type in types:
        attributes = schema_for_type(resource_type).Attributes
        gone = _GONE.get(resource_type, frozenset())
        fields[resource_type] = sorted(value for name, value in vars(attributes).items()
                                       if not name.startswith('_') and isinstance(value, six.string_types)
                                       and value not in gone)
    return fields
