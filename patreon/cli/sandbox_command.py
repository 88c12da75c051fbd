# -*- coding: utf-8 -*-
"""``patreon sandbox``: a local Patreon (:class:`patreon.sandbox.Sandbox`) in the foreground until Ctrl-C.

Its options are declared here, beside what runs it, so that the command grows in one place.

Usage::

    add_sandbox_command(subparsers)     # what build_parser does
    $ patreon sandbox --members 2500 --port 8080
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import socket
import time

from ..console import exception_text
from . import option_types
from .context import PROG, TOKEN_ENVIRONMENT_VARIABLE
from .exit_status import EXIT_OK, CommandFailed

__all__ = ['add_sandbox_command', 'command_sandbox', 'sandbox_banner', 'wait_for_interrupt']


def add_sandbox_command(subparsers):
    """Add ``sandbox`` and its options to the ``subparsers`` of the ``patreon`` parser; returns its parser."""
    sandbox = subparsers.add_parser(
        'sandbox', help='run a local Patreon sandbox until Ctrl-C',
        description='Run a local Patreon on 127.0.0.1 until Ctrl-C: OAuth, the API v2 and webhooks, with a '
                    'generated campaign. It prints its URL and credentials; point --base-url at it.',
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    sandbox.set_defaults(handler=command_sandbox)
    sandbox.add_argument('--members', type=option_types.bounded_int(0, option_types.MAX_SANDBOX_MEMBERS),
                         default=1000, metavar='N',
                         help='members of its campaign (at most {})'.format(option_types.MAX_SANDBOX_MEMBERS))
    sandbox.add_argument('--port', type=option_types.port, default=0,
                         help='port on 127.0.0.1, 0 for any free one')
    sandbox.add_argument('--seed', type=option_types.seed, default=0, help='the same seed makes the same data')
    return sandbox


def command_sandbox(context):
    """``patreon sandbox``: serve a :class:`patreon.sandbox.Sandbox` in the foreground until Ctrl-C."""
    from ..sandbox import Sandbox  # only this command needs the server code

    options = context.options
    sandbox = Sandbox(members=options.members, seed=options.seed, port=options.port)
    try:
        sandbox.start()
    except (socket.error, OSError, OverflowError) as exc:
        raise CommandFailed('cannot listen on 127.0.0.1:{}: {}'.format(
            options.port, getattr(exc, 'strerror', None) or exception_text(exc)))
    try:
        for line in sandbox_banner(sandbox):
            context.stdout.line(line)
        context.stdout.flush()
        wait_for_interrupt()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    context.stderr.line('sandbox stopped')
    return EXIT_OK


def sandbox_banner(sandbox):
    """The lines ``patreon sandbox`` prints: where the sandbox is and the credentials to use it with.

    Usage::

        with Sandbox(members=100) as sb:
            print('\\n'.join(sandbox_banner(sb)))
    """
    return [
        'Patreon sandbox listening on {}'.format(sandbox.url),
        '  campaign id:         {}'.format(sandbox.campaign_id),
        '  creator user id:     {}'.format(sandbox.creator_user_id),
        '  creator token:       {}'.format(sandbox.creator_token),
        '  OAuth client id:     {}'.format(sandbox.client_id),
        '  OAuth client secret: {}'.format(sandbox.client_secret),
        '  OAuth redirect URI:  {}'.format(sandbox.redirect_uri),
        '',
        'Try:',
        '  export {}={}'.format(TOKEN_ENVIRONMENT_VARIABLE, sandbox.creator_token),
        '  {} --base-url {} members {}'.format(PROG, sandbox.url, sandbox.campaign_id),
        '',
        'Press Ctrl-C to stop.',
    ]


def wait_for_interrupt():
    """Block until Ctrl-C (``KeyboardInterrupt``); a sleep, unlike a lock, is interruptible on Python 2."""
    while True:
        time.sleep(3600)
