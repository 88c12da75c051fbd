from typing import Final

__all__ = ['Attributes', 'Relationships', 'STATES']

STATES: Final[tuple[str, str, str]]

class Attributes:
    title: Final = 'title'
    description: Final = 'description'
    state: Final = 'state'
    scheduled_for: Final = 'scheduled_for'
    stream_key: Final = 'stream_key'
    rtmp_url: Final = 'rtmp_url'

class Relationships:
    campaign: Final = 'campaign'
    live_access_rules: Final = 'live_access_rules'
