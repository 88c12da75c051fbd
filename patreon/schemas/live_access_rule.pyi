from typing import Final

__all__ = ['Attributes', 'Relationships', 'ACCESS_RULE_TYPES']

ACCESS_RULE_TYPES: Final[tuple[str, str, str]]

class Attributes:
    access_rule_type: Final = 'access_rule_type'

class Relationships:
    tier: Final = 'tier'
