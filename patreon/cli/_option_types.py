# -*- coding: utf-8 -*-
"""The types of the command line's options: each turns the text into a value or raises ``ArgumentTypeError``.

The limits are those a value can work with, so that nothing accepted here fails later with a traceback.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import json
import math
import re

import six
from six.moves.urllib.parse import urlsplit

from .. import exceptions
from ._console import exception_text, printable
from .._credentials import clean_credential
from .._masking import MIN_SECRET_LENGTH
from .._destination import follows_default
from ..retry import MAX_SECONDS

__all__ = ['MAX_RETRIES', 'MAX_PAGE_SIZE', 'MAX_SANDBOX_MEMBERS', 'MAX_FAULT_COUNT', 'MIN_SECONDS',
           'DefaultsHelpFormatter', 'base_url',
           'bounded_int', 'control_key', 'fault_option', 'identifier', 'new_control_key', 'port', 'positive_seconds',
           'redirect_uri', 'sandbox_url', 'seed', 'whole_number']

class DefaultsHelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """``--help`` that shows each option's default, but not ``(default: None)`` (the command decides; its help says)."""

    def _get_help_string(self, action):
        if action.default is None:
            return action.help
        return super(DefaultsHelpFormatter, self)._get_help_string(action)


#: ``--retries``: more would wait minutes on a server that keeps failing.
MAX_RETRIES = 10
#: ``--page-size``: Patreon's own maximum (members pages).
MAX_PAGE_SIZE = 1000
#: ``--members`` of ``sandbox`` and ``demo``: the sandbox makes them all before it serves.
MAX_SANDBOX_MEMBERS = 100000
#: ``sandbox-control fault --count``: more requests than a manual test makes.
MAX_FAULT_COUNT = 1000000
#: ``--timeout``: less is no time to answer in.
MIN_SECONDS = 0.001
_MAX_SEED = 2 ** 63 - 1
_WHOLE_NUMBER = re.compile(r'^\s*[+-]?[0-9]+\s*$')
_MAX_IDENTIFIER = 100
_MAX_FAULT_OPTION = 200
_USERINFO = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@')


def whole_number(text):
    """``text`` as an int (ASCII digits, an optional sign); :class:`argparse.ArgumentTypeError` otherwise."""
    if not _WHOLE_NUMBER.match(text) or len(text) > 40:
        raise argparse.ArgumentTypeError("not a whole number: '{}'".format(_shown(text)))
    return int(text)


def bounded_int(low, high):
    """A type: a whole number from ``low`` to ``high``."""
    def convert(text):
        value = whole_number(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError('must be from {} to {}'.format(low, high))
        return value
    convert.__name__ = str('whole number')
    return convert


def port(text):
    """A TCP port on 127.0.0.1: 1 to 65535, or 0 for any free one."""
    return bounded_int(0, 65535)(text)


def seed(text):
    """A sandbox seed: any whole number a 64-bit int holds."""
    return bounded_int(-_MAX_SEED, _MAX_SEED)(text)


def positive_seconds(text):
    """Seconds from :data:`MIN_SECONDS` to :data:`patreon.retry.MAX_SECONDS` (``inf``, ``nan``, ``1e20`` no)."""
    try:
        value = float(text)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError("not a number: '{}'".format(_shown(text)))
    if not MIN_SECONDS <= value <= MAX_SECONDS:  # also refuses inf and nan, which float() takes
        raise argparse.ArgumentTypeError('must be from {:g} to {:g} seconds'.format(MIN_SECONDS, MAX_SECONDS))
    return value


def base_url(text):
    """An ``http://`` or ``https://`` URL with a host, without user, query or fragment; trailing ``/`` dropped."""
    if follows_default(text):
        return text  # left alone, so that it follows patreon.endpoint's default (a test's sandbox)
    shown = _shown(text)
    if _USERINFO.match(text):  # credentials in a URL would show in every message naming it
        raise argparse.ArgumentTypeError('a URL with a user or password in it is refused (it would show in '
                                         'messages); give the token with --token or ${}'.format(
                                             'PATREON_ACCESS_TOKEN'))
    parts = _http_url(text)
    if parts.query or parts.fragment or '?' in text or '#' in text:
        raise argparse.ArgumentTypeError("'{}' has a query or fragment; give only where Patreon is".format(shown))
    return text.rstrip('/')


def sandbox_url(text):
    """The URL of a sandbox on this machine: :func:`base_url` whose host is ``localhost``, ``127.x.x.x`` or ``::1``."""
    from ..sandbox._webhooks import is_loopback  # the sandbox's own rule; its code is loaded for this option only

    if _USERINFO.match(text):  # (base_url's message would point at the access token)
        raise argparse.ArgumentTypeError('a URL with a user or password in it is refused (it would show in '
                                         'messages); give the key with --key or $PATREON_SANDBOX_KEY')
    url = base_url(text)
    if not is_loopback(urlsplit(url).hostname):
        raise argparse.ArgumentTypeError("'{}' is not on this machine (localhost, 127.x.x.x or ::1): a sandbox is "
                                         'driven from the machine it runs on'.format(_shown(text)))
    return url


def redirect_uri(text):
    """An OAuth redirect URI: an ``http://`` or ``https://`` URL with a host, a query allowed, no ``#fragment``."""
    parts = _http_url(text)
    if parts.fragment or '#' in text:  # OAuth forbids them, and the sandbox would refuse it with a traceback
        raise argparse.ArgumentTypeError("'{}' has a #fragment, which a redirect URI may not have".format(
            _shown(text)))
    return text


def control_key(text):
    """A sandbox's control key: printable ASCII, surrounding blanks dropped; the message never shows it."""
    try:
        return clean_credential(text, 'the control key')
    except exceptions.InvalidCredential as exc:
        # An ArgumentTypeError, not the ValueError it is: argparse's message for a ValueError quotes the value.
        raise argparse.ArgumentTypeError(exception_text(exc))


def new_control_key(text):
    """The control key a new sandbox is to take: :func:`control_key` of at least 8 characters (a short key is
    guessed, and could not be masked in messages)."""
    key = control_key(text)
    if len(key) < MIN_SECRET_LENGTH:
        raise argparse.ArgumentTypeError('the control key must have at least {} characters'.format(
            MIN_SECRET_LENGTH))
    return key


def identifier(text):
    """An id of the sandbox's (a user, tier, member): non-blank, on one line, at most 100 characters."""
    if not text.strip() or len(text) > _MAX_IDENTIFIER or re.search(r'[\x00-\x1f\x7f-\x9f]', text):
        raise argparse.ArgumentTypeError("'{}' is not an id".format(_shown(text)))
    return text.strip()


def fault_option(text):
    """``NAME=VALUE``, a fault's option (VALUE read as JSON when it is JSON, as in ``status=503``); a number
    that is not finite (``nan``, ``1e400``) is refused: no fault can wait that long."""
    name, equals, value = text.partition('=')
    if not equals or not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', name.strip()):
        raise argparse.ArgumentTypeError("'{}' is not NAME=VALUE".format(_shown(text)))
    if len(value) > _MAX_FAULT_OPTION:  # (and no JSON nested deep enough to exhaust the stack)
        raise argparse.ArgumentTypeError('a fault option has at most {} characters'.format(_MAX_FAULT_OPTION))
    try:
        parsed = json.loads(value)
    except ValueError:
        return text  # a string
    if not _finite(parsed):
        raise argparse.ArgumentTypeError("'{}' is not a finite number".format(_shown(value)))
    return text


def _finite(value):
    if isinstance(value, float):
        return not (math.isinf(value) or math.isnan(value))
    if isinstance(value, dict):
        return all(_finite(item) for item in value.values())
    if isinstance(value, list):
        return all(_finite(item) for item in value)
    return True


def _http_url(text):
    """``urlsplit(text)`` of an http(s) URL with a valid host and port; :class:`argparse.ArgumentTypeError` else."""
    if _USERINFO.match(text):  # before any message that would show the URL, password included
        raise argparse.ArgumentTypeError('a URL with a user or password in it is refused (it would show in '
                                         'messages)')
    shown = _shown(text)
    if not re.match(r'^https?://[^/?#]+', text) or re.search(r'[\s\x00-\x1f\x7f-\x9f]', text):
        raise argparse.ArgumentTypeError("'{}' is not an http:// or https:// URL".format(shown))
    try:
        parts = urlsplit(text)
        number = parts.port  # a port that is no number or out of range: ValueError on Python 3
    except ValueError:
        raise argparse.ArgumentTypeError("'{}' has no valid host and port".format(shown))
    if not parts.hostname or (number is not None and not 0 < number <= 65535) or re.search(
            r':[^\]:]*$', parts.netloc) and number is None:
        raise argparse.ArgumentTypeError("'{}' has no valid host and port".format(shown))
    try:
        parts.hostname.encode('idna')
    except UnicodeError:
        raise argparse.ArgumentTypeError("'{}' has no valid host name".format(shown))
    return parts


def _shown(text):
    # What the user typed, in a message: control characters escaped, and no more than a line's worth; ASCII on
    # Python 2, whose argparse makes the message with str().
    text = printable(text)
    text = text if len(text) <= 60 else text[:57] + '...'
    return text.encode('ascii', 'backslashreplace').decode('ascii') if six.PY2 else text
