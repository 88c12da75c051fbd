from typing import Any, Final

__all__ = ['EXIT_OK', 'EXIT_FAILURE', 'EXIT_USAGE', 'EXIT_UNAUTHORIZED', 'EXIT_FORBIDDEN', 'EXIT_NOT_FOUND',
           'EXIT_RATE_LIMITED', 'EXIT_NETWORK', 'EXIT_SERVER', 'EXIT_OUTPUT', 'EXIT_INTERRUPTED', 'EXIT_STATUSES',
           'CommandFailed', 'UsageError', 'describe_failure']

EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2
EXIT_UNAUTHORIZED: Final = 3
EXIT_FORBIDDEN: Final = 4
EXIT_NOT_FOUND: Final = 5
EXIT_RATE_LIMITED: Final = 6
EXIT_NETWORK: Final = 7
EXIT_SERVER: Final = 8
EXIT_OUTPUT: Final = 9
EXIT_INTERRUPTED: Final = 130
EXIT_STATUSES: tuple[tuple[int, str], ...]

class CommandFailed(Exception):
    exit_status: int
    def __init__(self, message: str, exit_status: int | None = None) -> None: ...

class UsageError(CommandFailed): ...

def describe_failure(exc: BaseException, options: Any) -> tuple[int, str] | None: ...
