"""Field names of the ``member`` resource (JSON:API type ``member``): one user's membership of one campaign.

Usage: ``api.get_members_by_id(member_id, fields={'member': [member.Attributes.full_name]})``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``member`` resource."""

    patron_status = 'patron_status'
    is_follower = 'is_follower'  # deprecated: Patreon always returns false
    full_name = 'full_name'
    email = 'email'
    pledge_relationship_start = 'pledge_relationship_start'
    lifetime_support_cents = 'lifetime_support_cents'  # deprecated: use campaign_lifetime_support_cents
    currently_entitled_amount_cents = 'currently_entitled_amount_cents'
    last_charge_date = 'last_charge_date'
    last_charge_status = 'last_charge_status'
    note = 'note'
    will_pay_amount_cents = 'will_pay_amount_cents'
    campaign_lifetime_support_cents = 'campaign_lifetime_support_cents'
    is_free_trial = 'is_free_trial'
    is_gifted = 'is_gifted'
    next_charge_date = 'next_charge_date'
    pledge_cadence = 'pledge_cadence'


class Relationships(object):
    """Relationship names of a ``member`` resource."""

    address = 'address'
    campaign = 'campaign'
    currently_entitled_tiers = 'currently_entitled_tiers'
    user = 'user'
    pledge_history = 'pledge_history'
