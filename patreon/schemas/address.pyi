from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    addressee: Final = 'addressee'
    line_1: Final = 'line_1'
    line_2: Final = 'line_2'
    postal_code: Final = 'postal_code'
    city: Final = 'city'
    state: Final = 'state'
    country: Final = 'country'
    phone_number: Final = 'phone_number'
    created_at: Final = 'created_at'

class Relationships:
    user: Final = 'user'
    campaigns: Final = 'campaigns'
