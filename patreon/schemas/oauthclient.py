"""Field names of the OAuth client resource (JSON:API type ``client``): a registered app.

Usage: ``api.get_webhooks(10, includes=['client'], fields={'client': [oauthclient.Attributes.name]})``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``client`` resource."""

    client_secret = 'client_secret'
    name = 'name'
    description = 'description'
    author_name = 'author_name'
    domain = 'domain'
    version = 'version'
    icon_url = 'icon_url'
    privacy_policy_url = 'privacy_policy_url'
    tos_url = 'tos_url'
    redirect_uris = 'redirect_uris'
    default_scopes = 'default_scopes'
    category = 'category'


class Relationships(object):
    """Relationship names of a ``client`` resource."""

    user = 'user'
    campaign = 'campaign'
    creator_token = 'creator_token'
    apps = 'apps'
