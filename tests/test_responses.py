# -*- coding: utf-8 -*-
"""patreon._responses: how an HTTP answer becomes a document, an errors dict, a token dict or an exception."""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import pickle

import pytest
import six

import patreon
from canned import CannedServer
from helpers import ACCESS_TOKEN, CLIENT_SECRET, REFRESH_TOKEN, fetch, fixture_bytes, load_fixture
from patreon.exceptions import (APIError, InvalidErrorResponse, InvalidForbiddenResponse, InvalidNotFoundResponse,
                                InvalidRateLimitedResponse, InvalidResponse, InvalidServerResponse,
                                InvalidUnauthorizedResponse, NotFound, NotJSONResponse, OAuthError, RateLimited,
                                ServerError, Unauthorized, error_class_for_status)
from patreon.api import API
from patreon.jsonapi.parser import JSONAPIParser
from patreon._responses import (EXCERPT_LENGTH, ErrorDocument, api_error, api_result, decode_json, oauth_result,
                                resource_key)


# decode_json and the excerpt of non-JSON bodies

def test_decode_json_returns_the_body():
    assert decode_json(fetch(200, {'data': None})) == {'data': None}


def test_decode_json_html_names_the_status_and_quotes_the_body():
    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(502, fixture_bytes('error_502.html'), content_type='text/html'))

    message = str(info.value)
    assert message.startswith('Patreon answered 502 ')
    assert '<title>502 Bad Gateway</title>' in message
    assert info.value.status_code == 502
    assert info.value.response.status_code == 502


def test_decode_json_empty_body():
    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(502, b''))

    assert '502' in str(info.value)
    assert '(empty body)' in str(info.value)


def test_excerpt_is_short_and_whitespace_is_collapsed():
    body = '<html>\n\n   <body>' + 'x' * 5000 + 'THE-END</body></html>'

    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(500, body.encode('utf-8'), content_type='text/html'))

    message = str(info.value)
    assert '<html> <body>xxx' in message
    assert 'THE-END' not in message
    assert '...' in message
    assert len(message) < EXCERPT_LENGTH + 100


def test_excerpt_hides_the_secrets_given():
    body = '<html>token {} and {} and {}</html>'.format(ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET)

    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(403, body.encode('utf-8'), content_type='text/html'),
                    secrets=(ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, None, ''))

    message = str(info.value)
    for secret in (ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET):
        assert secret not in message
    assert '<html>token *** and *** and ***</html>' in message


def test_excerpt_hides_credential_values_of_a_cut_json_body():
    # A token answer cut short: its values are credentials the client does not know yet.
    body = '{"access_token": "fresh_access_Q1w2E3", "refresh_token":"fresh_refresh_R4t5Y6", "scope": "identity'

    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(200, body.encode('utf-8')))

    message = str(info.value)
    assert 'fresh_access_Q1w2E3' not in message
    assert 'fresh_refresh_R4t5Y6' not in message
    assert '"scope": "identity' in message


def test_excerpt_never_leaks_part_of_a_token_cut_at_the_read_limit():
    # Whitespace collapses after the body is cut, so the cut can fall inside a token that ends up in the message.
    body = ' ' * (EXCERPT_LENGTH * 4 - 10) + ACCESS_TOKEN + ' </html>'

    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(502, body.encode('ascii'), content_type='text/html'), secrets=(ACCESS_TOKEN,))

    assert ACCESS_TOKEN[:10] not in str(info.value)


def test_excerpt_of_non_utf8_bytes():
    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(500, b'\xff\xfe<html>caf\xc3\xa9</html>', content_type='text/html'))

    assert '500' in str(info.value)


# api_error and api_result

def test_api_error_reads_status_errors_and_request_id():
    body = load_fixture('error_401.json')
    response = fetch(401, body, headers={'x-patreon-uuid': 'uuid-1'})

    error = api_error(response, body)

    assert type(error) is Unauthorized
    assert (error.status_code, error.errors, error.request_id, error.response) == \
        (401, body['errors'], 'uuid-1', response)


def test_api_error_of_a_body_without_an_errors_list():
    assert api_error(fetch(404, {'errors': 'oops'}), {'errors': 'oops'}).errors == []
    assert api_error(fetch(404, b'[]'), []).errors == []
    assert type(api_error(fetch(404, {}), {})) is NotFound


@pytest.mark.parametrize('headers, expected', [({}, 9.0), ({'Retry-After': '3'}, 3.0)])
def test_api_error_429_reads_retry_after(headers, expected):
    body = load_fixture('error_429.json')

    error = api_error(fetch(429, body, headers=headers), body)

    assert type(error) is RateLimited
    assert error.retry_after == expected


def test_api_result_wraps_a_document():
    body = load_fixture('member.json')

    result = api_result(fetch(200, body))

    assert isinstance(result, JSONAPIParser)
    assert result.json_data == body


def test_api_result_errors_document_is_the_dict():
    body = load_fixture('error_401.json')

    result = api_result(fetch(401, body))

    assert isinstance(result, ErrorDocument) and isinstance(result, dict)
    assert result == body
    assert result.get('errors') == body['errors']
    assert 'errors' in result
    assert isinstance(result.error, Unauthorized)
    with pytest.raises(Unauthorized) as info:
        result.data()
    assert str(info.value).startswith('401 Unauthorized')


def test_api_result_falsy_errors_is_a_document():
    assert isinstance(api_result(fetch(200, {'data': [], 'errors': []})), JSONAPIParser)


def test_api_result_error_status_without_errors_is_an_errors_document():
    # 0.5.1 wrapped any body without `errors` in a parser whose data() was None: a 404 read as "nothing there".
    result = api_result(fetch(404, {'data': None}))

    assert isinstance(result, ErrorDocument)
    assert result['data'] is None
    assert result['errors'] == [{'status': '404', 'title': 'Not Found',
                                 'detail': 'Patreon answered 404 Not Found without a JSON:API errors list'}]
    with pytest.raises(NotFound):
        result.data()


def test_api_result_raise_errors():
    with pytest.raises(NotFound) as info:
        api_result(fetch(404, {'data': None}), raise_errors=True)
    assert info.value.errors == []

    with pytest.raises(ServerError):
        api_result(fetch(500, {'errors': [{'title': 'Oops'}]}), raise_errors=True)

    with pytest.raises(APIError) as info:
        api_result(fetch(200, {'errors': [{'title': 'Odd'}]}), raise_errors=True)
    assert info.value.status_code == 200


@pytest.mark.parametrize('status', [204, 200, 202])
@pytest.mark.parametrize('raise_errors', [False, True])
def test_api_result_no_body_is_none_only_where_no_document_is_due(status, raise_errors):
    assert api_result(fetch(status), raise_errors=raise_errors, document_expected=False) is None
    with pytest.raises(InvalidResponse) as info:
        api_result(fetch(status), raise_errors=raise_errors)  # where a document is due: never None
    assert info.value.status_code == status and 'no body' in str(info.value)
    assert not isinstance(info.value, APIError)


@pytest.mark.parametrize('data', [
    [1, 2], {}, {'type': 'user'}, {'id': '1'}, {'type': 'user', 'id': 1}, {'type': 1, 'id': '1'},
    {'type': '', 'id': '1'}, {'type': 'user', 'id': ''}, {'type': 'user', 'id': None}, {'type': ['user'], 'id': '1'},
    [{'type': 'user', 'id': '1'}, {'type': 'user'}], [{'type': 'user', 'id': '1'}, None], [[]], 'user', 5, True,
], ids=repr)
@pytest.mark.parametrize('raise_errors', [False, True])
def test_api_result_primary_data_that_is_not_resources_is_invalid(data, raise_errors):
    with pytest.raises(InvalidResponse) as info:
        api_result(fetch(200, {'data': data}), raise_errors=raise_errors)
    assert info.value.status_code == 200 and 'not a JSON:API document' in str(info.value)


@pytest.mark.parametrize('data', [
    None, {'type': 'user', 'id': '1'}, [], [{'type': 'user', 'id': '1'}, {'type': 'member', 'id': 'a-b'}],
])
def test_api_result_primary_data_of_resources_or_null_is_a_document(data):
    result = api_result(fetch(200, {'data': data}), document_expected=False)
    assert isinstance(result, JSONAPIParser) and result.json_data == {'data': data}


def test_resource_key_is_what_pages_are_checked_with():
    from patreon import _paging
    assert _paging.resource_key is resource_key  # one check for single answers and pages
    assert resource_key({'type': 'member', 'id': '7', 'attributes': {}}) == ('member', '7')
    assert resource_key({'type': 'member', 'id': 7}) is None
    assert resource_key(['member', '7']) is None


def test_api_result_json_that_is_not_an_object():
    with pytest.raises(InvalidResponse) as info:
        api_result(fetch(200, ['a', 'list']))

    assert '200' in str(info.value)
    assert isinstance(info.value, ValueError)


def test_api_result_hides_the_secrets_in_the_message():
    body = '<html>Bearer {}</html>'.format(ACCESS_TOKEN).encode('ascii')

    with pytest.raises(InvalidResponse) as info:
        api_result(fetch(503, body, content_type='text/html'), secrets=(ACCESS_TOKEN, None))

    assert ACCESS_TOKEN not in str(info.value)


# oauth_result

def test_oauth_result_adds_expires_at():
    body = load_fixture('token_response.json')

    result = oauth_result(fetch(200, body), now=1000000000.5)

    assert result == dict(body, expires_at=1000000000 + 2678400)


@pytest.mark.parametrize('expires_in', [None, True, '3600'])
def test_oauth_result_without_numeric_expires_in_has_no_expires_at(expires_in):
    body = {'access_token': 'a', 'expires_in': expires_in}

    assert 'expires_at' not in oauth_result(fetch(200, body), now=0)


def test_oauth_result_uses_the_clock_by_default():
    result = oauth_result(fetch(200, {'access_token': 'a', 'expires_in': 60}))

    assert isinstance(result['expires_at'], int)
    assert result['expires_at'] > 1500000000


def test_oauth_result_error_dict_is_returned_as_is():
    body = load_fixture('oauth_error_invalid_grant.json')

    assert oauth_result(fetch(400, body)) == {'error': 'invalid_grant'}
    assert oauth_result(fetch(200, body)) == {'error': 'invalid_grant'}


@pytest.mark.parametrize('status, body', [(401, {'message': 'no'}), (503, {}), (429, {'error': ''}),
                                          (500, {'error': None, 'scope': 'identity'})])
def test_oauth_result_error_status_without_error_says_the_status(status, body):
    # `if 'error' in tokens` is how callers (and the README) tell a refusal; a 503 {} must not read as tokens.
    result = oauth_result(fetch(status, body))

    assert result['error'] == 'http_{}'.format(status)
    assert dict((k, v) for k, v in result.items() if k != 'error') == \
        dict((k, v) for k, v in body.items() if k != 'error')


def test_oauth_result_raise_errors():
    with pytest.raises(OAuthError) as info:
        oauth_result(fetch(400, {'error': 'invalid_request', 'error_description': 'bad redirect_uri'}),
                     raise_errors=True)
    assert (info.value.error, info.value.error_description, info.value.status_code) == \
        ('invalid_request', 'bad redirect_uri', 400)

    with pytest.raises(OAuthError) as info:
        oauth_result(fetch(500, {}), raise_errors=True)
    assert (info.value.error, info.value.error_description) == ('http_500', None)


def test_oauth_result_not_json_or_not_an_object():
    with pytest.raises(InvalidResponse):
        oauth_result(fetch(403, b'<html>bot check</html>', content_type='text/html'))
    with pytest.raises(InvalidResponse) as info:
        oauth_result(fetch(200, ['x']))
    assert '200' in str(info.value)


def test_a_5xx_page_that_is_not_json_is_a_server_error_too():
    # `except ServerError` must see a proxy's 502 page as well as Patreon's own 5xx documents.
    with pytest.raises(InvalidServerResponse) as info:
        decode_json(fetch(502, b'<html>Bad gateway</html>', headers={'x-patreon-uuid': 'req-9'},
                          content_type='text/html'))
    error = info.value
    assert isinstance(error, ServerError) and isinstance(error, APIError)
    assert isinstance(error, InvalidResponse) and isinstance(error, ValueError)
    assert error.status_code == 502 and error.request_id == 'req-9' and error.errors == []
    assert '502' in str(error) and 'Bad gateway' in str(error)


def test_a_2xx_body_that_is_not_json_is_only_an_invalid_response():
    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(200, b'<html>Down for maintenance</html>', content_type='text/html'))
    assert not isinstance(info.value, APIError) and info.value.status_code == 200


# The status decides: every answer of 400 or more is an error, whatever its body -----------------------------------

ERROR_STATUSES = [400, 401, 403, 404, 409, 429, 500, 502, 503, 504]
# JSON objects an error answer has come with, none of them with a usable errors list.
ERROR_OBJECTS_WITHOUT_ERRORS = [{}, {'errors': []}, {'errors': None}, {'errors': 'oops'}, {'errors': {}},
                                {'message': 'Service Unavailable'}, {'data': None}, {'data': []}]


@pytest.mark.parametrize('status', ERROR_STATUSES)
@pytest.mark.parametrize('body', ERROR_OBJECTS_WITHOUT_ERRORS)
def test_an_error_status_without_errors_is_an_errors_document_that_says_the_status(status, body):
    result = api_result(fetch(status, body, headers={'x-patreon-uuid': 'req-1'}))

    assert isinstance(result, ErrorDocument) and 'errors' in result and result.get('errors')
    assert result['errors'][0]['status'] == str(status)
    assert result['errors'][0]['title'] and str(status) in result['errors'][0]['detail']
    for key, value in body.items():  # the body's own keys stay
        if key != 'errors':
            assert result[key] == value
    assert type(result.error) is error_class_for_status(status)
    assert result.error.status_code == status and result.error.request_id == 'req-1'
    assert not isinstance(result.error, InvalidResponse)
    with pytest.raises(error_class_for_status(status)):
        result.data()


@pytest.mark.parametrize('status', ERROR_STATUSES)
@pytest.mark.parametrize('body', ERROR_OBJECTS_WITHOUT_ERRORS)
def test_an_error_status_without_errors_raises_the_status_class(status, body):
    with pytest.raises(APIError) as info:
        api_result(fetch(status, body), raise_errors=True)

    assert type(info.value) is error_class_for_status(status)
    assert info.value.status_code == status and info.value.errors == []
    assert str(info.value).startswith('{} '.format(status))


def test_an_errors_list_that_is_there_is_kept_as_sent():
    body = load_fixture('error_401.json')

    result = api_result(fetch(401, dict(body, meta={'a': 1})))

    assert result == dict(body, meta={'a': 1})


NOT_A_JSON_OBJECT = [
    (b'<html><title>Session expired</title></html>', 'text/html'),
    (b'', 'text/html'),
    (b'   \n', 'application/json'),
    (b'Service Unavailable', 'text/plain'),
    (b'{"errors": [{"status": "401"', 'application/json'),  # cut
    (b'[]', 'application/json'),
    (b'["errors"]', 'application/json'),
    (b'"Unauthorized"', 'application/json'),
    (b'401', 'application/json'),
    (b'null', 'application/json'),
]


@pytest.mark.parametrize('status', ERROR_STATUSES)
@pytest.mark.parametrize('body, content_type', NOT_A_JSON_OBJECT)
@pytest.mark.parametrize('raise_errors', [False, True])
def test_an_error_status_with_a_body_that_is_not_a_json_object_is_the_status_class_and_invalid(
        status, body, content_type, raise_errors):
    # Raised in both modes: 0.5.1's callers met a ValueError there (the contract); now it also says the status.
    with pytest.raises(InvalidResponse) as info:
        api_result(fetch(status, body, content_type=content_type, headers={'x-patreon-uuid': 'req-2'}),
                   raise_errors=raise_errors)

    error = info.value
    # No JSON at all is also the decode error 0.5.1 let through; JSON of another shape is not (it decoded).
    not_json = body.strip() in (b'', b'Service Unavailable') or body.startswith((b'<', b'{'))
    assert type(error) is error_class_for_status(status, invalid_body=True, not_json=not_json)
    assert isinstance(error, NotJSONResponse) is not_json
    assert isinstance(error, error_class_for_status(status)) and isinstance(error, APIError)
    assert isinstance(error, ValueError)
    assert error.status_code == status and error.errors == [] and error.request_id == 'req-2'
    assert str(status) in str(error)


def test_a_401_html_page_is_caught_by_except_unauthorized_and_by_except_value_error():
    response = fetch(401, b'<html><body>Your session has expired</body></html>', content_type='text/html')

    for handler in (Unauthorized, InvalidResponse, ValueError, InvalidUnauthorizedResponse, InvalidErrorResponse):
        try:
            api_result(response)
        except handler as exc:
            assert 'Your session has expired' in str(exc)
        else:  # pragma: no cover - the failure of this test
            raise AssertionError('{} did not catch it'.format(handler.__name__))


@pytest.mark.parametrize('status, cls', [
    (400, InvalidErrorResponse), (401, InvalidUnauthorizedResponse), (403, InvalidForbiddenResponse),
    (404, InvalidNotFoundResponse), (429, InvalidRateLimitedResponse), (500, InvalidServerResponse),
    (503, InvalidServerResponse), (418, InvalidErrorResponse),
])
def test_the_classes_of_error_statuses_with_bodies_that_are_not_json(status, cls):
    assert error_class_for_status(status, invalid_body=True) is cls
    with pytest.raises(cls):
        decode_json(fetch(status, b'<html></html>', content_type='text/html'))


def test_a_429_page_that_is_not_json_keeps_its_retry_after():
    with pytest.raises(RateLimited) as info:
        api_result(fetch(429, b'<html>Slow down</html>', content_type='text/html', headers={'Retry-After': '7'}))

    assert info.value.retry_after == 7.0 and isinstance(info.value, InvalidResponse)


def test_error_headers_worth_keeping():
    headers = {'x-patreon-uuid': 'uuid-3', 'x-patreon-sha': 'abc123', 'cf-ray': '8a1b2c3d4e5f-AMS'}

    json_error = api_result(fetch(503, {}, headers=headers)).error
    with pytest.raises(InvalidServerResponse) as info:
        api_result(fetch(502, b'<html></html>', content_type='text/html', headers=headers))

    for error in (json_error, info.value):
        assert (error.request_id, error.patreon_sha, error.cf_ray) == ('uuid-3', 'abc123', '8a1b2c3d4e5f-AMS')
    assert APIError(500).patreon_sha is None and APIError(500).cf_ray is None


# A 2xx answer is data only when it is a JSON:API document -----------------------------------------------------------

@pytest.mark.parametrize('body, content_type', [
    (b'{}', 'application/json'),
    (b'{"meta": {"pagination": {"total": 300}}}', 'application/json'),
    (b'{"errors": []}', 'application/json'),
    (b'{"data": "member"}', 'application/json'),
    (b'{"data": 1}', 'application/json'),
    (b'{"data": true}', 'application/json'),
    (b'[]', 'application/json'),
    (b'[{"type": "member", "id": "1"}]', 'application/json'),
    (b'"ok"', 'application/json'),
    (b'3', 'application/json'),
    (b'null', 'application/json'),
    (b'', 'application/json'),       # an empty 200: a document was due (fail closed, as since the contract suite)
    (b'  \r\n', 'application/json'),
    (b'<html>Down for maintenance</html>', 'text/html'),  # maintenance pages have come with status 200
])
@pytest.mark.parametrize('status', [200, 201])
@pytest.mark.parametrize('raise_errors', [False, True])
def test_a_2xx_answer_that_is_not_a_document_is_an_invalid_response(body, content_type, status, raise_errors):
    with pytest.raises(InvalidResponse) as info:
        api_result(fetch(status, body, content_type=content_type), raise_errors=raise_errors)

    # A body that is no JSON at all is also the decode error 0.5.1 let through from response.json(); JSON of the
    # wrong shape is not (0.5.1 decoded it without complaint).
    not_json = body.strip() in (b'', b'<html>Down for maintenance</html>')
    assert type(info.value) is (NotJSONResponse if not_json else InvalidResponse)
    assert info.value.status_code == status
    assert str(status) in str(info.value)


@pytest.mark.parametrize('body', [{'data': None}, {'data': []}, {'data': {'type': 'member', 'id': '1'}}])
def test_a_2xx_document_with_data_null_a_list_or_a_resource_is_data(body):
    assert api_result(fetch(200, body)).json_data == body


def test_a_status_neither_success_nor_error_is_an_invalid_response():
    with pytest.raises(InvalidResponse) as info:
        api_result(fetch(300, {'data': []}))

    assert info.value.status_code == 300 and not isinstance(info.value, APIError)


# Token answers: a 2xx is tokens only with a usable access token; expires_in is untrusted ---------------------------

@pytest.mark.parametrize('body', [
    {}, {'scope': 'identity'}, {'access_token': None}, {'access_token': ''}, {'access_token': 123},
    {'access_token': True}, {'access_token': ['tok']}, {'access_token': {'value': 'tok'}},
    {'access_token': 'tok en'}, {'access_token': 'token\n'}, {'access_token': 'tok\x00en'},
    {'access_token': 'jet\u00f3n'}, {'access_token': 'ok_token', 'refresh_token': 123},
    {'access_token': 'ok_token', 'refresh_token': ''}, {'access_token': 'ok_token', 'refresh_token': 'refresh value'},
    {'access_token': '', 'error': ''},
])
@pytest.mark.parametrize('raise_errors', [False, True])
def test_a_2xx_token_answer_without_a_usable_token_is_an_invalid_response(body, raise_errors):
    with pytest.raises(InvalidResponse) as info:
        oauth_result(fetch(200, body), raise_errors=raise_errors)

    message = str(info.value)
    assert 'usable' in message and info.value.status_code == 200 and not isinstance(info.value, OAuthError)
    for value in body.values():
        if isinstance(value, six.string_types) and len(value) > 2:
            assert value not in message  # never quoted: it may be a credential


def test_a_token_answer_without_a_refresh_token_is_tokens():
    assert oauth_result(fetch(200, {'access_token': 'tok', 'refresh_token': None}), now=0) == \
        {'access_token': 'tok', 'refresh_token': None}


@pytest.mark.parametrize('expires_in', [
    -1, -3600, 0, 0.0, -0.5, float('nan'), float('inf'), float('-inf'), 10 ** 400, -10 ** 400, 1e300, 10 ** 12,
    366 * 24 * 3600 + 1, True, False, '3600', '', None, [], {}, [3600]])
def test_an_absurd_expires_in_gives_no_expires_at_and_no_error(expires_in):
    body = {'access_token': 'tok', 'expires_in': expires_in}

    for raise_errors in (False, True):
        result = oauth_result(fetch(200, body), raise_errors=raise_errors, now=1700000000)
        assert 'expires_at' not in result
        assert result['access_token'] == 'tok'


@pytest.mark.parametrize('expires_in, expires_at', [
    (1, 1700000001), (3600, 1700003600), (2678400, 1702678400), (1.75, 1700000001), (366 * 24 * 3600, 1731622400)])
def test_a_sensible_expires_in_gives_expires_at(expires_in, expires_at):
    result = oauth_result(fetch(200, {'access_token': 'tok', 'expires_in': expires_in}), now=1700000000)

    assert result['expires_at'] == expires_at and isinstance(result['expires_at'], six.integer_types)


@pytest.mark.parametrize('body, content_type', [(b'<html>Bad gateway</html>', 'text/html'),
                                                (b'[]', 'application/json')])
def test_a_5xx_token_answer_that_is_not_an_object_is_a_server_error(body, content_type):
    with pytest.raises(InvalidServerResponse):
        oauth_result(fetch(502, body, content_type=content_type))


# Over real HTTP: what the issue saw ---------------------------------------------------------------------------------

def members_page(first_id, count, next_cursor):
    page = {'data': [{'type': 'member', 'id': str(first_id + n)} for n in range(count)],
            'meta': {'pagination': {'total': 300}}}
    if next_cursor:
        page['meta']['pagination']['cursors'] = {'next': next_cursor}
    return json.dumps(page).encode('utf-8')


@pytest.mark.parametrize('raise_errors', [False, True])
@pytest.mark.parametrize('status, body', [(503, b'{"message": "Service Unavailable"}'), (500, b'{}'),
                                          (429, b'{"errors": []}')])
def test_paginate_raises_on_an_error_status_without_errors_rather_than_stop_short(raise_errors, status, body):
    json_api = {'Content-Type': 'application/vnd.api+json'}
    answers = [(200, json_api, members_page(0, 100, 'c2'))] + [(status, json_api, body)] * 2
    with CannedServer(answers) as server:
        api = API('access-token-0123456789', base_url=server.url, raise_errors=raise_errors,
                  retry=patreon.RetryPolicy(max_retries=1))
        api.transport.sleep = lambda seconds: None
        seen = []
        with pytest.raises(error_class_for_status(status)):
            for member in api.paginate(api.get_campaigns_by_id_members, 'c', page_size=100):
                seen.append(member)
    assert len(seen) == 100  # the first page, then the error: never "100 members, done"


def test_a_401_html_page_over_http_is_unauthorized_in_both_modes():
    page = b'<!DOCTYPE html><html><head><title>Login</title></head><body>Session expired</body></html>'
    with CannedServer([(401, {'Content-Type': 'text/html'}, page)]) as server:
        for raise_errors in (False, True):
            with pytest.raises(Unauthorized) as info:
                API('access-token-0123456789', base_url=server.url, raise_errors=raise_errors).get_identity()
            assert isinstance(info.value, InvalidResponse) and 'Session expired' in str(info.value)


def test_masking_leaves_an_ordinary_refusal_readable():
    # Only credentials go: error codes, URIs, dates and words of the message stay.
    body = {'error': 'invalid_client_credentials_given',
            'error_description': 'redirect_uri https://example.org/oauth/redirect does not match (2024-01-01)'}

    with pytest.raises(OAuthError) as info:
        oauth_result(fetch(400, body), raise_errors=True, secrets=(CLIENT_SECRET, REFRESH_TOKEN, 'short'))

    assert (info.value.error, info.value.error_description) == (body['error'], body['error_description'])
    assert oauth_result(fetch(400, body), secrets=(CLIENT_SECRET,)) == body


ECHOED_HEADERS = {'x-patreon-uuid': 'req-' + ACCESS_TOKEN, 'x-patreon-sha': 'Bearer ' + ACCESS_TOKEN,
                  'cf-ray': ACCESS_TOKEN + '-AMS'}


@pytest.mark.parametrize('raise_errors', [False, True])
@pytest.mark.parametrize('status, content_type, body', [
    (401, 'application/json', b'{"errors": [{"status": "401", "title": "Unauthorized"}]}'),
    (401, 'text/html', b'<html>Session expired</html>'),
    (503, 'application/json', b'{}'),
    (429, 'text/html', b'<html>slow down</html>'),
    (200, 'application/json', b'{"data": null, "errors": [{"title": "Odd"}]}'),
], ids=['json-401', 'html-401', 'empty-503', 'html-429', 'errors-200'])
def test_headers_that_echo_the_token_are_masked_in_the_error_its_message_and_pickle(raise_errors, status,
                                                                                      content_type, body):
    headers = dict(ECHOED_HEADERS, **{'Content-Type': content_type})
    with CannedServer([(status, headers, body)]) as server:
        api = API(ACCESS_TOKEN, base_url=server.url, raise_errors=raise_errors, retry=None)
        try:
            result = api.get_identity()
        except APIError as raised:
            error = raised
        else:
            assert isinstance(result, ErrorDocument) and not raise_errors
            error = result.error
    assert status == error.status_code
    assert (error.request_id, error.patreon_sha, error.cf_ray) == ('req-***', 'Bearer ***', '***-AMS')
    pickled = pickle.dumps(error)
    assert ACCESS_TOKEN.encode('ascii') not in pickled
    for text in (str(error), repr(error), repr(vars(error)), str(pickle.loads(pickled))):
        assert ACCESS_TOKEN not in text
    assert str(pickle.loads(pickled)) == str(error)
    if not isinstance(error, InvalidResponse):
        assert '(request id req-***)' in str(error)


def test_headers_without_a_credential_are_kept_as_they_came():
    headers = {'x-patreon-uuid': 'c6a7c5e8-1f6b-4c1e-9d1e-5b0e0f0e9a21', 'x-patreon-sha': '0f3c2a9',
               'cf-ray': '8a1b2c3d4e5f6a7b-AMS'}
    error = api_error(fetch(404, {'errors': [{'title': 'Not Found'}]}, headers=headers), {}, secrets=(ACCESS_TOKEN,))
    assert (error.request_id, error.patreon_sha, error.cf_ray) == tuple(headers[name] for name in (
        'x-patreon-uuid', 'x-patreon-sha', 'cf-ray'))
    assert str(error) == '404 Not Found (request id c6a7c5e8-1f6b-4c1e-9d1e-5b0e0f0e9a21)'


def test_masking_a_credential_leaves_url_quoting_of_utf8_intact():
    # Python 2's urllib caches a quoter per `safe`: a text `safe` once made every later quote of UTF-8 bytes fail.
    from six.moves.urllib.parse import quote
    answer = fetch(401, {'errors': [{'detail': 'token {} refused'.format(ACCESS_TOKEN)}]})
    error = api_result(answer, secrets=(ACCESS_TOKEN,)).error
    assert ACCESS_TOKEN not in six.text_type(error)
    assert quote('caf\u00e9'.encode('utf-8'), safe=str('')) == 'caf%C3%A9'


def _nested(depth, shape):
    # JSON nested ``depth`` deep, within what the decoder accepts, built as text (json.dumps would recurse).
    opening, closing = ('{"x": ', '}') if shape == 'objects' else ('[', ']')
    return (opening * depth + '"Bearer {}"'.format(ACCESS_TOKEN) + closing * depth).encode('ascii')


@pytest.mark.parametrize('shape', ['objects', 'lists'])
@pytest.mark.parametrize('where', ['body', 'errors', 'detail'])
@pytest.mark.parametrize('raise_errors', [False, True])
def test_an_error_answer_nested_hundreds_deep_is_its_typed_error(shape, where, raise_errors):
    nested = _nested(700, shape)
    body = {'body': b'{"x": ' + nested + b'}', 'errors': b'{"errors": ' + nested + b'}',
            'detail': b'{"errors": [{"detail": ' + nested + b'}]}'}[where]
    response = fetch(400, body)

    if raise_errors:
        with pytest.raises(APIError) as info:
            api_result(response, raise_errors=True, secrets=(ACCESS_TOKEN,))
        error = info.value
    else:
        document = api_result(response, secrets=(ACCESS_TOKEN,))
        assert isinstance(document, ErrorDocument)
        assert document['errors']
        assert ACCESS_TOKEN not in json.dumps(document)
        # Kept down to the bound (an `errors` that is no list is replaced, deep value and all).
        assert '(nested too deep)' in json.dumps(document) or (where, shape) == ('errors', 'objects')
        error = document.error
    assert error.status_code == 400
    assert ACCESS_TOKEN not in str(error) + repr(error.errors)
    # What apps do with an error (pickle it to a task queue, log it) recurses: it holds no value nested that deep.
    assert type(pickle.loads(pickle.dumps(error))) is type(error)


def test_values_nested_within_the_bound_are_kept_as_sent():
    body = {'errors': [{'detail': 'no', 'meta': {'path': [[['a', {'b': None}]]]}}]}
    assert api_result(fetch(400, json.dumps(body).encode('utf-8')))['errors'] == body['errors']


@pytest.mark.parametrize('shape', ['objects', 'lists'])
def test_a_token_refusal_nested_hundreds_deep_is_an_error_dict(shape):
    body = b'{"error": "invalid_grant", "x": ' + _nested(700, shape) + b'}'

    refusal = oauth_result(fetch(400, body), secrets=(ACCESS_TOKEN,))

    assert refusal['error'] == 'invalid_grant'
    assert ACCESS_TOKEN not in json.dumps(refusal) and '(nested too deep)' in json.dumps(refusal)


@pytest.mark.parametrize('status', [200, 401, 502])
def test_a_body_that_is_not_json_leaves_no_decode_error_holding_the_body(status):
    body = '<html>Bearer {} was refused</html>'.format(ACCESS_TOKEN).encode('ascii')
    with pytest.raises(NotJSONResponse) as info:
        api_result(fetch(status, body, content_type='text/html'), secrets=(ACCESS_TOKEN,))

    # requests' decode error keeps the whole body in .doc: it must not ride along as the context.
    assert getattr(info.value, '__context__', None) is None and getattr(info.value, '__cause__', None) is None
    assert ACCESS_TOKEN not in info.value.doc and ACCESS_TOKEN not in str(info.value)


@pytest.mark.parametrize('body, content_type', [(b'<html>down</html>', 'text/html'), (b'[1]', 'application/json')])
def test_a_5xx_token_answer_that_is_no_json_object_masks_the_headers_it_echoes(body, content_type):
    echo = {'x-patreon-uuid': 'req ' + CLIENT_SECRET, 'cf-ray': 'ray ' + REFRESH_TOKEN}
    with pytest.raises(ServerError) as info:
        oauth_result(fetch(503, body, headers=echo, content_type=content_type),
                     secrets=(CLIENT_SECRET, REFRESH_TOKEN))

    error = info.value
    assert isinstance(error, NotJSONResponse) is (body[:1] == b'<')
    assert error.request_id.startswith('req ') and error.cf_ray.startswith('ray ')
    for value in (error.request_id, error.cf_ray, repr(error.response_headers), str(error)):
        assert CLIENT_SECRET not in value and REFRESH_TOKEN not in value
    assert getattr(error, '__context__', None) is None
