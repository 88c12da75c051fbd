import logging
from collections.abc import Callable
from typing import Any, Final

import requests

from ._typing import Timeout
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
)

logger: logging.Logger

DEFAULT_BASE_URL: Final = 'https://www.patreon.com'
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_TOTAL_TIMEOUT: Final = 120.0

class Transport:
    timeout: Timeout
    total_timeout: float
    retry: RetryPolicy
    # Replaceable, e.g. by a test that records the waits instead of sleeping.
    sleep: Callable[[float], object]
    pacer: Pacer | None
    budget: RequestBudget | None
    def __init__(
        self,
        base_url: str = 'https://www.patreon.com',
        session: requests.Session | None = None,
        timeout: Timeout = 30.0,
        retry: RetryPolicy | None = None,
        total_timeout: float = 120.0,
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
