from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    email: Final = 'email'
    first_name: Final = 'first_name'
    last_name: Final = 'last_name'
    full_name: Final = 'full_name'
    is_email_verified: Final = 'is_email_verified'
    vanity: Final = 'vanity'
    about: Final = 'about'
    image_url: Final = 'image_url'
    thumb_url: Final = 'thumb_url'
    can_see_nsfw: Final = 'can_see_nsfw'
    created: Final = 'created'
    url: Final = 'url'
    like_count: Final = 'like_count'
    hide_pledges: Final = 'hide_pledges'
    social_connections: Final = 'social_connections'
    is_creator: Final = 'is_creator'

class Relationships:
    memberships: Final = 'memberships'
    campaign: Final = 'campaign'
