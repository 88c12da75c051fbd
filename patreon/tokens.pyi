from contextlib import AbstractContextManager
from typing import Final

from ._typing import JSONObject

__all__ = ['TokenStore', 'MemoryTokenStore', 'FileTokenStore', 'REFUSED_KEY', 'digest']

REFUSED_KEY: Final[str]

class TokenStore:
    def load(self) -> JSONObject | None: ...
    def save(self, tokens: JSONObject) -> None: ...
    def lock(self) -> AbstractContextManager[object]: ...

class MemoryTokenStore(TokenStore):
    def __init__(self, tokens: JSONObject | None = None) -> None: ...

class FileTokenStore(TokenStore):
    path: str
    def __init__(self, path: str) -> None: ...

def digest(token: str) -> str: ...
