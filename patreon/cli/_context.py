# -*- coding: utf-8 -*-
"""What a command works with: its parsed options, the output streams, the access token and the API client."""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import os

from .. import exceptions
from .._sandbox_actions import KEY_VARIABLE, URL_VARIABLE
from ..api import API
from ._console import Progress, exception_text, printable
from .._credentials import clean_credential
from ..retry import RetryPolicy
from .._destination import follows_default
from .._credentials import check_user_agent
from . import _option_types
from ._exit_status import UsageError

__all__ = ['PROG', 'TOKEN_ENVIRONMENT_VARIABLE', 'USER_AGENT_ENVIRONMENT_VARIABLE', 'BASE_URL_VARIABLE',
           'SANDBOX_URL_VARIABLE', 'SANDBOX_KEY_VARIABLE', 'CA_BUNDLE_VARIABLES', 'Context',
           'check_requests_environment']

PROG = 'patreon'
TOKEN_ENVIRONMENT_VARIABLE = 'PATREON_ACCESS_TOKEN'
#: The app's name for the User-Agent, when ``--user-agent`` is not given.
USER_AGENT_ENVIRONMENT_VARIABLE = 'PATREON_USER_AGENT'
#: Where Patreon is, when ``--base-url`` is not given (the README's manual test exports it: a sandbox's URL).
BASE_URL_VARIABLE = 'PATREON_BASE_URL'
#: Where ``patreon sandbox-control`` finds a running sandbox (``patreon sandbox`` prints both).
SANDBOX_URL_VARIABLE = URL_VARIABLE
SANDBOX_KEY_VARIABLE = KEY_VARIABLE
#: What ``requests`` reads from the environment for the certificates it trusts.
CA_BUNDLE_VARIABLES = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')


class Context(object):
    """What a command works with: the parsed options, the output streams, and the API client made on first use.

    :ivar token: the access token once :attr:`api` was used (``None`` before), to keep out of messages.
    :ivar control_key: a sandbox's control key once a command read it (``None`` before), kept out of them too.
    :ivar partial: ``(written, total, label)`` once a listing wrote something, for the message of a failure after.
    """

    def __init__(self, options, stdout, stderr, environ):
        self.options = options
        self.stdout = stdout
        self.stderr = stderr
        self.environ = environ
        self.token = None
        self.control_key = None
        self.partial = None
        self._api = None

    @property
    def api(self):
        """The :class:`patreon.API` of the options; :class:`UsageError` when there is no usable token."""
        if self._api is None:
            self.token = self.access_token()
            user_agent = self.user_agent()
            base_url = self.base_url()
            check_requests_environment(os.environ)
            self._api = API(self.token, base_url=base_url, timeout=self.options.timeout,
                            raise_errors=True, retry=RetryPolicy(max_retries=self.options.retries),
                            user_agent=user_agent)
        return self._api

    def base_url(self):
        """``--base-url``, else ``$PATREON_BASE_URL`` (checked as the option), else the default; kept in ``options``.

        :raises UsageError: the variable is not a usable URL (the message names the variable).
        """
        if follows_default(self.options.base_url):  # the option's default: --base-url not given
            value = self.environ.get(BASE_URL_VARIABLE)
            if value:  # an empty variable is an unset one, as shells make them
                try:
                    self.options.base_url = _option_types.base_url(value)
                except argparse.ArgumentTypeError as exc:
                    raise UsageError('${}: {}'.format(BASE_URL_VARIABLE, exception_text(exc)))
        return self.options.base_url

    def user_agent(self):
        """The app's name of ``--user-agent`` or the environment, checked, or ``None``; :class:`UsageError` if unfit."""
        value, source = getattr(self.options, 'user_agent', None), '--user-agent'
        if value is None:
            value, source = self.environ.get(USER_AGENT_ENVIRONMENT_VARIABLE), '$' + USER_AGENT_ENVIRONMENT_VARIABLE
        if value is None or (value == '' and source != '--user-agent'):
            return None  # an empty variable is an unset one, as shells make them
        try:
            return check_user_agent(value, source)
        except exceptions.InvalidArgument as exc:
            raise UsageError(exception_text(exc))

    def access_token(self):
        """The token of ``--token`` or the environment, stripped and checked; :class:`UsageError` naming its source."""
        if self.options.token:
            value, source = self.options.token, '--token'
        else:
            value, source = self.environ.get(TOKEN_ENVIRONMENT_VARIABLE), '$' + TOKEN_ENVIRONMENT_VARIABLE
        if not value:
            raise UsageError('no access token: pass --token or set {}'.format(TOKEN_ENVIRONMENT_VARIABLE))
        try:
            return clean_credential(value, 'the access token in ' + source)
        except exceptions.InvalidCredential as exc:
            raise UsageError(exception_text(exc))

    @property
    def secrets(self):
        """The credentials this command has read (token, control key), which no message may show."""
        return tuple(secret for secret in (self.token, self.control_key) if secret)

    @property
    def output_format(self):
        """``--format``, else ``table`` on a terminal and ``jsonl`` elsewhere (``csv`` for ``-o NAME.csv``)."""
        chosen = getattr(self.options, 'format', None)
        if chosen:
            return chosen
        output = getattr(self.options, 'output', None)
        if output and output != '-':
            return 'csv' if output.lower().endswith('.csv') else 'jsonl'
        return 'table' if self.stdout.isatty() else 'jsonl'

    @property
    def raw_csv(self):
        return bool(getattr(self.options, 'raw_csv', False))

    def progress(self, label):
        enabled = getattr(self.options, 'progress', None)
        if enabled is None:
            enabled = self.stderr.isatty()
        return Progress(label, self.stderr, enabled)

    def close(self):
        if self._api is not None:
            self._api.close()


def check_requests_environment(environ):
    """:class:`UsageError` naming a variable of ``environ`` that points ``requests`` at certificates that do not
    exist.
    """
    for name in CA_BUNDLE_VARIABLES:
        value = environ.get(name)
        if value and not os.path.exists(value):
            raise UsageError('${} names {}, which does not exist: give a file or directory of CA certificates, or '
                             'unset it'.format(name, printable(value)))
