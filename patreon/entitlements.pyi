from typing import Final, TypeVar

from .exceptions import PatreonError
from .jsonapi.parser import JSONAPIRelatedResource, JSONAPIResource

__all__ = ['REQUIRED_FIELDS', 'TIER_FIELDS', 'PLEDGE_EVENT_FIELDS', 'ACTIVE_PATRON', 'DECLINED_PATRON', 'FORMER_PATRON',
           'MissingFieldError', 'is_active_patron', 'pledged_tier_id', 'entitled_tier_ids', 'monthly_amount_cents']

REQUIRED_FIELDS: list[str]
TIER_FIELDS: list[str]
PLEDGE_EVENT_FIELDS: list[str]
ACTIVE_PATRON: Final = 'active_patron'
DECLINED_PATRON: Final = 'declined_patron'
FORMER_PATRON: Final = 'former_patron'

# A tier: its id, or a resource (or reference) whose id() is taken.
_Tier = TypeVar('_Tier', bound=str | int | JSONAPIResource | JSONAPIRelatedResource)

class MissingFieldError(PatreonError, ValueError):
    field: str | None

def is_active_patron(
    member: JSONAPIResource,
    tier: _Tier | list[_Tier] | tuple[_Tier, ...] | set[_Tier] | frozenset[_Tier] | None = None,
    min_amount_cents: float | None = None,
    allow_free_trial: bool = True,
    allow_gifted: bool = True,
    min_tier: str | int | JSONAPIResource | JSONAPIRelatedResource | None = None,
    allow_declined: bool = True,
    allow_former: bool = True,
) -> bool: ...
def pledged_tier_id(member: JSONAPIResource) -> str | None: ...
def entitled_tier_ids(member: JSONAPIResource) -> set[str]: ...
def monthly_amount_cents(member: JSONAPIResource) -> float | None: ...
