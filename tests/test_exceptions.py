# -*- coding: utf-8 -*-
"""patreon.exceptions: the tree, the status -> class map and what the messages say."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest
import six

from helpers import load_fixture
from patreon import exceptions
from patreon.exceptions import (APIError, Forbidden, InvalidResponse, InvalidSignature, InvalidWebhook, NotFound,
                                OAuthError, PaginationError, PatreonError, RateLimited, ServerError, Unauthorized,
                                error_class_for_status)


@pytest.mark.parametrize('cls, bases', [
    (APIError, (PatreonError,)),
    (Unauthorized, (APIError, PatreonError)),
    (Forbidden, (APIError, PatreonError)),
    (NotFound, (APIError, PatreonError)),
    (RateLimited, (APIError, PatreonError)),
    (ServerError, (APIError, PatreonError)),
    (InvalidResponse, (PatreonError, ValueError)),
    (OAuthError, (PatreonError,)),
    (InvalidWebhook, (PatreonError, ValueError)),
    (InvalidSignature, (InvalidWebhook, PatreonError)),
    (PaginationError, (PatreonError,)),
    (PatreonError, (Exception,)),
])
def test_exception_tree(cls, bases):
    for base in bases:
        assert issubclass(cls, base)


@pytest.mark.parametrize('status, cls', [
    (400, APIError), (401, Unauthorized), (403, Forbidden), (404, NotFound), (405, APIError), (410, APIError),
    (422, APIError), (429, RateLimited), (500, ServerError), (502, ServerError), (503, ServerError),
    (504, ServerError), (599, ServerError),
])
def test_error_class_for_status(status, cls):
    assert error_class_for_status(status) is cls


def test_api_error_attributes_and_message():
    body = load_fixture('error_401.json')
    response = object()
    error = Unauthorized(401, body['errors'], 'req-123', response)

    assert error.status_code == 401
    assert error.errors == body['errors']
    assert error.request_id == 'req-123'
    assert error.response is response
    assert str(error) == ('401 Unauthorized: The server could not verify that you are authorized to access '
                          'the URL requested. (request id req-123)')


def test_api_error_message_without_errors_uses_the_reason():
    assert str(APIError(404)) == '404 Not Found'
    assert APIError(404).errors == []
    assert APIError(404).request_id is None
    assert APIError(404).response is None
    assert str(APIError(418)) == '418 Error'


def test_api_error_message_uses_code_name_without_title():
    assert str(APIError(400, [{'code_name': 'ParameterInvalid', 'detail': 'bad page size'}])) == \
        '400 ParameterInvalid: bad page size'


def test_api_error_message_does_not_repeat_a_detail_equal_to_the_title():
    body = load_fixture('error_429.json')

    assert str(APIError(429, body['errors'])) == \
        '429 You have made too many attempts. Please try again later.'


def test_api_error_tolerates_malformed_errors():
    assert str(APIError(500, ['not a dict'])) == '500 Internal Server Error'
    assert APIError(500, ['not a dict']).errors == ['not a dict']


def test_rate_limited_message_and_retry_after():
    error = RateLimited(429, [], retry_after=9.0)

    assert error.retry_after == 9.0
    assert str(error) == '429 Too Many Requests; retry after 9 s'
    assert RateLimited(429).retry_after is None
    assert str(RateLimited(429)) == '429 Too Many Requests'


def test_invalid_response_attributes():
    error = InvalidResponse('not JSON', status_code=502, response='r')

    assert str(error) == 'not JSON'
    assert (error.status_code, error.response) == (502, 'r')
    with pytest.raises(ValueError):
        raise error


def test_oauth_error_attributes_and_message():
    error = OAuthError('invalid_request', 'redirect_uri mismatch', 400, 'r')

    assert (error.error, error.error_description, error.status_code, error.response) == \
        ('invalid_request', 'redirect_uri mismatch', 400, 'r')
    assert str(error) == 'OAuth token request failed (400): invalid_request: redirect_uri mismatch'
    assert str(OAuthError('invalid_grant', status_code=400)) == 'OAuth token request failed (400): invalid_grant'
    assert OAuthError('invalid_grant').error_description is None


def test_api_error_with_non_ascii_text():
    # Patreon's messages are JSON, hence text; Python 2 must not fail building the message.
    error = Unauthorized(401, [{'title': 'Non autoris\u00e9', 'detail': 'Le jeton a expir\u00e9'}])

    assert six.text_type(error) == '401 Non autoris\u00e9: Le jeton a expir\u00e9'


def test_oauth_error_with_non_ascii_text():
    error = OAuthError('invalid_grant', 'Code expir\u00e9', 400)

    assert six.text_type(error) == 'OAuth token request failed (400): invalid_grant: Code expir\u00e9'


def test_module_names_every_exception():
    for name in ('PatreonError', 'APIError', 'Unauthorized', 'Forbidden', 'NotFound', 'RateLimited',
                 'ServerError', 'InvalidResponse', 'OAuthError', 'InvalidSignature', 'PaginationError'):
        assert issubclass(getattr(exceptions, name), Exception)
