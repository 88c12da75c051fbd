from collections.abc import Callable

SOURCE: str
IS_MONOTONIC: bool

def monotonic() -> float: ...
def _find_monotonic() -> tuple[Callable[[], float], str]: ...
