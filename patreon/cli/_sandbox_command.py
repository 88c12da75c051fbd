# -*- coding: utf-8 -*-
"""``patreon sandbox``: a local Patreon (:class:`patreon.sandbox.Sandbox`) in the foreground until Ctrl-C.

Its options are declared here, beside what runs it, so that the command grows in one place.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import socket
import time

from ._console import exception_text, printable
from . import _option_types
from ._context import BASE_URL_VARIABLE, PROG, SANDBOX_KEY_VARIABLE, TOKEN_ENVIRONMENT_VARIABLE
from ._exit_status import EXIT_OK, CommandFailed, UsageError

__all__ = ['add_sandbox_command', 'command_sandbox', 'control_key', 'sandbox_banner', 'wait_for_interrupt']

_COLUMN = ' ' * 23  # where the banner's values start, for the lines that continue one


def add_sandbox_command(subparsers):
    """Add ``sandbox`` and its options to the ``subparsers`` of the ``patreon`` parser; returns its parser."""
    sandbox = subparsers.add_parser(
        'sandbox', help='run a local Patreon sandbox until Ctrl-C',
        description='Run a local Patreon on 127.0.0.1 until Ctrl-C: OAuth, the API v2 and webhooks, with a '
                    'generated campaign. It prints its URL and credentials; point --base-url at it.',
        formatter_class=_option_types.DefaultsHelpFormatter)
    sandbox.set_defaults(handler=command_sandbox)
    sandbox.add_argument('--members', type=_option_types.bounded_int(0, _option_types.MAX_SANDBOX_MEMBERS),
                         default=1000, metavar='N',
                         help='members of its campaign (at most {})'.format(_option_types.MAX_SANDBOX_MEMBERS))
    sandbox.add_argument('--port', type=_option_types.port, default=0,
                         help='port on 127.0.0.1, 0 for any free one')
    sandbox.add_argument('--seed', type=_option_types.seed, default=0, help='the same seed makes the same data')
    sandbox.add_argument('--redirect-uri', action='append', type=_option_types.redirect_uri, metavar='URI',
                         help="your app's OAuth callback; repeat for several. One on localhost also allows its "
                              '127.0.0.1 form, and the other way round (default: {})'.format(
                                  'http://localhost:8000/oauth/redirect'))
    sandbox.add_argument('--login-page', action='store_true',
                         help='the authorize step shows a page of users to log in as, instead of approving at once')
    sandbox.add_argument('--control-key', type=_option_types.new_control_key, metavar='KEY',
                         help='the key of its control endpoint (patreon sandbox-control), at least 8 characters. '
                              'By default ${} if set, else a random one; the environment is safer than the '
                              'option, which other users of the machine can see (ps)'.format(SANDBOX_KEY_VARIABLE))
    return sandbox


def command_sandbox(context):
    """``patreon sandbox``: serve a :class:`patreon.sandbox.Sandbox` in the foreground until Ctrl-C."""
    from ..sandbox import Sandbox  # only this command needs the server code

    options = context.options
    context.control_key = control_key(context)  # printed in the banner on purpose, never in a message
    sandbox = Sandbox(members=options.members, seed=options.seed, port=options.port,
                      redirect_uris=options.redirect_uri or None, login_page=options.login_page,
                      control_key=context.control_key)
    try:
        sandbox.start()
    except (socket.error, OSError, OverflowError) as exc:
        raise CommandFailed('cannot listen on 127.0.0.1:{}: {}'.format(
            options.port, getattr(exc, 'strerror', None) or exception_text(exc)))
    try:
        for line in sandbox_banner(sandbox):
            context.stdout.line(printable(line))  # names and URIs given: no control character reaches the terminal
        context.stdout.flush()
        wait_for_interrupt()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    context.stderr.line('sandbox stopped')
    return EXIT_OK


def control_key(context):
    """The control key of ``--control-key``, else of ``$PATREON_SANDBOX_KEY``, else ``None`` (a random one).

    :raises UsageError: the variable holds a key that cannot be sent, or one too short (never shown).
    """
    if context.options.control_key:
        return context.options.control_key
    value = context.environ.get(SANDBOX_KEY_VARIABLE)
    if not value:
        return None
    try:
        return _option_types.new_control_key(value)
    except argparse.ArgumentTypeError as exc:
        raise UsageError('${}: {}'.format(SANDBOX_KEY_VARIABLE, exception_text(exc)))


def sandbox_banner(sandbox):
    """The lines ``patreon sandbox`` prints: where the sandbox is, the credentials to use it with, its tiers, how
    to drive it (:func:`patreon.sandbox._control.control_lines`) and who to log in as.
    """
    from ..sandbox._control import control_lines

    redirect_uris = list(sandbox.client.redirect_uris)
    tiers = [sandbox.world.tiers[tier_id] for tier_id in sandbox.tier_ids]
    amounts = ['${:,.2f}/month'.format(tier.amount_cents / 100) for tier in tiers]
    id_width = max([len(tier.id) for tier in tiers] + [0])
    amount_width = max([len(amount) for amount in amounts] + [0])
    return [
        'Patreon sandbox listening on {}'.format(sandbox.url),
        '  campaign id:         {}'.format(sandbox.campaign_id),
        '  creator user id:     {}'.format(sandbox.creator_user_id),
        '  creator token:       {}'.format(sandbox.creator_token),
        '  its refresh token:   {}'.format(sandbox.creator_refresh_token),
        '  OAuth client id:     {}'.format(sandbox.client_id),
        '  OAuth client secret: {}'.format(sandbox.client_secret),
    ] + _continued('  OAuth redirect URI:  ', redirect_uris) + _continued('  tiers:               ', [
        '{}  {}  {}'.format(tier.id.ljust(id_width), amount.rjust(amount_width), tier.title)
        for tier, amount in zip(tiers, amounts)]) + control_lines(sandbox) + [
        '',
        'Try:',
        # Both, so that a command that forgets --base-url sends the sandbox's token to the sandbox, not to Patreon.
        '  export {}={}'.format(BASE_URL_VARIABLE, sandbox.url),
        '  export {}={}'.format(TOKEN_ENVIRONMENT_VARIABLE, sandbox.creator_token),
        '  {} members {}'.format(PROG, sandbox.campaign_id),
        '',
        'For an app that logs in through it (examples/flask_app.py reads these):',
        '  export {}={} PATREON_CLIENT_ID={} PATREON_CLIENT_SECRET={}'.format(
            BASE_URL_VARIABLE, sandbox.url, sandbox.client_id, sandbox.client_secret),
        '  export PATREON_REDIRECT_URI={} PATREON_CAMPAIGN_ID={}'.format(
            redirect_uris[0] if redirect_uris else '<your callback URL>', sandbox.campaign_id),
        '',
        'Press Ctrl-C to stop.',
    ]


def _continued(label, values):
    # The first value beside its label, each other one on a line of its own below it.
    return [(label if position == 0 else _COLUMN) + value for position, value in enumerate(values)]


def wait_for_interrupt():
    """Block until Ctrl-C (``KeyboardInterrupt``); a sleep, unlike a lock, is interruptible on Python 2."""
    while True:
        time.sleep(3600)
