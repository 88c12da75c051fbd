from collections import OrderedDict
from collections.abc import Iterable
from typing import Final, NamedTuple

LIVE_STATES: Final[tuple[str, str, str]]

class Route(NamedTuple):
    name: str
    method: str
    path: str
    params: tuple[str, ...]
    path_params: tuple[str, ...]
    scope: str
    returns: str | None
    includes: tuple[str, ...]
    pages: bool
    email_scope: str
    include_scopes: dict[str, str]
    max_page_size: int | None
    max_page_size_with: dict[str, int]
    def page_limit(self, includes: Iterable[str] = ()) -> int | None: ...

ROUTES: OrderedDict[str, Route]

def template(path: str) -> str: ...
def by_path() -> OrderedDict[str, OrderedDict[str, Route]]: ...
def route_table() -> str: ...
