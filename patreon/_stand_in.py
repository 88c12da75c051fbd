"""While something stands in for ``requests.get``/``requests.post`` (``mock.patch``), 0.5.1's calls go through it.

The API's ``GET`` routes and the token requests are made as 0.5.1 made them (URL, headers, query), read with
``.json()`` alone; other calls keep the session, timeouts and retries.
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
