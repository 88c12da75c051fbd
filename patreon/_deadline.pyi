import logging
import threading

import requests

logger: logging.Logger
REPEAT: float

class _Watchdog:
    pid: int
    def watch(self, seconds: float) -> _Watch: ...
    def release(self, watch: _Watch) -> bool: ...
    def retire(self) -> None: ...

class _Watch:
    deadline: float
    thread: int
    sockets: list[object]
    fired: bool
    def __init__(self, dog: _Watchdog, deadline: float) -> None: ...
    def uses(self, connection: object) -> None: ...
    def release(self) -> bool: ...

_current: threading.local

def watch(seconds: float) -> _Watch: ...
def watch_pools(session: requests.Session) -> None: ...
