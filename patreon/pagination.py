"""Follow cursors from page to page: every resource once, or a :class:`~patreon.exceptions.PaginationError`.

A walk (:meth:`patreon.API.paginate`) ends on the page whose next pointer (``meta.pagination.cursors.next``, or the
``page[cursor]`` of ``links.next``) is null, or raises: on a pointer it cannot follow, a cursor seen before,
:data:`MAX_STALLED_PAGES` pages that bring nothing new, or a listing that cycles. Memory stays bounded by a
page. The rules, one by one, are in the guide "Exports and pagination" (docs/pagination.md).

Usage::

    for member in api.paginate(api.get_campaigns_by_id_members, campaign_id, page_size=500):
        save(member)
"""
from __future__ import unicode_literals

__all__ = ['MAX_STALLED_PAGES', 'PREFETCH_THREAD_NAME']

#: Pages in a row that bring nothing new (only resources of the page before, or none) before a walk gives up;
#: also the pages in all that repeat the first or a checkpoint page (a listing that cycles).
MAX_STALLED_PAGES = 3
#: The name of the thread that fetches the next page while the caller works on one (``paginate(prefetch=True)``).
PREFETCH_THREAD_NAME = 'patreon-prefetch'
