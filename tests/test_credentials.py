# -*- coding: utf-8 -*-
"""Tokens, secrets, codes and ids as callers give them: surrounding whitespace stripped, the unsendable refused
with an error that names the argument and never quotes the value; and the same for tokens a server answers."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest
import responses
import six

import patreon
from helpers import (ACCESS_TOKEN, API_URL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_URL, form_pairs,
                     http_fixture, json_body, load_fixture)  # noqa: F401 (the fixture `http`)
from patreon import cli
from patreon.cli import EXIT_OK, EXIT_USAGE
from patreon._credentials import clean_credential, clean_resource_id
from patreon.exceptions import InvalidArgument, InvalidCredential, InvalidResponse, PatreonError, Unauthorized

CODE = 'code_Zx8cV5bN2mQ9wE4r'
SURROUNDINGS = ['{}\n', '{}\r\n', ' {} ', '\t{}\n\n', '\n{}']
# Each hides a character that cannot go in a header inside a long, distinctive value.
UNSENDABLE = [
    ('newline', 'abcdefgh\nijklmnop'),
    ('carriage return', 'abcdefgh\rX-Injected: 1'),
    ('nul', 'abcdefgh\x00ijklmnop'),
    ('tab', 'abcdefgh\tijklmnop'),
    ('delete', 'abcdefgh\x7fijklmnop'),
    ('latin-1', 'abcdefgh\u00e9ijklmnop'),
    ('euro', 'abcdefgh\u20acijklmnop'),
    ('line separator', 'abcdefgh\u2028ijklmnop'),
    ('non-ascii bytes', b'abcdefgh\xc3\xa9ijklmnop'),
]
EMPTY = ['', '   ', '\r\n', b'']
NOT_TEXT = [None, 12345, ['a'], 1.5]


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=3, seed=17)


def assert_names_only(error, name):
    """The error names the argument and quotes no part of the value (each UNSENDABLE value holds both parts)."""
    assert isinstance(error, InvalidCredential)
    assert isinstance(error, ValueError) and isinstance(error, PatreonError)
    for message in (six.text_type(error), repr(error), str(error)):  # str(): Python 2 prints bytes
        assert name in message
        assert 'abcdefgh' not in message and 'ijklmnop' not in message


# What the constructors and methods take ---------------------------------------------------------------------------

CREDENTIAL_ARGUMENTS = [
    ('access_token', lambda value: patreon.API(value)),
    ('refresh_token', lambda value: patreon.API(ACCESS_TOKEN, refresh_token=value)),
    ('client_id', lambda value: patreon.OAuth(value, CLIENT_SECRET)),
    ('client_secret', lambda value: patreon.OAuth(CLIENT_ID, value)),
    ('code', lambda value: patreon.OAuth(CLIENT_ID, CLIENT_SECRET).get_tokens(value, 'https://app.example.org/cb')),
    ('refresh_token', lambda value: patreon.OAuth(CLIENT_ID, CLIENT_SECRET).refresh_token(value)),
]


@pytest.mark.parametrize('name, make', CREDENTIAL_ARGUMENTS)
@pytest.mark.parametrize('kind, value', UNSENDABLE, ids=[kind for kind, _ in UNSENDABLE])
def test_an_unsendable_credential_is_refused_by_name_before_any_request(http, name, make, kind, value):
    with pytest.raises(InvalidCredential) as raised:
        make(value)

    assert_names_only(raised.value, name)
    assert len(http.calls) == 0


@pytest.mark.parametrize('name, make, value', [
    (name, make, value) for name, make in CREDENTIAL_ARGUMENTS for value in EMPTY + NOT_TEXT
    if not (value is None and make is CREDENTIAL_ARGUMENTS[1][1])])  # None: API has no refresh token
def test_an_empty_or_non_text_credential_is_refused(http, name, make, value):
    with pytest.raises(InvalidCredential) as raised:
        make(value)

    assert name in six.text_type(raised.value)
    assert len(http.calls) == 0


def test_an_api_without_a_refresh_token_takes_none():
    assert patreon.API(ACCESS_TOKEN, refresh_token=None).refresh_token is None


@pytest.mark.parametrize('surrounding', SURROUNDINGS)
def test_surrounding_whitespace_is_stripped_from_the_bearer_token(http, surrounding):
    http.add(responses.GET, API_URL + 'identity', json=load_fixture('identity_with_memberships.json'))
    api = patreon.API(surrounding.format(ACCESS_TOKEN), refresh_token=surrounding.format(REFRESH_TOKEN))

    api.get_identity()

    assert http.calls[0].request.headers['Authorization'] == 'Bearer ' + ACCESS_TOKEN
    assert (api.access_token, api.refresh_token) == (ACCESS_TOKEN, REFRESH_TOKEN)


def test_ascii_bytes_are_taken_as_text(http):
    http.add(responses.GET, API_URL + 'identity', json=load_fixture('identity_with_memberships.json'))

    patreon.API(ACCESS_TOKEN.encode('ascii') + b'\n').get_identity()

    assert http.calls[0].request.headers['Authorization'] == 'Bearer ' + ACCESS_TOKEN


@pytest.mark.parametrize('surrounding', SURROUNDINGS)
def test_surrounding_whitespace_is_stripped_from_every_form_value(http, surrounding):
    http.add(responses.POST, TOKEN_URL, json=load_fixture('token_response.json'))
    http.add(responses.POST, TOKEN_URL, json=load_fixture('token_response.json'))
    oauth = patreon.OAuth(surrounding.format(CLIENT_ID), surrounding.format(CLIENT_SECRET))

    oauth.get_tokens(surrounding.format(CODE), 'https://app.example.org/cb')
    oauth.refresh_token(surrounding.format(REFRESH_TOKEN))

    exchange, refresh = (dict(form_pairs(call.request)) for call in http.calls)
    assert (exchange['client_id'], exchange['client_secret'], exchange['code']) == (CLIENT_ID, CLIENT_SECRET, CODE)
    assert refresh['refresh_token'] == REFRESH_TOKEN
    assert 'client_id={}&'.format(CLIENT_ID) in oauth.get_authorization_url('https://app.example.org/cb')


@pytest.mark.parametrize('attribute', ['access_token', 'refresh_token'])
def test_setting_a_token_later_is_checked_too(attribute):
    api = patreon.API(ACCESS_TOKEN, refresh_token=REFRESH_TOKEN)
    before = getattr(api, attribute)

    with pytest.raises(InvalidCredential) as raised:
        setattr(api, attribute, 'abcdefgh\r\nijklmnop')
    api.access_token = ' replaced_token\n'

    assert_names_only(raised.value, attribute)
    assert api.access_token == 'replaced_token'
    assert attribute == 'access_token' or api.refresh_token == before


def test_a_token_with_a_trailing_newline_works_over_the_wire(sb):
    api = patreon.API(sb.creator_token + '\n', base_url=sb.url, raise_errors=True)

    assert api.get_identity().data().id() == sb.creator_user_id


def test_an_unsendable_token_never_reaches_requests_on_this_python(sb):
    # Before the check: Python 3's requests raised InvalidHeader quoting 'Bearer <token>', Python 2's a ValueError.
    token = sb.creator_token + '\r\nX-Injected: yes'
    with pytest.raises(InvalidCredential) as raised:
        patreon.API(token, base_url=sb.url).get_identity()
    assert sb.creator_token not in six.text_type(raised.value)


# Ids in routes ----------------------------------------------------------------------------------------------------

def test_ids_are_stripped_in_the_path_and_in_the_body(http):
    http.add(responses.GET, API_URL + 'members/1234', json=load_fixture('member.json'))
    http.add(responses.PATCH, API_URL + 'webhooks/77', json=load_fixture('webhook_create_response.json'))
    http.add(responses.POST, API_URL + 'webhooks', json=load_fixture('webhook_create_response.json'), status=201)
    api = patreon.API(ACCESS_TOKEN)

    api.get_members_by_id(' 1234\n')
    api.update_webhook('77\r\n', paused=True)
    api.create_webhook('\t12 ', 'https://app.example.org/hook', ['posts:publish'])

    assert json_body(http.calls[1].request)['data']['id'] == '77'
    assert json_body(http.calls[2].request)['data']['relationships']['campaign']['data']['id'] == '12'


@pytest.mark.parametrize('value', [None, '', '  \n', '12\x0034', '12\n34', '1\x852', b'12\xff'])
@pytest.mark.parametrize('call, route', [
    (lambda api, value: api.get_members_by_id(value), 'members/{id}'),
    (lambda api, value: api.get_campaigns_by_id_members(value, 10), 'campaigns/{id}/members'),
    (lambda api, value: api.update_webhook(value, paused=True), 'webhooks/{id}'),
    (lambda api, value: api.delete_webhook(value), 'webhooks/{id}'),
    (lambda api, value: api.create_webhook(value, 'https://app.example.org/hook', ['posts:publish']), 'campaign'),
])
def test_an_id_that_cannot_be_one_is_refused_before_any_request(http, value, call, route):
    with pytest.raises(InvalidArgument) as raised:
        call(patreon.API(ACCESS_TOKEN), value)

    assert not isinstance(raised.value, InvalidCredential) and isinstance(raised.value, ValueError)
    assert route in six.text_type(raised.value)
    assert len(http.calls) == 0


ID_ROUTES = [
    (lambda api, value: api.get_campaigns_by_id(value), 'campaigns/{id}'),
    (lambda api, value: api.get_campaigns_by_id_members(value, 10), 'campaigns/{id}/members'),
    (lambda api, value: api.get_campaigns_by_id_posts(value, 10), 'campaigns/{id}/posts'),
    (lambda api, value: api.get_members_by_id(value), 'members/{id}'),
    (lambda api, value: api.get_posts_by_id(value), 'posts/{id}'),
    (lambda api, value: api.get_webhooks_by_id(value), 'webhooks/{id}'),
    (lambda api, value: api.update_webhook(value, paused=True), 'webhooks/{id}'),
    (lambda api, value: api.delete_webhook(value), 'webhooks/{id}'),
    (lambda api, value: api.get_lives_by_id(value), 'lives/{id}'),
    (lambda api, value: api.update_live(value, 'live_ended'), 'lives/{id}'),
    (lambda api, value: api.delete_live(value), 'lives/{id}'),
    (lambda api, value: api.create_webhook(value, 'https://app.example.org/hook', ['posts:publish']), 'campaign'),
]


@pytest.mark.parametrize('value', ['.', '..', ' ..\n', b'..'])
@pytest.mark.parametrize('call, route', ID_ROUTES)
def test_a_dot_segment_id_never_reaches_another_route(http, value, call, route):
    with pytest.raises(InvalidArgument) as raised:
        call(patreon.API(ACCESS_TOKEN), value)

    assert route in six.text_type(raised.value)
    assert len(http.calls) == 0


def test_ids_that_only_hold_dots_among_other_characters_are_ids(http):
    http.add(responses.GET, API_URL + 'members/...', json=load_fixture('member.json'))
    http.add(responses.GET, API_URL + 'members/a..b', json=load_fixture('member.json'))

    patreon.API(ACCESS_TOKEN).get_members_by_id('...')
    patreon.API(ACCESS_TOKEN).get_members_by_id('a..b')

    assert [call.request.path_url for call in http.calls] == ['/api/oauth2/v2/members/...',
                                                              '/api/oauth2/v2/members/a..b']


def test_numbers_and_text_ids_are_sent_as_text():
    assert clean_resource_id(42, 'members/{id}') == '42'
    assert clean_resource_id('\u00e9t\u00e9', 'members/{id}') == '\u00e9t\u00e9'  # quoted into the path later
    assert clean_resource_id(b'99 ', 'members/{id}') == '99'
    assert clean_credential(' x ', 'code') == 'x'


# Tokens a server answers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize('raise_errors', [False, True])
@pytest.mark.parametrize('answer', [
    {'access_token': 'at_abcdefgh\r\nX-Injected: 1', 'refresh_token': 'rt_ok'},
    {'access_token': 'at_ok', 'refresh_token': 'rt_abcdefgh\x00'},
    {'access_token': '', 'refresh_token': 'rt_ok'},
    {'refresh_token': 'rt_ok'},
    {'access_token': 12345},
])
def test_a_token_answer_that_cannot_be_used_is_refused(http, raise_errors, answer):
    http.add(responses.POST, TOKEN_URL, json=answer)

    with pytest.raises(InvalidResponse) as raised:
        patreon.OAuth(CLIENT_ID, CLIENT_SECRET, raise_errors=raise_errors).refresh_token(REFRESH_TOKEN)

    assert 'abcdefgh' not in six.text_type(raised.value)


def test_a_token_answer_with_surrounding_whitespace_is_not_taken_for_tokens(http):
    # What the caller gives is stripped; what an answer gives is Patreon's own token or nothing (fail closed).
    http.add(responses.POST, TOKEN_URL, json={'access_token': ' at_new\n', 'refresh_token': 'rt_new\r\n'})

    with pytest.raises(InvalidResponse) as raised:
        patreon.OAuth(CLIENT_ID, CLIENT_SECRET).refresh_token(REFRESH_TOKEN)

    assert 'at_new' not in six.text_type(raised.value) and 'rt_new' not in six.text_type(raised.value)


def test_an_automatic_refresh_answered_with_an_unsendable_token_keeps_the_old_one(http):
    http.add(responses.GET, API_URL + 'identity', json=load_fixture('error_401.json'), status=401)
    http.add(responses.POST, TOKEN_URL, json={'access_token': 'at_abcdefgh\nijkl', 'refresh_token': 'rt_new'})
    stored = []
    api = patreon.API(ACCESS_TOKEN, refresh=patreon.RefreshPolicy(patreon.OAuth(CLIENT_ID, CLIENT_SECRET),
                                                                  on_token_refresh=stored.append), raise_errors=True,
                      refresh_token=REFRESH_TOKEN)

    with pytest.raises(Unauthorized) as raised:
        api.get_identity()

    assert isinstance(raised.value.refresh_error, InvalidResponse)
    assert (api.access_token, api.refresh_token, stored) == (ACCESS_TOKEN, REFRESH_TOKEN, [])
    assert 'abcdefgh' not in six.text_type(raised.value)


# The command line -------------------------------------------------------------------------------------------------

def run(capsys, args, environ):
    code = cli.main(list(args), environ=environ)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_strips_a_token_read_from_a_file(capsys, sb):
    assert run(capsys, ['identity', '--base-url', sb.url],
               {'PATREON_ACCESS_TOKEN': sb.creator_token + '\n'})[0] == EXIT_OK
    assert run(capsys, ['identity', '--base-url', sb.url, '--token= {}\r\n'.format(sb.creator_token)], {})[0] == \
        EXIT_OK


@pytest.mark.parametrize('where', ['environment', 'option'])
@pytest.mark.parametrize('bad', ['\r\nX-Injected: yes', '\x1b[2J', '\u00e9', '\x00'])
def test_the_command_line_refuses_an_unsendable_token_in_one_line(capsys, sb, where, bad):
    token = sb.creator_token[:10] + bad + sb.creator_token[10:]
    if where == 'environment':
        args, environ, source = ['identity', '--base-url', sb.url], {'PATREON_ACCESS_TOKEN': token}, \
            '$PATREON_ACCESS_TOKEN'
    else:
        args, environ, source = ['identity', '--base-url', sb.url, '--token=' + token], {}, '--token'

    code, out, err = run(capsys, args, environ)

    assert code == EXIT_USAGE and out == ''
    assert err.count('\n') == 1 and source in err and 'Traceback' not in err
    assert sb.creator_token[:10] not in err and sb.creator_token[10:] not in err


def test_the_command_line_refuses_a_blank_token(capsys, sb):
    code, out, err = run(capsys, ['identity', '--base-url', sb.url], {'PATREON_ACCESS_TOKEN': ' \n'})

    assert code == EXIT_USAGE and 'empty' in err and '$PATREON_ACCESS_TOKEN' in err


def test_the_command_line_refuses_undecodable_bytes(capsys, sb):
    # What Python 2 passes: the environment and the arguments as bytes.
    token = sb.creator_token.encode('ascii') + b'\xff'
    assert run(capsys, ['identity', '--base-url', sb.url], {'PATREON_ACCESS_TOKEN': token})[0] == EXIT_USAGE
    assert run(capsys, [b'identity', b'--base-url', sb.url.encode('ascii'), b'--token=' + token], {})[0] == \
        EXIT_USAGE


# --- Route arguments that cannot be sent: InvalidArgument naming the parameter, before any request ---------------

LONE = '\ud800'


@pytest.fixture
def offline_api():
    # Port 9 on loopback: a request that got through would be a ConnectionError, not the InvalidArgument expected.
    with patreon.API(ACCESS_TOKEN, base_url='http://127.0.0.1:9', retry=None) as api:
        yield api


@pytest.mark.parametrize('route', [
    lambda api, v: api.get_members_by_id(v), lambda api, v: api.delete_webhook(v),
    lambda api, v: api.update_webhook(v, paused=True), lambda api, v: api.get_campaigns_by_id_members(v, 10),
    lambda api, v: api.create_webhook(v, 'https://example.org/hook', ['members:create']),
])
@pytest.mark.parametrize('value', [LONE, 'a' + LONE, '\udcff'])
def test_an_id_with_a_lone_surrogate_is_an_invalid_argument(offline_api, route, value):
    with pytest.raises(InvalidArgument) as raised:
        route(offline_api, value)
    assert 'id of' in str(raised.value) or 'campaign' in str(raised.value)


@pytest.mark.parametrize('call, named', [
    (lambda api: api.get_campaigns(0), 'page_size'), (lambda api: api.get_campaigns(-1), 'page_size'),
    (lambda api: api.get_campaigns(None), 'page_size'), (lambda api: api.get_campaigns(True), 'page_size'),
    (lambda api: api.get_campaigns(1.5), 'page_size'), (lambda api: api.get_campaigns('x'), 'page_size'),
    (lambda api: api.get_campaigns(LONE), 'page_size'), (lambda api: api.get_campaigns('0'), 'page_size'),
    (lambda api: api.get_campaigns(10, cursor=LONE), 'cursor'),
    (lambda api: list(api.paginate(api.get_campaigns, page_size=10, cursor=LONE)), 'cursor'),
    (lambda api: api.get_identity(includes=[None]), 'includes'), (lambda api: api.get_identity(includes=5), 'includes'),
    (lambda api: api.get_identity(includes=[LONE]), 'includes'),
    (lambda api: api.get_identity(includes=[b'\xff']), 'includes'),
    (lambda api: api.get_identity(fields=['user']), 'fields'), (lambda api: api.get_identity(fields='user'), 'fields'),
    (lambda api: api.get_identity(fields={'user': [1]}), 'fields[user]'),
    (lambda api: api.get_identity(fields={b'\xff': ['a']}), 'fields'),
    (lambda api: api.create_webhook('1', 'https://example.org/hook', None), 'triggers'),
    (lambda api: api.create_webhook('1', 'https://example.org/hook', 5), 'triggers'),
    (lambda api: api.create_webhook('1', 'https://example.org/hook', [None]), 'triggers'),
    (lambda api: api.create_webhook('1', b'\xff', ['members:create']), 'uri'),
    (lambda api: api.create_webhook('1', LONE, ['members:create']), 'uri'),
    (lambda api: api.create_webhook('1', None, ['members:create']), 'uri'),
    (lambda api: api.update_webhook('1', uri=b'\xff'), 'uri'),
    (lambda api: api.update_webhook('1', triggers=[b'\xff']), 'triggers'),
])
def test_route_arguments_that_cannot_be_sent_are_invalid_arguments(offline_api, call, named):
    with pytest.raises(InvalidArgument) as raised:
        call(offline_api)
    assert named in str(raised.value) and ACCESS_TOKEN not in str(raised.value)


@pytest.mark.parametrize('base_url', [None, 5])
def test_a_base_url_that_is_no_string_is_an_invalid_argument(base_url):
    with pytest.raises(InvalidArgument) as raised:
        patreon.API(ACCESS_TOKEN, base_url=base_url)
    assert 'base_url' in str(raised.value)


@pytest.mark.parametrize('kwargs, named', [
    (dict(redirect_uri=LONE), 'redirect_uri'), (dict(redirect_uri=b'\xff'), 'redirect_uri'),
    (dict(redirect_uri=None), 'redirect_uri'), (dict(scopes=LONE), 'scopes'), (dict(scopes=5), 'scopes'),
    (dict(scopes=[1]), 'scopes'), (dict(scopes=['identity', LONE]), 'scopes'), (dict(state=LONE), 'state'),
    (dict(state=5), 'state'),
])
def test_authorization_url_arguments_that_cannot_be_sent_are_invalid_arguments(kwargs, named):
    oauth = patreon.OAuth(CLIENT_ID, CLIENT_SECRET)
    arguments = dict(redirect_uri='https://example.org/cb')
    arguments.update(kwargs)
    with pytest.raises(InvalidArgument) as raised:
        oauth.get_authorization_url(**arguments)
    assert named in str(raised.value) and CLIENT_SECRET not in str(raised.value)


def test_a_token_request_with_a_lone_surrogate_names_it_and_never_the_code_or_secret():
    oauth = patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url='http://127.0.0.1:9')
    with pytest.raises(InvalidArgument) as raised:
        oauth.get_tokens(CODE, 'https://example.org/cb' + LONE)
    message = str(raised.value)
    assert 'redirect_uri' in message and CODE not in message and CLIENT_SECRET not in message


@pytest.mark.parametrize('page_size, sent', [(10, '10'), ('25', '25'), (1000, '1000')])
def test_page_sizes_0_5_1_accepted_are_sent(http, page_size, sent):
    http.add(http.GET, API_URL + 'campaigns', json={'data': []})
    patreon.API(ACCESS_TOKEN).get_campaigns(page_size, includes='creator', fields={'campaign': 'summary'})
    assert 'page%5Bcount%5D={}&'.format(sent) in http.calls[0].request.url


def test_an_authorization_url_with_scopes_as_a_list_or_a_string():
    oauth = patreon.OAuth(CLIENT_ID, CLIENT_SECRET)
    for scopes in (['identity', 'campaigns'], 'identity campaigns', ('identity', b'campaigns')):
        assert 'scope=identity+campaigns&state=s1' in oauth.get_authorization_url('https://x', scopes, 's1')


def _closed_base():
    from helpers import closed_port
    return 'http://127.0.0.1:{}'.format(closed_port())  # a call that got past its checks meets ConnectionError


@pytest.mark.parametrize('build', [
    lambda base: patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url=None),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=5),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=base, session='a session'),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=base, refresh=patreon.RefreshPolicy('x'),
                             refresh_token=REFRESH_TOKEN),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=base, refresh=patreon.RefreshPolicy(
        patreon.OAuth(CLIENT_ID, CLIENT_SECRET), on_token_refresh=5)),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=base, timeout=(1, 2, 3)),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=base, retry=patreon.RetryPolicy(max_retries=-1)),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=base, retry=patreon.RetryPolicy(max_retries=1.5)),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=base, retry=patreon.RetryPolicy(max_retry_wait=None)),
    lambda base: patreon.API(ACCESS_TOKEN, base_url=base).get_campaigns('9' * 5000),
    lambda base: list(patreon.API(ACCESS_TOKEN, base_url=base).paginate('get_campaigns', 10)),
    lambda base: list(patreon.API(ACCESS_TOKEN, base_url=base).paginate(None)),
    lambda base: patreon.API.extract_cursor({}, ['links', 'next']),
    lambda base: patreon.API.extract_cursor({}, 5),
    lambda base: patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url=base).get_tokens('code-1234567', None),
    lambda base: patreon.OAuth(CLIENT_ID, CLIENT_SECRET, base_url=base).get_tokens('code-1234567', {'a': 1}),
])
def test_a_setting_or_argument_that_cannot_work_is_refused_before_anything_is_sent(build):
    with pytest.raises(InvalidArgument) as raised:
        build(_closed_base())
    assert isinstance(raised.value, ValueError)


def test_a_wrong_oauth_client_set_later_is_refused_too():
    api = patreon.API(ACCESS_TOKEN, refresh_token=REFRESH_TOKEN)
    with pytest.raises(InvalidArgument):
        api.oauth_client = object()
    with pytest.raises(InvalidArgument):
        api.on_token_refresh = 'store'
    assert api.oauth_client is None and api.on_token_refresh is None


@pytest.mark.parametrize('args', [['webhooks', 'delete', '..'], ['webhooks', 'update', '.', '--paused'],
                                  ['members', '..']])
def test_the_command_line_refuses_a_dot_segment_id_before_any_request(capsys, sb, args):
    served = len(sb.requests)

    code, out, err = run(capsys, args + ['--base-url', sb.url], {'PATREON_ACCESS_TOKEN': sb.creator_token})

    assert code == EXIT_USAGE and len(err.strip().splitlines()) == 1 and 'path' in err
    assert len(sb.requests) == served
