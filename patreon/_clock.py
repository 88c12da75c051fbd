"""A monotonic clock on every interpreter: waits and deadlines that a step of the wall clock cannot stretch.

Python 2.7 reads ``clock_gettime``/``GetTickCount64`` through ``ctypes``; without either :data:`IS_MONOTONIC` is
``False`` and :func:`time.time` is used.
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


if hasattr(time, 'monotonic'):
    monotonic = time.monotonic
    SOURCE = 'time.monotonic'
else:  # pragma: no cover - Python 2.7
    monotonic, SOURCE = _find_monotonic()
#: Whether :func:`monotonic` is a monotonic clock (``False`` only where none could be found: see above).
IS_MONOTONIC = monotonic is not time.time
