from contextlib import AbstractContextManager

__all__ = ['STOP_SIGNALS', 'Stopped', 'stop_on_signals']

STOP_SIGNALS: tuple[str, ...]

class Stopped(KeyboardInterrupt):
    signal_name: str
    def __init__(self, signal_name: str) -> None: ...

def stop_on_signals() -> AbstractContextManager[None]: ...
