"""The policy objects a client takes besides :class:`~patreon.retry.RetryPolicy` and :class:`~patreon.pacing.Limits`.

Each is immutable, checked when made, compared by value and shareable between clients; ``.replace(**changes)``
makes a checked copy.  :class:`Timeout` bounds each request; :class:`RefreshPolicy` says how tokens are refreshed.
"""
from ._policy import MAX_SECONDS, Policy, check_seconds, checked_callback, checked_margin, checked_oauth_client

__all__ = ['Timeout', 'RefreshPolicy', 'DEFAULT_TIMEOUT', 'DEFAULT_TOTAL_TIMEOUT', 'DEFAULT_REFRESH_MARGIN']

#: Seconds to wait for a connection and then for each read; finite, so that no single read waits forever.
DEFAULT_TIMEOUT = 30.0
#: Seconds one attempt (connect, send, headers and body) may take in all, however the server trickles its answer.
DEFAULT_TOTAL_TIMEOUT = 120.0


class Timeout(Policy):
    """Seconds a request may take; immutable, shareable between clients.

    :param connect: the longest wait for a connection.
    :param read: the longest wait for each read of the response.
    :param total: the longest one attempt may take in all (connect, send, headers and body), however slowly the
        server trickles its response; past it the attempt ends with :class:`~patreon.exceptions.TotalTimeout`,
        which is not retried.
    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) a value that is not a number of seconds above 0
        and at most :data:`MAX_SECONDS` (``None``, ``inf``, ``nan``, ``0``, ``"30"``).

    Usage::

        patreon.API(access_token, timeout=Timeout(connect=5, read=30, total=60))
    """

    __slots__ = _fields = ('connect', 'read', 'total')

    def __init__(self, connect=DEFAULT_TIMEOUT, read=DEFAULT_TIMEOUT, total=DEFAULT_TOTAL_TIMEOUT):
        self._init(connect=check_seconds('the connect timeout', connect, limit=MAX_SECONDS),
                   read=check_seconds('the read timeout', read, limit=MAX_SECONDS),
                   total=check_seconds('the total timeout', total, limit=MAX_SECONDS))


#: Seconds before ``expires_at`` when a token is refreshed before a call: tokens have died ~11 days early.
DEFAULT_REFRESH_MARGIN = 14 * 24 * 3600


class RefreshPolicy(Policy):
    """How a client refreshes its tokens; immutable, shareable between clients.

    A 401 refreshes the tokens once and retries the request; a call less than ``margin`` seconds before the
    token's ``expires_at`` refreshes first.  A refresh token is spent at most once.

    :param oauth_client: the :class:`patreon.OAuth` that refreshes.
    :param on_token_refresh: called with the new token dict after each refresh (to store the new single-use
        refresh token), outside every lock, in the order of the refreshes; what it raises propagates from the
        call that ran it, and the client keeps the new tokens all the same.
    :param margin: seconds (default 14 days: tokens have died ~11 days before ``expires_in`` said); ``0``
        refreshes only after a 401.
    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) an ``oauth_client`` without ``refresh_token``,
        an ``on_token_refresh`` that is not callable, a ``margin`` not from 0 to a year.

    Usage::

        refresh = RefreshPolicy(patreon.OAuth(client_id, client_secret), on_token_refresh=save_tokens)
        api = patreon.API(tokens['access_token'], refresh_token=tokens['refresh_token'], refresh=refresh)
    """

    __slots__ = _fields = ('oauth_client', 'on_token_refresh', 'margin')

    def __init__(self, oauth_client, on_token_refresh=None, margin=DEFAULT_REFRESH_MARGIN):
        self._init(oauth_client=checked_oauth_client(oauth_client), on_token_refresh=checked_callback(
            on_token_refresh), margin=checked_margin(margin))

    def __reduce__(self):
        # Its OAuth client holds the client secret, which never goes into a pickle.
        raise TypeError('a patreon.RefreshPolicy is not pickled: its OAuth client holds the client secret')


