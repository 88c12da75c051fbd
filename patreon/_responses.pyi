import logging
from collections.abc import Iterable, Mapping
from typing import Any, Final, NoReturn

import requests

from ._typing import JSONObject
from .exceptions import APIError
from .jsonapi.parser import JSONAPIParser
from ._masking import MASK as MASK, MIN_SECRET_LENGTH as MIN_SECRET_LENGTH, Mask

logger: logging.Logger

EXCERPT_LENGTH: Final = 200
MAX_EXPIRES_IN: Final = 31622400

class ErrorDocument(dict[str, Any]):
    error: APIError
    def __init__(self, body: Mapping[str, Any], error: APIError) -> None: ...
    # Always raises `error`: code written for a successful answer fails with the API's error.
    def data(self) -> NoReturn: ...

def decode_json(response: requests.Response, secrets: Iterable[str | None] = ()) -> Any: ...
def api_error(response: requests.Response, body: Any, secrets: Iterable[str | None] = ()) -> APIError: ...
def api_result(
    response: requests.Response,
    raise_errors: bool = False,
    secrets: Iterable[str | None] = (),
    document_expected: bool = True,
) -> JSONAPIParser | ErrorDocument | None: ...
def resource_key(resource: object) -> tuple[str, str] | None: ...
def oauth_result(
    response: requests.Response,
    raise_errors: bool = False,
    secrets: Iterable[str | None] = (),
    now: float | None = None,
) -> JSONObject: ...
def reason_phrase(response: requests.Response, secrets: Mask | Iterable[object] = ...) -> str: ...
