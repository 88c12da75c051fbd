"""Cursor pagination over an id index: cost follows the page size, never the list size.

A cursor is an opaque token wrapping an offset into the (append-only) index,
so a page is one list slice. ``page[count]`` limits and bad cursors are 400s.
A stalled page (the ``stall`` fault) points its next cursor back at itself,
with a fresh serial so that the cursor is new: the API seen in the field.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import base64
import binascii
import itertools
import re
from collections import OrderedDict

import six
from six.moves.urllib.parse import quote, urlencode

from ._errors import APIError

_CURSOR_TEXT = re.compile(r'^offset:(\d{1,12})(?::\d{1,12})?$')
_STALL_SERIALS = itertools.count(1)  # next() on a count is atomic: safe across server threads


def encode_cursor(offset, serial=None):
    """The opaque cursor for ``offset``; a ``serial`` makes another cursor for the same offset."""
    text = 'offset:%d' % offset if serial is None else 'offset:%d:%d' % (offset, serial)
    raw = base64.urlsafe_b64encode(text.encode('ascii'))
    return raw.decode('ascii').rstrip('=')


def decode_cursor(cursor):
    """The offset inside ``cursor``; ValueError when it is not one of ours."""
    try:
        padded = cursor + '=' * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode('ascii')).decode('ascii')
    except (binascii.Error, TypeError, UnicodeError):
        raise ValueError('not a cursor')
    match = _CURSOR_TEXT.match(text)
    if match is None:
        raise ValueError('not a cursor')
    return int(match.group(1))


def page_count(request, default, maximum):
    """``page[count]`` as an int, checked against ``maximum``."""
    value = request.param('page[count]')
    if value is None:
        return default
    if not re.match(r'^\d{1,9}$', value) or int(value) < 1:
        raise APIError.bad_request("page[count] must be a positive integer, not '%s'." % value)
    if int(value) > maximum:
        raise APIError.bad_request('page[count] can be at most %d for this request, not %s.'
                                   % (maximum, value))
    return int(value)


class Page(object):
    """One page of ``ids``: the slice plus what ``meta.pagination`` and ``links.next`` need.

    A ``stall``-ed page's next cursor is a new one for this very page.
    """

    def __init__(self, ids, offset, count, stall=False):
        self.total = len(ids)
        self.ids = ids[offset:offset + count]
        end = offset + len(self.ids)
        if stall:
            self.next_cursor = encode_cursor(offset, next(_STALL_SERIALS))
        else:
            self.next_cursor = encode_cursor(end) if end < self.total else None

    @classmethod
    def from_request(cls, request, ids, default, maximum, stall=False):
        count = page_count(request, default, maximum)
        cursor = request.param('page[cursor]')
        offset = 0
        if cursor is not None:
            try:
                offset = decode_cursor(cursor)
            except ValueError:
                raise APIError.bad_request("page[cursor] '%s' is not a valid cursor." % cursor)
            if offset > len(ids):
                raise APIError.bad_request("page[cursor] '%s' is past the end of the list." % cursor)
        return cls(ids, offset, count, stall)

    def meta(self):
        cursors = OrderedDict([('next', self.next_cursor)])
        return OrderedDict([('pagination', OrderedDict([('total', self.total), ('cursors', cursors)]))])

    def links(self, url, request):
        """``{'next': <the same request with page%5Bcursor%5D=...>}``, or None on the last page."""
        if self.next_cursor is None:
            return None
        kept = [(six.ensure_str(name), six.ensure_str(value))
                for name, value in request.params if name != 'page[cursor]']
        query = urlencode(kept)
        query += ('&' if query else '') + 'page%5Bcursor%5D=' + quote(self.next_cursor, safe=str(''))
        return OrderedDict([('next', '%s?%s' % (url, query))])
