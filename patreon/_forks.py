"""A child of ``fork()`` starts with connections, locks and counts of its own.

Objects holding such state register with :func:`track`; in the child, their ``_after_fork()`` runs: through
``os.register_at_fork`` (3.7+), else on the first :func:`check` that sees a new process id (2.7, 3.6).
"""
import os
import threading
import weakref

_HOOKED = hasattr(os, 'register_at_fork')
_tracked = weakref.WeakSet()  # type: weakref.WeakSet
_lock = threading.Lock()
_pid = os.getpid()
#: Module-level resets (each a function of no argument), run in the child before the objects'.
_module_resets = []  # type: list
# Process id -> the lock its threads take to reset it (2.7, 3.6): a new one in each child, never an inherited one.
_resetting = {}  # type: dict


def track(obj):
    """Have ``obj._after_fork()`` called in every child forked from now on (held weakly)."""
    with _lock:
        _tracked.add(obj)
    return obj


def on_fork(reset):
    """Have ``reset()`` run in every child (module state: caches of shared objects, process-wide threads)."""
    _module_resets.append(reset)
    return reset


def check():
    """In a child this process has not reset yet (only where ``os.register_at_fork`` is missing), reset it."""
    if not _HOOKED and _pid != os.getpid():
        # The child's other threads wait for the one resetting it: none uses what the parent left meanwhile.
        with _resetting.setdefault(os.getpid(), threading.Lock()):
            if _pid != os.getpid():
                _in_child()


def _in_child():
    global _lock, _pid
    # A lock a vanished thread held is never released: the child takes new ones, never the inherited ones.
    _lock = threading.Lock()
    for reset in list(_module_resets):
        reset()
    for obj in list(_tracked):
        obj._after_fork()
    _pid = os.getpid()  # last: a thread that sees this process's id sees it reset


if _HOOKED:
    os.register_at_fork(after_in_child=_in_child)
