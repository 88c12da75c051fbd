from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    completed_at: Final = 'completed_at'
    delivery_status: Final = 'delivery_status'
    due_at: Final = 'due_at'

class Relationships:
    campaign: Final = 'campaign'
    benefit: Final = 'benefit'
    member: Final = 'member'
    user: Final = 'user'
