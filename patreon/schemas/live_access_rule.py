"""Field names of the ``live-access-rule`` resource (JSON:API type ``live-access-rule``): who may watch a live.

``access_rule_type`` is ``'tier'`` (patrons of the related tier), ``'patron'`` (any patron) or ``'public'``.

Usage: ``api.get_campaigns_by_id(cid, includes=['live_access_rules'],
fields={'live-access-rule': [live_access_rule.Attributes.access_rule_type]})``
"""

__all__ = ['Attributes', 'Relationships', 'ACCESS_RULE_TYPES']

#: The kinds of rule Patreon has shown.
ACCESS_RULE_TYPES = ('tier', 'patron', 'public')


class Attributes(object):
    """Attribute names of a ``live-access-rule`` resource."""

    access_rule_type = 'access_rule_type'


class Relationships(object):
    """Relationship names of a ``live-access-rule`` resource."""

    tier = 'tier'
