# -*- coding: utf-8 -*-
"""The types of the command line's options: each turns the text given into a value, or says in a line why not.

An ``argparse`` type raises :class:`argparse.ArgumentTypeError`; ``main`` makes it a usage error (exit status 2).
The limits are those a value can work with, so that nothing refused here fails later with a traceback.

Usage::

    parser.add_argument('--port', type=port, default=0)
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import re

import six
from six.moves.urllib.parse import urlsplit

from ..console import printable
from ..transport import MAX_SECONDS

__all__ = ['MAX_RETRIES', 'MAX_PAGE_SIZE', 'MAX_SANDBOX_MEMBERS', 'MIN_SECONDS', 'base_url', 'bounded_int', 'port',
           'positive_seconds', 'seed', 'whole_number']

#: ``--retries``: more would wait minutes on a server that keeps failing.
MAX_RETRIES = 10
#: ``--page-size``: Patreon's own maximum (members pages).
MAX_PAGE_SIZE = 1000
#: ``--members`` of ``sandbox`` and ``demo``: the sandbox makes them all before it serves.
MAX_SANDBOX_MEMBERS = 100000
#: ``--timeout``: less is no time to answer in.
MIN_SECONDS = 0.001
_MAX_SEED = 2 ** 63 - 1
_WHOLE_NUMBER = re.compile(r'^\s*[+-]?[0-9]+\s*$')


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
    """Seconds from :data:`MIN_SECONDS` to :data:`patreon.transport.MAX_SECONDS` (``inf``, ``nan``, ``1e20`` no)."""
    try:
        value = float(text)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError("not a number: '{}'".format(_shown(text)))
    if not MIN_SECONDS <= value <= MAX_SECONDS:  # also refuses inf and nan, which float() takes
        raise argparse.ArgumentTypeError('must be from {:g} to {:g} seconds'.format(MIN_SECONDS, MAX_SECONDS))
    return value


def base_url(text):
    """An ``http://`` or ``https://`` URL with a host, without user, query or fragment; trailing ``/`` dropped."""
    shown = _shown(text)
    if not re.match(r'^https?://[^/?#]+', text) or re.search(r'[\s\x00-\x1f\x7f-\x9f]', text):
        raise argparse.ArgumentTypeError("'{}' is not an http:// or https:// URL".format(shown))
    try:
        parts = urlsplit(text)
        number = parts.port  # a port that is no number or out of range: ValueError on Python 3
    except ValueError:
        raise argparse.ArgumentTypeError("'{}' has no valid host and port".format(shown))
    if '@' in parts.netloc:  # credentials in a URL would show in every message naming it
        raise argparse.ArgumentTypeError('a URL with a user or password in it is refused (it would show in '
                                         'messages); give the token with --token or ${}'.format(
                                             'PATREON_ACCESS_TOKEN'))
    if not parts.hostname or (number is not None and not 0 < number <= 65535) or re.search(
            r':[^\]:]*$', parts.netloc) and number is None:
        raise argparse.ArgumentTypeError("'{}' has no valid host and port".format(shown))
    if parts.query or parts.fragment or '?' in text or '#' in text:
        raise argparse.ArgumentTypeError("'{}' has a query or fragment; give only where Patreon is".format(shown))
    try:
        parts.hostname.encode('idna')
    except UnicodeError:
        raise argparse.ArgumentTypeError("'{}' has no valid host name".format(shown))
    return text.rstrip('/')


def _shown(text):
    # What the user typed, in a message: control characters escaped, and no more than a line's worth; ASCII on
    # Python 2, whose argparse makes the message with str().
    text = printable(text)
    text = text if len(text) <= 60 else text[:57] + '...'
    return text.encode('ascii', 'backslashreplace').decode('ascii') if six.PY2 else text
