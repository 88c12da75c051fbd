"""Whether a request may go where it is sent: the active default-URL overrides, and the checks made before sending.

:mod:`patreon.endpoint` is the public face (``default_base_url``, ``override_default_base_url``); this module holds
the overrides they share with every client, and the check each request passes (:func:`check_destination`).
"""
from __future__ import unicode_literals

import re
import threading
import types

import requests
import six
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from . import _forks
from .exceptions import InvalidArgument, PatchedRequestsIgnored, RealPatreonBlocked
from ._query import urlsplit


class DefaultBaseURL(str):
    """The type of :data:`patreon.endpoint.DEFAULT_BASE_URL`: Patreon's URL, marked as "whatever the default is"."""

    __slots__ = ()

    def __reduce__(self):
        return DefaultBaseURL, (str(self),)


#: What a base URL must be, said the same way whatever was given: a URL may hold a password, so it is never quoted.
BASE_URL_RULE = ("must be an http:// or https:// URL naming a host (and a port, a path), with no user, query, "
                 "fragment or blank, such as 'http://127.0.0.1:8000' or 'https://www.patreon.com'")


def check_base_url(url, what='base_url'):
    """:raises InvalidArgument: ``url`` is not an ``http://`` or ``https://`` URL with a host, and nothing that would
    move the API's paths (a query or fragment takes them in) or hold a credential; checked when it is set, not
    found at the first call."""
    if not isinstance(url, six.string_types):
        raise InvalidArgument('{} must be a URL string, not {}'.format(what, type(url).__name__))
    try:
        parts = urlsplit(url)
        usable = parts.scheme.lower() in ('http', 'https') and bool(parts.hostname) and _port_ok(parts.netloc)
    except ValueError:  # an unclosed IPv6 bracket
        usable = False
    # '?' and '#' even with nothing after them: the API's paths would go into the query or the fragment.
    if not usable or '?' in url or '#' in url or any(char.isspace() or ord(char) < 32 for char in url):
        raise InvalidArgument('{} {}'.format(what, BASE_URL_RULE))


def _port_ok(netloc):
    """Whether ``netloc`` is a host (a name, an address, or one in brackets) and at most a port of ASCII digits in
    range; read here, not from urlsplit's port: Python 2 takes an out-of-range port for none at all."""
    if netloc.startswith('['):
        host, _, after_host = netloc[1:].partition(']')
        if after_host and not after_host.startswith(':'):
            return False
    else:
        host, _, after_host = netloc.partition(':')
        after_host = ':' + after_host if _ else ''
        if not all(char.isalnum() or char in '.-_' for char in host):  # no user part, ';', '\x7f', zero-width
            return False
    port = after_host[1:]
    return not port or (_PORT.match(port) is not None and 0 < int(port) < 65536)


_PORT = re.compile(r'[0-9]{1,5}\Z')


def follows_default(base_url):
    """Whether ``base_url`` is :data:`patreon.endpoint.DEFAULT_BASE_URL` (of its type), not a URL given on purpose."""
    return isinstance(base_url, DefaultBaseURL)


# The modules whose objects stand in for functions in tests: unittest.mock, and its backport on Python 2.
_MOCK_MODULES = frozenset(['unittest.mock', 'mock', 'mock.mock'])


_lock = threading.Lock()
_overrides = []  # type: list  # the active overrides, innermost last


@_forks.on_fork
def _after_fork():
    global _lock
    _lock = threading.Lock()  # a thread of the parent may have held it at the fork


class Override(object):
    """An active :func:`patreon.endpoint.override_default_base_url`: its ``url``, and the requests it refused.

    :ivar url: the default base URL while it is active.
    :ivar block_patreon: whether requests to the real Patreon are refused meanwhile.
    :ivar refused: one message per refused request, so that a test harness can
        fail a test whose code caught the ``RealPatreonBlocked`` and went on.
    """

    def __init__(self, url, block_patreon):
        self.url = url
        self.block_patreon = block_patreon
        self.refused = []

    def __repr__(self):
        return '<patreon.endpoint override url={} block_patreon={!r}>'.format(self.url, self.block_patreon)


def innermost_url():
    """The ``url`` of the innermost active override, or ``None`` when none is active."""
    with _lock:
        return _overrides[-1].url if _overrides else None


def activate(override):
    with _lock:
        _overrides.append(override)


def deactivate(override):
    with _lock:
        _overrides.remove(override)


def is_patreon(url):
    """Whether ``url`` is on Patreon's own hosts (``patreon.com`` and its subdomains)."""
    host = connected_host(url)
    return host == 'patreon.com' or host.endswith('.patreon.com')


def connected_host(url):
    """The host a request to ``url`` connects to, lowercase, without a final dot; ``''`` when it would not be sent.

    Read the way ``requests`` and ``urllib3`` read it, not with ``urlsplit``: they end the host at a backslash,
    percent-decode it and map it through IDNA, so ``https://www.patre%6Fn.com`` and ``https://www.patreon.com\\``
    both reach ``www.patreon.com``.
    """
    prepared = requests.PreparedRequest()
    try:
        prepared.prepare_url(url, None)
        host = parse_url(prepared.url or '').host
    except (requests.RequestException, LocationParseError, ValueError, UnicodeError):
        return ''  # not a URL requests would send to: the request fails anyway, with requests' InvalidURL
    return (host or '').lower().rstrip('.')


def check_destination(url, method=None):
    """Refuse, before anything is sent, a request to the real Patreon while a test forbids it.

    :param method: the request's method, for the mock check below (``None``: no such check).
    :raises RealPatreonBlocked: an active override blocks Patreon.
    :raises PatchedRequestsIgnored: (a ``RealPatreonBlocked``) a mock stands in
        for the ``requests`` function of ``method`` (``requests.post`` for a
        ``POST``) that this request, one 0.5.1 never made, does not go through.
    """
    with _lock:
        blocking = [override for override in _overrides if override.block_patreon]
    patched = _patched_requests_function(method)
    if not (blocking or patched) or not is_patreon(url):
        return
    if blocking:
        message = ('a client tried to reach the real Patreon ({}) while a test points clients at {}: leave '
                   'base_url to its default, which follows the test, or pass that url'.format(
                       _origin(url), blocking[-1].url))
        with _lock:
            for override in blocking:
                override.refused.append(message)
        raise RealPatreonBlocked(message)
    raise PatchedRequestsIgnored(
        'a mock stands in for {}, but this {} request is not one 0.5.1 made through it: it goes through a '
        'requests.Session, so the mock would not intercept and the request would reach the real Patreon ({}); '
        'intercept it with the responses package, or test against a sandbox (see "Changes from 0.5.1" in '
        'docs/migrating.md)'.format(patched, method, _origin(url)))


def _patched_requests_function(method):
    """``'requests.<method>'`` when a mock stands in for that function of ``requests``, else ``None``."""
    if method is None:
        return None
    name = method.lower()
    return 'requests.{}'.format(name) if _is_mock(getattr(requests, name, None)) else None


def _is_mock(value):
    if isinstance(value, types.FunctionType):
        # create_autospec() wraps a function around its mock, kept in the function's own attributes.
        value = value.__dict__.get('mock')
        if value is None:
            return False
    return any(getattr(cls, '__module__', None) in _MOCK_MODULES for cls in type(value).__mro__)


def _origin(url):
    # Scheme and host only (the host connected to): a base URL could carry a path or, against all advice,
    # credentials.
    return '{}://{}'.format(urlsplit(url).scheme, connected_host(url))
