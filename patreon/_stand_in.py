"""``requests.get`` and ``requests.post`` replaced (by ``mock.patch``, or a wrapper): 0.5.1's calls go there.

0.5.1 sent each request through ``requests.get`` (the API) or ``requests.post``
(the token endpoint), so its own tests, and its users', patched them.  While
something else stands in for one of them, :class:`patreon.API`'s ``GET``
requests and :class:`patreon.OAuth`'s token requests are made through it as
0.5.1 made them (the same URL, headers and query parameters, and nothing
else), and its result is read as 0.5.1 read it (``.json()`` alone).  Real
calls keep the session, the timeouts, the retries and the form body.
"""
import requests

from .jsonapi.parser import JSONAPIParser

# requests' own functions, as requests.api defines them: what requests.get and requests.post are when left alone.
_OWN = {'GET': requests.api.get, 'POST': requests.api.post}


def stand_in(method):
    """What stands in for ``requests.get`` (``'GET'``) or ``requests.post`` (``'POST'``), or ``None``: requests' own."""
    current = getattr(requests, method.lower(), None)
    own = _OWN.get(method)
    return None if own is None or current is own or current is None else current


def get_document(function, url, token, user_agent):
    """``GET url`` through ``function`` as 0.5.1 sent it; the body's errors dict as it is, else a JSONAPIParser."""
    response = function(url, headers={'Authorization': 'Bearer {}'.format(token), 'User-Agent': user_agent})
    document = response.json()
    if document.get('errors'):
        return document
    return JSONAPIParser(document)


def post_token_request(function, url, params, user_agent):
    """``POST url`` through ``function`` with ``params`` in the query string, as 0.5.1 sent it; ``.json()`` as it is."""
    return function(url, params=params, headers={'User-Agent': user_agent}).json()
