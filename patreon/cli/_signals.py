# -*- coding: utf-8 -*-
"""Stop signals (``SIGINT``, ``SIGTERM``, ``SIGHUP``...) turned into an exception, so that ``finally`` blocks run.

Left to their default, ``SIGTERM``, ``SIGHUP`` and the other signals that end a process end it at once: an export
to ``-o FILE`` would leave its temporary file, which holds patrons' names and e-mail addresses. Within
:func:`stop_on_signals`, each of them raises :class:`Stopped` (a ``KeyboardInterrupt``) in the main thread
instead, once; later ones are ignored until the block ends, so that the clean-up they interrupted can finish.
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
    """Within the block, each of :data:`STOP_SIGNALS` raises :class:`Stopped`; the handlers are restored after.

    ``SIGINT`` and ``SIGTERM`` are caught even when the process inherited them ignored (a job started with
    ``&`` by a shell ignores ``SIGINT``), so that the command can always be stopped cleanly. Another signal is
    caught only where it would end the process: inherited ignored it stays ignored (``nohup`` ignores
    ``SIGHUP``), and a handler the program installed is left alone. Outside the main thread, where no handler can
    be installed, the block runs as it is.
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
