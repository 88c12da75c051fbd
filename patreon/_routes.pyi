from collections import OrderedDict
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

ROUTES: OrderedDict[str, Route]

def template(path: str) -> str: ...
def by_path() -> OrderedDict[str, OrderedDict[str, Route]]: ...
def route_table() -> str: ...
