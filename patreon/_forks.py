"""What a process forked from one that used the client starts from: connections, locks and counts of its own.

A child of ``fork()`` (gunicorn ``--preload``, uWSGI, Celery, ``multiprocessing``)
inherits every object of its parent as it was at that instant: kept-alive
sockets that the parent goes on using, locks that a thread of the parent held
(and that nobody in the child will ever release), slots of requests that were
in flight.  Every object of the package that holds such state registers here
with :func:`track`; in the child, its ``_after_fork()`` gives it fresh locks,
drops connections and slots, and keeps what stays true (the 4xx answers and
requests that were sent count at Patreon whoever sent them).

Where ``os.register_at_fork`` exists (3.7+) that runs in the child right after
``fork()``, while it has a single thread.  Elsewhere (2.7, 3.6) :func:`check`
compares the process id at each use; there the first call in a child should
come from one thread, as a second thread could start before the first resets.
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
        _in_child()


def _in_child():
    global _lock, _pid
    # A lock a vanished thread held is never released: the child takes new ones, never the inherited ones.
    _lock = threading.Lock()
    _pid = os.getpid()
    for reset in list(_module_resets):
        reset()
    for obj in list(_tracked):
        obj._after_fork()


if _HOOKED:
    os.register_at_fork(after_in_child=_in_child)
