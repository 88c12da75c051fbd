"""Listing loops in the shapes applications wrote for 0.5.1, run over the sandbox: each ends.

0.5.1's ``extract_cursor`` raises a plain ``Exception('Provided cursor path did not result in a link', page)`` on
Patreon's last members page, which has no ``links``; loops written against the live service end on it. Each loop
here reads every member exactly once and stops, or ends with that very exception, as it did with 0.5.1. A loop
that went round again would read the first page a second time: the guard below counts pages and fails the test
long before that could run on.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest

import patreon
from patreon.jsonapi.parser import JSONAPIParser
from patreon.sandbox import Sandbox

MEMBERS = 10
NOT_A_LINK = 'Provided cursor path did not result in a link'


@pytest.fixture(scope='module')
def sandbox():
    with Sandbox(members=MEMBERS, seed=20) as sb:
        yield sb


class Pages(object):
    """Fetches pages of the sandbox's members for a loop, and fails the test past more pages than there can be."""

    def __init__(self, sandbox, page_size):
        self.api = patreon.API(sandbox.creator_token, base_url=sandbox.url)
        self.campaign_id = sandbox.campaign_id
        self.page_size = page_size
        self.fetched = 0
        self.member_ids = []

    def fetch(self, cursor=None):
        self.fetched += 1
        assert self.fetched <= MEMBERS + 2, 'the loop does not end: it has fetched {} pages'.format(self.fetched)
        page = self.api.get_campaigns_by_id_members(self.campaign_id, self.page_size, cursor=cursor)
        assert isinstance(page, JSONAPIParser)
        self.member_ids.extend(member.id() for member in page.data())
        return page


def try_except_break(pages):
    cursor = None
    while True:
        page = pages.fetch(cursor)
        try:
            cursor = patreon.API.extract_cursor(page)
        except Exception:
            break
        if cursor is None:
            break


def if_not_cursor_break(pages):
    # With 0.5.1 this loop, its README's, ends on the exception of the last page: the same here.
    cursor = None
    while True:
        page = pages.fetch(cursor)
        cursor = pages.api.extract_cursor(page)
        if not cursor:
            break


def type_is_exception(pages):
    cursor = None
    while True:
        page = pages.fetch(cursor)
        try:
            cursor = pages.api.extract_cursor(page, 'links.next')
        except Exception as e:
            if type(e) == Exception:  # noqa: E721 - the comparison applications made
                break
            raise


def links_first(pages):
    cursor = None
    while True:
        page = pages.fetch(cursor)
        if 'links' not in page.json_data:
            break
        cursor = patreon.API.extract_cursor(page.json_data)


def do_while_with_cursor_from_the_page_before(pages):
    # A sync script: it fetches the next page while a cursor came, read right after each page.
    page = pages.fetch()
    while True:
        try:
            cursor = patreon.API.extract_cursor(page)
        except Exception as e:
            if e.args and e.args[0] == NOT_A_LINK:
                return
            raise
        if not cursor:
            return
        page = pages.fetch(cursor)


LOOPS = [try_except_break, type_is_exception, links_first, do_while_with_cursor_from_the_page_before]


@pytest.mark.parametrize('page_size', [3, 5, MEMBERS, 25, '4'], ids=lambda size: 'page_size={!r}'.format(size))
@pytest.mark.parametrize('loop', LOOPS, ids=lambda loop: loop.__name__)
def test_a_loop_of_0_5_1_reads_every_member_exactly_once_and_ends(sandbox, loop, page_size):
    # A page size of '4': taken from a query string (request.args), as 0.5.1 sent it.
    pages = Pages(sandbox, page_size)

    loop(pages)

    expected = sandbox.world.campaigns[sandbox.campaign_id].member_ids
    assert sorted(pages.member_ids) == sorted(expected)
    assert len(pages.member_ids) == len(set(pages.member_ids)) == MEMBERS
    assert pages.fetched == -(-MEMBERS // int(page_size))


@pytest.mark.parametrize('page_size', [3, MEMBERS])
def test_the_loop_that_breaks_on_no_cursor_ends_with_the_exception_of_0_5_1(sandbox, page_size):
    pages = Pages(sandbox, page_size)
    last_pages = []
    original_fetch = pages.fetch
    pages.fetch = lambda cursor=None: last_pages.append(original_fetch(cursor)) or last_pages[-1]

    with pytest.raises(Exception) as raised:
        if_not_cursor_break(pages)

    assert type(raised.value) is Exception
    assert raised.value.args[0] == NOT_A_LINK
    assert raised.value.args[1] is last_pages[-1].json_data  # 0.5.1 gave the page that lacks links
    assert sorted(pages.member_ids) == sorted(sandbox.world.campaigns[sandbox.campaign_id].member_ids)
    assert pages.fetched == -(-MEMBERS // page_size)


def test_the_sandbox_pages_carry_links_until_the_last_one_as_patreon_does(sandbox):
    pages = Pages(sandbox, 4)
    documents = [pages.fetch().json_data]
    while documents[-1]['meta']['pagination']['cursors']['next']:
        documents.append(pages.fetch(documents[-1]['meta']['pagination']['cursors']['next']).json_data)

    assert len(documents) == 3
    assert ['links' in document for document in documents] == [True, True, False]
    for document in documents[:-1]:
        assert patreon.API.extract_cursor(document) == document['meta']['pagination']['cursors']['next']


@pytest.mark.parametrize('loop', LOOPS + [if_not_cursor_break], ids=lambda loop: loop.__name__)
def test_a_loop_of_0_5_1_over_a_listing_of_one_page_ends_after_it(sandbox, loop):
    # get_campaigns answers one page, without links: each loop reads it once and stops (or raises as 0.5.1 did).
    api = patreon.API(sandbox.creator_token, base_url=sandbox.url)

    class CampaignPages(Pages):
        def fetch(self, cursor=None):
            self.fetched += 1
            assert self.fetched == 1, 'the loop does not end'
            return api.get_campaigns(10, cursor=cursor)

    pages = CampaignPages(sandbox, 10)
    try:
        loop(pages)
    except Exception as e:
        assert loop is if_not_cursor_break and type(e) is Exception and e.args[0] == NOT_A_LINK
    assert pages.fetched == 1
