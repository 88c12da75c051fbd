from collections import OrderedDict
from typing import Any, Final, NamedTuple

CONTROL_PREFIX: Final = '/sandbox/'
URL_VARIABLE: Final = 'PATREON_SANDBOX_URL'
KEY_VARIABLE: Final = 'PATREON_SANDBOX_KEY'
PLEDGE_KINDS: Final[tuple[str, ...]]
# Fault kind -> its options and their defaults.
FAULT_KINDS: dict[str, dict[str, Any]]

class Action(NamedTuple):
    name: str
    command: str
    method: str
    path: str
    body: tuple[str, ...]
    answer: str | None
    summary: str

ACTIONS: OrderedDict[str, Action]

def action_table() -> str: ...
