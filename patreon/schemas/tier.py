"""Field names of the ``tier`` resource (JSON:API type ``tier``): a pledge level of a campaign.

Usage: ``fields = {'tier': [tier.Attributes.title, tier.Attributes.amount_cents]}``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``tier`` resource."""

    amount_cents = 'amount_cents'
    user_limit = 'user_limit'
    remaining = 'remaining'
    description = 'description'
    requires_shipping = 'requires_shipping'
    created_at = 'created_at'
    url = 'url'
    patron_count = 'patron_count'
    post_count = 'post_count'
    discord_role_ids = 'discord_role_ids'
    title = 'title'
    image_url = 'image_url'
    edited_at = 'edited_at'
    published = 'published'
    published_at = 'published_at'
    unpublished_at = 'unpublished_at'


class Relationships(object):
    """Relationship names of a ``tier`` resource."""

    campaign = 'campaign'
    tier_image = 'tier_image'
    benefits = 'benefits'
