from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    triggers: Final = 'triggers'
    uri: Final = 'uri'
    paused: Final = 'paused'
    last_attempted_at: Final = 'last_attempted_at'
    num_consecutive_times_failed: Final = 'num_consecutive_times_failed'
    secret: Final = 'secret'

class Relationships:
    client: Final = 'client'
    campaign: Final = 'campaign'
