from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    app_id: Final = 'app_id'
    app_status: Final = 'app_status'
    content: Final = 'content'
    embed_data: Final = 'embed_data'
    embed_url: Final = 'embed_url'
    is_paid: Final = 'is_paid'
    is_public: Final = 'is_public'
    published_at: Final = 'published_at'
    tiers: Final = 'tiers'
    title: Final = 'title'
    url: Final = 'url'

class Relationships:
    campaign: Final = 'campaign'
    user: Final = 'user'
