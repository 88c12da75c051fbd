from collections.abc import Iterable
from typing import Any, Final

MIN_SECRET_LENGTH: Final = 8
MASK: Final = "***"
MAX_NESTING: Final = 64
TOO_DEEP: Final = "(nested too deep)"

class Mask:
    secrets: tuple[Any, ...]
    token_like: bool
    def __init__(self, secrets: Iterable[Any] = (), token_like: bool = False) -> None: ...
    @property
    def values(self) -> list[str]: ...
    @classmethod
    def of(cls, secrets: Mask | Iterable[Any], token_like: bool = False) -> Mask: ...
    def text(self, text: str) -> str: ...
    def data(self, value: Any, key: str | None = None) -> Any: ...
