from collections.abc import Mapping
from typing import Any, Final

from ..api import API
from ._console import ConsoleWriter, Progress

__all__ = ['PROG', 'TOKEN_ENVIRONMENT_VARIABLE', 'USER_AGENT_ENVIRONMENT_VARIABLE', 'BASE_URL_VARIABLE',
           'SANDBOX_URL_VARIABLE', 'SANDBOX_KEY_VARIABLE', 'CA_BUNDLE_VARIABLES', 'Context',
           'check_requests_environment']

PROG: Final = 'patreon'
TOKEN_ENVIRONMENT_VARIABLE: Final = 'PATREON_ACCESS_TOKEN'
USER_AGENT_ENVIRONMENT_VARIABLE: Final = 'PATREON_USER_AGENT'
BASE_URL_VARIABLE: Final = 'PATREON_BASE_URL'
SANDBOX_URL_VARIABLE: Final = 'PATREON_SANDBOX_URL'
SANDBOX_KEY_VARIABLE: Final = 'PATREON_SANDBOX_KEY'
CA_BUNDLE_VARIABLES: tuple[str, ...]

class Context:
    options: Any
    stdout: ConsoleWriter
    stderr: ConsoleWriter
    environ: Mapping[str, str]
    token: str | None
    control_key: str | None
    partial: tuple[int, Any, str] | None
    def __init__(self, options: Any, stdout: ConsoleWriter, stderr: ConsoleWriter,
                 environ: Mapping[str, str]) -> None: ...
    @property
    def api(self) -> API: ...
    def access_token(self) -> str: ...
    def base_url(self) -> str: ...
    def user_agent(self) -> str | None: ...
    @property
    def secrets(self) -> tuple[str, ...]: ...
    @property
    def output_format(self) -> str: ...
    @property
    def raw_csv(self) -> bool: ...
    def progress(self, label: str) -> Progress: ...
    def close(self) -> None: ...

def check_requests_environment(environ: Mapping[str, str]) -> None: ...
