from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    patron_status: Final = 'patron_status'
    is_follower: Final = 'is_follower'
    full_name: Final = 'full_name'
    email: Final = 'email'
    pledge_relationship_start: Final = 'pledge_relationship_start'
    lifetime_support_cents: Final = 'lifetime_support_cents'
    currently_entitled_amount_cents: Final = 'currently_entitled_amount_cents'
    last_charge_date: Final = 'last_charge_date'
    last_charge_status: Final = 'last_charge_status'
    note: Final = 'note'
    will_pay_amount_cents: Final = 'will_pay_amount_cents'
    campaign_lifetime_support_cents: Final = 'campaign_lifetime_support_cents'
    is_free_trial: Final = 'is_free_trial'
    is_gifted: Final = 'is_gifted'
    next_charge_date: Final = 'next_charge_date'
    pledge_cadence: Final = 'pledge_cadence'

class Relationships:
    address: Final = 'address'
    campaign: Final = 'campaign'
    currently_entitled_tiers: Final = 'currently_entitled_tiers'
    user: Final = 'user'
    pledge_history: Final = 'pledge_history'
