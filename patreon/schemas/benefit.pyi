from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    title: Final = 'title'
    description: Final = 'description'
    benefit_type: Final = 'benefit_type'
    rule_type: Final = 'rule_type'
    created_at: Final = 'created_at'
    delivered_deliverables_count: Final = 'delivered_deliverables_count'
    not_delivered_deliverables_count: Final = 'not_delivered_deliverables_count'
    deliverables_due_today_count: Final = 'deliverables_due_today_count'
    next_deliverable_due_date: Final = 'next_deliverable_due_date'
    tiers_count: Final = 'tiers_count'
    is_deleted: Final = 'is_deleted'
    is_published: Final = 'is_published'
    app_external_id: Final = 'app_external_id'
    app_meta: Final = 'app_meta'
    is_ended: Final = 'is_ended'

class Relationships:
    tiers: Final = 'tiers'
    deliverables: Final = 'deliverables'
    campaign: Final = 'campaign'
    campaign_installation: Final = 'campaign_installation'
