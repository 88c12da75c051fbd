# -*- coding: utf-8 -*-
"""The ``patreon`` command's arguments: every command, its options, their help.

A usage error is raised as :class:`~patreon.cli._exit_status.UsageError` (one line, exit status 2) rather than
printed by ``argparse`` with the usage and ended with ``sys.exit``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import sys

from .. import webhooks
from .._routes import ROUTES
from ._console import ConsoleWriter
from ..policies import DEFAULT_TIMEOUT
from ..endpoint import DEFAULT_BASE_URL
from ..version import __version__
from . import _api_commands, _option_types
from ._context import BASE_URL_VARIABLE, PROG, TOKEN_ENVIRONMENT_VARIABLE, USER_AGENT_ENVIRONMENT_VARIABLE
from ._demo_command import add_demo_command
from ._exit_status import EXIT_STATUSES, UsageError
from ._formats import FORMATS
from ._sandbox_command import add_sandbox_command
from ._sandbox_control_command import add_sandbox_control_command
from ._views import CAMPAIGN_VIEW, MEMBER_VIEW, POST_VIEW, USER_VIEW, WEBHOOK_VIEW

__all__ = ['build_parser', 'DEFAULT_RETRIES']

DEFAULT_RETRIES = 3


class ArgumentParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose usage errors are a :class:`UsageError`, and whose help and
    version are written whatever the console's encoding (Python 2 included)."""

    def error(self, message):
        raise UsageError("{} (see '{} --help')".format(message, self.prog))

    def _print_message(self, message, file=None):
        if message:
            console = ConsoleWriter(file or sys.stderr, encoding=None, errors='backslashreplace')
            console.write(message)
            console.flush()


def build_parser():
    """The :class:`argparse.ArgumentParser` of the ``patreon`` command.

    The connection options (``--token``, ``--base-url``, ...) are accepted
    before the command and after it alike.
    """
    parser = ArgumentParser(
        prog=PROG, description="Patreon's API v2 from the command line, and a local Patreon sandbox.",
        epilog='Exit status: {}.'.format(', '.join('{} {}'.format(code, meaning) for code, meaning in EXIT_STATUSES)))
    parser.add_argument('--version', action=_PrintVersion)
    _add_connection_options(parser, top_level=True)
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')

    identity = _api_command(commands, 'identity', _api_commands.command_identity, 'the user the token belongs to',
                            'get_identity')
    _add_output_options(identity, USER_VIEW)
    for name, handler, summary, route, view, has_campaign in (
            ('campaigns', _api_commands.command_campaigns, "the token user's campaigns", 'get_campaigns',
             CAMPAIGN_VIEW, False),
            ('members', _api_commands.command_members, 'every member of a campaign', 'get_campaigns_by_id_members',
             MEMBER_VIEW, True),
            ('posts', _api_commands.command_posts, 'every post of a campaign', 'get_campaigns_by_id_posts', POST_VIEW,
             True)):
        listing = _api_command(commands, name, handler, summary, route)
        if has_campaign:
            listing.add_argument('campaign_id', metavar='CAMPAIGN_ID',
                                 help="the campaign's id, as 'patreon campaigns' lists it")
        _add_output_options(listing, view, paginated=name)

    hooks = commands.add_parser('webhooks', help="the webhooks of the token's OAuth client",
                                description="List, create, change and delete the webhooks of the token's client.")
    actions = hooks.add_subparsers(dest='webhooks_command', metavar='ACTION')
    listing = _api_command(actions, 'list', _api_commands.command_webhooks_list, 'list the webhooks', 'get_webhooks')
    _add_output_options(listing, WEBHOOK_VIEW, paginated='webhooks')
    create = _api_command(actions, 'create', _api_commands.command_webhooks_create,
                          'create a webhook; prints its secret', 'create_webhook')
    create.add_argument('--campaign', required=True, metavar='CAMPAIGN_ID')
    create.add_argument('--uri', required=True, help='where Patreon will POST the events')
    _add_trigger_option(create, required=True)
    _add_format_options(create)
    update = _api_command(actions, 'update', _api_commands.command_webhooks_update, 'change a webhook',
                          'update_webhook')
    update.add_argument('webhook_id', metavar='WEBHOOK_ID')
    update.add_argument('--uri', help='where Patreon will POST the events')
    _add_trigger_option(update, required=False)
    paused = update.add_mutually_exclusive_group()
    paused.add_argument('--paused', dest='paused', action='store_const', const=True, default=None,
                        help='stop the deliveries (Patreon queues the events)')
    paused.add_argument('--unpaused', dest='paused', action='store_const', const=False,
                        help='resume the deliveries; the queued events are sent')
    _add_format_options(update)
    delete = _api_command(actions, 'delete', _api_commands.command_webhooks_delete, 'delete a webhook',
                          'delete_webhook')
    delete.add_argument('webhook_id', metavar='WEBHOOK_ID')

    add_sandbox_command(commands)
    add_sandbox_control_command(commands)
    add_demo_command(commands)
    return parser


class _PrintVersion(argparse.Action):
    """``--version``: on stdout on every Python (2.7's own version action prints on stderr), no command needed."""

    def __init__(self, option_strings, dest, **kwargs):
        super(_PrintVersion, self).__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                                            help='print the version and exit')

    def __call__(self, parser, namespace, values, option_string=None):
        ConsoleWriter(sys.stdout).line('{} {}'.format(PROG, __version__))
        parser.exit()


def _api_command(subparsers, name, handler, summary, route):
    scope = ROUTES[route].scope  # the scope of the API method it calls, as patreon._routes declares it
    command = subparsers.add_parser(name, help=summary, description='{} (scope: {})'.format(summary, scope))
    command.set_defaults(handler=handler, scope=scope)
    _add_connection_options(command, top_level=False)
    return command


def _add_connection_options(parser, top_level):
    # On the commands, an option not given must leave what was given before the command alone.
    default = (lambda value: value) if top_level else (lambda value: argparse.SUPPRESS)
    parser.add_argument('--token', default=default(None),
                        help='the access token. By default it is read from the environment variable {0}, which '
                             'is safer: other users of the machine can see the arguments of a command (ps). '
                             'Write --token=TOKEN when the token starts with "-".'.format(TOKEN_ENVIRONMENT_VARIABLE))
    parser.add_argument('--user-agent', default=default(None), metavar='TEXT',
                        help="your app's name, sent first in every request's User-Agent, as Patreon asks (e.g. "
                             '"MyCampaignName - Sync App"). By default it is read from the environment variable '
                             '{0}'.format(USER_AGENT_ENVIRONMENT_VARIABLE))
    parser.add_argument('--base-url', type=_option_types.base_url, default=default(DEFAULT_BASE_URL), metavar='URL',
                        help='where Patreon is, e.g. a sandbox. By default it is read from the environment variable '
                             '{}, else {}'.format(BASE_URL_VARIABLE, DEFAULT_BASE_URL))
    parser.add_argument('--timeout', type=_option_types.positive_seconds, default=default(DEFAULT_TIMEOUT),
                        metavar='SECONDS', help='for each request, from {:g} to {:g} (default: {:g})'.format(
                            _option_types.MIN_SECONDS, _option_types.MAX_SECONDS, DEFAULT_TIMEOUT))
    parser.add_argument('--retries', type=_option_types.bounded_int(0, _option_types.MAX_RETRIES),
                        default=default(DEFAULT_RETRIES), metavar='N',
                        help='retries of a read on 429, 5xx and network errors, at most {} (default: {})'.format(
                            _option_types.MAX_RETRIES, DEFAULT_RETRIES))


def _add_format_options(parser):
    parser.add_argument('--format', choices=FORMATS,
                        help='table (default on a terminal), jsonl (default otherwise; csv for -o NAME.csv) or csv')
    parser.add_argument('-o', '--output', metavar='FILE',
                        help='write to FILE instead of standard output (-o - is standard output): to a temporary '
                             'file beside it, renamed to FILE once complete (a failure leaves FILE as it was)')
    parser.add_argument('--raw-csv', action='store_true',
                        help="write CSV cells exactly as Patreon has them. By default a cell starting with =, +, "
                             "-, @, a tab or a carriage return gets a leading ' so that a spreadsheet shows it "
                             'rather than running it as a formula')


def _add_output_options(parser, view, paginated=None):
    _add_format_options(parser)
    parser.add_argument('--fields', metavar='NAME,...', help='{} attributes to show, by their Patreon names '
                        '(default: {})'.format(view.resource_type, ','.join(view.default_fields)))
    parser.add_argument('--include', metavar='NAME,...', help='related resources to add as columns: {}'.format(
        ', '.join(sorted(view.inclusions))))
    if paginated:
        if paginated == 'members':
            default = '{}; {} with --include pledge_history'.format(
                _api_commands.MEMBERS_PAGE_SIZE, _api_commands.MEMBERS_PAGE_SIZE_WITH_HISTORY)
        else:
            default = str(_api_commands.LIST_PAGE_SIZE)
        parser.add_argument('--page-size', type=_option_types.bounded_int(1, _option_types.MAX_PAGE_SIZE),
                            metavar='N', help='{} per request, from 1 to {} (default: {})'.format(
                                paginated, _option_types.MAX_PAGE_SIZE, default))
        progress = parser.add_mutually_exclusive_group()
        progress.add_argument('--progress', dest='progress', action='store_const', const=True, default=None,
                              help='report pages fetched on stderr (default: when stderr is a terminal)')
        progress.add_argument('--no-progress', dest='progress', action='store_const', const=False,
                              help='do not report pages fetched')


def _add_trigger_option(parser, required):
    parser.add_argument('--trigger', dest='triggers', action='append', required=required,
                        choices=webhooks.ALL_TRIGGERS, metavar='TRIGGER',
                        help='repeat for several: {}'.format(', '.join(webhooks.ALL_TRIGGERS)))
