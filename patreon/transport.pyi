import logging
from collections.abc import Callable
from typing import Any, Final

import requests

from ._policy import Policy
from ._typing import TimeoutSeconds
from .pacing import Pacer, RequestBudget
from .retry import (
    MAX_RETRY_AFTER as MAX_RETRY_AFTER,
    MAX_SECONDS as MAX_SECONDS,
    RETRY_EXCEPTIONS as RETRY_EXCEPTIONS,
    RETRY_METHODS as RETRY_METHODS,
    RETRY_STATUSES as RETRY_STATUSES,
    RetryPolicy as RetryPolicy,
    check_seconds as check_seconds,
    retry_after_seconds as retry_after_seconds,
    retry_policy as retry_policy,
)

logger: logging.Logger

DEFAULT_BASE_URL: Final = 'https://www.patreon.com'
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_TOTAL_TIMEOUT: Final = 120.0

class Timeout(Policy):
    @property
    def connect(self) -> float: ...
    @property
    def read(self) -> float: ...
    @property
    def total(self) -> float: ...
    def __init__(self, connect: float = 30.0, read: float = 30.0, total: float = 120.0) -> None: ...

def timeout_policy(value: Timeout | TimeoutSeconds) -> Timeout: ...

class Transport:
    timeout: Timeout
    retry: RetryPolicy
    # Replaceable, e.g. by a test that records the waits instead of sleeping.
    sleep: Callable[[float], object]
    pacer: Pacer | None
    budget: RequestBudget | None
    def __init__(
        self,
        base_url: str = ...,
        session: requests.Session | None = None,
        timeout: Timeout | TimeoutSeconds = 30.0,
        retry: RetryPolicy | int | None = None,
    ) -> None: ...
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
