import logging
from contextlib import AbstractContextManager
from typing import Final

from .._typing import JSONObject
from ..pacing import Slots
from ..tokens import TokenStore

logger: logging.Logger

DEFAULT_SLOT_LEASE: Final[float]

class SharedTokenStore(TokenStore):
    name: str
    def __init__(self, name: str) -> None: ...
    @property
    def token_key(self) -> str: ...

def decoded(data: str | bytes, where: str) -> JSONObject: ...

class TicketPacer(Slots):
    requests: int
    seconds: float
    def __init__(self, requests: int, seconds: float, sleep: object = None) -> None: ...
    def slot(self, timeout: float | None = None) -> AbstractContextManager[None]: ...
    def acquire(self, timeout: float | None = None) -> bool: ...
    def release(self) -> None: ...
    def idle(self) -> bool: ...

def checked_lease(value: object, name: str) -> float: ...
