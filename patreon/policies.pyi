from collections.abc import Callable
from typing import Final

from ._typing import JSONObject, Policy, Refresher

__all__ = ['Timeout', 'RefreshPolicy', 'DEFAULT_TIMEOUT', 'DEFAULT_TOTAL_TIMEOUT', 'DEFAULT_REFRESH_MARGIN']

DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_TOTAL_TIMEOUT: Final = 120.0
DEFAULT_REFRESH_MARGIN: Final[int]

# Seconds a request may take (each above 0, at most a day); immutable, shareable between clients.
class Timeout(Policy):
    @property
    def connect(self) -> float: ...
    @property
    def read(self) -> float: ...
    @property
    def total(self) -> float: ...
    def __init__(self, connect: float = 30.0, read: float = 30.0, total: float = 120.0) -> None: ...

# How a client refreshes its tokens (refuses to be pickled: its OAuth client holds the client secret).
class RefreshPolicy(Policy):
    @property
    def oauth_client(self) -> Refresher: ...
    @property
    def on_token_refresh(self) -> Callable[[JSONObject], object] | None: ...
    @property
    def margin(self) -> float: ...
    def __init__(
        self,
        oauth_client: Refresher,
        on_token_refresh: Callable[[JSONObject], object] | None = None,
        margin: float = 1209600,
    ) -> None: ...
