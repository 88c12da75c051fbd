from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    amount_cents: Final = 'amount_cents'
    user_limit: Final = 'user_limit'
    remaining: Final = 'remaining'
    description: Final = 'description'
    requires_shipping: Final = 'requires_shipping'
    created_at: Final = 'created_at'
    url: Final = 'url'
    patron_count: Final = 'patron_count'
    post_count: Final = 'post_count'
    discord_role_ids: Final = 'discord_role_ids'
    title: Final = 'title'
    image_url: Final = 'image_url'
    edited_at: Final = 'edited_at'
    published: Final = 'published'
    published_at: Final = 'published_at'
    unpublished_at: Final = 'unpublished_at'

class Relationships:
    campaign: Final = 'campaign'
    tier_image: Final = 'tier_image'
    benefits: Final = 'benefits'
