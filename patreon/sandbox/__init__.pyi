# The public face of the sandbox. Its internal modules have no stubs: they are not API, and may change.
import datetime
import ssl
from collections.abc import Iterable
from typing import Any
from typing_extensions import Self

__all__ = ['Sandbox', 'Delivery', 'RequestRecord', 'ALL_SCOPES', 'TRIGGERS', 'FAULT_KINDS', 'sign']

ALL_SCOPES: tuple[str, ...]
TRIGGERS: tuple[str, ...]
# Fault kind -> its options and their defaults.
FAULT_KINDS: dict[str, dict[str, Any]]

def sign(secret: str | bytes, body: bytes) -> str: ...

class Delivery:
    webhook_id: str
    uri: str
    trigger: str
    headers: dict[str, str]
    body: bytes
    # The receiver's HTTP status; None when it never answered.
    status: int | None
    # What went wrong; None after a 2xx.
    error: str | None
    def __init__(self, webhook_id: str, uri: str, trigger: str, headers: dict[str, str], body: bytes) -> None: ...
    @property
    def ok(self) -> bool: ...

class RequestRecord:
    method: str
    path: str
    # The raw query string.
    query: str
    # None when the connection was reset on purpose.
    status: int | None
    headers: dict[str, str]
    def __init__(self, method: str, path: str, query: str, status: int | None, headers: dict[str, str]) -> None: ...

class Sandbox:
    host: str
    port: int
    ssl_context: ssl.SSLContext | None
    creator_token: str
    creator_refresh_token: str
    # Every request served and every webhook delivery attempt, in order (emptied by clear_log()).
    requests: list[RequestRecord]
    deliveries: list[Delivery]
    def __init__(
        self,
        members: int = 100,
        seed: int = 0,
        host: str = '127.0.0.1',
        port: int = 0,
        token_ttl: int = 2678400,
        # True: Patreon's 100 requests per 2 seconds per client; or (limit, period in seconds).
        rate_limit: bool | tuple[int, float] = False,
        ssl_context: ssl.SSLContext | None = None,
        posts: int = 25,
        epoch: datetime.datetime | None = None,
        webhook_timeout: float = 5.0,
    ) -> None: ...
    def start(self) -> Self: ...
    def stop(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc_info: object) -> None: ...
    @property
    def url(self) -> str: ...
    @property
    def campaign_id(self) -> str: ...
    @property
    def creator_user_id(self) -> str: ...
    @property
    def patron_user_id(self) -> str: ...
    @property
    def tier_ids(self) -> list[str]: ...
    @property
    def client_id(self) -> str: ...
    @property
    def client_secret(self) -> str: ...
    @property
    def redirect_uri(self) -> str: ...
    @property
    def clients(self) -> dict[str, Any]: ...
    def register_redirect_uri(self, uri: str) -> None: ...
    def issue_tokens(
        self,
        user_id: str | None = None,
        scopes: Iterable[str] | None = None,
        expires_in: int | None = None,
        client_id: str | None = None,
    ) -> dict[str, Any]: ...
    def expire_access_token(self, token: str) -> None: ...
    def pledge(self, tier_id: str, user_id: str | None = None) -> str: ...
    def update_pledge(self, member_id: str, tier_id: str) -> None: ...
    def cancel_pledge(self, member_id: str) -> None: ...
    def publish_post(
        self, title: str, is_public: bool = True, content: str | None = None, tier_ids: Iterable[str] | None = None
    ) -> str: ...
    def update_post(self, post_id: str, title: str | None = None, content: str | None = None) -> None: ...
    def delete_post(self, post_id: str) -> None: ...
    # kind: 'rate_limit' (retry_after=, header=), 'server_error' (status=), 'truncated', 'reset', 'delay' (seconds=),
    # 'stall'.
    def inject_fault(self, route: str, kind: str, count: int = 1, **options: Any) -> None: ...
    def clear_faults(self) -> None: ...
    def clear_log(self) -> None: ...
    @property
    def webhook_ssl_context(self) -> ssl.SSLContext | None: ...
    @webhook_ssl_context.setter
    def webhook_ssl_context(self, context: ssl.SSLContext | None) -> None: ...
