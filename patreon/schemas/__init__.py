"""Names of the attributes and relationships of each Patreon API v2 resource, one module per resource.

Each module has classes ``Attributes`` and ``Relationships`` whose constants equal their names, so that
typos fail loudly instead of silently asking for nothing. The submodules are imported only when used:
``import patreon`` stays fast.

Usage::

    from patreon.schemas import member, user

    fields = {'member': [member.Attributes.full_name], 'user': [user.Attributes.email]}
    schema_for_type('pledge-event').Attributes.amount_cents  # 'amount_cents'
"""
from __future__ import absolute_import

import importlib

__all__ = [
    'address', 'benefit', 'campaign', 'deliverable', 'goal', 'media', 'member', 'oauthclient',
    'pledge_event', 'post', 'tier', 'user', 'webhook',
    'SCHEMA_MODULE_NAMES', 'schema_for_type',
]

#: JSON:API resource type (as in a document's ``"type"`` and in ``fields[<type>]``) -> schema module name.
SCHEMA_MODULE_NAMES = {
    'address': 'address',
    'benefit': 'benefit',
    'campaign': 'campaign',
    'client': 'oauthclient',
    'deliverable': 'deliverable',
    'goal': 'goal',
    'media': 'media',
    'member': 'member',
    'pledge-event': 'pledge_event',
    'post': 'post',
    'tier': 'tier',
    'user': 'user',
    'webhook': 'webhook',
}

# Modules already looked up, so repeated calls (one per resource of a page) skip the import machinery.
_schema_modules = {}


def schema_for_type(resource_type):
    """Return the schema module for a JSON:API resource type, importing it on first use.

    :param resource_type: the resource's ``type``, e.g. ``'member'``, ``'client'`` or ``'pledge-event'``.
    :returns: the module, e.g. :mod:`patreon.schemas.member`, with classes ``Attributes`` and ``Relationships``.
    :raises KeyError: if the type is not a known Patreon resource type.

    Usage::

        >>> schema_for_type('client').Attributes.redirect_uris
        'redirect_uris'
    """
    module = _schema_modules.get(resource_type)
    if module is None:
        if resource_type not in SCHEMA_MODULE_NAMES:
            raise KeyError('no schema for JSON:API resource type {0!r}; known types: {1}'.format(
                resource_type, ', '.join(sorted(SCHEMA_MODULE_NAMES))))
        module = importlib.import_module('.' + SCHEMA_MODULE_NAMES[resource_type], __name__)
        _schema_modules[resource_type] = module
    return module
