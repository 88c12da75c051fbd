from contextlib import AbstractContextManager

__all__ = ['Interrupted', 'stop_signals', 'STOP_SIGNALS']

STOP_SIGNALS: tuple[str, ...]

class Interrupted(KeyboardInterrupt):
    signum: int
    def __init__(self, signum: int) -> None: ...

def stop_signals() -> AbstractContextManager[None]: ...
