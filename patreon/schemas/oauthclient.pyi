from typing import Final

__all__ = ['Attributes', 'Relationships']

class Attributes:
    client_secret: Final = 'client_secret'
    name: Final = 'name'
    description: Final = 'description'
    author_name: Final = 'author_name'
    domain: Final = 'domain'
    version: Final = 'version'
    icon_url: Final = 'icon_url'
    privacy_policy_url: Final = 'privacy_policy_url'
    tos_url: Final = 'tos_url'
    redirect_uris: Final = 'redirect_uris'
    default_scopes: Final = 'default_scopes'
    category: Final = 'category'

class Relationships:
    user: Final = 'user'
    campaign: Final = 'campaign'
    creator_token: Final = 'creator_token'
    apps: Final = 'apps'
