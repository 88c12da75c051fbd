"""Field names of the ``post`` resource (JSON:API type ``post``): a post on a campaign.

Usage: ``fields = {'post': [post.Attributes.title, post.Attributes.url]}``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``post`` resource."""

    app_id = 'app_id'
    app_status = 'app_status'
    content = 'content'
    embed_data = 'embed_data'
    embed_url = 'embed_url'
    is_paid = 'is_paid'
    is_public = 'is_public'
    published_at = 'published_at'
    tiers = 'tiers'
    title = 'title'
    url = 'url'


class Relationships(object):
    """Relationship names of a ``post`` resource."""

    campaign = 'campaign'
    user = 'user'
