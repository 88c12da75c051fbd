"""Where a client sends by default, and when it must not send to the real Patreon.

:class:`patreon.API` and :class:`patreon.OAuth` created without ``base_url``
send to :func:`default_base_url`: ``https://www.patreon.com``, unless a test
has pointed the default elsewhere with :func:`override_default_base_url`
(what the pytest plugin's ``patreon_sandbox`` fixture does).  The default is
read at every request, so that a client created at import time (an app's
module-level ``OAuth``) follows it too; a client given ``base_url`` keeps it.

Before each request, :func:`check_destination` refuses to reach the real
Patreon (``patreon.com`` and its subdomains) in two cases, with
:class:`~patreon.exceptions.RealPatreonBlocked` before anything is sent:

- while an override with ``block_patreon=True`` is active: a test's client
  that still points at Patreon (created before the fixture, or given the URL
  explicitly) fails loudly instead of reaching production;
- while a ``unittest.mock`` object stands in for the ``requests`` function
  of a request's method (``requests.post`` for a ``POST``) and the request
  is not one 0.5.1 made (those go through the replacement, see
  :mod:`patreon.stand_in`): it is sent through a session, which the mock
  would not intercept (:class:`~patreon.exceptions.PatchedRequestsIgnored`).

Usage::

    from patreon import endpoint

    with endpoint.override_default_base_url(sandbox.url) as override:
        api = patreon.API(sandbox.creator_token)   # sends to sandbox.url
        override.refused                           # messages of the requests to Patreon refused so far
"""
from __future__ import unicode_literals

import contextlib
import threading
import types

import requests
import six
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from . import forks
from .exceptions import InvalidArgument, PatchedRequestsIgnored, RealPatreonBlocked
from .jsonapi.url_util import checked_bool, urlsplit

#: Where Patreon is (a native str, as the default always was, on Python 2 too).
PATREON_URL = str('https://www.patreon.com')


#: The default of ``base_url`` in every client's signature: equal to :data:`PATREON_URL`, but a str object of its
#: own (built at run time, so never the same object as a literal), by which a client tells a default left alone
#: from Patreon's URL passed on purpose.
DEFAULT_BASE_URL = str('').join([PATREON_URL[:8], PATREON_URL[8:]])


# The modules whose objects stand in for functions in tests: unittest.mock, and its backport on Python 2.
_MOCK_MODULES = frozenset(['unittest.mock', 'mock', 'mock.mock'])

_lock = threading.Lock()
_overrides = []  # the active overrides, innermost last


@forks.on_fork
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
    """The base URL a client created now without ``base_url`` sends to (no trailing slash).

    Usage::

        endpoint.default_base_url()  # 'https://www.patreon.com', or the URL of the active override
    """
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
    """Whether ``url`` is on Patreon's own hosts (``patreon.com`` and its subdomains).

    Usage::

        endpoint.is_patreon('https://www.patreon.com')  # True
        endpoint.is_patreon(sandbox.url)                # False
    """
    host = connected_host(url)
    return host == 'patreon.com' or host.endswith('.patreon.com')


def connected_host(url):
    """The host a request to ``url`` connects to, lowercase, without a final dot; ``''`` when it would not be sent.

    Read the way ``requests`` and ``urllib3`` read it, not with ``urlsplit``: they end the host at a backslash,
    percent-decode it and map it through IDNA, so ``https://www.patre%6Fn.com`` and ``https://www.patreon.com\\``
    both reach ``www.patreon.com``.

    Usage::

        endpoint.connected_host('https://www.patre%6Fn.com/x')  # 'www.patreon.com'
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

    Usage::

        endpoint.check_destination(transport.base_url, 'POST')
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
        'intercept it with the responses package, or test against a sandbox (see "Changes from 0.5.1" in the '
        'README)'.format(patched, method, _origin(url)))


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
