# -*- coding: utf-8 -*-
"""The commands that call Patreon's API: ``identity``, ``campaigns``, ``members``, ``posts``, ``webhooks ...``.

Each takes a :class:`~patreon.cli._context.Context` and writes what it read on ``context.stdout``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import six

from .. import exceptions
from .._routes import ROUTES
from ..jsonapi.parser import JSONAPIResource
from ._exit_status import UsageError
from ._formats import RecordWriter, write_record
from ._views import CAMPAIGN_VIEW, MEMBER_VIEW, POST_VIEW, USER_VIEW, WEBHOOK_VIEW

__all__ = ['command_identity', 'command_campaigns', 'command_members', 'command_posts', 'command_webhooks_list',
           'command_webhooks_create', 'command_webhooks_update', 'command_webhooks_delete', 'MEMBERS_PAGE_SIZE',
           'MEMBERS_PAGE_SIZE_WITH_HISTORY', 'LIST_PAGE_SIZE', 'ROWS_PER_WRITE']

#: Members pages: Patreon's maximum, and its lower maximum when the pledge history comes along.
# The largest pages Patreon serves for members (patreon._routes): the fewest requests for an export.
MEMBERS_PAGE_SIZE = ROUTES['get_campaigns_by_id_members'].page_limit()
MEMBERS_PAGE_SIZE_WITH_HISTORY = ROUTES['get_campaigns_by_id_members'].page_limit(['pledge_history'])
LIST_PAGE_SIZE = 100
#: Rows built and written at once: a page's thousand would be thousands of lists alive together, which the garbage
#: collector counts, and then collects (a full collection too), more often than it does while paginate runs.
ROWS_PER_WRITE = 100


def command_identity(context):
    """``patreon identity``: the user the token belongs to."""
    selection = USER_VIEW.select(context.options.fields, context.options.include)
    user = _one_resource(context.api.get_identity(includes=selection.includes, fields=selection.fields), 'user')
    write_record(selection.record(user), context.output_format, context.stdout, context.raw_csv)


def command_campaigns(context):
    """``patreon campaigns``: the token's campaigns."""
    _list_every_page(context, 'campaigns', CAMPAIGN_VIEW, 'get_campaigns')


def command_members(context):
    """``patreon members CAMPAIGN_ID``: every member of the campaign."""
    _list_every_page(context, 'members', MEMBER_VIEW, 'get_campaigns_by_id_members', context.options.campaign_id)


def command_posts(context):
    """``patreon posts CAMPAIGN_ID``: every post of the campaign."""
    _list_every_page(context, 'posts', POST_VIEW, 'get_campaigns_by_id_posts', context.options.campaign_id)


def command_webhooks_list(context):
    """``patreon webhooks list``: the webhooks of the token's client."""
    _list_every_page(context, 'webhooks', WEBHOOK_VIEW, 'get_webhooks')


def command_webhooks_create(context):
    """``patreon webhooks create``: prints the new webhook, with the secret its deliveries are signed with."""
    options = context.options
    webhook = _one_resource(context.api.create_webhook(options.campaign, options.uri, options.triggers), 'webhook')
    _write_webhook(context, webhook, ['uri', 'triggers', 'paused', 'secret'])


def command_webhooks_update(context):
    """``patreon webhooks update ID``: changes only what is given; ``--unpaused`` replays missed events."""
    options = context.options
    if options.uri is None and options.triggers is None and options.paused is None:
        raise UsageError('nothing to update: give --uri, --trigger, --paused or --unpaused')
    webhook = _one_resource(context.api.update_webhook(options.webhook_id, uri=options.uri,
                                                       triggers=options.triggers, paused=options.paused), 'webhook')
    _write_webhook(context, webhook, ['uri', 'triggers', 'paused'])


def command_webhooks_delete(context):
    """``patreon webhooks delete ID``."""
    context.api.delete_webhook(context.options.webhook_id)
    context.stdout.line('deleted webhook {}'.format(context.options.webhook_id))


def _one_resource(document, what):
    """The one resource of ``document``; :class:`~patreon.exceptions.InvalidResponse` (exit 8) when it has none.

    A document whose ``data`` is ``null`` or a list is no answer to a question about one resource.
    """
    resource = None if document is None else document.data()
    if not isinstance(resource, JSONAPIResource):
        raise exceptions.InvalidResponse('Patreon answered without the {} ({})'.format(
            what, 'no document' if document is None else 'its data is {}'.format(
                'a list' if isinstance(resource, list) else 'null')))
    return resource


def _list_every_page(context, label, view, method_name, *args):
    options = context.options
    selection = view.select(options.fields, options.include)  # before the token: usage errors come first
    page_size = options.page_size or _default_page_size(label, selection)
    api = context.api
    # prefetch: Patreon takes hundreds of milliseconds a page, time the rows of the page before are written in
    pages = api.paginate_pages(getattr(api, method_name), *args, page_size=page_size,
                               includes=selection.includes, fields=selection.fields, prefetch=True)
    writer = RecordWriter(selection.column_names, context.output_format, context.stdout, context.raw_csv)
    listing = _Listing(pages, context.progress(label))
    try:
        values, write = selection.values, writer.write_rows
        for resources in listing.pages_of_resources():
            for start in range(0, len(resources), ROWS_PER_WRITE):
                write(values(resource) for resource in resources[start:start + ROWS_PER_WRITE])
        writer.finish()
    finally:
        if writer.written:  # a failure after some rows says how many of how many were written
            context.partial = (writer.written, listing.total, label)


def _default_page_size(label, selection):
    if label != 'members':
        return LIST_PAGE_SIZE
    return MEMBERS_PAGE_SIZE_WITH_HISTORY if 'pledge_history' in selection.includes else MEMBERS_PAGE_SIZE


class _Listing(object):
    """The resources of every page, reporting progress as each page arrives; :attr:`total` as Patreon announced it.
    """

    def __init__(self, pages, progress):
        self.pages = pages
        self.progress = progress
        self.total = None

    def pages_of_resources(self):
        """The resources of each page, a list a page (a page without any gives none)."""
        done = 0
        try:
            for page in self.pages:
                data = page.data()
                resources = data if isinstance(data, list) else [data] if data is not None else []
                done += len(resources)
                self.total = _page_total(page)
                self.progress.update(done, self.total)
                if resources:
                    yield resources
        finally:
            self.progress.finish()


def _page_total(page):
    meta = page.json_data.get('meta') if isinstance(page.json_data, dict) else None
    pagination = meta.get('pagination') if isinstance(meta, dict) else None
    total = pagination.get('total') if isinstance(pagination, dict) else None
    # Shown in the progress line and in a failure's message: a whole number, or unknown.
    return total if isinstance(total, six.integer_types) and not isinstance(total, bool) else None


def _write_webhook(context, webhook, fields):
    selection = WEBHOOK_VIEW.select(','.join(fields))
    write_record(selection.record(webhook), context.output_format, context.stdout, context.raw_csv)
