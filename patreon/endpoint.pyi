from contextlib import AbstractContextManager
from typing import Final

__all__ = ['PATREON_URL', 'DEFAULT_BASE_URL', 'default_base_url', 'override_default_base_url']

PATREON_URL: Final = 'https://www.patreon.com'

# Equal to PATREON_URL; a client given it (this very object) follows default_base_url() instead.
DEFAULT_BASE_URL: Final[str]

# What override_default_base_url yields (its class is internal).
class _Override:
    url: str
    block_patreon: bool
    refused: list[str]

def default_base_url() -> str: ...
def override_default_base_url(url: str, block_patreon: bool = True) -> AbstractContextManager[_Override]: ...
