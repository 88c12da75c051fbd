from typing import Final

ACCESS_RULE_TYPES: Final[tuple[str, str, str]]

class Attributes:
    access_rule_type: Final = 'access_rule_type'

class Relationships:
    tier: Final = 'tier'
