from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from ..jsonapi.parser import JSONAPIResource

__all__ = ['Column', 'Inclusion', 'Selection', 'ResourceView', 'USER_VIEW', 'CAMPAIGN_VIEW', 'MEMBER_VIEW',
           'POST_VIEW', 'WEBHOOK_VIEW']

class Column(NamedTuple):
    name: str
    read: Callable[[JSONAPIResource], Any]

class Inclusion(NamedTuple):
    fields: dict[str, list[str]]
    columns: list[Column]

class Selection:
    fields: dict[str, list[str]]
    includes: list[str]
    columns: list[Column]
    def __init__(self, fields: dict[str, list[str]], includes: list[str], columns: list[Column]) -> None: ...
    @property
    def column_names(self) -> list[str]: ...
    def record(self, resource: JSONAPIResource) -> dict[str, Any]: ...
    def values(self, resource: JSONAPIResource) -> list[Any]: ...

class ResourceView:
    resource_type: str
    default_fields: list[str]
    inclusions: Mapping[str, Inclusion]
    known_fields: list[str]
    def __init__(self, resource_type: str, default_fields: Sequence[str],
                 inclusions: Mapping[str, Inclusion] | None = None) -> None: ...
    def select(self, fields_option: str | None = None, include_option: str | None = None) -> Selection: ...

USER_VIEW: ResourceView
CAMPAIGN_VIEW: ResourceView
MEMBER_VIEW: ResourceView
POST_VIEW: ResourceView
WEBHOOK_VIEW: ResourceView
