# Type aliases shared by the stubs. Stub-only: nothing of this exists at runtime, so import it only under
# `if TYPE_CHECKING:` (or in quotes) in your own code.
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from typing_extensions import TypeAlias

import requests

from .pacing import Pacer, RequestBudget
from .retry import RetryPolicy

# Seconds to connect and for each read, or (connect, read); finite, above 0 (checked when the client is made).
Timeout: TypeAlias = float | tuple[float, float]
# A JSON object as decoded by the json module.
JSONObject: TypeAlias = dict[str, Any]
# Relationship names: a list, or one comma-separated string.
Includes: TypeAlias = Iterable[str]
# JSON:API type -> attribute names (a list, or one comma-separated string).
Fields: TypeAlias = Mapping[str, Iterable[str]]

# What `API(...).transport` and `OAuth(...).transport` offer: the session, the base URL and the policies of each
# request (the class itself is internal).
class Transport(Protocol):
    timeout: Timeout
    total_timeout: float
    retry: RetryPolicy
    # Replaceable, e.g. by a test that records the waits instead of sleeping.
    sleep: Callable[[float], object]
    pacer: Pacer | None
    budget: RequestBudget | None
    # Left as default: patreon.endpoint.default_base_url() at each access. Setting it pins it.
    @property
    def base_url(self) -> str: ...
    @base_url.setter
    def base_url(self, url: str) -> None: ...
    @property
    def session(self) -> requests.Session: ...
    def url(self, path: str) -> str: ...
    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response: ...
    def close(self) -> None: ...
