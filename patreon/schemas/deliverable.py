"""Field names of the ``deliverable`` resource (JSON:API type ``deliverable``): a benefit owed to one member.

Usage: ``fields = {'deliverable': [deliverable.Attributes.delivery_status, deliverable.Attributes.due_at]}``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``deliverable`` resource."""

    completed_at = 'completed_at'
    delivery_status = 'delivery_status'
    due_at = 'due_at'


class Relationships(object):
    """Relationship names of a ``deliverable`` resource."""

    campaign = 'campaign'
    benefit = 'benefit'
    member = 'member'
    user = 'user'
