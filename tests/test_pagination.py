"""API.paginate / paginate_pages and the cursor helpers, with HTTP intercepted by ``responses``."""
from __future__ import absolute_import, division, print_function, unicode_literals

import functools
import gc
import json
import re
import weakref

import pytest
import responses
import six

import patreon
from patreon.exceptions import Forbidden, InvalidArgument, InvalidResponse, PaginationError, Unauthorized
from patreon.jsonapi.parser import JSONAPIParser
from patreon._paging import cursor_from_link, follow_path, iterate_pages, next_cursor
from patreon.pagination import MAX_STALLED_PAGES

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
    assert "'same'" in str(raised.value) and seen == ['a']  # a page is checked whole, its cursor included


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


@pytest.mark.parametrize('route,args,includes,said', [
    ('get_campaigns_by_id_members', ('900100',), None, 'members per page (at most 1000)'),
    ('get_campaigns_by_id_members', ('900100',), ['user', 'pledge_history'], 'members per page (at most 500)'),
    ('get_campaigns_by_id_posts', ('900100',), 'user', 'posts per page (at most 1000)'),
    ('get_campaigns', (), None, 'campaigns per page (Patreon documents no largest page)'),
    ('get_webhooks', (), None, 'webhooks per page (Patreon documents no largest page)'),
])
@responses.activate
def test_a_walk_of_a_route_given_no_page_size_says_so_before_any_request(route, args, includes, said):
    # The method itself would raise a bare TypeError naming a missing positional argument.
    api = patreon.API('token')
    for walk in (api.paginate, api.paginate_pages):
        with pytest.raises(InvalidArgument) as raised:
            list(walk(getattr(api, route), *args, includes=includes))
        assert str(raised.value) == 'paginate({}, ...) needs page_size=, the number of {}'.format(route, said)
    assert len(responses.calls) == 0


@responses.activate
def test_an_override_with_a_default_page_size_or_a_wrapper_walks_and_a_missing_id_is_named():
    class Sub(patreon.API):
        def get_campaigns_by_id_members(self, resource_id, page_size=1, cursor=None, includes=None, fields=None):
            return patreon.API.get_campaigns_by_id_members(self, resource_id, page_size, cursor=cursor,
                                                           includes=includes, fields=fields)

    class Wrapper(patreon.API):
        def get_campaigns_by_id_members(self, *args, **kwargs):
            kwargs.setdefault('page_size', 1)
            return patreon.API.get_campaigns_by_id_members(self, *args, **kwargs)

    def with_campaign(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            return method(self, '900100', *args, **kwargs)
        return call

    class Decorated(patreon.API):
        get_campaigns_by_id_members = with_campaign(patreon.API.get_campaigns_by_id_members)

    serve(page(['a'], None), page(['a'], None), page(['a'], None))
    decorated = Decorated('token')
    assert [m.id() for m in decorated.paginate(decorated.get_campaigns_by_id_members, page_size=1)] == ['a']
    for api in (Sub('token'), Wrapper('token')):
        assert [m.id() for m in api.paginate(api.get_campaigns_by_id_members, 900100)] == ['a']
    api = patreon.API('token')
    with pytest.raises(InvalidArgument) as raised:
        api.paginate_pages(api.get_campaigns_by_id_members, page_size=10)
    assert str(raised.value) == 'paginate(get_campaigns_by_id_members, ...) needs resource_id'
    assert len(responses.calls) == 3


@responses.activate
def test_a_page_size_given_by_position_is_a_page_size():
    serve(page(['a'], None))
    api = patreon.API('token')
    assert [m.id() for m in api.paginate(api.get_campaigns_by_id_members, 900100, 1)] == ['a']


@pytest.mark.parametrize('route', ['get_identity', 'get_campaigns_by_id', 'get_members_by_id', 'get_posts_by_id',
                                   'get_webhooks_by_id', 'get_lives_by_id'])
@responses.activate
def test_a_route_that_is_not_a_list_is_an_invalid_argument_before_any_request(route):
    api = patreon.API('token')
    args = () if route == 'get_identity' else ('900100',)
    for walk in (api.paginate, api.paginate_pages):
        with pytest.raises(InvalidArgument) as raised:
            list(walk(getattr(api, route), *args))
        assert route in str(raised.value) and 'list route' in str(raised.value)
    assert len(responses.calls) == 0


@responses.activate
def test_a_callable_that_may_take_a_cursor_is_still_followed():
    # **kwargs may pass the cursor on: the first page decides, as before
    responses.add(responses.GET, 'https://www.patreon.com/api/oauth2/v2/identity',
                  json=load_fixture('identity_with_memberships.json'))
    api = patreon.API('token')
    assert [u.id() for u in api.paginate(lambda **kwargs: api.get_identity())] == ['5553001']


@pytest.mark.parametrize('returned', [{'data': []}, None, [], 'text'])
def test_a_method_that_returns_no_document_is_a_typed_error_not_a_type_error(returned):
    api = patreon.API('token')
    with pytest.raises(PaginationError) as raised:
        list(api.paginate(lambda cursor=None: returned))
    assert not isinstance(raised.value, TypeError)


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


def test_next_cursor_reads_meta_or_links():
    assert next_cursor(page(['a'], 'm')) == 'm'
    assert next_cursor(page(['a'], 'l', where='links')) == 'l'
    assert next_cursor({'meta': {'pagination': {'cursors': {'next': None}}}, 'links': {'next': None}}) is None
    assert next_cursor({'data': []}) is None


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
    assert list(api.paginate(lambda **kwargs: api.get_identity())) == []


# A next pointer that cannot be followed raises; it never ends the walk as if it were the last page -------------

def first_page_with(**pointers):
    """A page of member 'a' whose pagination is ``meta_next`` / ``links_next`` (absent when not given)."""
    document = {'data': [{'type': 'member', 'id': 'a'}], 'meta': {'pagination': {'total': 2}}}
    if 'meta_next' in pointers:
        document['meta']['pagination']['cursors'] = {'next': pointers['meta_next']}
    if 'links_next' in pointers:
        document['links'] = {'next': pointers['links_next']}
    return document


LINK = 'https://www.patreon.com/api/oauth2/v2/campaigns/7/members?page%5Bcount%5D=1'
UNFOLLOWABLE = [
    dict(links_next=LINK),                                            # a URL without page[cursor]
    dict(links_next=LINK + '&page%5Bcursor%5D='),                     # ... with an empty one
    dict(links_next='http://[::1/x?page%5Bcursor%5D=abc'),            # a URL that cannot be parsed
    dict(links_next=LINK + '&page%5Bcursor%5D=%FF%FE'),               # a cursor that is not UTF-8
    dict(links_next=5), dict(links_next=''), dict(links_next={'self': LINK}), dict(links_next=[LINK]),
    dict(links_next=True),
    dict(meta_next=5), dict(meta_next=0), dict(meta_next=''), dict(meta_next={}), dict(meta_next={'id': 'x'}),
    dict(meta_next=['x']), dict(meta_next=True), dict(meta_next=False), dict(meta_next=1.5),
    dict(meta_next='from_meta', links_next=LINK + '&page%5Bcursor%5D=from_link'),  # the pointers disagree
    dict(meta_next=5, links_next=LINK + '&page%5Bcursor%5D=fine'),                  # one good, one broken
    dict(meta_next='fine', links_next=LINK),
]
if six.PY3:  # Python 2 encodes lone surrogates to UTF-8 happily; Python 3 cannot send them
    UNFOLLOWABLE += [dict(meta_next='\ud800'), dict(links_next=LINK + '&page%5Bcursor%5D=\ud800')]


@pytest.mark.parametrize('pointers', UNFOLLOWABLE, ids=repr)
@pytest.mark.parametrize('raise_errors', [False, True])
def test_a_next_pointer_that_cannot_be_followed_raises(pointers, raise_errors):
    api = patreon.API('token', raise_errors=raise_errors)
    calls = []

    def members(campaign_id, page_size, cursor=None):
        calls.append(cursor)
        return JSONAPIParser(first_page_with(**pointers))

    seen = []
    with pytest.raises(PaginationError):
        for member in api.paginate(members, '7', page_size=1):
            seen.append(member.id())
    assert seen == [] and calls == [None]  # the page is refused whole, and nothing is fetched after it
    with pytest.raises(PaginationError):
        next_cursor(first_page_with(**pointers))


@pytest.mark.parametrize('document', [
    {'meta': {'pagination': 'text'}}, {'meta': {'pagination': {'cursors': 'abc'}}}, {'meta': ['x']},
    {'links': 'text'}, {'links': ['x']},
])
def test_a_pagination_object_that_is_not_an_object_raises(document):
    with pytest.raises(PaginationError):
        next_cursor(document)


@pytest.mark.parametrize('pointers, cursor', [
    (dict(meta_next='m'), 'm'),
    (dict(meta_next='m', links_next=None), 'm'),
    (dict(links_next=LINK + '&page%5Bcursor%5D=l'), 'l'),
    (dict(meta_next=None, links_next=LINK + '&page%5Bcursor%5D=l'), 'l'),
    (dict(meta_next='same', links_next=LINK + '&page%5Bcursor%5D=same'), 'same'),
    # '+' is a space to a form and a '+' to a URL: either reading agrees with the meta cursor
    (dict(meta_next='a+b', links_next=LINK + '&page%5Bcursor%5D=a+b'), 'a+b'),
    (dict(meta_next='a b', links_next=LINK + '&page%5Bcursor%5D=a+b'), 'a b'),
    (dict(links_next={'href': LINK + '&page%5Bcursor%5D=h'}), 'h'),  # a JSON:API 1.1 link object
    (dict(meta_next=None, links_next=None), None),
    (dict(), None),
])
def test_the_pointers_that_can_be_followed(pointers, cursor):
    assert next_cursor(first_page_with(**pointers)) == cursor


def test_non_ascii_cursors_in_links_are_text_on_python_2_and_3():
    escaped = LINK + '&page%5Bcursor%5D=caf%C3%A9-%E2%9C%93'
    raw = LINK + '&page%5Bcursor%5D=caf\xe9-\u2713'
    for link in (escaped, raw):
        assert cursor_from_link(link) == 'caf\xe9-\u2713'
        assert isinstance(cursor_from_link(link), six.text_type)
        assert next_cursor({'links': {'next': link}}) == 'caf\xe9-\u2713'
        assert next_cursor({'links': {'next': link}, 'meta': {'pagination': {'cursors': {
            'next': 'caf\xe9-\u2713'}}}}) == 'caf\xe9-\u2713'
        assert patreon.API.extract_cursor({'links': {'next': link}}) == 'caf\xe9-\u2713'
    with pytest.raises(PaginationError):
        cursor_from_link(LINK + '&page%5Bcursor%5D=caf%E9')  # Latin-1, not UTF-8
    with pytest.raises(PaginationError):
        patreon.API.extract_cursor({'links': {'next': 'http://[\xe9/?page%5Bcursor%5D=x'}})


@pytest.mark.parametrize('meta_next', [5, 0, '', {}, [], True, False])
def test_extract_cursor_raises_a_typed_error_for_a_meta_cursor_it_cannot_follow(meta_next):
    document = {'meta': {'pagination': {'cursors': {'next': meta_next}}}}
    with pytest.raises(PaginationError):
        patreon.API.extract_cursor(document)
    with pytest.raises(PaginationError):
        patreon.API.extract_cursor(JSONAPIParser(document))


def test_extract_cursor_keeps_the_contract_of_0_5_1_and_falls_back_where_the_link_gives_nothing():
    meta = {'pagination': {'cursors': {'next': 'from_meta'}}}
    assert patreon.API.extract_cursor({'links': {'next': LINK}}) is None          # 0.5.1: no page[cursor], None
    assert patreon.API.extract_cursor({'links': {'next': LINK}, 'meta': meta}) == 'from_meta'
    assert patreon.API.extract_cursor({'links': {'next': ''}, 'meta': meta}) == 'from_meta'
    assert patreon.API.extract_cursor({'links': {'next': LINK + '&page%5Bcursor%5D=l'}, 'meta': meta}) == 'l'
    assert patreon.API.extract_cursor({'links': {'prev': LINK}, 'meta': meta}, 'links.prev') is None
    with pytest.raises(PaginationError):
        patreon.API.extract_cursor({'links': {'next': 'http://[::1/x?page%5Bcursor%5D=abc'}})
    with pytest.raises(Exception) as raised:
        patreon.API.extract_cursor({'links': {'next': 5}})
    assert raised.value.args == ('Provided cursor path did not result in a link', 5)


# Pages that make no progress are bounded; repeated resources come out once ------------------------------------

def members_page(ids, cursor):
    return JSONAPIParser({'data': [{'type': 'member', 'id': i, 'relationships': {
        'user': {'data': {'type': 'user', 'id': 'u' + i}}}} for i in ids],
        'included': [{'type': 'user', 'id': 'u' + i} for i in ids],
        'meta': {'pagination': {'cursors': {'next': cursor}}}})


class Script(object):
    """A fake list method answering pages from a script: ``answer(cursor) -> (ids, next cursor)``."""

    def __init__(self, answer):
        self.answer = answer
        self.cursors = []

    def __call__(self, campaign_id, page_size, cursor=None):
        self.cursors.append(cursor)
        ids, following = self.answer(len(self.cursors) - 1, cursor)
        return members_page(ids, following)


def test_the_same_page_under_new_cursors_raises_naming_the_cursor_after_max_stalled_pages():
    # The API seen in the field: each new cursor answered with the page already sent.
    method = Script(lambda n, cursor: (['a', 'b'], 'c{}'.format(n + 1)))
    api = patreon.API('token')
    seen = []
    with pytest.raises(PaginationError) as raised:
        for member in api.paginate(method, '7', page_size=2):
            seen.append(member.id())
    assert seen == ['a', 'b']
    assert len(method.cursors) == 1 + MAX_STALLED_PAGES == 4  # the first page, then the documented number
    last = method.cursors[-1]
    assert last == 'c{}'.format(MAX_STALLED_PAGES) and "'{}'".format(last) in str(raised.value)


def test_a_run_of_empty_pages_with_a_next_cursor_raises_after_max_stalled_pages():
    method = Script(lambda n, cursor: ([], 'e{}'.format(n + 1)))
    api = patreon.API('token')
    with pytest.raises(PaginationError) as raised:
        list(api.paginate(method, '7', page_size=2))
    assert len(method.cursors) == MAX_STALLED_PAGES
    assert 'e{}'.format(MAX_STALLED_PAGES - 1) in str(raised.value)


def test_fewer_stalled_pages_than_the_bound_are_weathered_and_nothing_comes_out_twice():
    # Each stall lasts MAX_STALLED_PAGES - 1 pages, then the API moves on: never an error, every member once.
    script = [(['a', 'b'], 'c1')] + [(['a', 'b'], 's{}'.format(i)) for i in range(MAX_STALLED_PAGES - 1)] + \
        [(['c', 'd'], 'c2')] + [([], 't{}'.format(i)) for i in range(MAX_STALLED_PAGES - 1)] + [(['e'], None)]
    method = Script(lambda n, cursor: script[n])
    api = patreon.API('token')
    members = list(api.paginate(method, '7', page_size=2))
    assert [m.id() for m in members] == ['a', 'b', 'c', 'd', 'e']
    assert len(method.cursors) == len(script)


def test_a_resource_repeated_from_the_page_before_is_not_yielded_twice():
    pages = {None: (['a', 'b', 'c'], 'p2'), 'p2': (['c', 'd', 'd'], 'p3'), 'p3': (['d', 'e'], None)}
    method = Script(lambda n, cursor: pages[cursor])
    api = patreon.API('token')
    members = list(api.paginate(method, '7', page_size=3))
    assert [m.id() for m in members] == ['a', 'b', 'c', 'd', 'e']
    assert [m.relationship('user').id() for m in members] == ['ua', 'ub', 'uc', 'ud', 'ue']  # included kept
    pages_seen = list(api.paginate_pages(Script(lambda n, cursor: pages[cursor]), '7', page_size=3))
    assert [[m.id() for m in p.data()] for p in pages_seen] == [['a', 'b', 'c'], ['d'], ['e']]


def test_a_start_cursor_the_api_answers_with_a_stall_counts_too():
    method = Script(lambda n, cursor: (['x'], 'n{}'.format(n)))
    api = patreon.API('token')
    with pytest.raises(PaginationError):
        list(api.paginate(method, '7', page_size=1, cursor='start'))
    assert method.cursors[0] == 'start' and len(method.cursors) == 1 + MAX_STALLED_PAGES


def test_memory_of_a_walk_is_a_page_of_keys_and_a_digest_per_cursor():
    # 2,000 pages of new members with 10 kB cursors: the walk keeps no page but the current one, no cursor text.
    big = 'x' * 10000
    method = Script(lambda n, cursor: (['m{}'.format(n)], big + str(n + 1) if n < 1999 else None))
    pages = iterate_pages(lambda cursor: method('7', 1, cursor=cursor), list_route=True)
    count = 0
    for _ in pages:
        count += 1
        if count == 1000:
            frame = pages.gi_frame
            held = frame.f_locals
            assert len(held['seen']) == 1000 and all(len(digest) == 20 for digest in held['seen'])
            assert len(held['previous_keys']) == 1
    assert count == 2000


# Every error on any page raises, in every mode -----------------------------------------------------------------

@pytest.mark.parametrize('second', [
    {'data': None}, {'data': {'type': 'member', 'id': 'b'}}, {'meta': {'pagination': {'total': 2}}},
    {'errors': [{'title': 'nope'}], 'data': []}, {'data': ['b']}, {'data': [{'type': 'member'}]},
    {'data': [{'id': 'b'}]}, {'data': [{'type': 'member', 'id': ['b']}]},
], ids=repr)
@pytest.mark.parametrize('raise_errors', [False, True])
def test_a_second_page_that_is_not_a_page_of_resources_raises(second, raise_errors):
    api = patreon.API('token', raise_errors=raise_errors)
    documents = {None: members_page(['a'], 'p2'), 'p2': JSONAPIParser(second)}
    seen = []
    with pytest.raises(InvalidResponse):
        for member in api.paginate(lambda campaign_id, page_size, cursor=None: documents[cursor], '7', page_size=1):
            seen.append(member.id())
    assert seen == ['a']


@pytest.mark.parametrize('first', [{'data': None}, {'data': {'type': 'member', 'id': 'a'}}, {}])
def test_the_first_page_of_a_list_route_must_hold_a_list(first):
    api = patreon.API('token')
    with pytest.raises(InvalidResponse):
        list(api.paginate(lambda campaign_id, page_size, cursor=None: JSONAPIParser(first), '7', page_size=1))


def test_a_single_resource_that_points_to_a_next_page_raises():
    document = {'data': {'type': 'user', 'id': '1'}, 'meta': {'pagination': {'cursors': {'next': 'more'}}}}
    api = patreon.API('token')
    with pytest.raises(PaginationError):
        list(api.paginate(lambda **kwargs: JSONAPIParser(document)))


@responses.activate
def test_an_error_document_on_a_later_page_raises_its_error_without_raise_errors():
    serve(page(['a'], 'c1'))
    responses.add(responses.GET, MEMBERS, json={'errors': [{'code_name': 'Forbidden', 'status': '403'}]}, status=403)
    api = patreon.API('token', raise_errors=False)
    pages = api.paginate_pages(api.get_campaigns_by_id_members, 900100, page_size=1)
    next(pages)
    with pytest.raises(Forbidden):
        next(pages)


@responses.activate
def test_iterate_pages_over_a_client_that_does_not_raise_raises_the_error_of_its_errors_document():
    serve(page(['a'], 'c1'))
    responses.add(responses.GET, MEMBERS, json=load_fixture('error_401.json'), status=401)
    api = patreon.API('token')  # raise_errors=False: the second page comes back as an errors document

    pages = iterate_pages(lambda cursor: api.get_campaigns_by_id_members(900100, 1, cursor=cursor), list_route=True)

    assert next(pages).data()[0].id() == 'a'
    with pytest.raises(Unauthorized):  # the 401 itself, not an AttributeError about json_data
        next(pages)
