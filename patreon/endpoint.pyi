from contextlib import AbstractContextManager
from typing import Final

__all__ = ['PATREON_URL', 'DEFAULT_BASE_URL', 'default_base_url', 'override_default_base_url']

PATREON_URL: Final = 'https://www.patreon.com'

# Equal to PATREON_URL; a client that gets this very object follows default_base_url() instead.
DEFAULT_BASE_URL: Final = 'https://www.patreon.com'

class Override:
    url: str
    block_patreon: bool
    refused: list[str]
    def __init__(self, url: str, block_patreon: bool) -> None: ...

def default_base_url() -> str: ...
def override_default_base_url(url: str, block_patreon: bool = True) -> AbstractContextManager[Override]: ...
def is_patreon(url: str) -> bool: ...
def connected_host(url: str) -> str: ...
def check_destination(url: str, method: str | None = None) -> None: ...
