"""API.paginate / paginate_pages and the cursor helpers, with HTTP intercepted by ``responses``."""
import gc
import json
import re
import weakref

import pytest
import responses

import patreon
from patreon.exceptions import PaginationError, Unauthorized
from patreon.pagination import cursor_from_link, follow_path, next_cursor

from helpers import load_fixture

MEMBERS = re.compile(r'https://www\.patreon\.com/api/oauth2/v2/campaigns/900100/members.*')


def page(ids, cursor=None, where='meta', total=None):
    document = {'data': [{'type': 'member', 'id': i,
                          'relationships': {'user': {'data': {'type': 'user', 'id': 'u' + i}}}}
                         for i in ids],
                'included': [{'type': 'user', 'id': 'u' + i} for i in ids],
                'meta': {'pagination': {'total': total}}}
    if where == 'meta':
        document['meta']['pagination']['cursors'] = {'next': cursor}
    elif cursor is not None:
        document['links'] = {'next': 'https://www.patreon.com/api/oauth2/v2/campaigns/900100/members?'
                                     'page%5Bcount%5D=2&page%5Bcursor%5D=' + cursor}
    return document


def serve(*documents):
    for document in documents:
        responses.add(responses.GET, MEMBERS, json=document)


def sent_cursors():
    return [re.search(r'page%5Bcursor%5D=([^&]*)', c.request.url) and
            re.search(r'page%5Bcursor%5D=([^&]*)', c.request.url).group(1) for c in responses.calls]


@responses.activate
def test_every_resource_of_every_page_with_relationships_resolved_in_its_page():
    serve(page(['a', 'b'], 'c1', total=5), page(['c', 'd'], 'c2', where='links'), page(['e'], None))
    api = patreon.API('token')
    members = list(api.paginate(api.get_campaigns_by_id_members, 900100, page_size=2, includes=['user']))
    assert [m.id() for m in members] == ['a', 'b', 'c', 'd', 'e']
    assert [m.relationship('user').id() for m in members] == ['ua', 'ub', 'uc', 'ud', 'ue']
    assert sent_cursors() == [None, 'c1', 'c2']
    assert all('include=user' in c.request.url and 'page%5Bcount%5D=2' in c.request.url for c in responses.calls)


@responses.activate
def test_fixture_pages_meta_cursor_then_null():
    serve(load_fixture('campaign_members_page1.json'), load_fixture('campaign_members_page2.json'))
    api = patreon.API('token')
    names = [m.attribute('full_name') for m in api.paginate(api.get_campaigns_by_id_members, '900100',
                                                             page_size=3)]
    assert names == ['Member 0', 'Member 1', 'Member 2', 'Member 3']
    assert sent_cursors() == [None, 'cur_02Yd345R9rab']


@responses.activate
def test_last_page_without_cursor_key_stops():
    last = page(['z'])
    del last['meta']['pagination']['cursors']
    serve(last)
    api = patreon.API('token')
    assert [m.id() for m in api.paginate(api.get_campaigns_by_id_members, 900100, page_size=5)] == ['z']


@responses.activate
def test_a_repeated_cursor_raises_naming_it_instead_of_looping():
    serve(page(['a'], 'same'), page(['b'], 'same'))
    api = patreon.API('token')
    seen = []
    with pytest.raises(PaginationError) as raised:
        for member in api.paginate(api.get_campaigns_by_id_members, 900100, page_size=1):
            seen.append(member.id())
    assert "'same'" in str(raised.value) and seen == ['a', 'b']


@responses.activate
def test_a_start_cursor_is_used_and_may_not_come_back():
    serve(page(['b'], 'start'))
    api = patreon.API('token')
    with pytest.raises(PaginationError):
        list(api.paginate(api.get_campaigns_by_id_members, 900100, page_size=1, cursor='start'))
    assert sent_cursors() == ['start']


@responses.activate
def test_errors_raise_even_without_raise_errors():
    serve(page(['a'], 'c1'))
    responses.add(responses.GET, MEMBERS, json=load_fixture('error_401.json'), status=401)
    api = patreon.API('token')
    pages = api.paginate(api.get_campaigns_by_id_members, 900100, page_size=1)
    assert next(pages).id() == 'a'
    with pytest.raises(Unauthorized):
        next(pages)


@responses.activate
def test_paginate_pages_exposes_totals():
    serve(page(['a'], 'c1', total=2), page(['b'], None, total=2))
    api = patreon.API('token')
    pages = list(api.paginate_pages(api.get_campaigns_by_id_members, 900100, page_size=1))
    assert [p.json_data['meta']['pagination']['total'] for p in pages] == [2, 2]


@responses.activate
def test_a_single_resource_route_yields_its_resource():
    responses.add(responses.GET, 'https://www.patreon.com/api/oauth2/v2/identity',
                  json=load_fixture('identity_with_memberships.json'))
    api = patreon.API('token')
    assert [u.id() for u in api.paginate(api.get_identity)] == ['5553001']


def test_a_method_that_returns_no_document_is_refused():
    api = patreon.API('token')
    with pytest.raises(TypeError):
        list(api.paginate(lambda cursor=None: {'data': []}))


@responses.activate
def test_only_one_page_is_held_at_a_time():
    serve(page(['a'], 'c1'), page(['b'], 'c2'), page(['c'], None))
    api = patreon.API('token')
    first_pages = []
    for member in api.paginate(api.get_campaigns_by_id_members, 900100, page_size=1):
        if member.id() == 'a':
            first_pages.append(weakref.ref(member.document))
        if member.id() == 'c':
            del member
            gc.collect()
            assert first_pages[0]() is None  # page one was let go once page two arrived


def test_next_cursor_prefers_meta_then_links():
    assert next_cursor(page(['a'], 'm')) == 'm'
    assert next_cursor(page(['a'], 'l', where='links')) == 'l'
    assert next_cursor({'meta': {'pagination': {'cursors': {'next': ''}}}}) is None
    assert next_cursor({'links': {'next': 5}}) is None
    assert next_cursor([]) is None


def test_follow_path_and_cursor_from_link():
    assert follow_path({'a': {'b': 1}}, 'a.b') == 1
    assert follow_path({'a': [1]}, 'a.b') is None
    assert cursor_from_link('https://x/y?page%5Bcursor%5D=abc&page%5Bcursor%5D=def') == 'abc'
    assert cursor_from_link('https://x/y?include=user') is None
    assert json.dumps(cursor_from_link(u'https://x/y?page%5Bcursor%5D=%E2%9C%93')) == '"\\u2713"'


@responses.activate
def test_a_page_with_null_data_yields_nothing():
    responses.add(responses.GET, 'https://www.patreon.com/api/oauth2/v2/identity', json={'data': None})
    api = patreon.API('token')
    assert list(api.paginate(api.get_identity)) == []
