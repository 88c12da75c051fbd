from collections.abc import Iterable
from typing import Final

import requests

from ._typing import JSONObject, TimeoutSeconds, Transport
from .pacing import Limits
from .policies import Timeout

__all__ = ['OAuth', 'make_state', 'check_state', 'AUTHORIZE_PATH', 'TOKEN_PATH', 'BECOME_PATRON_PATH']

AUTHORIZE_PATH: Final = '/oauth2/authorize'
TOKEN_PATH: Final = '/api/oauth2/token'
BECOME_PATRON_PATH: Final = '/oauth2/become-patron'

class OAuth:
    client_id: str
    client_secret: str
    raise_errors: bool
    transport: Transport
    user_agent: str | None
    def __init__(
        self,
        client_id: str,
        client_secret: str,
        session: requests.Session | None = None,
        timeout: Timeout | TimeoutSeconds = 30.0,
        base_url: str = ...,
        raise_errors: bool = False,
        user_agent: str | None = None,
        limits: Limits | None = ...,
    ) -> None: ...
    # `scopes`: scope names, or one space-separated string.
    def get_authorization_url(
        self, redirect_uri: str, scopes: Iterable[str] | None = None, state: str | None = None
    ) -> str: ...
    # `min_cents`: an int above 0 (or a string of digits).
    def get_become_patron_url(
        self, redirect_uri: str, min_cents: int | str, scopes: Iterable[str] | None = None, state: str | None = None
    ) -> str: ...
    # Token answers are Patreon's dict (access_token, refresh_token, expires_in, expires_at, scope, token_type),
    # or Patreon's error dict ({"error": "invalid_grant"}) without raise_errors.
    def get_tokens(self, code: str, redirect_uri: str) -> JSONObject: ...
    def refresh_token(self, refresh_token: str, redirect_uri: str | None = None) -> JSONObject: ...

def make_state() -> str: ...
def check_state(expected: str | bytes | None, received: str | bytes | None) -> bool: ...
