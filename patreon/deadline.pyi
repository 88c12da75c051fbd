import logging
from types import FrameType

logger: logging.Logger
REPEAT: float

class _Watchdog:
    pid: int
    def watch(self, seconds: float, frame: FrameType) -> _Watch: ...
    def release(self, watch: _Watch) -> bool: ...

class _Watch:
    deadline: float
    thread: int
    frame: FrameType | None
    fired: bool
    def __init__(self, dog: _Watchdog, deadline: float, frame: FrameType) -> None: ...
    def release(self) -> bool: ...

def watch(seconds: float, frame: FrameType) -> _Watch: ...
