# -*- coding: utf-8 -*-
"""``patreon sandbox-control``: drive a running ``patreon sandbox`` from another shell, through its control
endpoint (:mod:`patreon.sandbox._control`): who logs in, pledges, posts, expired tokens, faults.

The sandbox is found by ``--sandbox-url`` and ``--key``, else ``$PATREON_SANDBOX_URL`` and
``$PATREON_SANDBOX_KEY`` (``patreon sandbox`` prints the two ``export`` lines). A refusal of the sandbox is one
line and the exit status of its HTTP status (403: 4, 404: 5, 5xx: 8, others: 1); no sandbox answering is a
network error (7). The control key is never shown in a message.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import socket

import six
from six.moves import http_client

from .._sandbox_actions import ACTIONS, FAULT_KINDS, PLEDGE_KINDS
from ._console import exception_text, printable
from . import _option_types
from ._context import SANDBOX_KEY_VARIABLE, SANDBOX_URL_VARIABLE
from ._exit_status import (EXIT_FAILURE, EXIT_FORBIDDEN, EXIT_NETWORK, EXIT_NOT_FOUND, EXIT_OK, EXIT_SERVER,
                          CommandFailed, UsageError)

__all__ = ['add_sandbox_control_command', 'command_sandbox_control', 'PLEDGE_KINDS', 'refusal_exit_status']

# How the command line takes each name of a declared body (patreon._sandbox_actions): a name an action needs is an
# argument (its metavar the name in capitals), one it may leave out an option, each sent only when given.
_ARGUMENTS = {  # type: dict
    'user_id': dict(type=_option_types.identifier),
    'tier_id': dict(type=_option_types.identifier),
    'member_id': dict(type=_option_types.identifier),
    'title': {},
    'route': dict(help="'identity', 'campaigns/{id}/members', 'token', ... or '*'"),
    'kind': dict(help='{} or {}'.format(', '.join(sorted(FAULT_KINDS)[:-1]), sorted(FAULT_KINDS)[-1])),
}
_OPTIONS = {  # type: dict
    # help: one text, or {action name: text}
    'user_id': ('--user', dict(metavar='USER_ID', type=_option_types.identifier,
                               help={'pledge': 'who pledges (default: a new user)',
                                     'expire_tokens': "only this user's"})),
    'kind': ('--kind', dict(choices=PLEDGE_KINDS, help='monthly, annual (a year paid at once), gift (0 cents, a real '
                                                       'tier) or free_trial (default: monthly)')),
    'is_public': ('--private', dict(action='store_false', help='for patrons only (default: public)')),
    'tier_ids': ('--tier', dict(action='append', metavar='TIER_ID', type=_option_types.identifier,
                                help='a tier the post is for; repeat for several')),
    'content': ('--content', dict(metavar='HTML', help='its body')),
    'count': ('--count', dict(type=_option_types.bounded_int(1, _option_types.MAX_FAULT_COUNT), metavar='N',
                              help='how many requests misbehave (default: 1)')),
    'options': ('--option', dict(action='append', type=_option_types.fault_option, metavar='NAME=VALUE',
                                 help='an option of the fault, VALUE as JSON when it is JSON (status=503, '
                                      'retry_after=0); repeat for several')),
}


def add_sandbox_control_command(subparsers):
    """Add ``sandbox-control`` and its actions to the ``subparsers`` of the ``patreon`` parser; returns its parser."""
    control = subparsers.add_parser(
        'sandbox-control', help='drive a running sandbox: logins, pledges, posts, tokens, faults',
        description='Drive a running `patreon sandbox` from another shell, through its control endpoint. It is '
                    'found by --sandbox-url and --key, else by ${} and ${}, which `patreon sandbox` prints. '
                    '--timeout, before sandbox-control, bounds each request.'.format(
                        SANDBOX_URL_VARIABLE, SANDBOX_KEY_VARIABLE))
    _add_target_options(control, top_level=True)
    actions = control.add_subparsers(dest='control_action', metavar='ACTION')
    for action in ACTIONS.values():  # each action, its arguments and its help, from patreon._sandbox_actions
        parser = actions.add_parser(action.command, help=action.summary, description=action.summary)
        parser.set_defaults(handler=command_sandbox_control, control_name=action.name)
        _add_target_options(parser, top_level=False)
        for name in action.body:
            if not name.endswith('?'):
                parser.add_argument(name, metavar=name.upper(), **_ARGUMENTS[name])
                continue
            flag, settings = _OPTIONS[name.rstrip('?')]
            settings = dict(settings, dest=name.rstrip('?'), default=None)
            if isinstance(settings.get('help'), dict):
                settings['help'] = settings['help'][action.name]
            parser.add_argument(flag, **settings)
    return control


def _add_target_options(parser, top_level):
    # On the actions, an option not given must leave what was given before the action alone.
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument('--sandbox-url', type=_option_types.sandbox_url, default=default, metavar='URL',
                        help='the URL `patreon sandbox` printed (default: ${})'.format(SANDBOX_URL_VARIABLE))
    parser.add_argument('--key', type=_option_types.control_key, default=default,
                        help='its control key (default: ${0}, which is safer: other users of the machine can '
                             'see the arguments of a command)'.format(SANDBOX_KEY_VARIABLE))


def command_sandbox_control(context):
    """``patreon sandbox-control ACTION``: one control request to the sandbox, its answer on stdout."""
    from ..sandbox._control_client import SandboxControlError, fault_options

    control = _client(context)
    url = '{}://{}'.format(control.scheme, _netloc(control))
    action, options = ACTIONS[context.options.control_name], context.options
    given = dict((name.rstrip('?'), getattr(options, name.rstrip('?'))) for name in action.body)
    if given.get('options') is not None:  # --option NAME=VALUE texts, as the fault options they name
        given['options'] = fault_options(given['options'])
    try:
        # The body is the declared one: the values of the action's arguments, in its order.
        data = control._run(action.name, *[given[name.rstrip('?')] for name in action.body])
        lines = _LINES[action.name](given, data)
    except SandboxControlError as exc:
        raise CommandFailed('the sandbox refused: {}'.format(exception_text(exc)), refusal_exit_status(exc.status))
    except socket.timeout:
        raise CommandFailed('no answer from the sandbox at {} within {:g} s'.format(url, control.timeout),
                            EXIT_NETWORK)
    except (socket.error, OSError, http_client.HTTPException) as exc:
        # Connection refused, reset, a TLS handshake with a plain HTTP server: nothing we can call a sandbox.
        raise CommandFailed('no sandbox answering at {} ({})'.format(
            url, getattr(exc, 'strerror', None) or exception_text(exc) or type(exc).__name__), EXIT_NETWORK)
    for line in lines:  # written once the answer is in: a closed stdout is no sandbox failing
        context.stdout.line(printable(line))
    return EXIT_OK


def refusal_exit_status(status):
    """The exit status of a control request refused with HTTP ``status``: as the API commands' ones."""
    if status == 403:  # a wrong key, a web page's request
        return EXIT_FORBIDDEN
    if status == 404:  # an action this sandbox does not know (an older one), or no sandbox at all
        return EXIT_NOT_FOUND
    if status == 200 or status >= 500:  # an answer that is not the document due, or a sandbox bug
        return EXIT_SERVER
    return EXIT_FAILURE


def _client(context):
    from ..sandbox._control_client import SandboxControl

    options, environ = context.options, context.environ
    url = options.sandbox_url or _from_environment(environ, SANDBOX_URL_VARIABLE, _option_types.sandbox_url)
    if not url:
        raise UsageError('no sandbox to control: pass --sandbox-url or set ${} (`patreon sandbox` prints it)'.format(
            SANDBOX_URL_VARIABLE))
    key = options.key or _from_environment(environ, SANDBOX_KEY_VARIABLE, _option_types.control_key)
    if not key:
        raise UsageError('no control key: pass --key or set ${} (`patreon sandbox` prints it)'.format(
            SANDBOX_KEY_VARIABLE))
    context.control_key = key
    try:
        control = SandboxControl.from_environment(environ, url=url, key=key)
    except ValueError as exc:  # what the options' checks let through and the client refuses
        raise UsageError(exception_text(exc))
    control.timeout = options.timeout
    return control


def _from_environment(environ, name, check):
    value = environ.get(name)
    if not value:
        return None
    try:
        return check(value)
    except argparse.ArgumentTypeError as exc:
        raise UsageError('${}: {}'.format(name, exception_text(exc)))


def _netloc(control):
    host = '[{}]'.format(control.host) if ':' in control.host else control.host
    return host if control.port is None else '{}:{}'.format(host, control.port)


# --- What each action prints, from its arguments and the answer's data --------------------------------------------


def _overview(given, answer):
    tiers = _field(answer, 'tiers', list)
    lines = ['campaign id:     {}'.format(_field(answer, 'campaign_id')),
             'creator user id: {}'.format(_field(answer, 'creator_user_id')),
             'OAuth client id: {}'.format(_field(answer, 'client_id'))]
    lines += ['redirect URI:    {}'.format(uri) for uri in _field(answer, 'redirect_uris', list)]
    lines.append('logins approved by user {}'.format(_field(answer, 'login_user_id')))
    for tier in tiers:
        lines.append('tier {}  {} cents  {}'.format(_field(tier, 'id'), _field(tier, 'amount_cents', int),
                                                    _field(tier, 'title')))
    return lines


def _users(given, users):
    from ..sandbox._logins import login_lines

    if not isinstance(users, list):
        raise _unexpected('users')
    for user in users:
        for name in ('role', 'user_id', 'full_name'):
            _field(user, name)
    return login_lines(users)


def _fault(given, fault):
    count = _field(fault, 'count', int)
    return ['{} armed on {} for the next {} request{}'.format(
        _field(fault, 'kind'), _field(fault, 'route'), count, '' if count == 1 else 's')]


def _expired(given, answer):
    return ['{}'.format(_field(answer, 'expired', six.integer_types))]


_LINES = {
    'overview': _overview,
    'users': _users,
    'log_in_as': lambda given, answer: ['user {} approves the next logins'.format(_field(answer, 'user_id'))],
    'pledge': lambda given, answer: [_field(answer, 'member_id')],
    'update_pledge': lambda given, answer: ['member {} now pledges to tier {}'.format(_field(answer, 'member_id'),
                                                                                      given['tier_id'])],
    'cancel_pledge': lambda given, answer: ['member {} cancelled'.format(_field(answer, 'member_id'))],
    'end_period': lambda given, answer: ['member {} is entitled to nothing now'.format(_field(answer, 'member_id'))],
    'publish_post': lambda given, answer: [_field(answer, 'post_id')],
    'expire_tokens': _expired,
    'inject_fault': _fault,
    'clear_faults': lambda given, answer: ['faults cleared'],
}


def _field(answer, name, kind=six.string_types):
    """``answer[name]`` when ``answer`` is a dict and the value of ``kind``; else the sandbox failed (exit 8)."""
    value = answer.get(name) if isinstance(answer, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _unexpected(name)
    return value


def _unexpected(name):
    return CommandFailed('the sandbox answered without a valid {}: is it a Patreon sandbox?'.format(name),
                         EXIT_SERVER)
