import sqlite3
from collections.abc import Callable
from typing import TypeVar

from ..pacing import RequestBudget, Slots
from ..tokens import TokenStore

__all__ = ['SQLiteStore']

_T = TypeVar('_T')

class SQLiteStore(TokenStore):
    # Which token set of the backend this store holds (one per user or account).
    name: str
    @property
    def token_key(self) -> str: ...
    path: str
    slot_lease: float
    def __init__(self, path: str, name: str = 'default', slot_lease: float = 150.0) -> None: ...
    def shared_pacer(self, base_url: str, owner: str | bytes, rate: tuple[int, float]) -> Slots: ...
    def shared_budget(self, base_url: str, limit: int) -> RequestBudget: ...
    def run(self, work: Callable[[sqlite3.Connection], _T], write: bool = False) -> _T: ...
    def close(self) -> None: ...
