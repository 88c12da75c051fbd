"""Field names of the ``user`` resource (JSON:API type ``user``): a Patreon account.

Usage: ``api.get_identity(includes=['memberships'], fields={'user': [user.Attributes.full_name]})``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``user`` resource."""

    email = 'email'
    first_name = 'first_name'
    last_name = 'last_name'
    full_name = 'full_name'
    is_email_verified = 'is_email_verified'
    vanity = 'vanity'  # deprecated: Patreon may stop returning it
    about = 'about'
    image_url = 'image_url'
    thumb_url = 'thumb_url'
    can_see_nsfw = 'can_see_nsfw'
    created = 'created'
    url = 'url'
    like_count = 'like_count'
    hide_pledges = 'hide_pledges'
    social_connections = 'social_connections'
    is_creator = 'is_creator'


class Relationships(object):
    """Relationship names of a ``user`` resource."""

    memberships = 'memberships'
    campaign = 'campaign'
