"""Field names of the ``benefit`` resource (JSON:API type ``benefit``): a perk that tiers grant.

Usage: ``fields = {'benefit': [benefit.Attributes.title, benefit.Attributes.is_ended]}``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``benefit`` resource."""

    title = 'title'
    description = 'description'
    benefit_type = 'benefit_type'
    rule_type = 'rule_type'
    created_at = 'created_at'
    delivered_deliverables_count = 'delivered_deliverables_count'
    not_delivered_deliverables_count = 'not_delivered_deliverables_count'
    deliverables_due_today_count = 'deliverables_due_today_count'
    next_deliverable_due_date = 'next_deliverable_due_date'
    tiers_count = 'tiers_count'
    is_deleted = 'is_deleted'
    is_published = 'is_published'
    app_external_id = 'app_external_id'
    app_meta = 'app_meta'
    is_ended = 'is_ended'


class Relationships(object):
    """Relationship names of a ``benefit`` resource."""

    tiers = 'tiers'
    deliverables = 'deliverables'
    campaign = 'campaign'
    campaign_installation = 'campaign_installation'
