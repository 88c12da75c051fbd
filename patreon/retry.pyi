from typing import Final

import requests

from ._typing import Policy

__all__ = ['RetryPolicy', 'MAX_RETRY_AFTER', 'MAX_SECONDS', 'RETRY_STATUSES', 'RETRY_METHODS', 'RETRY_EXCEPTIONS']

MAX_RETRY_AFTER: Final = 86400.0
MAX_SECONDS: Final = 86400.0
RETRY_STATUSES: frozenset[int]
RETRY_METHODS: frozenset[str]
RETRY_EXCEPTIONS: tuple[type[requests.RequestException], ...]

class RetryPolicy(Policy):
    @property
    def max_retries(self) -> int: ...
    @property
    def max_retry_wait(self) -> float: ...
    @property
    def backoff_factor(self) -> float: ...
    @property
    def backoff_max(self) -> float: ...
    def __init__(
        self, max_retries: int = 3, max_retry_wait: float = 60.0, backoff_factor: float = 0.5, backoff_max: float = 20.0
    ) -> None: ...
    def backoff(self, attempt: int) -> float: ...
    def wait_after_error(self, method: str, attempt: int) -> float | None: ...
    def wait_after_response(self, method: str, response: requests.Response, attempt: int) -> float | None: ...
