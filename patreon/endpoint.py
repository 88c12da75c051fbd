"""Where a client sends by default, and when it must not send to the real Patreon.

Clients created without ``base_url`` read :func:`default_base_url` at every request, so a test's
:func:`override_default_base_url` reaches clients made at import too.  Before each request a client raises
``RealPatreonBlocked`` when it would reach Patreon under an override with ``block_patreon=True``, and
``PatchedRequestsIgnored`` for a request 0.5.1 never made while a mock stands in for ``requests``.
"""
from __future__ import unicode_literals

import contextlib


from . import _destination
from ._query import checked_bool

__all__ = ['PATREON_URL', 'DEFAULT_BASE_URL', 'default_base_url', 'override_default_base_url']

#: Where Patreon is (a native str, as the default always was, on Python 2 too).
PATREON_URL = str('https://www.patreon.com')

#: The default of ``base_url`` in every client's signature: equal to :data:`PATREON_URL`, and marked by its type
#: (not only its value), so that a client given it follows :func:`default_base_url` (a test's sandbox) while one
#: given ``'https://www.patreon.com'`` on purpose keeps it.
DEFAULT_BASE_URL = _destination.DefaultBaseURL(PATREON_URL)


def default_base_url():
    """The base URL a client created now without ``base_url`` sends to (no trailing slash)."""
    url = _destination.innermost_url()
    return PATREON_URL if url is None else url


@contextlib.contextmanager
def override_default_base_url(url, block_patreon=True):
    """Within the block, clients created without ``base_url`` send to ``url``; yields the active override.

    Overrides nest (the innermost wins) and hold for every thread.  With
    ``block_patreon`` (the default), any client's request to the real Patreon
    raises :class:`~patreon.exceptions.RealPatreonBlocked` meanwhile.

    The override yielded has three attributes: ``url`` (the default base URL
    while it is active, without a trailing slash), ``block_patreon`` (a bool),
    and ``refused`` (a list of str: one message per request to Patreon it
    refused, so that a test harness can fail a test whose code caught the
    ``RealPatreonBlocked`` and went on).

    :raises InvalidArgument: ``url`` is not an ``http://`` or ``https://`` URL naming a host (no user, query,
        fragment or blank).

    Usage::

        with endpoint.override_default_base_url(sandbox.url):
            run_the_app_under_test()
    """
    _destination.check_base_url(url, 'the default base URL')
    override = _destination.Override(url.rstrip('/'), checked_bool(block_patreon, 'block_patreon'))
    _destination.activate(override)
    try:
        yield override
    finally:
        _destination.deactivate(override)
