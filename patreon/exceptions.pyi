from collections.abc import Iterable
from typing import Any, TypeVar

import requests

_E = TypeVar("_E", bound=BaseException)

__all__ = ['PatreonError', 'APIError', 'Unauthorized', 'Forbidden', 'NotFound', 'RateLimited', 'ServerError',
           'InvalidResponse', 'NotJSONResponse', 'InvalidErrorResponse', 'InvalidUnauthorizedResponse',
           'InvalidForbiddenResponse', 'InvalidNotFoundResponse', 'InvalidRateLimitedResponse', 'InvalidServerResponse',
           'NotJSONErrorResponse', 'NotJSONUnauthorizedResponse', 'NotJSONForbiddenResponse', 'NotJSONNotFoundResponse',
           'NotJSONRateLimitedResponse', 'NotJSONServerResponse', 'NoPrimaryData', 'APIErrorNoPrimaryData',
           'UnauthorizedNoPrimaryData', 'ForbiddenNoPrimaryData', 'NotFoundNoPrimaryData', 'RateLimitedNoPrimaryData',
           'ServerErrorNoPrimaryData', 'no_primary_data', 'OAuthError',
           'RequestBudgetExceeded', 'InvalidWebhook', 'InvalidSignature', 'TotalTimeout', 'PaginationError',
           'V1MethodRemoved', 'InvalidArgument', 'TokenStoreError', 'InvalidCredential', 'UnknownFieldError',
           'UnknownFieldWarning', 'UnknownScopeWarning', 'MissingAttributeWarning', 'RealPatreonBlocked',
           'PatchedRequestsIgnored',
           'error_class_for_status']

class PatreonError(Exception):
    # Pickles with its class, message and attributes; its response is left behind (None once unpickled).
    def __reduce__(self) -> tuple[Any, ...]: ...
    # The failed automatic token refresh behind this error (patreon.API with oauth_client), else None.
    refresh_error: BaseException | None

class APIError(PatreonError):
    status_code: int
    # The JSON:API error objects as Patreon sent them (normally dicts, but nothing checks that).
    errors: list[Any]
    request_id: str | None
    patreon_sha: str | None
    cf_ray: str | None
    @property
    def response_headers(self) -> dict[str, str]: ...
    response: requests.Response | None
    def __init__(
        self,
        status_code: int,
        errors: Iterable[Any] | None = None,
        request_id: str | None = None,
        response: requests.Response | None = None,
    ) -> None: ...

class Unauthorized(APIError): ...
class Forbidden(APIError): ...
class NotFound(APIError): ...

class RateLimited(APIError):
    retry_after: float | None
    def __init__(
        self,
        status_code: int,
        errors: Iterable[Any] | None = None,
        request_id: str | None = None,
        response: requests.Response | None = None,
        retry_after: float | None = None,
    ) -> None: ...

class ServerError(APIError): ...

class InvalidResponse(PatreonError, ValueError):
    status_code: int | None
    response: requests.Response | None
    def __init__(
        self, message: str, status_code: int | None = None, response: requests.Response | None = None
    ) -> None: ...

# A body that is not JSON: also the decode error 0.5.1 let through from response.json().
class NotJSONResponse(InvalidResponse, requests.exceptions.JSONDecodeError):
    @property
    def msg(self) -> str: ...  # type: ignore[override]
    request: None
    doc: str
    pos: int
    lineno: int
    colno: int

# An error status whose body is not a JSON object: the status's APIError, and an InvalidResponse.
class InvalidErrorResponse(APIError, InvalidResponse):
    status_code: int
    def __init__(
        self, message: str, status_code: int | None = None, response: requests.Response | None = None
    ) -> None: ...

class InvalidUnauthorizedResponse(Unauthorized, InvalidErrorResponse): ...
class InvalidForbiddenResponse(Forbidden, InvalidErrorResponse): ...
class InvalidNotFoundResponse(NotFound, InvalidErrorResponse): ...

class InvalidRateLimitedResponse(RateLimited, InvalidErrorResponse):
    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        response: requests.Response | None = None,
        retry_after: float | None = None,
    ) -> None: ...

class InvalidServerResponse(ServerError, InvalidErrorResponse): ...

# An error status whose body is not JSON at all: also a NotJSONResponse.
class NotJSONErrorResponse(InvalidErrorResponse, NotJSONResponse): ...
class NotJSONUnauthorizedResponse(InvalidUnauthorizedResponse, NotJSONErrorResponse): ...
class NotJSONForbiddenResponse(InvalidForbiddenResponse, NotJSONErrorResponse): ...
class NotJSONNotFoundResponse(InvalidNotFoundResponse, NotJSONErrorResponse): ...
class NotJSONRateLimitedResponse(InvalidRateLimitedResponse, NotJSONErrorResponse): ...
class NotJSONServerResponse(InvalidServerResponse, NotJSONErrorResponse): ...

# .data() of an errors document: the status's APIError, and an AttributeError as in 0.5.1.
class NoPrimaryData(PatreonError, AttributeError): ...
class APIErrorNoPrimaryData(APIError, NoPrimaryData): ...
class UnauthorizedNoPrimaryData(Unauthorized, NoPrimaryData): ...
class ForbiddenNoPrimaryData(Forbidden, NoPrimaryData): ...
class NotFoundNoPrimaryData(NotFound, NoPrimaryData): ...
class RateLimitedNoPrimaryData(RateLimited, NoPrimaryData): ...
class ServerErrorNoPrimaryData(ServerError, NoPrimaryData): ...

def no_primary_data(error: _E) -> _E: ...

class OAuthError(PatreonError):
    error: str
    error_description: str | None
    status_code: int | None
    response: requests.Response | None
    def __init__(
        self,
        error: str,
        error_description: str | None = None,
        status_code: int | None = None,
        response: requests.Response | None = None,
    ) -> None: ...

class RequestBudgetExceeded(PatreonError):
    retry_after: float | None
    def __init__(self, message: str, retry_after: float | None = None) -> None: ...

class InvalidWebhook(PatreonError, ValueError): ...
class InvalidSignature(InvalidWebhook): ...

class TotalTimeout(requests.exceptions.Timeout):
    total_timeout: float | None
    def __init__(self, message: str, total_timeout: float | None = None) -> None: ...

class PaginationError(PatreonError): ...

# HTTP status -> reason phrase; read by the package's own modules.
_REASONS: dict[int, str]

def error_class_for_status(status_code: int, invalid_body: bool = False, not_json: bool = False) -> type[APIError]: ...

# A method of patreon 0.5.0 (API v1): the message names the API v2 method to use and the migration guide's section.
class V1MethodRemoved(PatreonError, AttributeError):
    name: str | None
    replacement: str | None
    def __init__(self, message: str, name: str | None = None, replacement: str | None = None) -> None: ...

class InvalidArgument(PatreonError, ValueError): ...
class TokenStoreError(PatreonError, ValueError): ...
class InvalidCredential(InvalidArgument): ...
class UnknownFieldError(InvalidArgument): ...
class UnknownFieldWarning(UserWarning): ...
class UnknownScopeWarning(UnknownFieldWarning): ...
class MissingAttributeWarning(UserWarning): ...
class RealPatreonBlocked(PatreonError, RuntimeError): ...
class PatchedRequestsIgnored(RealPatreonBlocked): ...
