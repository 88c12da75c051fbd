from typing import Any

from ._exit_status import CommandFailed

__all__ = ['OutputFailed', 'OutputFile']

class OutputFailed(CommandFailed): ...

class OutputFile:
    path: str
    temporary_path: str | None
    direct: bool
    stream: Any
    committed: bool
    def __init__(self, path: str) -> None: ...
    def commit(self) -> None: ...
    def discard(self) -> None: ...
