from typing import Any

__all__ = ['LazyPattern']

class LazyPattern:
    def __init__(self, pattern: str, flags: int = 0) -> None: ...
    def __getattr__(self, name: str) -> Any: ...
