from collections.abc import Iterable

from .._typing import Fields, Includes

__all__ = ['build_url', 'joined_or_null']

def joined_or_null(arr: Iterable[str] | None) -> str: ...
def build_url(path: str, includes: Includes | None = None, fields: Fields | None = None) -> str: ...
