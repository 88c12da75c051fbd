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

    _action(actions, 'overview', _overview)
    _action(actions, 'users', _users)
    log_in_as = _action(actions, 'log_in_as', _log_in_as)
    log_in_as.add_argument('user_id', metavar='USER_ID', type=_option_types.identifier)

    pledge = _action(actions, 'pledge', _pledge)
    pledge.add_argument('tier_id', metavar='TIER_ID', type=_option_types.identifier)
    pledge.add_argument('--user', metavar='USER_ID', type=_option_types.identifier,
                        help='who pledges (default: a new user)')
    pledge.add_argument('--kind', choices=PLEDGE_KINDS, default='monthly',
                        help='monthly, annual (a year paid at once), gift (0 cents, a real tier) or free_trial '
                             '(default: monthly)')
    update = _action(actions, 'update_pledge', _update_pledge)
    update.add_argument('member_id', metavar='MEMBER_ID', type=_option_types.identifier)
    update.add_argument('tier_id', metavar='TIER_ID', type=_option_types.identifier)
    cancel = _action(actions, 'cancel_pledge', _cancel_pledge)
    cancel.add_argument('member_id', metavar='MEMBER_ID', type=_option_types.identifier)
    end = _action(actions, 'end_period', _end_period)
    end.add_argument('member_id', metavar='MEMBER_ID', type=_option_types.identifier)

    post = _action(actions, 'publish_post', _publish_post)
    post.add_argument('title', metavar='TITLE')
    post.add_argument('--private', action='store_true', help='for patrons only (default: public)')
    post.add_argument('--tier', dest='tiers', action='append', metavar='TIER_ID', type=_option_types.identifier,
                      help='a tier the post is for; repeat for several')
    post.add_argument('--content', metavar='HTML', help='its body')

    expire = _action(actions, 'expire_tokens', _expire_tokens)
    expire.add_argument('--user', metavar='USER_ID', type=_option_types.identifier, help="only this user's")

    fault = _action(actions, 'inject_fault', _fault)
    fault.add_argument('route', metavar='ROUTE', help="'identity', 'campaigns/{id}/members', 'token', ... or '*'")
    fault.add_argument('kind', metavar='KIND', help='{} or {}'.format(', '.join(sorted(FAULT_KINDS)[:-1]),
                                                                      sorted(FAULT_KINDS)[-1]))
    fault.add_argument('--count', type=_option_types.bounded_int(1, _option_types.MAX_FAULT_COUNT), default=1,
                       metavar='N', help='how many requests misbehave (default: 1)')
    fault.add_argument('--option', dest='fault_options', action='append', type=_option_types.fault_option,
                       metavar='NAME=VALUE', help='an option of the fault, VALUE as JSON when it is JSON '
                       '(status=503, retry_after=0); repeat for several')
    _action(actions, 'clear_faults', _clear_faults)
    return control


def _add_target_options(parser, top_level):
    # On the actions, an option not given must leave what was given before the action alone.
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument('--sandbox-url', type=_option_types.sandbox_url, default=default, metavar='URL',
                        help='the URL `patreon sandbox` printed (default: ${})'.format(SANDBOX_URL_VARIABLE))
    parser.add_argument('--key', type=_option_types.control_key, default=default,
                        help='its control key (default: ${0}, which is safer: other users of the machine can '
                             'see the arguments of a command)'.format(SANDBOX_KEY_VARIABLE))


def _action(actions, name, run):
    declared = ACTIONS[name]  # its name on the command line and its help, from patreon._sandbox_actions
    parser = actions.add_parser(declared.command, help=declared.summary, description=declared.summary)
    parser.set_defaults(handler=command_sandbox_control, run_action=run)
    _add_target_options(parser, top_level=False)
    return parser


def command_sandbox_control(context):
    """``patreon sandbox-control ACTION``: one control request to the sandbox, its answer on stdout."""
    from ..sandbox._control_client import SandboxControlError

    control = _client(context)
    url = '{}://{}'.format(control.scheme, _netloc(control))
    try:
        lines = context.options.run_action(context.options, control)
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


# --- Actions: each returns the lines to print ----------------------------------------------------------------------


def _overview(options, control):
    answer = control.overview()
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


def _users(options, control):
    from ..sandbox._logins import login_lines

    users = control.users()
    if not isinstance(users, list):
        raise _unexpected('users')
    for user in users:
        for name in ('role', 'user_id', 'full_name'):
            _field(user, name)
    return login_lines(users)


def _log_in_as(options, control):
    control.log_in_as(options.user_id)
    return ['user {} approves the next logins'.format(options.user_id)]


def _pledge(options, control):
    return [_sandbox_string(control.pledge(options.tier_id, user_id=options.user, kind=options.kind), 'member_id')]


def _update_pledge(options, control):
    control.update_pledge(options.member_id, options.tier_id)
    return ['member {} now pledges to tier {}'.format(options.member_id, options.tier_id)]


def _cancel_pledge(options, control):
    control.cancel_pledge(options.member_id)
    return ['member {} cancelled'.format(options.member_id)]


def _end_period(options, control):
    control.end_period(options.member_id)
    return ['member {} is entitled to nothing now'.format(options.member_id)]


def _publish_post(options, control):
    post_id = control.publish_post(options.title, is_public=not options.private, content=options.content,
                                   tier_ids=options.tiers)
    return [_sandbox_string(post_id, 'post_id')]


def _expire_tokens(options, control):
    expired = control.expire_tokens(user_id=options.user)
    if isinstance(expired, bool) or not isinstance(expired, six.integer_types):
        raise _unexpected('expired')
    return ['{}'.format(expired)]


def _fault(options, control):
    from ..sandbox._control_client import fault_options

    fault = control.inject_fault(options.route, options.kind, options.count,
                                 **fault_options(options.fault_options or []))
    return ['{} armed on {} for the next {} request{}'.format(
        _field(fault, 'kind'), _field(fault, 'route'), options.count, '' if options.count == 1 else 's')]


def _clear_faults(options, control):
    control.clear_faults()
    return ['faults cleared']


def _field(answer, name, kind=six.string_types):
    """``answer[name]`` when ``answer`` is a dict and the value of ``kind``; else the sandbox failed (exit 8)."""
    value = answer.get(name) if isinstance(answer, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _unexpected(name)
    return value


def _sandbox_string(value, name):
    if not isinstance(value, six.string_types):
        raise _unexpected(name)
    return value


def _unexpected(name):
    return CommandFailed('the sandbox answered without a valid {}: is it a Patreon sandbox?'.format(name),
                         EXIT_SERVER)
