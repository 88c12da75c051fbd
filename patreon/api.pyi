import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, NoReturn, overload
from typing_extensions import ParamSpec, Self, TypeAlias

import requests

from ._typing import Fields, Includes, JSONObject, TimeoutSeconds, Transport
from .exceptions import APIError
from .jsonapi.parser import JSONAPIParser, JSONAPIResource
from .oauth import OAuth
from .pacing import Limits
from .policies import RefreshPolicy, Timeout
from .retry import RetryPolicy
from .tokens import TokenStore

__all__ = ['API', 'ErrorDocument', 'API_ROOT', 'LIVE_STATES']

_P = ParamSpec('_P')

API_ROOT: Final = '/api/oauth2/v2/'
LIVE_STATES: Final[tuple[str, str, str]]

# The errors document Patreon answered (a dict, as 0.5.1 returned it), when raise_errors is off.
class ErrorDocument(dict[str, Any]):
    error: APIError
    def __init__(self, body: Mapping[str, Any], error: APIError) -> None: ...
    # Raises `error` (also an AttributeError) on access: code written for a successful answer fails with it.
    @property
    def data(self) -> NoReturn: ...

# What a route gives: the parsed document, or (without raise_errors) the errors document Patreon answered,
# whose data() raises the matching patreon.exceptions.APIError. Both have data().
_Result: TypeAlias = JSONAPIParser | ErrorDocument
_ResourceId: TypeAlias = str | int
# A cursor of a previous page, or a datetime (sent as UTC ISO 8601).
_Cursor: TypeAlias = str | datetime.datetime

class API:
    access_token: str
    raise_errors: bool
    strict_fields: bool
    refresh_token: str | None
    oauth_client: OAuth | None
    on_token_refresh: Callable[[JSONObject], object] | None
    transport: Transport
    limits: Limits
    user_agent: str | None
    def __init__(
        self,
        access_token: str | None,
        session: requests.Session | None = None,
        timeout: Timeout | TimeoutSeconds = 30.0,
        base_url: str = ...,
        raise_errors: bool = False,
        retry: RetryPolicy | int | None = ...,
        refresh: RefreshPolicy | None = None,
        limits: Limits | None = ...,
        refresh_token: str | None = None,
        expires_at: float | None = None,
        token_store: TokenStore | None = None,
        scopes: str | Iterable[str] | None = None,
        strict_fields: bool = False,
        user_agent: str | None = None,
    ) -> None: ...
    # The token's scopes (from the last refresh's answer, else as given), or None when not known.
    @property
    def scopes(self) -> frozenset[str] | None: ...
    @scopes.setter
    def scopes(self, scopes: str | Iterable[str] | None) -> None: ...
    expires_at: float | None
    @property
    def token_store(self) -> TokenStore | None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc_info: object) -> None: ...
    def close(self) -> None: ...
    def get_identity(self, includes: Includes | None = None, fields: Fields | None = None) -> _Result: ...
    def get_campaigns(
        self,
        page_size: int,
        cursor: _Cursor | None = None,
        includes: Includes | None = None,
        fields: Fields | None = None,
    ) -> _Result: ...
    def get_campaigns_by_id(
        self, resource_id: _ResourceId, includes: Includes | None = None, fields: Fields | None = None
    ) -> _Result: ...
    def get_campaigns_by_id_members(
        self,
        resource_id: _ResourceId,
        page_size: int,
        cursor: _Cursor | None = None,
        includes: Includes | None = None,
        fields: Fields | None = None,
    ) -> _Result: ...
    def get_members_by_id(
        self, resource_id: _ResourceId, includes: Includes | None = None, fields: Fields | None = None
    ) -> _Result: ...
    def get_webhooks(
        self,
        page_size: int,
        cursor: _Cursor | None = None,
        includes: Includes | None = None,
        fields: Fields | None = None,
    ) -> _Result: ...
    def get_webhooks_by_id(
        self, resource_id: _ResourceId, includes: Includes | None = None, fields: Fields | None = None
    ) -> _Result: ...
    def get_campaigns_by_id_posts(
        self,
        resource_id: _ResourceId,
        page_size: int,
        cursor: _Cursor | None = None,
        includes: Includes | None = None,
        fields: Fields | None = None,
    ) -> _Result: ...
    def get_posts_by_id(
        self, resource_id: _ResourceId, includes: Includes | None = None, fields: Fields | None = None
    ) -> _Result: ...
    def create_webhook(
        self, campaign_id: _ResourceId, uri: str, triggers: str | list[str] | tuple[str, ...]
    ) -> _Result: ...
    def update_webhook(
        self,
        webhook_id: _ResourceId,
        uri: str | None = None,
        triggers: str | list[str] | tuple[str, ...] | None = None,
        paused: bool | None = None,
    ) -> _Result: ...
    # None when Patreon answers 204, as it does.
    def delete_webhook(self, webhook_id: _ResourceId) -> _Result | None: ...

    # Lives (early access). `stream_key` and `rtmp_url` in their answers are credentials.
    def get_lives_by_id(
        self, resource_id: _ResourceId, includes: Includes | None = None, fields: Fields | None = None
    ) -> _Result: ...
    # `state`: 'pre_live', 'live' or 'live_ended'; `scheduled_for` a datetime (sent as UTC ISO 8601) or ISO text.
    def create_live(
        self,
        state: str = 'pre_live',
        title: str | None = None,
        description: str | None = None,
        scheduled_for: datetime.datetime | str | None = None,
        live_access_rule_ids: Iterable[_ResourceId] | _ResourceId | None = None,
    ) -> _Result: ...
    def update_live(self, live_id: _ResourceId, state: str) -> _Result: ...
    # None when Patreon answers 204, as it does.
    def delete_live(self, live_id: _ResourceId) -> _Result | None: ...

    # The arguments are those of `method` (cursor included: the first page to fetch); with `prefetch=` as well,
    # a ParamSpec cannot take one more keyword, so they are not checked against the method's then.
    @overload
    def paginate(
        self, method: Callable[..., _Result], *args: Any, prefetch: bool, **kwargs: Any
    ) -> Iterator[JSONAPIResource]: ...
    @overload
    def paginate(
        self, method: Callable[_P, _Result], *args: _P.args, **kwargs: _P.kwargs
    ) -> Iterator[JSONAPIResource]: ...
    @overload
    def paginate_pages(
        self, method: Callable[..., _Result], *args: Any, prefetch: bool, **kwargs: Any
    ) -> Iterator[JSONAPIParser]: ...
    @overload
    def paginate_pages(
        self, method: Callable[_P, _Result], *args: _P.args, **kwargs: _P.kwargs
    ) -> Iterator[JSONAPIParser]: ...
    @staticmethod
    def extract_cursor(
        jsonapi_document: JSONAPIParser | Mapping[str, Any], cursor_path: str | None = 'links.next'
    ) -> str | None: ...
