from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    amount_cents: Final = 'amount_cents'
    title: Final = 'title'
    description: Final = 'description'
    created_at: Final = 'created_at'
    reached_at: Final = 'reached_at'
    completed_percentage: Final = 'completed_percentage'

class Relationships:
    campaign: Final = 'campaign'
