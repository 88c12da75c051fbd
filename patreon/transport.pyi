import logging
from collections.abc import Callable
from typing import Any, Final

import requests

from ._typing import Timeout

logger: logging.Logger

DEFAULT_BASE_URL: Final = 'https://www.patreon.com'
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_TOTAL_TIMEOUT: Final = 120.0
MAX_RETRY_AFTER: Final = 86400.0
MAX_SECONDS: Final = 86400.0
RETRY_STATUSES: frozenset[int]
RETRY_METHODS: frozenset[str]
RETRY_EXCEPTIONS: tuple[type[requests.RequestException], ...]

class RetryPolicy:
    max_retries: int
    max_retry_wait: float
    backoff_factor: float
    backoff_max: float
    def __init__(
        self, max_retries: int = 3, max_retry_wait: float = 60.0, backoff_factor: float = 0.5, backoff_max: float = 20.0
    ) -> None: ...
    def backoff(self, attempt: int) -> float: ...
    def wait_after_error(self, method: str, attempt: int) -> float | None: ...
    def wait_after_response(self, method: str, response: requests.Response, attempt: int) -> float | None: ...

def retry_after_seconds(response: requests.Response) -> float | None: ...

class Transport:
    base_url: str
    timeout: Timeout
    total_timeout: float
    retry: RetryPolicy
    # Replaceable, e.g. by a test that records the waits instead of sleeping.
    sleep: Callable[[float], object]
    def __init__(
        self,
        base_url: str = 'https://www.patreon.com',
        session: requests.Session | None = None,
        timeout: Timeout = 30.0,
        retry: RetryPolicy | None = None,
        total_timeout: float = 120.0,
    ) -> None: ...
    @property
    def session(self) -> requests.Session: ...
    def url(self, path: str) -> str: ...
    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response: ...
    def close(self) -> None: ...
