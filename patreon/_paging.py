"""The walk from page to page behind ``API.paginate``: the rules of :mod:`patreon.pagination`, applied."""
from __future__ import unicode_literals

import hashlib
import itertools
import sys
import threading

import six

from .exceptions import InvalidResponse, PaginationError
from .jsonapi.parser import JSONAPIParser
from ._responses import ErrorDocument, resource_key
from ._query import parse_qs, unquote, urlsplit
from .pagination import MAX_STALLED_PAGES, PREFETCH_THREAD_NAME

#: What 0.5.1's ``extract_cursor`` raised (as a plain ``Exception``) where a path ends on no link: the end of a
#: listing for loops written for it.
NOT_A_LINK = str('Provided cursor path did not result in a link')  # a native str, as 0.5.1's was on Python 2
# Python 2 cannot interrupt a join without a timeout (Ctrl-C would wait for the page): it waits in slices there.
_JOIN_SLICE = 0.5 if six.PY2 else None
# The longest the caller waits for the next page's request to go out before it gets this page: one switch interval
# (Python 3's default), what each hand-off of the GIL the request needs would cost it while the caller's code runs.
_HEAD_START = 0.005
#: The longest text of an untrusted value quoted in a message.
_QUOTED_LENGTH = 80


def follow_path(document, dotted_path):
    """The value at ``dotted_path`` (``'links.next'``) in nested dicts, or ``None`` when any key is missing.
    """
    value = document
    for key in dotted_path.split('.'):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def link_at(document, dotted_path):
    """What 0.5.1's ``extract_cursor`` found at ``dotted_path``: ``(link, None)``, ``(None, None)``, ``(None, stray)``.

    The walk goes down nested dicts while the key is there.  Null at the
    end, or a walk that stops at the last key: no link.  A truthy value that
    is not a string where it stops (a number at the end, or the object that
    lacks a key before the last one): ``stray``, which 0.5.1 raised as
    ``Exception(NOT_A_LINK, stray)``.  ``None`` as the path walks nothing.
    """
    keys = [] if dotted_path is None else dotted_path.split('.')
    value, depth = document, 0
    while depth < len(keys) and keys[depth] and isinstance(value, dict) and keys[depth] in value:
        value = value[keys[depth]]
        depth += 1
    if value is None or len(keys) - depth == 1:
        return None, None
    if value and not isinstance(value, six.string_types):
        return None, value
    return value or None, None


def cursor_from_link(link):
    """The first ``page[cursor]`` value in the query string of the URL ``link``, or ``None`` when it has none.

    :raises PaginationError: when ``link`` cannot be parsed as a URL, or its
        cursor is not UTF-8 text (sending it back would send another cursor).
    """
    readings = _link_cursors(link)
    return readings[0] if readings else None


def next_cursor(document):
    """The cursor of the page after ``document`` (a dict), or ``None`` on the last page.

    Patreon puts it in ``meta.pagination.cursors.next``; ``links.next`` holds
    a URL with the same cursor.  Both null or absent: the last page.  One of
    them null or absent: the other one.  Both there: they must name the same
    cursor.

    :raises PaginationError: when a pointer is there but cannot be followed
        (not a non-empty string, a URL without ``page[cursor]`` or that cannot
        be parsed), or when the two pointers disagree.
    """
    meta = _pointer(document, ('meta', 'pagination', 'cursors', 'next'))
    link = _pointer(document, ('links', 'next'))
    from_meta = None if meta is None else checked_cursor(meta, 'meta.pagination.cursors.next')
    if link is None:
        return from_meta
    if isinstance(link, dict) and 'href' in link:  # a JSON:API 1.1 link object
        link = link['href']
    if not isinstance(link, six.string_types) or not link:
        raise PaginationError('links.next is {}, not the URL of the next page; stopping rather than '
                              'ending early'.format(_shape(link)))
    readings = _link_cursors(link)
    if not readings:
        raise PaginationError('links.next has no page[cursor] to follow ({}); stopping rather than '
                              'ending early'.format(_quoted(link)))
    if from_meta is None:
        return checked_cursor(readings[0], 'the page[cursor] of links.next')
    if from_meta not in readings:
        raise PaginationError('meta.pagination.cursors.next ({}) and links.next ({}) point to different '
                              'pages; stopping rather than guessing'.format(_quoted(from_meta), _quoted(link)))
    return from_meta


def iterate_pages(fetch_page, first_cursor=None, list_route=None):
    """Yield every page, calling ``fetch_page(cursor)`` until the last; each page is checked before it is yielded.

    ``fetch_page`` returns a :class:`~patreon.jsonapi.parser.JSONAPIParser`
    or raises.  A page that repeats resources of the page before is yielded
    without them (a new parser over a copy of the document whose ``data``
    leaves them out; ``included`` and ``meta`` are kept).

    :param first_cursor: the cursor of the first page (``None``: the start).
    :param list_route: ``True`` when every page must hold a list of
        resources; ``None`` lets the first page decide (a single resource
        then may not point to a next page).
    :raises PaginationError: a cursor seen before, a next pointer that cannot
        be followed, :data:`MAX_STALLED_PAGES` pages in a row with nothing new,
        or as many pages in all that repeat the first or a checkpoint page.
    :raises InvalidResponse: a page that is not a JSON:API page of resources.
    """
    seen = set([_digest(first_cursor)]) if isinstance(first_cursor, six.string_types) and first_cursor else set()
    cursor = first_cursor
    previous_keys = first_keys = checkpoint_keys = frozenset()  # type: frozenset
    stalled = repeats = 0
    for index in itertools.count():
        page = fetch_page(cursor)
        resources = _primary_data(page, list_route, cursor)
        following = next_cursor(page.json_data)
        if resources is None:  # a single resource, or null
            if following is not None:
                raise PaginationError('a page holding a single resource points to a next page ({}); a list '
                                      'route answers with a list'.format(_quoted(following)))
            yield page
            return
        list_route = True
        keys, fresh = _fresh(resources, previous_keys | first_keys | checkpoint_keys, cursor)
        if following is not None:
            stalled = 0 if fresh else stalled + 1
            if stalled >= MAX_STALLED_PAGES:
                raise PaginationError(
                    'the API answered {} pages in a row with nothing new, the last one for cursor {} (next: '
                    '{}); stopping rather than looping'.format(stalled, _quoted(cursor), _quoted(following)))
            if index and keys and (keys <= first_keys or keys <= checkpoint_keys):
                repeats += 1  # the listing came round again, under fresh cursors
                if repeats >= MAX_STALLED_PAGES:
                    raise PaginationError(
                        'the API answered {} pages that repeat an earlier page whole, the last one for cursor {} '
                        '(next: {}): the listing goes round in a cycle; stopping rather than looping'.format(
                            repeats, _quoted(cursor), _quoted(following)))
            digest = _digest(following)
            if digest in seen:
                raise PaginationError('the API returned the cursor {} a second time; stopping rather '
                                      'than repeating pages'.format(_quoted(following)))
            seen.add(digest)
        yield page if len(fresh) == len(resources) else _without(page, fresh)
        if following is None:
            return
        if index == 0:
            first_keys = keys
        elif index & (index - 1) == 0:  # pages 1, 2, 4, 8...: a cycle of any length meets its checkpoint again
            checkpoint_keys = keys
        previous_keys = keys
        cursor = following


def prefetched(items):
    """Yield what ``items`` (an iterator of pages) yields, taking the next one on a thread while the caller works.

    While the caller holds item n, item n+1 is being taken by a daemon
    thread (one per item, named :data:`PREFETCH_THREAD_NAME`); never more
    than one ahead, so memory holds two pages at most.  The caller gets item
    n once the request of item n+1 is out (5 ms at most).  What taking an item
    raises is raised here, in its place: after every item before it.  The
    thread ends with its item: when the iteration ends, nothing is left
    running; when it is closed or dropped, a fetch in flight runs to its end
    (its own timeouts bound it), its page is dropped, and its thread ends.
    """
    from . import _deadline  # on first use, as the transport loads it
    items = iter(items)
    # One total-timeout watchdog thread for the walk, not one per page: each start and end of one, while the caller
    # holds the GIL, held the next request back by a switch interval or more (about a tenth of the walk).
    let_go = _deadline.keep()
    try:
        taking = _Taking(items, _deadline.signal_when_sent)
        while True:
            item = taking.result()  # raises what taking it raised
            if item is _Taking.END:
                return
            taking = _Taking(items, _deadline.signal_when_sent)
            yield item
    finally:
        let_go()  # ended, closed or dropped: the watchdog's thread ends with the last fetch


class _Taking(object):
    """``next(items)`` on a daemon thread of its own; :meth:`result` waits for it.

    The thread holds the iterator and this object only, never the generator
    of :func:`prefetched`, so that a caller who drops it frees it.
    """

    END = object()
    __slots__ = ('_thread', '_item', '_error', '_going')

    def __init__(self, items, signal_when_sent):
        self._item = self._error = None
        self._going = threading.Event()  # set once the request is out, or the item taken
        thread = threading.Thread(target=self._take, args=(items, signal_when_sent), name=PREFETCH_THREAD_NAME)
        thread.daemon = True  # an abandoned fetch never keeps the process from exiting
        thread.start()
        self._thread = thread
        # Before the caller's code takes the GIL: the request's own hand-offs of it would each wait a switch interval
        # (requests releases it 4 or 5 times before the request is out), holding the next page back by as much.
        self._going.wait(_HEAD_START)

    def result(self):
        while self._thread.is_alive():
            self._thread.join(_JOIN_SLICE)
        if self._error is not None:
            error, self._error = self._error, None  # the traceback holds frames: not kept past raising it
            six.reraise(*error)
        return self._item

    # The names it needs are bound here: when Python 2 exits with a fetch in flight, it empties the modules under
    # this daemon thread, and a name looked up then would raise out of the thread, printed on stderr.
    def _take(self, items, signal_when_sent, next=next, stop=StopIteration, anything=BaseException,
              exc_info=sys.exc_info):
        signal_when_sent(self._going.set)
        try:
            self._item = next(items)
        except stop:
            self._item = self.END
        except anything:  # raised to the caller where it happened, whatever it is
            self._error = exc_info()
        try:
            self._going.set()  # no request went out (a cached page, an error): the caller waits no more
        except anything:  # Python 2 at exit: threading's globals are gone, and no caller waits any more
            pass


def _primary_data(page, list_route, cursor):
    """The list of resource objects of ``page``, or ``None`` when it holds one resource (or null)."""
    where = _where(cursor)
    if isinstance(page, ErrorDocument):  # a client that does not raise: its page is the error's document
        raise page.error
    document = page.json_data
    if not isinstance(document, dict):
        raise InvalidResponse('{} is {}, not a JSON:API document'.format(where, _shape(document)))
    if document.get('errors'):
        raise InvalidResponse('{} carries errors, not resources'.format(where))
    if 'data' not in document:
        raise InvalidResponse('{} has no data: not a page of resources'.format(where))
    data = document['data']
    if isinstance(data, list):
        return data
    if list_route:
        raise InvalidResponse('{} holds {} where a list of resources belongs'.format(where, _shape(data)))
    return None


def _fresh(resources, previous_keys, cursor):
    """The ``(type, id)`` keys of ``resources`` and those of them neither on the page before nor earlier on this one."""
    keys = set()
    fresh = []
    for resource in resources:
        key = resource_key(resource)
        if key is None:
            raise InvalidResponse('{} holds a resource without type and id'.format(_where(cursor)))
        if key not in keys and key not in previous_keys:
            fresh.append(resource)
        keys.add(key)
    return frozenset(keys), fresh


def _where(cursor):
    return 'the first page' if cursor is None else 'the page for cursor {}'.format(_quoted(cursor))


def _without(page, fresh):
    document = dict(page.json_data)
    document['data'] = fresh
    return JSONAPIParser(document)


def _pointer(document, keys):
    """The value at ``keys``, ``None`` when absent or null; PaginationError when an object on the way is not one."""
    value = document
    for depth, key in enumerate(keys):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise PaginationError('{} is {}, not an object; cannot tell whether a next page exists'.format(
                '.'.join(keys[:depth]) or 'the page', _shape(value)))
        value = value.get(key)
    return value


def checked_cursor(value, where):
    """``value`` if it is a cursor: a non-empty string that can be sent back as UTF-8.

    :param where: where the value was read, named in the error (``'meta.pagination.cursors.next'``).
    :raises PaginationError: for anything else (a number, ``""``, an object, a list, a boolean).
    """
    if not isinstance(value, six.string_types) or not value:
        raise PaginationError('{} is {}, not a cursor; stopping rather than ending early'.format(
            where, _shape(value)))
    try:
        value.encode('utf-8') if isinstance(value, six.text_type) else value.decode('utf-8')
    except UnicodeError:
        raise PaginationError('{} ({}) is not text that can be sent back'.format(where, _quoted(value)))
    return value


def _link_cursors(link):
    """The readings of the first ``page[cursor]`` of ``link``: as a form reads it (``+`` is a space), then as a URL.

    Empty when the link has none; PaginationError when it cannot be read.
    """
    name, ampersand, equals = 'page[cursor]', '&', '='
    if six.PY2:  # Python 2 unquotes text to Latin-1: work on UTF-8 bytes, decoded at the end
        link = link.encode('utf-8') if isinstance(link, six.text_type) else link
        name, ampersand, equals = name.encode('ascii'), b'&', b'='
    try:
        query = urlsplit(link).query
        values = parse_qs(query) if six.PY2 else parse_qs(query, errors='strict')
        readings = values.get(name, [])[:1]
        unquote_strictly = unquote if six.PY2 else (lambda text: unquote(text, errors='strict'))
        readings.extend([unquote_strictly(value) for key, _, value in (
            part.partition(equals) for part in query.split(ampersand)) if value and unquote(key) == name][:1])
        readings = [_utf8_decoded(value) for value in readings]
    except (ValueError, UnicodeError):  # ValueError: not a URL at all, e.g. an unclosed '[' in the host
        raise PaginationError('links.next ({}) is not a URL whose page[cursor] can be read'.format(_quoted(link)))
    return [checked_cursor(value, 'the page[cursor] of links.next') for value in readings]


def _utf8_decoded(value):
    return value.decode('utf-8') if isinstance(value, bytes) else value


def _digest(cursor):
    # surrogatepass: a caller's first cursor may not be sendable; the request then says so, naming the cursor.
    errors = 'surrogatepass' if six.PY3 else 'strict'
    return hashlib.sha1(cursor.encode('utf-8', errors) if isinstance(cursor, six.text_type) else cursor).digest()


def _shape(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean ({})'.format('true' if value else 'false')
    if isinstance(value, (six.integer_types, float)):
        return 'a number ({})'.format(value)
    if isinstance(value, six.string_types):
        return 'an empty string' if not value else 'a string ({})'.format(_quoted(value))
    if isinstance(value, dict):
        return 'an object'
    if isinstance(value, list):
        return 'a list'
    return 'a {}'.format(type(value).__name__)


def _quoted(value):
    """A short printable quotation of an untrusted value for a message."""
    if isinstance(value, bytes):
        text = value.decode('utf-8', 'replace')
    else:
        text = value if isinstance(value, six.text_type) else '%r' % (value,)
    if len(text) > _QUOTED_LENGTH:
        text = text[:_QUOTED_LENGTH] + '...'
    quoted = repr(text)
    return quoted[1:] if six.PY2 and quoted.startswith('u') else quoted
