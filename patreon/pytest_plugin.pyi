from collections.abc import Iterator
from typing import Any, Final

from .api import API
from .sandbox import Sandbox

__all__ = ['patreon_sandbox', 'patreon_api', 'MARKER', 'DEFAULT_SEED']

MARKER: Final = 'patreon_sandbox'
DEFAULT_SEED: Final = 0

# pytest's hooks (found by pytest by their names), then the fixtures; pytest's parser, config and request objects:
# typed Any so that the stubs need no pytest to be read.
def pytest_addoption(parser: Any) -> None: ...
def pytest_configure(config: Any) -> None: ...
def pytest_report_header(config: Any) -> list[str]: ...
def patreon_sandbox(request: Any) -> Iterator[Sandbox]: ...
def patreon_api(patreon_sandbox: Sandbox) -> Iterator[API]: ...
