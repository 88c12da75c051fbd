"""Follow cursors from page to page without losing or repeating a page."""
from __future__ import unicode_literals

import six
from six.moves.urllib.parse import parse_qs, urlsplit

from .exceptions import PaginationError


def follow_path(document, dotted_path):
    """The value at ``dotted_path`` (``'links.next'``) in nested dicts, or ``None`` when any key is missing.

    Usage::

        follow_path({'meta': {'pagination': {'total': 3}}}, 'meta.pagination.total')  # 3
        follow_path({'meta': {}}, 'meta.pagination.total')                          # None
    """
    value = document
    for key in dotted_path.split('.'):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def cursor_from_link(link):
    """The first ``page[cursor]`` value in the query string of ``link``, or ``None``.

    Usage::

        cursor_from_link('https://www.patreon.com/api/oauth2/v2/campaigns?page%5Bcursor%5D=abc')  # 'abc'
    """
    if six.PY2 and isinstance(link, six.text_type):
        link = link.encode('utf-8')  # Python 2 unquotes text to Latin-1; bytes decode to UTF-8 below
    try:
        query = urlsplit(link).query
    except ValueError:  # not a URL at all, e.g. an unclosed '[' in the host
        return None
    values = parse_qs(query).get('page[cursor]')
    if not values:
        return None
    return values[0].decode('utf-8', 'replace') if isinstance(values[0], bytes) else values[0]


def next_cursor(document):
    """The cursor of the page after ``document`` (a dict), or ``None`` on the last page.

    Patreon puts it in ``meta.pagination.cursors.next``; some answers carry
    only ``links.next``, a URL that holds it.

    Usage::

        next_cursor({'meta': {'pagination': {'cursors': {'next': 'abc'}}}})  # 'abc'
        next_cursor({'data': []})                                            # None
    """
    cursor = follow_path(document, 'meta.pagination.cursors.next')
    if isinstance(cursor, six.string_types) and cursor:
        return cursor
    link = follow_path(document, 'links.next')
    if isinstance(link, six.string_types) and link:
        return cursor_from_link(link)
    return None


def iterate_pages(fetch_page, first_cursor=None):
    """Yield every page, calling ``fetch_page(cursor)`` until no next cursor is left.

    ``fetch_page`` returns a :class:`~patreon.jsonapi.parser.JSONAPIParser`
    or raises.  A cursor seen before raises :class:`PaginationError` naming
    it: a server that loops must not make the caller loop, nor silently stop.

    Usage::

        api = patreon.API(access_token, raise_errors=True)
        for page in iterate_pages(lambda cursor: api.get_campaigns(10, cursor=cursor)):
            handle(page.data())
    """
    seen = set([first_cursor]) if first_cursor is not None else set()
    cursor = first_cursor
    while True:
        page = fetch_page(cursor)
        yield page
        cursor = next_cursor(page.json_data)
        if cursor is None:
            return
        if cursor in seen:
            raise PaginationError('the API returned the cursor {!r} a second time; stopping rather '
                                  'than repeating pages'.format(cursor))
        seen.add(cursor)
