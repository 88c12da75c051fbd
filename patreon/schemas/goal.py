"""Field names of the ``goal`` resource (JSON:API type ``goal``), deprecated by Patreon: campaigns list none.

Usage: ``fields = {'goal': [goal.Attributes.title, goal.Attributes.amount_cents]}``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``goal`` resource."""

    amount_cents = 'amount_cents'
    title = 'title'
    description = 'description'
    created_at = 'created_at'
    reached_at = 'reached_at'
    completed_percentage = 'completed_percentage'


class Relationships(object):
    """Relationship names of a ``goal`` resource."""

    campaign = 'campaign'
