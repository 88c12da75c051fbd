"""A monotonic clock on every interpreter: waits and deadlines that a step of the wall clock cannot stretch.

Python 2.7 reads ``clock_gettime``/``GetTickCount64`` through ``ctypes`` (found at the first reading); without
either, :func:`time.time` is used and :func:`source` says so.
"""
import os
import sys
import time

# CLOCK_MONOTONIC's number where it is not Linux's 1.
_CLOCK_MONOTONIC = {'darwin': 6, 'freebsd': 4, 'openbsd': 3, 'netbsd': 3}


def _clock_gettime():
    """``clock_gettime(CLOCK_MONOTONIC)`` through ctypes, or ``None`` where the C library has none."""
    import ctypes
    import ctypes.util

    class Timespec(ctypes.Structure):
        _fields_ = [('tv_sec', ctypes.c_long), ('tv_nsec', ctypes.c_long)]

    name = ctypes.util.find_library('c') or ctypes.util.find_library('rt')
    function = getattr(ctypes.CDLL(name, use_errno=True), 'clock_gettime', None)
    if function is None:
        return None
    function.argtypes = [ctypes.c_int, ctypes.POINTER(Timespec)]
    function.restype = ctypes.c_int
    clock_id = next((value for prefix, value in _CLOCK_MONOTONIC.items() if sys.platform.startswith(prefix)), 1)

    def monotonic():
        value = Timespec()  # one per call: many threads read the clock at once
        if function(clock_id, ctypes.byref(value)) != 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        return value.tv_sec + value.tv_nsec * 1e-9

    monotonic()  # a clock the kernel refuses is found out here, not in the middle of a wait
    return monotonic


def _tick_count():
    """Windows's ``GetTickCount64`` (milliseconds since boot) in seconds, or ``None``."""
    import ctypes
    function = getattr(getattr(getattr(ctypes, 'windll', None), 'kernel32', None), 'GetTickCount64', None)
    if function is None:
        return None
    function.restype = ctypes.c_ulonglong
    return lambda: function() / 1000.0


def _find_monotonic():
    """``(clock, source)``: the first monotonic clock ctypes reaches here, or ``(time.time, ...)``."""
    for find, source in ((_clock_gettime, 'clock_gettime(CLOCK_MONOTONIC)'), (_tick_count, 'GetTickCount64')):
        try:
            clock = find()
        except (ImportError, OSError, AttributeError, ValueError, TypeError):
            clock = None
        if clock is not None:
            return clock, source
    return time.time, 'time.time'


def _first_found():  # pragma: no cover - Python 2.7
    # Found on the first reading, not at import: ctypes and find_library (which runs ldconfig) were about half of
    # what `import patreon` cost on 2.7.
    if not _FOUND:
        _FOUND[:] = _find_monotonic()
    return _FOUND[0]()


if hasattr(time, 'monotonic'):
    monotonic = time.monotonic
    _FOUND = [time.monotonic, 'time.monotonic']  # type: list
else:  # pragma: no cover - Python 2.7
    monotonic = _first_found
    _FOUND = []


def source():
    """``(name, monotonic)``: the clock :func:`monotonic` reads; ``time.time``, not monotonic, where none was found."""
    if not _FOUND:
        monotonic()
    return _FOUND[1], _FOUND[0] is not time.time
