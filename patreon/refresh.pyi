import logging
from collections.abc import Callable
from typing import Any, Final, Protocol

from ._policy import Policy
from ._typing import JSONObject
from .refresh_failure import (
    RefreshFailure as RefreshFailure,
    explained as explained,
    refused_elsewhere as refused_elsewhere,
    route_of as route_of,
    stored_expiry as stored_expiry,
    usable_tokens as usable_tokens,
)
from .exceptions import TokenStoreError
from .tokens import TokenStore

logger: logging.Logger

DEFAULT_REFRESH_MARGIN: Final[int]
FRESH_FOR: Final[float]

class _Refresher(Protocol):
    def refresh_token(self, refresh_token: str) -> Any: ...

class RefreshPolicy(Policy):
    @property
    def oauth_client(self) -> _Refresher: ...
    @property
    def on_token_refresh(self) -> Callable[[JSONObject], object] | None: ...
    @property
    def margin(self) -> float: ...
    def __init__(
        self,
        oauth_client: _Refresher,
        on_token_refresh: Callable[[JSONObject], object] | None = None,
        margin: float = 1209600,
    ) -> None: ...

def refresh_policy(value: RefreshPolicy | None) -> RefreshPolicy | None: ...

class TokenRefresh:
    access_token: str
    refresh_token: str | None
    oauth_client: Any
    on_token_refresh: Callable[[JSONObject], object] | None
    expires_at: float | None
    refresh_margin: float
    token_store: TokenStore | None
    clock: Callable[[], float]
    def __init__(
        self,
        access_token: str | None,
        refresh_token: str | None = None,
        policy: RefreshPolicy | None = None,
        expires_at: float | None = None,
        token_store: TokenStore | None = None,
    ) -> None: ...
    def before_call(self) -> None: ...
    @property
    def callbacks_pending(self) -> bool: ...
    def records_responses_to(self, token: str | None) -> bool: ...
    def snapshot(self) -> tuple[str, int]: ...
    def after_401(self, failed_token: str, refreshes_seen: int, route: str) -> tuple[bool, RefreshFailure | None]: ...
    def record_response(self, token: str, status_code: int, route: str) -> RefreshFailure | None: ...
    def run_callbacks(self) -> None: ...
    def save_unsaved(self) -> None: ...
    def take_save_failure(self) -> TokenStoreError | None: ...
