import sqlite3
from collections.abc import Callable
from typing import TypeVar

from ..pacing import RequestBudget
from ._common import SharedTokenStore, TicketPacer

_T = TypeVar('_T')

class SQLiteStore(SharedTokenStore):
    path: str
    slot_lease: float
    def __init__(self, path: str, name: str = 'default', slot_lease: float = 150.0) -> None: ...
    def shared_pacer(self, base_url: str, owner: str | bytes, rate: tuple[int, float]) -> TicketPacer: ...
    def shared_budget(self, base_url: str, limit: int) -> RequestBudget: ...
    def run(self, work: Callable[[sqlite3.Connection], _T], write: bool = False) -> _T: ...
