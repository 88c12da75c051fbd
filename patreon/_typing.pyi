# Type aliases shared by the stubs. Stub-only: nothing of this exists at runtime, so import it only under
# `if TYPE_CHECKING:` (or in quotes) in your own code.
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from typing_extensions import Self, TypeAlias

import requests

from .pacing import Pacer, RequestBudget
from .policies import Timeout
from .retry import RetryPolicy

# Seconds, or (connect, read): what a client's `timeout` takes besides a patreon.Timeout.
TimeoutSeconds: TypeAlias = float | tuple[float, float]
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

# What the policy objects (patreon.Timeout, RetryPolicy, Limits, RefreshPolicy) share: immutable settings, checked
# when made, compared by value; .replace() makes a checked copy.
class Policy:
    def replace(self, **changes: Any) -> Self: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

# What refreshes tokens: a patreon.OAuth, or any object with its refresh_token method.
class Refresher(Protocol):
    def refresh_token(self, refresh_token: str) -> Any: ...
