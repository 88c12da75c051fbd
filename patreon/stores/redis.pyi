from typing import Any, Final

from ..pacing import RequestBudget, Slots
from ..tokens import TokenStore

__all__ = ['RedisStore', 'DEFAULT_LOCK_LEASE', 'DEFAULT_LOCK_TIMEOUT']

DEFAULT_LOCK_LEASE: Final[float]
DEFAULT_LOCK_TIMEOUT: Final[float]

class RedisStore(TokenStore):
    # Which token set of the backend this store holds (one per user or account).
    name: str
    @property
    def token_key(self) -> str: ...
    client: Any
    prefix: str
    lock_lease: float
    lock_timeout: float
    slot_lease: float
    def __init__(
        self,
        client: Any,
        name: str = 'default',
        prefix: str = 'patreon:',
        lock_lease: float = 10.0,
        lock_timeout: float = 300.0,
        slot_lease: float = 150.0,
    ) -> None: ...
    def shared_pacer(self, base_url: str, owner: str | bytes, rate: tuple[int, float]) -> Slots: ...
    def shared_budget(self, base_url: str, limit: int) -> RequestBudget: ...
    def call(self, script: str, keys: list[str], args: list[object]) -> Any: ...
