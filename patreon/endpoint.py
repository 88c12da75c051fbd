"""Where a client sends by default, and when it must not send to the real Patreon.

Clients created without ``base_url`` read :func:`default_base_url` at every request, so a test's
:func:`override_default_base_url` reaches clients made at import too.  :func:`check_destination` raises
``RealPatreonBlocked`` under an override with ``block_patreon=True``, and ``PatchedRequestsIgnored`` for a request
0.5.1 never made while a mock stands in for ``requests``.
"""
from __future__ import unicode_literals

import contextlib
import threading
import types

import requests
import six
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from . import _forks
from .exceptions import InvalidArgument, PatchedRequestsIgnored, RealPatreonBlocked
from .jsonapi.url_util import checked_bool, urlsplit

__all__ = ['PATREON_URL', 'DEFAULT_BASE_URL', 'default_base_url', 'override_default_base_url']

#: Where Patreon is (a native str, as the default always was, on Python 2 too).
PATREON_URL = str('https://www.patreon.com')


class DefaultBaseURL(str):
    """The type of :data:`DEFAULT_BASE_URL`: Patreon's URL, marked as "whatever the default is when sending"."""

    __slots__ = ()

    def __reduce__(self):
        return DefaultBaseURL, (PATREON_URL,)


#: The default of ``base_url`` in every client's signature: equal to :data:`PATREON_URL`, and marked by its type
#: (:func:`follows_default`), so that a client given it follows :func:`default_base_url` (a test's sandbox) while one
#: given ``'https://www.patreon.com'`` on purpose keeps it.
DEFAULT_BASE_URL = DefaultBaseURL(PATREON_URL)


def follows_default(base_url):
    """Whether ``base_url`` is :data:`DEFAULT_BASE_URL` (of its type), not a URL given on purpose."""
    return isinstance(base_url, DefaultBaseURL)


# The modules whose objects stand in for functions in tests: unittest.mock, and its backport on Python 2.
_MOCK_MODULES = frozenset(['unittest.mock', 'mock', 'mock.mock'])

_lock = threading.Lock()
_overrides = []  # the active overrides, innermost last


@_forks.on_fork
def _after_fork():
    global _lock
    _lock = threading.Lock()  # a thread of the parent may have held it at the fork


class Override(object):
    """An active :func:`override_default_base_url`: its ``url``, and the requests to Patreon it refused.

    :ivar url: the default base URL while it is active.
    :ivar block_patreon: whether requests to the real Patreon are refused meanwhile.
    :ivar refused: one message per refused request, so that a test harness can
        fail a test whose code caught the :class:`RealPatreonBlocked` and went on.
    """

    def __init__(self, url, block_patreon):
        self.url = url
        self.block_patreon = block_patreon
        self.refused = []

    def __repr__(self):
        return '<patreon.endpoint.Override url={} block_patreon={!r}>'.format(self.url, self.block_patreon)


def default_base_url():
    """The base URL a client created now without ``base_url`` sends to (no trailing slash)."""
    with _lock:
        return _overrides[-1].url if _overrides else PATREON_URL


@contextlib.contextmanager
def override_default_base_url(url, block_patreon=True):
    """Within the block, clients created without ``base_url`` send to ``url``; yields the :class:`Override`.

    Overrides nest (the innermost wins) and hold for every thread.  With
    ``block_patreon`` (the default), any client's request to the real Patreon
    raises :class:`~patreon.exceptions.RealPatreonBlocked` meanwhile.

    :raises InvalidArgument: ``url`` is not an ``http://`` or ``https://`` URL.

    Usage::

        with endpoint.override_default_base_url(sandbox.url):
            run_the_app_under_test()
    """
    if not isinstance(url, six.string_types) or urlsplit(url).scheme not in ('http', 'https') \
            or not urlsplit(url).hostname:
        raise InvalidArgument('the default base URL must be an http:// or https:// URL')
    override = Override(url.rstrip('/'), checked_bool(block_patreon, 'block_patreon'))
    with _lock:
        _overrides.append(override)
    try:
        yield override
    finally:
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
        host = parse_url(prepared.url).host
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
