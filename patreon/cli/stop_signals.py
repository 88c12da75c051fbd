# -*- coding: utf-8 -*-
"""Stopping the command line cleanly on the signals that ask a process to stop.

A command started in the background of a non-interactive shell (``make test &``, a CI step, a service manager)
inherits SIGINT ignored, and SIGTERM's default ends a process without running any ``finally``: the sandbox would
never stop, an export would leave its partial file behind. While a command runs, SIGINT, SIGTERM and SIGHUP raise
:class:`Interrupted` (a ``KeyboardInterrupt``) in the main thread instead, so the command's own clean-up runs.
SIGHUP inherited as ignored stays ignored: that is ``nohup`` asking the process to outlive its terminal.

Usage::

    with stop_signals():
        serve_until_interrupted()
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import contextlib
import signal

__all__ = ['Interrupted', 'stop_signals', 'STOP_SIGNALS']

#: The signals turned into :class:`Interrupted`, by name (those the platform lacks are left out).
STOP_SIGNALS = ('SIGINT', 'SIGTERM', 'SIGHUP')


class Interrupted(KeyboardInterrupt):
    """A stop signal arrived; ``signum`` says which. A ``KeyboardInterrupt``, so Ctrl-C's handling serves all."""

    def __init__(self, signum):
        super(Interrupted, self).__init__(signum)
        self.signum = signum


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_signals():
    """Within the block, SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted`; the handlers before are restored.

    Outside the main thread (where Python lets no handler be set) it changes nothing.
    """
    previous = {}
    try:
        for name in STOP_SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            current = signal.getsignal(signum)
            if name == 'SIGHUP' and current == signal.SIG_IGN:
                continue  # nohup: the process is meant to outlive its terminal
            try:
                signal.signal(signum, _raise_interrupted)
            except ValueError:  # not the main thread: Python sets handlers there only
                break
            previous[signum] = current
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler set from C that Python cannot restore; the default is the nearest.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
