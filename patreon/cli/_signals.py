# -*- coding: utf-8 -*-
"""Stop signals (``SIGINT``, ``SIGTERM``, ``SIGHUP``...) turned into an exception, so that ``finally`` blocks run.

An export to ``-o FILE`` would otherwise leave its temporary file, which holds patrons' names and e-mail addresses.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import contextlib
import signal

__all__ = ['STOP_SIGNALS', 'Stopped', 'stop_on_signals']

#: The signals :func:`stop_on_signals` catches, by name (those this system has): every one whose default ends the
#: process and that a process can catch. SIGPIPE and SIGXFSZ are not among them: Python ignores both, and the
#: write that met them fails with an error instead.
STOP_SIGNALS = ('SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGPROF',
                'SIGXCPU', 'SIGPOLL', 'SIGPWR')
# Caught whatever their disposition: what stops a command (Ctrl-C, kill). The others only where they would end the
# process: one ignored stays ignored, one with a handler keeps it.
_ALWAYS = ('SIGINT', 'SIGTERM')


class Stopped(KeyboardInterrupt):
    """A stop signal arrived: ``signal_name`` (``'SIGTERM'``...). Caught where ``KeyboardInterrupt`` is."""

    def __init__(self, signal_name):
        KeyboardInterrupt.__init__(self, signal_name)
        self.signal_name = signal_name


@contextlib.contextmanager
def stop_on_signals():
    """Within the block, each of :data:`STOP_SIGNALS` raises :class:`Stopped` once in the main thread; handlers
    restored.

    ``SIGINT``/``SIGTERM`` are caught even when inherited ignored; other signals only where they would end the
    process.
    Outside the main thread the block runs as it is.
    """
    stopping = []  # type: list

    def handler(number, frame):
        if stopping:
            return  # a second signal while the first one's clean-up runs: let it finish
        stopping.append(number)
        raise Stopped(_name(number))

    previous = []
    try:
        for name in STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue  # not on this system (Windows has no SIGHUP; macOS no SIGPOLL, SIGPWR)
            current = signal.getsignal(number)
            if name not in _ALWAYS and current != signal.SIG_DFL:
                continue  # ignored (nohup), or a handler of the program's own (a profiler's SIGPROF): theirs
            signal.signal(number, handler)
            previous.append((number, current))
    except ValueError:
        pass  # not the main thread: signals are delivered there only
    try:
        yield
    finally:
        for number, current in reversed(previous):
            # None: a handler not installed from Python, which only the default can stand for.
            signal.signal(number, signal.SIG_DFL if current is None else current)


def _name(number):
    for name in STOP_SIGNALS:
        if getattr(signal, name, None) == number:
            return name
    return 'signal {}'.format(number)  # pragma: no cover - only the signals above get the handler
