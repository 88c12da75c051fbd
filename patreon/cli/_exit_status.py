# -*- coding: utf-8 -*-
"""The exit statuses of the ``patreon`` command, and the one line each expected failure becomes."""
from __future__ import absolute_import, division, print_function, unicode_literals

import re

import requests

from .. import exceptions
from ._console import exception_text

__all__ = ['EXIT_OK', 'EXIT_FAILURE', 'EXIT_USAGE', 'EXIT_UNAUTHORIZED', 'EXIT_FORBIDDEN', 'EXIT_NOT_FOUND',
           'EXIT_RATE_LIMITED', 'EXIT_NETWORK', 'EXIT_SERVER', 'EXIT_OUTPUT', 'EXIT_INTERRUPTED', 'EXIT_STATUSES',
           'CommandFailed', 'UsageError', 'describe_failure']

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_UNAUTHORIZED = 3
EXIT_FORBIDDEN = 4
EXIT_NOT_FOUND = 5
EXIT_RATE_LIMITED = 6
EXIT_NETWORK = 7
EXIT_SERVER = 8
EXIT_OUTPUT = 9
EXIT_INTERRUPTED = 130

#: Every status ``main`` may return, with what it means (the help's epilog and the README list them).
EXIT_STATUSES = (
    (EXIT_OK, 'success'),
    (EXIT_FAILURE, 'other API error'),
    (EXIT_USAGE, 'usage'),
    (EXIT_UNAUTHORIZED, 'unauthorized (401)'),
    (EXIT_FORBIDDEN, 'forbidden (403)'),
    (EXIT_NOT_FOUND, 'not found (404)'),
    (EXIT_RATE_LIMITED, 'rate limited (429)'),
    (EXIT_NETWORK, 'network error'),
    (EXIT_SERVER, 'Patreon failed (5xx, or not a document)'),
    (EXIT_OUTPUT, 'cannot write the output'),
    (EXIT_INTERRUPTED, 'interrupted'),
)


class CommandFailed(Exception):
    """A command cannot do its job for a reason worth one line, not a traceback.

    :ivar exit_status: the status ``main`` returns.
    """

    exit_status = EXIT_FAILURE

    def __init__(self, message, exit_status=None):
        super(CommandFailed, self).__init__(message)
        if exit_status is not None:
            self.exit_status = exit_status


class UsageError(CommandFailed):
    """The command line (or the environment) asks for something impossible: exit status 2."""

    exit_status = EXIT_USAGE


def describe_failure(exc, options):
    """``(exit status, one-line message)`` for an expected failure, ``None`` for anything else (a bug).

    :param exc: what a command raised.
    :param options: the parsed options (``base_url``, ``timeout`` and ``scope`` make the message).
    """
    if isinstance(exc, CommandFailed):
        return exc.exit_status, exception_text(exc)
    if isinstance(exc, exceptions.APIError):  # before InvalidResponse: a 401 HTML page is both, and a 401 first
        return _describe_api_error(exc, options)
    if isinstance(exc, exceptions.InvalidResponse):
        return EXIT_SERVER, exception_text(exc)
    if isinstance(exc, exceptions.InvalidArgument):  # a value the library refused before sending anything
        return EXIT_USAGE, exception_text(exc)
    if isinstance(exc, exceptions.PatreonError):
        return EXIT_FAILURE, exception_text(exc)
    if isinstance(exc, requests.RequestException):
        return EXIT_NETWORK, _describe_network_error(exc, options)
    return None


def _describe_api_error(exc, options):
    message = exception_text(exc)
    scope = getattr(options, 'scope', None)
    if isinstance(exc, exceptions.Unauthorized):
        return EXIT_UNAUTHORIZED, message + " (is the token valid, with the '{}' scope?)".format(scope)
    if isinstance(exc, exceptions.Forbidden):
        return EXIT_FORBIDDEN, message
    if isinstance(exc, exceptions.NotFound):
        return EXIT_NOT_FOUND, message
    if isinstance(exc, exceptions.RateLimited):
        return EXIT_RATE_LIMITED, message
    if isinstance(exc, exceptions.ServerError):
        return EXIT_SERVER, message
    return EXIT_FAILURE, message


def _describe_network_error(exc, options):
    where = getattr(options, 'base_url', None)
    if isinstance(exc, exceptions.TotalTimeout):
        if exc.total_timeout is None:  # raised by hand, with no limit named: no number to show
            return 'no complete answer from {} in time'.format(where)
        return 'no complete answer from {} within {:g} s'.format(where, exc.total_timeout)
    if isinstance(exc, requests.Timeout):
        return 'no answer from {} within {:g} s'.format(where, options.timeout)
    if isinstance(exc, requests.ConnectionError):
        return 'cannot connect to {} ({})'.format(where, _root_cause(exc))
    return 'the connection to {} failed: {}'.format(where, type(exc).__name__)


def _root_cause(exc):
    """The innermost reason of a ``requests`` connection error, e.g. "Connection refused"."""
    text = exception_text(exc)
    match = re.search(r'\[Errno -?\d+\] ([^\'")\]]+)', text)
    if match:
        return match.group(1).strip()
    return type(exc).__name__
