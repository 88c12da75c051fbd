"""Pagination over real HTTP on 127.0.0.1: broken next pages, a stalling API, and the command line's answer.

Two servers: a small one written here, which answers a campaign of 300
members in pages of 100 and can answer the second page with any body; and
the sandbox, whose ``stall`` fault answers a new cursor with the page already
sent, as Patreon has been seen to do.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json

import pytest
from six.moves import BaseHTTPServer
from six.moves.urllib.parse import parse_qs, urlsplit

import patreon
from patreon.cli import EXIT_FAILURE, main
from patreon.exceptions import InvalidResponse, PaginationError, ServerError
from patreon.pagination import MAX_STALLED_PAGES

from helpers import LoopbackServer

MEMBERS_ROUTE = 'campaigns/{id}/members'
CAMPAIGN = '4242'
MEMBER_IDS = ['m{:03d}'.format(i) for i in range(300)]
PAGE_SIZE = 100


def members_document(start, cursor):
    """The page of MEMBER_IDS from ``start``, its next cursor in both places Patreon puts it."""
    document = {'data': [{'type': 'member', 'id': member_id, 'attributes': {'full_name': 'Member ' + member_id}}
                         for member_id in MEMBER_IDS[start:start + PAGE_SIZE]],
                'meta': {'pagination': {'total': len(MEMBER_IDS), 'cursors': {'next': cursor}}}}
    if cursor is not None:
        document['links'] = {'next': 'http://127.0.0.1/api/oauth2/v2/campaigns/{}/members?page%5Bcount%5D={}'
                                     '&page%5Bcursor%5D={}'.format(CAMPAIGN, PAGE_SIZE, cursor)}
    return document


def broken(change):
    """A second page: the real one, changed in place by ``change(document)``."""
    document = members_document(PAGE_SIZE, 'third')
    change(document)
    return document


# name -> (status, body of the second page)
BROKEN_SECOND_PAGES = {
    'a load balancer 200 without data': (200, {'message': 'Service Unavailable'}),
    'a load balancer 503 without errors': (503, {'message': 'Service Unavailable'}),
    'an empty errors list': (200, {'errors': []}),
    'null data': (200, broken(lambda d: d.update(data=None))),
    'one resource for data': (200, broken(lambda d: d.update(data=d['data'][0]))),
    'links.next without a cursor': (200, broken(lambda d: (d['meta']['pagination'].pop('cursors'), d['links'].update(
        next='http://127.0.0.1/api/oauth2/v2/campaigns/{}/members?page%5Bcount%5D=100'.format(CAMPAIGN))))),
    'links.next that is no URL': (200, broken(lambda d: (d['meta']['pagination'].pop('cursors'), d['links'].update(
        next='http://[127.0.0.1/members?page%5Bcursor%5D=third')))),
    'a number for the meta cursor': (200, broken(lambda d: (d.pop('links'), d['meta']['pagination'].update(
        cursors={'next': 3})))),
    'an empty meta cursor': (200, broken(lambda d: (d.pop('links'), d['meta']['pagination'].update(
        cursors={'next': ''})))),
    'pointers that disagree': (200, broken(lambda d: d['meta']['pagination'].update(cursors={'next': 'elsewhere'}))),
}
EXPECTED = {'a load balancer 503 without errors': (ServerError, InvalidResponse)}


class _Handler(BaseHTTPServer.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        cursor = query.get('page[cursor]', [None])[0]
        self.server.cursors.append(cursor)
        status, document = self.server.answer(cursor)
        body = json.dumps(document).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', 'application/vnd.api+json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class ThreeHundredMembers(LoopbackServer):
    """A campaign of 300 members on 127.0.0.1, whose second page is ``second`` ((status, body)) when given."""

    def __init__(self, second=None):
        super(ThreeHundredMembers, self).__init__(_Handler)
        self.server.cursors = []
        self.server.answer = self.answer
        self.second = second

    def answer(self, cursor):
        if cursor is None:
            return 200, members_document(0, 'second')
        if cursor == 'second':
            return self.second or (200, members_document(PAGE_SIZE, 'third'))
        return 200, members_document(2 * PAGE_SIZE, None)

    @property
    def cursors(self):
        return self.server.cursors


def test_the_campaign_of_the_small_server_has_300_members():
    with ThreeHundredMembers() as server:
        api = patreon.API('token', base_url=server.url, retry=None)
        ids = [m.id() for m in api.paginate(api.get_campaigns_by_id_members, CAMPAIGN, page_size=PAGE_SIZE)]
    assert ids == MEMBER_IDS and server.cursors == [None, 'second', 'third']


@pytest.mark.parametrize('name', sorted(BROKEN_SECOND_PAGES))
@pytest.mark.parametrize('raise_errors', [False, True])
def test_a_broken_second_page_raises_rather_than_ending_at_100_members(name, raise_errors):
    with ThreeHundredMembers(BROKEN_SECOND_PAGES[name]) as server:
        api = patreon.API('token', base_url=server.url, retry=None, raise_errors=raise_errors)
        ids = []
        with pytest.raises(EXPECTED.get(name, (PaginationError, InvalidResponse))):
            for member in api.paginate(api.get_campaigns_by_id_members, CAMPAIGN, page_size=PAGE_SIZE):
                ids.append(member.id())
    assert ids == MEMBER_IDS[:PAGE_SIZE]  # the first page, and nothing from the page that cannot be vouched for
    assert server.cursors == [None, 'second']


def test_a_link_without_a_cursor_ends_the_command_line_export_with_a_one_line_error(capsys):
    with ThreeHundredMembers(BROKEN_SECOND_PAGES['links.next without a cursor']) as server:
        code = main(['--base-url', server.url, '--token=token-of-the-test', 'members', CAMPAIGN,
                     '--format', 'jsonl', '--page-size', str(PAGE_SIZE), '--no-progress'])
    out, err = capsys.readouterr()
    assert code == EXIT_FAILURE
    assert err.startswith('patreon: error: links.next has no page[cursor]') and err.count('\n') == 1
    assert 'Traceback' not in err
    assert [json.loads(line)['id'] for line in out.splitlines()] == MEMBER_IDS[:PAGE_SIZE]


# The sandbox's stall fault ----------------------------------------------------------------------------------------

# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=300, seed=5)


@pytest.fixture(scope='module')
def all_ids(sb):
    api = patreon.API(sb.creator_token, base_url=sb.url)
    ids = [m.id() for m in api.paginate(api.get_campaigns_by_id_members, sb.campaign_id, page_size=PAGE_SIZE)]
    assert len(ids) == len(set(ids)) == 300
    return ids


def stalling_from_the_second_page(sandbox, api, stalls):
    """The members method of ``api``, which arms ``stalls`` stall faults just before the second page."""
    calls = []

    def members(*args, **kwargs):
        if len(calls) == 1:
            sandbox.inject_fault(MEMBERS_ROUTE, 'stall', count=stalls)
        calls.append(kwargs.get('cursor'))
        return api.get_campaigns_by_id_members(*args, **kwargs)
    members.calls = calls
    return members


@pytest.mark.parametrize('raise_errors', [False, True])
def test_a_stalled_api_raises_naming_the_cursor_after_max_stalled_pages(fresh, all_ids, raise_errors):
    api = patreon.API(fresh.creator_token, base_url=fresh.url, raise_errors=raise_errors)
    members = stalling_from_the_second_page(fresh, api, stalls=100)
    ids = []
    with pytest.raises(PaginationError) as raised:
        for member in api.paginate(members, fresh.campaign_id, page_size=PAGE_SIZE):
            ids.append(member.id())
    # the first page, the second (new members, its cursor pointing back at it), then the stalled pages
    assert len(members.calls) == 2 + MAX_STALLED_PAGES
    assert "'{}'".format(members.calls[-1]) in str(raised.value)
    assert ids == all_ids[:2 * PAGE_SIZE]
    assert len([r for r in fresh.requests if r.path.endswith('/members')]) == 2 + MAX_STALLED_PAGES


def test_a_stall_shorter_than_the_bound_is_weathered_and_repeats_are_not_yielded_twice(fresh, all_ids):
    api = patreon.API(fresh.creator_token, base_url=fresh.url)
    # k faults: the second page, then k - 1 stalled answers, then the cursor back at it answered normally
    stalls = MAX_STALLED_PAGES - 1
    members = stalling_from_the_second_page(fresh, api, stalls=stalls)
    ids = [m.id() for m in api.paginate(members, fresh.campaign_id, page_size=PAGE_SIZE)]
    assert ids == all_ids  # every member once, in order
    assert len(members.calls) == 3 + stalls  # the second page came `stalls` more times


def test_a_stalled_api_ends_the_command_line_export_with_a_one_line_error(fresh, capsys):
    fresh.inject_fault(MEMBERS_ROUTE, 'stall', count=100)
    code = main(['--base-url', fresh.url, '--token=' + fresh.creator_token, 'members', fresh.campaign_id,
                 '--format', 'jsonl', '--page-size', str(PAGE_SIZE), '--no-progress'])
    out, err = capsys.readouterr()
    assert code == EXIT_FAILURE
    assert err.startswith('patreon: error: the API answered {} pages in a row with nothing new'.format(
        MAX_STALLED_PAGES)) and err.count('\n') == 1
    assert 'Traceback' not in err and fresh.creator_token not in err
    ids = [json.loads(line)['id'] for line in out.splitlines()]
    assert len(ids) == len(set(ids)) == PAGE_SIZE  # the first page once, never its repeats


# A listing that goes round in a cycle under fresh cursors ----------------------------------------------------------

class Cycling(ThreeHundredMembers):
    """Answers page k of a cycle of ``length`` pages (two members each) for every request, with a fresh cursor."""

    def __init__(self, length):
        super(Cycling, self).__init__()
        self.length = length

    def answer(self, cursor):
        k = len(self.cursors) - 1
        start = (k % self.length) * 2
        return 200, {'data': [{'type': 'member', 'id': member_id} for member_id in MEMBER_IDS[start:start + 2]],
                     'meta': {'pagination': {'cursors': {'next': 'fresh-{}'.format(k)}}}}


@pytest.mark.parametrize('length', [2, 3, 5])
def test_a_cycle_of_pages_under_fresh_cursors_raises_naming_the_cursor(length):
    # An expired cursor that restarts the listing: A, B, A, B... (or A, B, C, A...), each with a new cursor.
    with Cycling(length) as server:
        api = patreon.API('token', base_url=server.url, retry=None)
        ids = []
        with pytest.raises(PaginationError) as raised:
            for member in api.paginate(api.get_campaigns_by_id_members, CAMPAIGN, page_size=2):
                ids.append(member.id())
                assert len(ids) < 200, 'the walk goes round forever'
    assert "'{}'".format(server.cursors[-1]) in str(raised.value) and 'cycle' in str(raised.value)
    assert set(ids) == set(MEMBER_IDS[:2 * length])
    assert len(server.cursors) <= 1 + length * 4 * MAX_STALLED_PAGES


def test_a_long_walk_with_pages_of_one_is_untouched():
    # 300 pages: the first-page and checkpoint comparisons never take a page of new members for a repeat.
    with ThreeHundredMembers() as server:
        def answer(cursor):
            start = 0 if cursor is None else int(cursor)
            following = str(start + 1) if start + 1 < len(MEMBER_IDS) else None
            return 200, {'data': [{'type': 'member', 'id': MEMBER_IDS[start]}],
                         'meta': {'pagination': {'cursors': {'next': following}}}}
        server.server.answer = answer
        api = patreon.API('token', base_url=server.url, retry=None)
        ids = [m.id() for m in api.paginate(api.get_campaigns_by_id_members, CAMPAIGN, page_size=1)]
    assert ids == MEMBER_IDS and len(server.cursors) == len(MEMBER_IDS)
