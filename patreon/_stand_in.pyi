from collections.abc import Callable, Mapping
from typing import Any

from .jsonapi.parser import JSONAPIParser

def stand_in(method: str) -> Callable[..., Any] | None: ...
def get_document(
    function: Callable[..., Any], url: str, token: str | None, user_agent: str
) -> JSONAPIParser | dict[str, Any]: ...
def post_token_request(
    function: Callable[..., Any], url: str, params: Mapping[str, Any], user_agent: str
) -> Any: ...
