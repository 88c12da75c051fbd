from types import ModuleType

from . import (
    address as address,
    benefit as benefit,
    campaign as campaign,
    deliverable as deliverable,
    goal as goal,
    live as live,
    live_access_rule as live_access_rule,
    media as media,
    member as member,
    oauthclient as oauthclient,
    pledge_event as pledge_event,
    post as post,
    tier as tier,
    user as user,
    webhook as webhook,
)

__all__ = ['address', 'benefit', 'campaign', 'deliverable', 'goal', 'live', 'live_access_rule', 'media', 'member',
           'oauthclient', 'pledge_event', 'post', 'tier', 'user', 'webhook', 'SCHEMA_MODULE_NAMES', 'schema_for_type',
           'all_fields']

SCHEMA_MODULE_NAMES: dict[str, str]

# The schema module of the type, with classes Attributes and Relationships. Raises KeyError for an unknown type.
def schema_for_type(resource_type: str) -> ModuleType: ...

# {type: [every attribute of that type, sorted]}. Raises KeyError for an unknown type.
def all_fields(*types: str) -> dict[str, list[str]]: ...
