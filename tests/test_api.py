# -*- coding: utf-8 -*-
"""patreon.api.API: every route's exact request, what it returns, errors, cursors and the transport keywords."""
from __future__ import absolute_import, division, print_function, unicode_literals

import datetime
import json
import math
import pickle

import pytest
import requests
import responses
import six

import patreon
from helpers import (ACCESS_TOKEN, API_URL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_URL, fixture_bytes,
                     FixedOffset, RecordingSession, http_fixture, json_body, load_fixture)  # noqa: F401 (`http`)
from patreon.api import API
from patreon.exceptions import (APIError, Forbidden, InvalidArgument, InvalidResponse, NoPrimaryData, NotFound,
                                OAuthError, PatreonError, RateLimited, ServerError, Unauthorized)
from patreon.jsonapi.parser import JSONAPIParser
from patreon.api import ErrorDocument
from patreon.utils import user_agent_string

MEMBERS_12 = 'campaigns/12/members'
CURSOR_LINK = 'https://www.patreon.com/api/oauth2/v2/campaigns/900100/members?page%5Bcount%5D=3'


def serve(http, path, body=None, status=200, method=responses.GET, **kwargs):
    """Answer requests to ``path`` (its query string is ignored when matching: the test checks it exactly)."""
    if body is None:
        body = load_fixture('member.json')
    if isinstance(body, (dict, list)):
        http.add(method, API_URL + path.split('?')[0], json=body, status=status, **kwargs)
    else:
        http.add(method, API_URL + path.split('?')[0], body=body, status=status, **kwargs)


def sent(http, index=0):
    return http.calls[index].request


def assert_headers(request, token=ACCESS_TOKEN):
    assert request.headers['Authorization'] == 'Bearer ' + token
    assert request.headers['User-Agent'] == user_agent_string()
    assert request.headers['User-Agent'].startswith('Patreon-Python, version 0.6.0, platform ')


# Every route of the contract (and those added since), with its exact URL: path, key order, encoding.
ROUTES = [
    ('identity', lambda api: api.get_identity(), 'identity'),
    ('identity-includes-fields',
     lambda api: api.get_identity(includes=['memberships', 'campaign'], fields={'user': ['full_name', 'email']}),
     'identity?fields%5Buser%5D=full_name%2Cemail&include=memberships%2Ccampaign'),
    ('identity-positional', lambda api: api.get_identity(['memberships'], {'member': ['patron_status']}),
     'identity?fields%5Bmember%5D=patron_status&include=memberships'),
    ('campaigns', lambda api: api.get_campaigns(10), 'campaigns?page%5Bcount%5D=10'),
    ('campaigns-all',
     lambda api: api.get_campaigns(10, cursor='abc', includes=['tiers', 'creator'],
                                   fields={'tier': ['title'], 'campaign': ['creation_name', 'vanity']}),
     'campaigns?page%5Bcount%5D=10&page%5Bcursor%5D=abc&fields%5Bcampaign%5D=creation_name%2Cvanity'
     '&fields%5Btier%5D=title&include=tiers%2Ccreator'),
    ('campaigns-positional', lambda api: api.get_campaigns(10, 'abc', ['tiers'], {'tier': ['title']}),
     'campaigns?page%5Bcount%5D=10&page%5Bcursor%5D=abc&fields%5Btier%5D=title&include=tiers'),
    ('campaigns_by_id', lambda api: api.get_campaigns_by_id(12), 'campaigns/12'),
    ('campaigns_by_id-all',
     lambda api: api.get_campaigns_by_id('12', includes=['benefits'], fields={'benefit': ['title']}),
     'campaigns/12?fields%5Bbenefit%5D=title&include=benefits'),
    ('campaigns_by_id-positional', lambda api: api.get_campaigns_by_id(12, ['goals'], {'goal': []}),
     'campaigns/12?fields%5Bgoal%5D=null&include=goals'),
    ('members', lambda api: api.get_campaigns_by_id_members(12, 25), MEMBERS_12 + '?page%5Bcount%5D=25'),
    ('members-contract-example',
     lambda api: api.get_campaigns_by_id_members(12, 25, cursor='abc', includes=['user'],
                                                 fields={'member': ['full_name']}),
     MEMBERS_12 + '?page%5Bcount%5D=25&page%5Bcursor%5D=abc&fields%5Bmember%5D=full_name&include=user'),
    ('members-positional',
     lambda api: api.get_campaigns_by_id_members(12, 25, 'abc', ['user'], {'member': ['full_name']}),
     MEMBERS_12 + '?page%5Bcount%5D=25&page%5Bcursor%5D=abc&fields%5Bmember%5D=full_name&include=user'),
    ('members-plain-strings',
     lambda api: api.get_campaigns_by_id_members(12, 25, includes='user,address',
                                                 fields={'member': 'full_name,email'}),
     MEMBERS_12 + '?page%5Bcount%5D=25&fields%5Bmember%5D=full_name%2Cemail&include=user%2Caddress'),
    ('members_by_id', lambda api: api.get_members_by_id('4b2e1c40-0000-4000-8000-000000000000'),
     'members/4b2e1c40-0000-4000-8000-000000000000'),
    ('members_by_id-all',
     lambda api: api.get_members_by_id('m1', includes=['user', 'currently_entitled_tiers'],
                                       fields={'member': ['full_name'], 'user': ['email']}),
     'members/m1?fields%5Bmember%5D=full_name&fields%5Buser%5D=email&include=user%2Ccurrently_entitled_tiers'),
    ('members_by_id-positional', lambda api: api.get_members_by_id('m1', ['user'], None),
     'members/m1?include=user'),
    ('webhooks', lambda api: api.get_webhooks(5), 'webhooks?page%5Bcount%5D=5'),
    ('webhooks-all',
     lambda api: api.get_webhooks(5, cursor='c9', includes=['campaign'], fields={'webhook': ['uri']}),
     'webhooks?page%5Bcount%5D=5&page%5Bcursor%5D=c9&fields%5Bwebhook%5D=uri&include=campaign'),
    ('webhooks-positional', lambda api: api.get_webhooks(5, 'c9', ['client'], None),
     'webhooks?page%5Bcount%5D=5&page%5Bcursor%5D=c9&include=client'),
    ('webhooks_by_id', lambda api: api.get_webhooks_by_id(4301), 'webhooks/4301'),
    ('webhooks_by_id-all', lambda api: api.get_webhooks_by_id('4301', includes=['client'],
                                                              fields={'webhook': ['triggers', 'paused']}),
     'webhooks/4301?fields%5Bwebhook%5D=triggers%2Cpaused&include=client'),
    ('webhooks_by_id-positional', lambda api: api.get_webhooks_by_id(4301, ['campaign'], None),
     'webhooks/4301?include=campaign'),
    ('posts', lambda api: api.get_campaigns_by_id_posts(12, 20), 'campaigns/12/posts?page%5Bcount%5D=20'),
    ('posts-all',
     lambda api: api.get_campaigns_by_id_posts(12, 20, cursor='p2', includes=['campaign'],
                                               fields={'post': ['title', 'url']}),
     'campaigns/12/posts?page%5Bcount%5D=20&page%5Bcursor%5D=p2&fields%5Bpost%5D=title%2Curl&include=campaign'),
    ('posts-positional', lambda api: api.get_campaigns_by_id_posts(12, 20, 'p2', None, {'post': ['title']}),
     'campaigns/12/posts?page%5Bcount%5D=20&page%5Bcursor%5D=p2&fields%5Bpost%5D=title'),
    ('posts_by_id', lambda api: api.get_posts_by_id(555), 'posts/555'),
    ('posts_by_id-all', lambda api: api.get_posts_by_id('555', includes=['user'], fields={'post': ['title']}),
     'posts/555?fields%5Bpost%5D=title&include=user'),
]


@pytest.mark.parametrize('call, expected', [(call, expected) for _, call, expected in ROUTES],
                         ids=[name for name, _, _ in ROUTES])
def test_route_sends_the_exact_request(http, call, expected):
    body = load_fixture('member.json')
    serve(http, expected, body)

    result = call(API(ACCESS_TOKEN))

    assert len(http.calls) == 1
    request = sent(http)
    assert request.method == 'GET'
    assert request.url == API_URL + expected
    assert_headers(request)
    assert isinstance(result, JSONAPIParser)
    assert result.json_data == body


def test_the_same_client_serves_many_routes(http):
    api = API(ACCESS_TOKEN)
    serve(http, 'identity', load_fixture('identity_with_memberships.json'))
    serve(http, 'campaigns', load_fixture('campaigns.json'))

    assert api.get_identity().data().attribute('full_name') == 'Ada Reader'
    assert api.get_campaigns(10).data()[0].relationship('tiers')[1].attribute('title') == 'Patron'


def test_ids_are_quoted_into_one_path_segment(http):
    serve(http, 'members/a%2F..%2Fwebhooks%3Fx')

    API(ACCESS_TOKEN).get_members_by_id('a/../webhooks?x')

    assert sent(http).url == API_URL + 'members/a%2F..%2Fwebhooks%3Fx'


# Cursors

LIST_CALLS = [
    ('campaigns', lambda api, cursor: api.get_campaigns(10, cursor=cursor), 'campaigns?page%5Bcount%5D=10'),
    ('members', lambda api, cursor: api.get_campaigns_by_id_members(12, 10, cursor),
     MEMBERS_12 + '?page%5Bcount%5D=10'),
    ('webhooks', lambda api, cursor: api.get_webhooks(10, cursor), 'webhooks?page%5Bcount%5D=10'),
    ('posts', lambda api, cursor: api.get_campaigns_by_id_posts(12, 10, cursor=cursor),
     'campaigns/12/posts?page%5Bcount%5D=10'),
]

CURSORS = [
    ('naive-datetime-is-utc', datetime.datetime(2017, 1, 1, 12, 30), '2017-01-01T12%3A30%3A00%2B00%3A00'),
    ('aware-datetime-is-converted', datetime.datetime(2017, 1, 1, 14, 30, tzinfo=FixedOffset(2)),
     '2017-01-01T12%3A30%3A00%2B00%3A00'),
    ('aware-datetime-across-midnight', datetime.datetime(2016, 12, 31, 20, 0, 5, tzinfo=FixedOffset(-5)),
     '2017-01-01T01%3A00%3A05%2B00%3A00'),
    ('text', 'cur_02Yd345R9rab', 'cur_02Yd345R9rab'),
    ('text-with-reserved-characters', 'a/b+c=d&e', 'a%2Fb%2Bc%3Dd%26e'),
    ('unicode-text', 'curseur-\u00e9', 'curseur-%C3%A9'),
    ('number', 123, '123'),
]


@pytest.mark.parametrize('call, path', [(c, p) for _, c, p in LIST_CALLS], ids=[n for n, _, _ in LIST_CALLS])
@pytest.mark.parametrize('cursor, encoded', [(c, e) for _, c, e in CURSORS], ids=[n for n, _, _ in CURSORS])
def test_cursor_is_sent_after_page_count(http, call, path, cursor, encoded):
    serve(http, path)

    call(API(ACCESS_TOKEN), cursor)

    assert sent(http).url == API_URL + path + '&page%5Bcursor%5D=' + encoded


@pytest.mark.parametrize('call, path', [(c, p) for _, c, p in LIST_CALLS], ids=[n for n, _, _ in LIST_CALLS])
@pytest.mark.parametrize('cursor', [None, '', 0])
def test_falsy_cursor_is_omitted(http, call, path, cursor):
    serve(http, path)

    call(API(ACCESS_TOKEN), cursor)

    assert sent(http).url == API_URL + path


# Return values

def test_errors_document_is_returned_as_the_dict(http):
    body = load_fixture('error_401.json')
    serve(http, 'identity', body, status=401)

    result = API(ACCESS_TOKEN).get_identity()

    assert isinstance(result, dict)
    assert not isinstance(result, JSONAPIParser)
    assert result == body
    assert result.get('errors') == body['errors']
    assert 'errors' in result
    assert isinstance(result, ErrorDocument)
    with pytest.raises(Unauthorized) as info:
        result.data()
    assert str(info.value).startswith('401 Unauthorized')


def test_errors_key_decides_whatever_the_status(http):
    body = {'errors': [{'title': 'Odd', 'status': '400'}]}
    serve(http, 'identity', body, status=200)

    result = API(ACCESS_TOKEN).get_identity()

    assert result == body
    assert 'errors' in result


def test_falsy_errors_key_gives_a_document(http):
    body = {'data': {'type': 'user', 'id': '1'}, 'errors': []}
    serve(http, 'identity', body)

    result = API(ACCESS_TOKEN).get_identity()

    assert isinstance(result, JSONAPIParser)
    assert result.data().id() == '1'


def test_error_status_without_errors_key_is_an_errors_document_by_default(http):
    # The status decides: a 404 whose body has no `errors` is no empty result.
    serve(http, 'members/x', {'data': None}, status=404)

    result = API(ACCESS_TOKEN).get_members_by_id('x')

    assert isinstance(result, ErrorDocument) and result['errors'][0]['status'] == '404'
    with pytest.raises(NotFound):
        result.data()


@pytest.mark.parametrize('status, body, cls', [
    (401, load_fixture('error_401.json'), Unauthorized),
    (403, {'errors': [{'title': 'Forbidden', 'status': '403'}]}, Forbidden),
    (404, {'errors': [{'title': 'Not Found', 'status': '404'}]}, NotFound),
    (429, load_fixture('error_429.json'), RateLimited),
    (500, {'errors': [{'title': 'Internal Server Error'}]}, ServerError),
    (503, {'errors': [{'title': 'Service Unavailable'}]}, ServerError),
    (400, {'errors': [{'code_name': 'ParameterInvalid', 'detail': 'page[count] too large'}]}, APIError),
    (422, {'errors': [{'title': 'Unprocessable'}]}, APIError),
])
def test_errors_document_data_raises_the_matching_error(http, status, body, cls):
    serve(http, 'identity', body, status=status)

    result = API(ACCESS_TOKEN, retry=None).get_identity()

    assert result == body
    with pytest.raises(cls) as info:
        result.data()
    # The status's class, and an AttributeError as 0.5.1's dict without `data` raised: both kinds of except catch it.
    assert type(info.value).__mro__[1] is cls
    assert isinstance(info.value, AttributeError) and isinstance(info.value, NoPrimaryData)
    assert str(info.value) == str(result.error) and str(info.value).startswith('{} '.format(status))
    assert info.value.status_code == status and info.value.errors == result.error.errors
    assert type(result.error) is cls  # the error kept on the document is no AttributeError: getattr cannot swallow it
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is type(info.value) and str(copy) == str(info.value)
    with pytest.raises(AttributeError):  # the loop shape of 0.5.1 code: try .data(), except AttributeError
        result.data()
    # And as on 0.5.1's plain dict, whose `data` was no attribute at all:
    assert not hasattr(result, 'data') and getattr(result, 'data', None) is None


@pytest.mark.parametrize('status, body, cls', [
    (401, load_fixture('error_401.json'), Unauthorized),
    (401, {}, Unauthorized),
    (403, {'errors': [{'title': 'Forbidden'}]}, Forbidden),
    (404, {'errors': [{'title': 'Not Found'}]}, NotFound),
    (404, {'data': None}, NotFound),
    (429, load_fixture('error_429.json'), RateLimited),
    (500, {'errors': [{'title': 'Internal Server Error'}]}, ServerError),
    (502, {'errors': []}, ServerError),
    (504, {}, ServerError),
    (400, {'errors': [{'title': 'Bad Request'}]}, APIError),
    (405, {'errors': [{'title': 'Method Not Allowed'}]}, APIError),
    (410, {}, APIError),
])
def test_raise_errors_raises_the_class_of_the_status(http, status, body, cls):
    serve(http, 'identity', body, status=status, headers={'x-patreon-uuid': 'req-5b2a9c4e'})

    with pytest.raises(cls) as info:
        API(ACCESS_TOKEN, raise_errors=True, retry=None).get_identity()

    error = info.value
    assert type(error) is cls
    assert isinstance(error, APIError) and isinstance(error, PatreonError)
    assert error.status_code == status
    assert error.errors == (body.get('errors') or [])
    assert error.request_id == 'req-5b2a9c4e'
    assert isinstance(error.response, requests.Response)
    assert error.response.status_code == status
    assert str(error).startswith('{} '.format(status))
    assert ACCESS_TOKEN not in str(error)


@pytest.mark.parametrize('headers, retry_after', [({}, 9.0), ({'Retry-After': '4'}, 4.0)])
def test_rate_limited_carries_retry_after(http, headers, retry_after):
    serve(http, 'identity', load_fixture('error_429.json'), status=429, headers=headers)

    with pytest.raises(RateLimited) as info:
        API(ACCESS_TOKEN, raise_errors=True, retry=None).get_identity()

    assert info.value.retry_after == retry_after


def test_raise_errors_without_request_id(http):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)

    with pytest.raises(Unauthorized) as info:
        API(ACCESS_TOKEN, raise_errors=True).get_identity()

    assert info.value.request_id is None


def test_error_with_non_ascii_message_is_returned(http):
    # JSON text is unicode; building the error must work on Python 2 as well.
    body = {'errors': [{'title': 'Non autoris\u00e9', 'detail': 'Le jeton a expir\u00e9'}]}
    serve(http, 'identity', body, status=401)

    result = API(ACCESS_TOKEN).get_identity()

    assert result == body


# Bodies that are not JSON

@pytest.mark.parametrize('raise_errors', [False, True])
def test_html_error_page_raises_invalid_response(http, raise_errors):
    serve(http, 'identity', fixture_bytes('error_502.html'), status=502, content_type='text/html')

    with pytest.raises(InvalidResponse) as info:
        API(ACCESS_TOKEN, raise_errors=raise_errors, retry=None).get_identity()

    error = info.value
    assert isinstance(error, ValueError)
    assert error.status_code == 502
    assert '502' in str(error)
    assert '<title>502 Bad Gateway</title>' in str(error)


def test_empty_502_raises_invalid_response(http):
    serve(http, MEMBERS_12, b'', status=502)

    with pytest.raises(ValueError) as info:
        API(ACCESS_TOKEN, retry=None).get_campaigns_by_id_members(12, 25)

    assert isinstance(info.value, InvalidResponse)
    assert '502' in str(info.value)


def test_empty_200_raises_invalid_response(http):
    # An empty body is not JSON either; a GET route must not answer None where a document was due.
    serve(http, 'identity', b'', status=200)

    with pytest.raises(InvalidResponse) as info:
        API(ACCESS_TOKEN).get_identity()

    assert '200' in str(info.value)


def test_invalid_response_never_contains_the_access_token(http):
    page = '<html><body>Blocked request with Authorization: Bearer {}</body></html>'.format(ACCESS_TOKEN)
    serve(http, 'identity', page.encode('ascii'), status=403, content_type='text/html')

    with pytest.raises(InvalidResponse) as info:
        API(ACCESS_TOKEN).get_identity()

    assert ACCESS_TOKEN not in str(info.value)
    assert 'Blocked request' in str(info.value)
    assert '403' in str(info.value)


def test_invalid_response_excerpt_is_short(http):
    page = '<html><body>' + 'lorem ipsum ' * 1000 + 'THE-END</body></html>'
    serve(http, 'identity', page.encode('ascii'), status=500, content_type='text/html')

    with pytest.raises(InvalidResponse) as info:
        API(ACCESS_TOKEN, retry=None).get_identity()

    assert 'lorem ipsum' in str(info.value)
    assert 'THE-END' not in str(info.value)
    assert len(str(info.value)) < 500


def test_json_that_is_not_an_object_raises_invalid_response(http):
    serve(http, 'identity', ['not', 'a', 'document'])

    with pytest.raises(InvalidResponse):
        API(ACCESS_TOKEN).get_identity()


# extract_cursor

PAGE_ONE = 'campaign_members_page1.json'


@pytest.mark.parametrize('wrap', [JSONAPIParser, dict], ids=['parser', 'dict'])
def test_extract_cursor_from_links_next(wrap):
    assert API.extract_cursor(wrap(load_fixture(PAGE_ONE))) == 'cur_02Yd345R9rab'


def test_extract_cursor_is_a_static_method():
    document = load_fixture(PAGE_ONE)

    assert API(ACCESS_TOKEN).extract_cursor(document) == 'cur_02Yd345R9rab'
    assert API.extract_cursor(document, 'links.next') == 'cur_02Yd345R9rab'


@pytest.mark.parametrize('wrap', [JSONAPIParser, dict], ids=['parser', 'dict'])
def test_extract_cursor_falls_back_to_meta_cursor(wrap):
    document = load_fixture(PAGE_ONE)
    document['links'] = {'self': 'https://www.patreon.com/api/oauth2/v2/campaigns/900100/members'}
    document['meta']['pagination']['cursors']['next'] = 'from_meta'

    assert API.extract_cursor(wrap(document)) == 'from_meta'
    del document['links']
    assert API.extract_cursor(wrap(document)) == 'from_meta'
    document['links'] = {'next': None}
    assert API.extract_cursor(wrap(document)) == 'from_meta'


def test_extract_cursor_prefers_links_next_over_meta():
    document = {'links': {'next': CURSOR_LINK + '&page%5Bcursor%5D=from_link'},
                'meta': {'pagination': {'cursors': {'next': 'from_meta'}}}}

    assert API.extract_cursor(document) == 'from_link'


@pytest.mark.parametrize('document', [
    {},
    {'links': 'text'},
    {'links': {'next': None}},
    {'links': {'next': ''}},
    {'links': {}},
    {'links': {'next': None}, 'meta': {'pagination': {'cursors': {'next': None}}}},
])
def test_extract_cursor_none_where_0_5_1_gave_none(document):
    assert API.extract_cursor(document) is None
    assert API.extract_cursor(JSONAPIParser(document)) is None


@pytest.mark.parametrize('document', [
    load_fixture('campaign_members_page2.json'),          # Patreon's last page: meta cursor null, no links
    {'meta': {}},
    {'meta': {'pagination': {'cursors': {}}}},
    {'meta': {'pagination': 'text'}},
    {'data': []},
])
def test_extract_cursor_raises_the_plain_exception_of_0_5_1_on_a_page_without_links(document):
    # Loops written for 0.5.1 end on this very exception: `except Exception: break`, or `type(e) == Exception`.
    for given in (document, JSONAPIParser(document)):
        with pytest.raises(Exception) as info:
            API.extract_cursor(given)
        assert type(info.value) is Exception
        assert info.value.args == ('Provided cursor path did not result in a link', document)
        assert info.value.args[1] is document


def test_extract_cursor_fallback_only_with_the_default_path():
    document = {'meta': {'pagination': {'cursors': {'next': 'from_meta'}}}}

    assert API.extract_cursor(document) == 'from_meta'
    with pytest.raises(Exception) as info:
        API.extract_cursor(document, 'links.prev')  # no links: as in 0.5.1
    assert type(info.value) is Exception
    assert API.extract_cursor({'links': {}, 'meta': document['meta']}, 'links.prev') is None


@pytest.mark.parametrize('path, document', [
    ('a.b.c', {}),
    ('a.b.c', {'a': {}}),
    ('a.b.c', {'a': None}),
    ('a.b.c', {'a': 'text'}),
    ('a.b.c', {'a': {'b': 5}}),
    ('a.b.c', {'a': {'b': {'c': None}}}),
    ('a.b.c', {'a': {'b': {}}}),
])
def test_extract_cursor_missing_keys_and_none_give_none(path, document):
    assert API.extract_cursor(document, path) is None


@pytest.mark.parametrize('path, document', [
    ('links.next', {'links': {'next': {'href': CURSOR_LINK + '&page%5Bcursor%5D=x'}}}),
    ('links.next', {'links': {'next': 42}}),
    ('links.next', {'links': {'next': ['x']}}),
    ('links.next', {'links': {'next': True}}),
    ('meta.pagination', load_fixture(PAGE_ONE)),
])
def test_extract_cursor_truthy_non_string_raises(path, document):
    with pytest.raises(Exception) as info:
        API.extract_cursor(document, path)

    assert info.value.args[0] == 'Provided cursor path did not result in a link'
    with pytest.raises(Exception) as info:
        API.extract_cursor(JSONAPIParser(document), path)
    assert info.value.args[0] == 'Provided cursor path did not result in a link'


@pytest.mark.parametrize('link, cursor', [
    (CURSOR_LINK, None),
    ('https://www.patreon.com/api/oauth2/v2/campaigns/900100/members', None),
    (CURSOR_LINK + '&page%5Bcursor%5D=abc', 'abc'),
    (CURSOR_LINK + '&page[cursor]=raw', 'raw'),
    (CURSOR_LINK + '&page%5Bcursor%5D=first&page%5Bcursor%5D=second', 'first'),
    (CURSOR_LINK + '&page%5Bcursor%5D=a%2Fb%3D', 'a/b='),
    ('/relative?page%5Bcursor%5D=rel', 'rel'),
])
def test_extract_cursor_reads_page_cursor_of_the_link(link, cursor):
    assert API.extract_cursor({'links': {'next': link}}) == cursor


def test_extract_cursor_custom_path():
    document = {'links': {'prev': CURSOR_LINK + '&page%5Bcursor%5D=back'},
                'custom': {'deep': {'link': CURSOR_LINK + '&page%5Bcursor%5D=deep'}}}

    assert API.extract_cursor(document, 'links.prev') == 'back'
    assert API.extract_cursor(document, cursor_path='custom.deep.link') == 'deep'
    with pytest.raises(Exception) as info:
        API.extract_cursor(document, 'custom.deep')  # a dict, not a link
    assert info.value.args[0] == 'Provided cursor path did not result in a link'


def test_extract_cursor_loop_of_0_5_1(http):
    # A loop written for 0.5.1: with the fallback it reads every page where Patreon puts the cursor in meta only,
    # and ends on the exception of the last page, which has no links.
    first = load_fixture(PAGE_ONE)
    del first['links']
    serve(http, 'campaigns/900100/members', first)
    serve(http, 'campaigns/900100/members', load_fixture('campaign_members_page2.json'))
    api = API(ACCESS_TOKEN)

    names, cursor = [], None
    while True:
        members = api.get_campaigns_by_id_members(900100, 3, cursor=cursor)
        names.extend(member.attribute('full_name') for member in members.data())
        try:
            cursor = api.extract_cursor(members)
        except Exception:
            break
        if not cursor:
            break

    assert names == ['Member 0', 'Member 1', 'Member 2', 'Member 3']
    assert sent(http, 1).url.endswith('&page%5Bcursor%5D=cur_02Yd345R9rab')


# Keywords: base_url, timeout, session; repr

def test_a_callers_session_is_used_with_the_timeout(http):
    serve(http, 'identity')
    serve(http, 'campaigns', load_fixture('campaigns.json'))
    session = RecordingSession()
    api = API(ACCESS_TOKEN, session=session, timeout=3.5)

    api.get_identity()
    api.get_campaigns(1)

    assert [(method, url) for method, url, _ in session.requests] == [
        ('GET', API_URL + 'identity'), ('GET', API_URL + 'campaigns?page%5Bcount%5D=1')]
    assert [kwargs['timeout'] for _, _, kwargs in session.requests] == [3.5, 3.5]
    assert session.requests[0][2]['headers']['Authorization'] == 'Bearer ' + ACCESS_TOKEN


def test_a_callers_session_is_not_closed(http):
    serve(http, 'identity')
    session = RecordingSession()
    closed = []
    session.close = lambda: closed.append(True)

    with API(ACCESS_TOKEN, session=session) as api:
        assert isinstance(api, API)
        api.get_identity()

    assert closed == []


def test_timeout_tuple_is_passed_as_given(http):
    serve(http, 'identity')
    session = RecordingSession()

    API(ACCESS_TOKEN, session=session, timeout=(2, 9)).get_identity()

    assert session.requests[0][2]['timeout'] == (2, 9)


def test_default_timeout_is_finite(http):
    serve(http, 'identity')
    session = RecordingSession()

    API(ACCESS_TOKEN, session=session).get_identity()

    timeout = session.requests[0][2]['timeout']
    for part in timeout if isinstance(timeout, tuple) else (timeout,):
        assert part is not None and 0 < part < float('inf') and not math.isnan(part)


@pytest.mark.parametrize('base_url', ['http://127.0.0.1:8765', 'http://127.0.0.1:8765/'])
def test_base_url(http, base_url):
    http.add(responses.GET, 'http://127.0.0.1:8765/api/oauth2/v2/campaigns/12/members',
             json=load_fixture('campaign_members_page2.json'))

    API(ACCESS_TOKEN, base_url=base_url).get_campaigns_by_id_members(12, 5, includes=['user'])

    assert sent(http).url == 'http://127.0.0.1:8765/api/oauth2/v2/campaigns/12/members?page%5Bcount%5D=5&include=user'


def test_repr_does_not_contain_the_token():
    api = API(ACCESS_TOKEN, refresh_token=REFRESH_TOKEN)

    assert ACCESS_TOKEN not in repr(api)
    assert REFRESH_TOKEN not in repr(api)
    assert repr(api).startswith('<patreon.API')
    assert patreon.API is API


def recording(session):
    """Record the requests sent through ``session`` (an instance's method replaced; requests itself untouched)."""
    urls = []
    send = session.request

    def request(method, url, **kwargs):
        urls.append(url)
        return send(method, url, **kwargs)

    session.request = request
    return urls


def test_one_session_per_client_is_reused(http):
    serve(http, 'identity')
    serve(http, 'campaigns', load_fixture('campaigns.json'))
    serve(http, 'identity')
    api, other = API(ACCESS_TOKEN), API(ACCESS_TOKEN)

    session = api.transport.session
    urls = recording(session)
    api.get_identity()
    api.get_campaigns(1)
    other.get_identity()

    assert isinstance(session, requests.Session)
    assert api.transport.session is session
    assert urls == [API_URL + 'identity', API_URL + 'campaigns?page%5Bcount%5D=1']
    assert other.transport.session is not session


def test_context_manager_closes_its_own_session(http):
    serve(http, 'identity')
    closed = []

    with API(ACCESS_TOKEN) as api:
        assert isinstance(api, API)
        api.get_identity()
        session = api.transport.session
        close = session.close
        session.close = lambda: closed.append(True) or close()

    assert closed == [True]


# Webhook write routes

def test_create_webhook(http):
    answer = load_fixture('webhook_create_response.json')
    serve(http, 'webhooks', answer, status=201, method=responses.POST)

    result = API(ACCESS_TOKEN).create_webhook(900100, 'https://app.example.org/hooks/patreon',
                                              ['members:pledge:create', 'members:pledge:delete'])

    request = sent(http)
    assert request.method == 'POST'
    assert request.url == API_URL + 'webhooks'
    assert request.headers['Content-Type'] == 'application/json'
    assert_headers(request)
    assert json_body(request) == {'data': {
        'type': 'webhook',
        'attributes': {'triggers': ['members:pledge:create', 'members:pledge:delete'],
                       'uri': 'https://app.example.org/hooks/patreon'},
        'relationships': {'campaign': {'data': {'type': 'campaign', 'id': '900100'}}}}}
    assert isinstance(result, JSONAPIParser)
    assert result.data().attribute('secret') == 'wh_sec_Qm41xv'


def test_create_webhook_keywords_and_a_single_trigger(http):
    serve(http, 'webhooks', load_fixture('webhook_create_response.json'), status=201, method=responses.POST)

    API(ACCESS_TOKEN).create_webhook(campaign_id='900100', uri='https://x.example/h', triggers='posts:publish')

    assert json_body(sent(http))['data']['attributes'] == {'triggers': ['posts:publish'],
                                                           'uri': 'https://x.example/h'}


def test_create_webhook_error_and_no_retry(http):
    serve(http, 'webhooks', {'errors': [{'title': 'Service Unavailable'}]}, status=503, method=responses.POST)

    result = API(ACCESS_TOKEN).create_webhook(1, 'https://x.example/h', ['posts:publish'])

    assert len(http.calls) == 1  # a retried create would make two webhooks
    with pytest.raises(ServerError):
        result.data()


@pytest.mark.parametrize('kwargs, attributes', [
    ({'uri': 'https://x.example/new'}, {'uri': 'https://x.example/new'}),
    ({'triggers': ['members:create']}, {'triggers': ['members:create']}),
    ({'triggers': 'members:update'}, {'triggers': ['members:update']}),
    ({'paused': False}, {'paused': False}),
    ({'paused': True}, {'paused': True}),
    ({'uri': 'https://x.example/u', 'triggers': ['members:create', 'posts:publish'], 'paused': False},
     {'uri': 'https://x.example/u', 'triggers': ['members:create', 'posts:publish'], 'paused': False}),
    ({}, {}),
])
def test_update_webhook_sends_only_what_is_given(http, kwargs, attributes):
    serve(http, 'webhooks/4301', load_fixture('webhook_create_response.json'), method=responses.PATCH)

    result = API(ACCESS_TOKEN).update_webhook(4301, **kwargs)

    request = sent(http)
    assert request.method == 'PATCH'
    assert request.url == API_URL + 'webhooks/4301'
    assert request.headers['Content-Type'] == 'application/json'
    assert_headers(request)
    assert json_body(request) == {'data': {'id': '4301', 'type': 'webhook', 'attributes': attributes}}
    assert isinstance(result, JSONAPIParser)


def test_update_webhook_positional(http):
    serve(http, 'webhooks/4301', load_fixture('webhook_create_response.json'), method=responses.PATCH)

    API(ACCESS_TOKEN).update_webhook('4301', 'https://x.example/p', ['posts:update'], False)

    assert json_body(sent(http))['data']['attributes'] == {
        'uri': 'https://x.example/p', 'triggers': ['posts:update'], 'paused': False}


def test_delete_webhook(http):
    serve(http, 'webhooks/4301', b'', status=204, method=responses.DELETE)

    assert API(ACCESS_TOKEN).delete_webhook(4301) is None

    request = sent(http)
    assert request.method == 'DELETE'
    assert request.url == API_URL + 'webhooks/4301'
    assert_headers(request)


@pytest.mark.parametrize('status', [204, 200])
def test_delete_webhook_without_a_body_is_none_in_both_modes(http, status):
    serve(http, 'webhooks/4301', b'', status=status, method=responses.DELETE)
    serve(http, 'webhooks/4302', b'', status=status, method=responses.DELETE)

    assert API(ACCESS_TOKEN).delete_webhook(4301) is None
    assert API(ACCESS_TOKEN, raise_errors=True).delete_webhook(4302) is None


@pytest.mark.parametrize('raise_errors', [False, True])
@pytest.mark.parametrize('method, path, call', [
    (responses.GET, 'identity', lambda api: api.get_identity()),
    (responses.GET, 'campaigns', lambda api: api.get_campaigns(10)),
    (responses.GET, 'members/7', lambda api: api.get_members_by_id(7)),
    (responses.POST, 'webhooks', lambda api: api.create_webhook(900100, 'https://x.example/h', ['posts:publish'])),
    (responses.PATCH, 'webhooks/4301', lambda api: api.update_webhook(4301, paused=True)),
], ids=['identity', 'campaigns', 'member', 'create_webhook', 'update_webhook'])
def test_a_204_where_a_document_is_due_is_invalid_never_none(http, raise_errors, method, path, call):
    serve(http, path, b'', status=204, method=method)

    with pytest.raises(InvalidResponse) as info:
        call(API(ACCESS_TOKEN, raise_errors=raise_errors, retry=None))
    assert info.value.status_code == 204 and 'no body' in str(info.value)


def test_delete_webhook_not_found(http):
    serve(http, 'webhooks/9', {'errors': [{'title': 'Not Found'}]}, status=404, method=responses.DELETE)

    with pytest.raises(NotFound):
        API(ACCESS_TOKEN, raise_errors=True).delete_webhook(9)


# Token refresh after a 401 (the wire behaviour is proven on loopback elsewhere; these are the decisions)

def refreshing_api(http, token_answers, **kwargs):
    """An API whose token expired; the token endpoint gives ``token_answers`` (dicts, or an exception)."""
    for answer in token_answers:
        if isinstance(answer, Exception):
            http.add(responses.POST, TOKEN_URL, body=answer)
        else:
            http.add(responses.POST, TOKEN_URL, json=answer, status=400 if 'error' in answer else 200)
    oauth = kwargs.pop('oauth', None) or patreon.OAuth(CLIENT_ID, CLIENT_SECRET)
    refresh = patreon.RefreshPolicy(oauth, on_token_refresh=kwargs.pop('on_token_refresh', None),
                                    margin=kwargs.pop('refresh_margin', patreon._refresh.DEFAULT_REFRESH_MARGIN))
    return API('expired_token', refresh=refresh, refresh_token=REFRESH_TOKEN, **kwargs)


def calls_to(http, url):
    return [call.request for call in http.calls if call.request.url.split('?')[0] == url]


def test_401_refreshes_once_and_retries_with_the_new_token(http):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)
    serve(http, 'identity', load_fixture('identity_with_memberships.json'))
    stored = []
    api = refreshing_api(http, [load_fixture('token_response.json')], on_token_refresh=stored.append)

    result = api.get_identity()

    assert isinstance(result, JSONAPIParser)
    identity = calls_to(http, API_URL + 'identity')
    assert [r.headers['Authorization'] for r in identity] == ['Bearer expired_token', 'Bearer at_Hc2u0Jq8yZ']
    assert (api.access_token, api.refresh_token) == ('at_Hc2u0Jq8yZ', 'rt_Wq83nB0kL1')
    assert [tokens['refresh_token'] for tokens in stored] == ['rt_Wq83nB0kL1']


def test_refresh_answer_without_refresh_token_keeps_the_old_one(http):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)
    serve(http, 'identity', load_fixture('identity_with_memberships.json'))
    api = refreshing_api(http, [{'access_token': 'new_access', 'expires_in': 60}])

    api.get_identity()

    assert (api.access_token, api.refresh_token) == ('new_access', REFRESH_TOKEN)


@pytest.mark.parametrize('oauth_raise_errors', [False, True])
def test_refused_refresh_returns_the_401_and_is_not_asked_again(http, oauth_raise_errors):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)
    api = refreshing_api(http, [load_fixture('oauth_error_invalid_grant.json')],
                         oauth=patreon.OAuth(CLIENT_ID, CLIENT_SECRET, raise_errors=oauth_raise_errors))

    first = api.get_identity()
    second = api.get_identity()

    assert first == second == load_fixture('error_401.json')
    assert len(calls_to(http, TOKEN_URL)) == 1
    assert api.access_token == 'expired_token'


def test_refused_refresh_raises_the_401_with_raise_errors(http):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)
    api = refreshing_api(http, [{'error': 'invalid_grant'}], raise_errors=True)

    with pytest.raises(Unauthorized):
        api.get_identity()


def test_network_failure_of_a_refresh_allows_a_later_try(http):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)
    api = refreshing_api(http, [requests.ConnectionError('down'), {'error': 'invalid_grant'}])

    assert 'errors' in api.get_identity()
    assert 'errors' in api.get_identity()

    assert len(calls_to(http, TOKEN_URL)) == 2


class FakeOAuth(object):
    """An OAuth client whose refresh answers what the test says (Patreon never answers these)."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def refresh_token(self, refresh_token):
        self.calls.append(refresh_token)
        return self.answer


@pytest.mark.parametrize('answer', [None, 'text', {}, {'access_token': ''}, {'access_token': 'a\nb'}])
def test_unusable_refresh_answer_is_a_passing_failure(http, answer):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)
    oauth = FakeOAuth(answer)
    api = API('expired_token', refresh=patreon.RefreshPolicy(oauth), refresh_token=REFRESH_TOKEN)

    first = api.get_identity()
    assert 'errors' in api.get_identity()

    assert isinstance(first.error.refresh_error, InvalidResponse)  # garbled, not a refusal: a later 401 asks again
    assert oauth.calls == [REFRESH_TOKEN, REFRESH_TOKEN]
    assert api.access_token == 'expired_token'


def test_an_error_dict_of_another_client_is_a_refusal(http):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)
    oauth = FakeOAuth({'error': 'server_error'})
    api = API('expired_token', refresh=patreon.RefreshPolicy(oauth), refresh_token=REFRESH_TOKEN)

    first = api.get_identity()
    assert 'errors' in api.get_identity()

    assert isinstance(first.error.refresh_error, OAuthError) and first.error.refresh_error.error == 'server_error'
    assert oauth.calls == [REFRESH_TOKEN]  # no status to tell a passing failure: the refresh token is not asked again


def test_a_token_refreshed_meanwhile_is_reused_without_refreshing(http):
    api = API('expired_token', refresh=patreon.RefreshPolicy(FakeOAuth({'access_token': 'unused'})),
              refresh_token=REFRESH_TOKEN)

    def expired_while_another_thread_refreshed(request):
        api.access_token = 'refreshed_elsewhere'
        return 401, {}, '{"errors": [{"title": "Unauthorized"}]}'

    http.add(responses.CallbackResponse(responses.GET, API_URL + 'identity',
                                        callback=expired_while_another_thread_refreshed))
    serve(http, 'identity', load_fixture('identity_with_memberships.json'))

    result = api.get_identity()

    assert isinstance(result, JSONAPIParser)
    assert sent(http, 1).headers['Authorization'] == 'Bearer refreshed_elsewhere'
    assert api.oauth_client.calls == []


@pytest.mark.parametrize('kwargs', [{}, {'refresh': patreon.RefreshPolicy(FakeOAuth({'access_token': 'x'}))},
                                    {'refresh_token': REFRESH_TOKEN}])
def test_no_refresh_without_both_client_and_refresh_token(http, kwargs):
    serve(http, 'identity', load_fixture('error_401.json'), status=401)

    result = API(ACCESS_TOKEN, **kwargs).get_identity()

    assert 'errors' in result
    assert len(http.calls) == 1


# Options that take a bool ------------------------------------------------------------------------------------------

NOT_BOOLS = ['false', 'False', '0', '', 0, 1, None, [], 'true']


@pytest.mark.parametrize('value', [v for v in NOT_BOOLS if v is not None])
def test_update_webhook_paused_takes_a_bool_and_sends_nothing_else(http, value):
    with pytest.raises(InvalidArgument) as raised:
        API(ACCESS_TOKEN).update_webhook('77', paused=value)

    assert 'paused must be True or False' in str(raised.value) and isinstance(raised.value, ValueError)
    assert len(http.calls) == 0


@pytest.mark.parametrize('paused', [True, False])
def test_update_webhook_sends_the_bool_given(http, paused):
    http.add(responses.PATCH, API_URL + 'webhooks/77', json=load_fixture('webhook_create_response.json'))

    API(ACCESS_TOKEN).update_webhook('77', paused=paused)

    assert json_body(http.calls[0].request)['data']['attributes'] == {'paused': paused}


@pytest.mark.parametrize('value', NOT_BOOLS)
@pytest.mark.parametrize('make, name', [
    (lambda value: API(ACCESS_TOKEN, raise_errors=value), 'raise_errors'),
    (lambda value: API(ACCESS_TOKEN, strict_fields=value), 'strict_fields'),
    (lambda value: patreon.OAuth(CLIENT_ID, CLIENT_SECRET, raise_errors=value), 'raise_errors'),
])
def test_a_client_option_that_takes_a_bool_refuses_anything_else(value, make, name):
    with pytest.raises(InvalidArgument) as raised:
        make(value)

    assert '{} must be True or False'.format(name) in str(raised.value)


@pytest.mark.parametrize('value', NOT_BOOLS)
def test_block_patreon_takes_a_bool(value):
    from patreon import endpoint

    with pytest.raises(InvalidArgument):
        with endpoint.override_default_base_url('http://127.0.0.1:9', block_patreon=value):
            pass  # pragma: no cover - never entered
    assert endpoint.default_base_url() == 'https://www.patreon.com'


@responses.activate
def test_webhook_triggers_take_one_comma_separated_string_and_refuse_a_misspelt_one_before_sending():
    responses.add(responses.POST, API_URL + 'webhooks', json={'data': {'type': 'webhook', 'id': '1'}}, status=201)
    api = patreon.API(ACCESS_TOKEN)
    api.create_webhook('7', 'https://x.example/hook', 'members:pledge:create, members:pledge:delete')
    sent = json.loads(responses.calls[0].request.body)
    assert sent['data']['attributes']['triggers'] == ['members:pledge:create', 'members:pledge:delete']
    for triggers in (['members:pledge:crate'], 'members:create,posts:publsh', [], ' , ', 'x' * 100000):
        with pytest.raises(InvalidArgument) as raised:
            api.create_webhook('7', 'https://x.example/hook', triggers)
        assert 'members:pledge:create' in str(raised.value) and len(str(raised.value)) < 500
        named = triggers and (not isinstance(triggers, six.string_types) or triggers.strip(' ,'))
        assert ('no trigger Patreon sends' if named else 'at least one') in str(raised.value)
        with pytest.raises(InvalidArgument):
            api.update_webhook('1', triggers=triggers)
    assert len(responses.calls) == 1
