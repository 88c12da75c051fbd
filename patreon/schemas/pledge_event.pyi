from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    amount_cents: Final = 'amount_cents'
    currency_code: Final = 'currency_code'
    date: Final = 'date'
    payment_status: Final = 'payment_status'
    pledge_payment_status: Final = 'pledge_payment_status'
    tier_id: Final = 'tier_id'
    tier_title: Final = 'tier_title'
    type: Final = 'type'

class Relationships:
    campaign: Final = 'campaign'
    patron: Final = 'patron'
    tier: Final = 'tier'
