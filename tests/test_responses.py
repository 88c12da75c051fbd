# -*- coding: utf-8 -*-
"""patreon.responses: how an HTTP answer becomes a document, an errors dict, a token dict or an exception."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest

from helpers import ACCESS_TOKEN, CLIENT_SECRET, REFRESH_TOKEN, fetch, fixture_bytes, load_fixture
from patreon.exceptions import (APIError, InvalidResponse, InvalidServerResponse, NotFound, OAuthError, RateLimited,
                                ServerError, Unauthorized)
from patreon.jsonapi.parser import JSONAPIParser
from patreon.responses import EXCERPT_LENGTH, ErrorDocument, api_error, api_result, decode_json, oauth_result


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


def test_api_result_error_status_without_errors_is_a_document_by_default():
    # 0.5.1 wrapped any body without `errors`, whatever the status.
    result = api_result(fetch(404, {'data': None}))

    assert isinstance(result, JSONAPIParser)
    assert result.data() is None


def test_api_result_raise_errors():
    with pytest.raises(NotFound) as info:
        api_result(fetch(404, {'data': None}), raise_errors=True)
    assert info.value.errors == []

    with pytest.raises(ServerError):
        api_result(fetch(500, {'errors': [{'title': 'Oops'}]}), raise_errors=True)

    with pytest.raises(APIError) as info:
        api_result(fetch(200, {'errors': [{'title': 'Odd'}]}), raise_errors=True)
    assert info.value.status_code == 200


def test_api_result_204_is_none():
    assert api_result(fetch(204)) is None
    assert api_result(fetch(204), raise_errors=True) is None


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
    assert oauth_result(fetch(401, {'message': 'no'})) == {'message': 'no'}


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


def test_a_4xx_page_that_is_not_json_is_only_an_invalid_response():
    with pytest.raises(InvalidResponse) as info:
        decode_json(fetch(403, b'<html>Checking your browser</html>', content_type='text/html'))
    assert not isinstance(info.value, APIError) and info.value.status_code == 403
