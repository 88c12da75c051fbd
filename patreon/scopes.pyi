from collections.abc import Iterable
from typing import Final

from ._typing import Fields, Includes

__all__ = ['IDENTITY', 'IDENTITY_EMAIL', 'IDENTITY_MEMBERSHIPS', 'CAMPAIGNS', 'CAMPAIGNS_MEMBERS',
           'CAMPAIGNS_MEMBERS_EMAIL', 'CAMPAIGNS_MEMBERS_ADDRESS', 'CAMPAIGNS_POSTS', 'CAMPAIGNS_WEBHOOK',
           'CAMPAIGNS_LIVES', 'CAMPAIGNS_LIVES_WRITE', 'ALL', 'required_scopes', 'granted_scopes']

IDENTITY: Final = 'identity'
IDENTITY_EMAIL: Final = 'identity[email]'
IDENTITY_MEMBERSHIPS: Final = 'identity.memberships'
CAMPAIGNS: Final = 'campaigns'
CAMPAIGNS_MEMBERS: Final = 'campaigns.members'
CAMPAIGNS_MEMBERS_EMAIL: Final = 'campaigns.members[email]'
CAMPAIGNS_MEMBERS_ADDRESS: Final = 'campaigns.members.address'
CAMPAIGNS_POSTS: Final = 'campaigns.posts'
CAMPAIGNS_WEBHOOK: Final = 'w:campaigns.webhook'
CAMPAIGNS_LIVES: Final = 'campaigns.lives'
CAMPAIGNS_LIVES_WRITE: Final = 'w:campaigns.lives'
ALL: Final[tuple[str, ...]]

# The scopes a call needs; raises patreon.exceptions.InvalidArgument for a route not known here.
def required_scopes(
    method: str, path: str, includes: Includes | None = None, fields: Fields | None = None
) -> set[str]: ...
# The token answer's `scope` text, or a list of names, as a frozenset; None stays None.
def granted_scopes(scopes: str | Iterable[str] | None) -> frozenset[str] | None: ...
