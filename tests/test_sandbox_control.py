"""Driving a running sandbox: its control endpoint and SandboxControl, users to log in as, redirect URIs.

What a manual test of an app needs from ``patreon sandbox``: choose who logs
in, make and cancel pledges, publish posts, expire tokens and inject faults
from another process, while the app's own requests cannot reach any of it.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json

import pytest
import requests
import six
from six.moves.html_parser import HTMLParser
from six.moves.urllib.parse import parse_qs, urljoin, urlsplit

import patreon
from patreon.entitlements import REQUIRED_FIELDS, TIER_FIELDS, is_active_patron
from patreon.exceptions import Unauthorized
from patreon.sandbox import Sandbox, SandboxControl, SandboxControlError
from patreon.sandbox._control import KEY_HEADER, ControlEndpoint, control_lines
from patreon.sandbox._control_client import fault_options
from patreon.sandbox._logins import redirect_uri_forms
from patreon.sandbox._messages import HeaderDict, Request
from loopback import ScriptedServer, json_answer
from test_sandbox_support import Receiver, SandboxClient, webhook_document

APP_CALLBACK = 'http://localhost:5000/oauth/callback'


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=300, seed=21, redirect_uris=[APP_CALLBACK])


@pytest.fixture
def control(sb):
    sb.clear_faults()
    yield SandboxControl(sb.url, sb.control_key)
    sb.clear_faults()
    sb.log_in_as(sb.patron_user_id)


def authorize(sandbox, redirect_uri=APP_CALLBACK, **params):
    """What an app does: send the browser to /oauth2/authorize, naming no sandbox user."""
    oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url)
    url = oauth.get_authorization_url(redirect_uri, scopes=['identity', 'identity.memberships'], state='s1')
    return requests.get(url, params=params, allow_redirects=False)


def served_member(sandbox, member_id):
    """The member as the API serves it to the creator, with what is_active_patron reads."""
    with patreon.API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True) as api:
        return api.get_members_by_id(member_id, includes=['currently_entitled_tiers'],
                                     fields={'member': REQUIRED_FIELDS, 'tier': TIER_FIELDS}).data()


def log_in(sandbox, redirect_uri=APP_CALLBACK):
    """The tokens an app gets after its login round trip, and the identity they belong to."""
    answer = authorize(sandbox, redirect_uri)
    assert answer.status_code == 302, answer.text
    location = answer.headers['Location']
    assert location.startswith(redirect_uri + '?')
    code = parse_qs(urlsplit(location).query)['code'][0]
    oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url)
    tokens = oauth.get_tokens(code, redirect_uri)
    user = patreon.API(tokens['access_token'], base_url=sandbox.url, raise_errors=True).get_identity().data()
    return tokens, user.id()


# -- users to log in as --------------------------------------------------------------------------------------------


def test_there_is_a_user_of_every_kind_to_log_in_as(sb, control):
    users = control.users()
    assert users == json.loads(json.dumps(sb.login_users()))
    roles = [user['role'] for user in users]
    tiers = [sb.world.tiers[tier_id] for tier_id in sb.tier_ids]
    assert roles == (['creator', 'free member'] + ['patron of %s' % tier.title for tier in tiers[1:]]
                     + ['gifted patron', 'annual patron', 'free trial', 'declined patron', 'former patron',
                        'declined patron, retrying', 'cancelled patron, paid up', 'non-patron'])
    by_role = dict((user['role'], user) for user in users)
    assert by_role['creator']['user_id'] == sb.creator_user_id
    for tier in tiers[1:]:
        member = sb.world.members[by_role['patron of %s' % tier.title]['member_id']]
        assert (member.patron_status, member.tier_id, member.is_gifted, member.is_free_trial, member.cadence) == (
            'active_patron', tier.id, False, False, 1)
    assert sb.world.members[by_role['former patron']['member_id']].patron_status == 'former_patron'
    assert sb.world.members[by_role['gifted patron']['member_id']].is_gifted
    visitor = sb.world.users[by_role['non-patron']['user_id']]
    assert not [member_id for member_id in visitor.membership_ids
                if sb.world.members[member_id].campaign_id == sb.campaign_id]


@pytest.mark.parametrize('role,granted,strict', [
    ('declined patron, retrying', True, {'allow_declined': False}),
    ('declined patron', False, {}),
    ('cancelled patron, paid up', True, {'allow_former': False}),
    ('former patron', False, {}),
])
def test_each_declined_and_cancelled_kind_is_served_as_patreon_entitles_it(sb, role, granted, strict):
    member_id = [user for user in sb.login_users() if user['role'] == role][0]['member_id']
    member = served_member(sb, member_id)
    assert is_active_patron(member) is granted
    assert is_active_patron(member, min_tier=member.relationship('currently_entitled_tiers')[0]) if granted else True
    assert is_active_patron(member, **strict) is False


def test_a_small_sandbox_still_has_the_creator_and_a_non_patron():
    with Sandbox(members=0) as empty:
        assert [user['role'] for user in empty.login_users()] == ['creator', 'non-patron']


@pytest.mark.parametrize('role', ['creator', 'former patron', 'non-patron', 'gifted patron'])
def test_the_user_chosen_logs_in_through_the_apps_own_authorize_url(sb, control, role):
    user = [user for user in control.users() if user['role'] == role][0]
    control.log_in_as(user['user_id'])
    assert control.overview()['login_user_id'] == user['user_id']
    assert log_in(sb)[1] == user['user_id']


def test_an_unknown_user_cannot_be_chosen(sb, control):
    with pytest.raises(SandboxControlError) as raised:
        control.log_in_as('999999999999')
    assert raised.value.status == 400
    with pytest.raises(ValueError):
        sb.log_in_as('999999999999')


class Links(HTMLParser):
    def __init__(self):
        HTMLParser.__init__(self)
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == 'a':
            self.links.append(dict(attrs)['href'])


def test_the_login_page_lists_the_users_and_each_link_logs_in_as_that_user():
    with Sandbox(members=200, seed=21, redirect_uris=[APP_CALLBACK], login_page=True) as sandbox:
        page = authorize(sandbox)
        assert page.status_code == 200 and page.headers['Content-Type'].startswith('text/html')
        parser = Links()
        parser.feed(page.text)
        users = sandbox.login_users()
        assert len(parser.links) == len(users)
        for link, user in zip(parser.links, users):
            assert user['full_name'] in page.text
            answer = requests.get(urljoin(sandbox.url, link), allow_redirects=False)
            assert answer.status_code == 302 and answer.headers['Location'].startswith(APP_CALLBACK + '?')
            query = parse_qs(urlsplit(answer.headers['Location']).query)
            assert query['state'] == ['s1']
            oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url)
            token = oauth.get_tokens(query['code'][0], APP_CALLBACK)['access_token']
            assert patreon.API(token, base_url=sandbox.url).get_identity().data().id() == user['user_id']
        # no page for a client or a redirect URI the sandbox does not know: refused as before
        assert authorize(sandbox, redirect_uri='http://localhost:5001/elsewhere').status_code == 400


# -- redirect URIs -------------------------------------------------------------------------------------------------


def test_the_apps_redirect_uri_works_in_its_localhost_and_127_forms(sb):
    assert sb.client.redirect_uris == [APP_CALLBACK, 'http://127.0.0.1:5000/oauth/callback']
    assert log_in(sb, 'http://127.0.0.1:5000/oauth/callback')[1] == sb.patron_user_id
    assert log_in(sb, APP_CALLBACK)[1] == sb.patron_user_id
    assert authorize(sb, redirect_uri='http://localhost:8000/oauth/redirect').status_code == 400  # not the default


@pytest.mark.parametrize('uri, forms', [
    ('http://127.0.0.1:5000/cb?x=1', ['http://127.0.0.1:5000/cb?x=1', 'http://localhost:5000/cb?x=1']),
    ('https://localhost/cb', ['https://localhost/cb', 'https://127.0.0.1/cb']),
    ('https://app.example.org/cb', ['https://app.example.org/cb']),
])
def test_redirect_uri_forms(uri, forms):
    assert redirect_uri_forms(uri) == forms


@pytest.mark.parametrize('uris', [[], ['/callback'], ['ftp://localhost/cb'], ['http://localhost/cb#top'], [None]])
def test_redirect_uris_that_cannot_work_are_refused(uris):
    with pytest.raises(ValueError):
        Sandbox(members=1, redirect_uris=uris)


# -- events, tokens and faults from another process ----------------------------------------------------------------


def test_pledges_and_posts_made_through_the_control_endpoint_reach_the_api_and_the_webhooks(sb, control):
    api = SandboxClient(sb)
    with Receiver() as receiver:
        triggers = ['members:pledge:create', 'members:pledge:delete', 'members:pledge:update', 'posts:publish']
        webhook = api.post('webhooks', json=webhook_document(sb.campaign_id, receiver.url, triggers)).json()
        tiers = control.overview()['tiers']
        assert [tier['id'] for tier in tiers] == sb.tier_ids
        member_id = control.pledge(tiers[1]['id'], kind='annual')
        control.update_pledge(member_id, tiers[2]['id'])
        control.cancel_pledge(member_id)
        post_id = control.publish_post('Behind the scenes', is_public=False, tier_ids=[tiers[2]['id']])
        events = [headers['X-Patreon-Event'] for headers, _, _ in receiver.received]
        assert events == ['members:pledge:create', 'members:pledge:update', 'members:pledge:delete',
                          'posts:publish']
        api.delete('webhooks/%s' % webhook['data']['id'])
    member = api.get('members/%s' % member_id,
                     params={'fields[member]': 'patron_status,pledge_cadence'}).json()['data']['attributes']
    assert member['patron_status'] == 'former_patron' and member['pledge_cadence'] == 12
    post = api.get('posts/%s' % post_id, params={'fields[post]': 'title,tiers'}).json()['data']['attributes']
    assert post['title'] == 'Behind the scenes' and post['tiers'] == [tiers[2]['id']]


def test_a_post_for_one_tier_id_given_as_a_string_goes_to_that_tier_and_an_unknown_id_is_refused(sb, control):
    # list('6346425') sent each digit as a tier id.
    tier_id = sb.tier_ids[2]
    post_id = control.publish_post('For one tier', is_public=False, tier_ids=tier_id)
    assert sb.world.posts[post_id].tier_ids == [tier_id]
    posts = len(sb.world.posts)
    for public in (False, True):
        with pytest.raises(SandboxControlError) as raised:
            control.publish_post('Nowhere', is_public=public, tier_ids=[tier_id, 'no-such-tier'])
        assert raised.value.status == 400 and "no tier 'no-such-tier'" in str(raised.value)
        with pytest.raises(ValueError):
            sb.publish_post('Nowhere', is_public=public, tier_ids=[''])
    # Typed, and never an id's characters or digits taken as ids (bytes are Python 2's native strings).
    for odd in [int(tier_id), [int(tier_id)]] + ([tier_id.encode('ascii'), [tier_id.encode('ascii')]] * six.PY3):
        with pytest.raises(ValueError):
            control.publish_post('Odd', is_public=False, tier_ids=odd)
        with pytest.raises(ValueError):
            sb.publish_post('Odd', is_public=False, tier_ids=odd)
    assert len(sb.world.posts) == posts
    post_id = sb.publish_post('Twice', is_public=False, tier_ids=[tier_id, tier_id])
    assert sb.world.posts[post_id].tier_ids == [tier_id]  # a tier counts the post once


@pytest.mark.parametrize('kind, strict', [
    ('monthly', {}), ('annual', {}), ('gift', {'allow_gifted': False}), ('free_trial', {'allow_free_trial': False}),
])
def test_a_cancelled_patron_is_former_at_once_and_entitled_until_the_period_ends(sb, control, kind, strict):
    tier_id = sb.tier_ids[2]
    member_id = control.pledge(tier_id, kind=kind)
    control.cancel_pledge(member_id)
    paid_up = served_member(sb, member_id)
    control.end_period(member_id)
    ended = served_member(sb, member_id)

    assert paid_up.attribute('patron_status') == 'former_patron'
    assert [tier.id() for tier in paid_up.relationship('currently_entitled_tiers')] == [tier_id]
    assert is_active_patron(paid_up) is True and is_active_patron(paid_up, min_tier=tier_id) is True
    assert is_active_patron(paid_up, allow_former=False) is False
    assert is_active_patron(paid_up, **strict) is (not strict)  # a gift or a trial stays one to the end
    assert ended.attribute('patron_status') == 'former_patron'
    assert ended.relationship('currently_entitled_tiers') == []
    assert ended.attribute('currently_entitled_amount_cents') == 0 and not ended.attribute('is_free_trial')
    assert is_active_patron(ended) is False
    with pytest.raises(SandboxControlError) as raised:
        control.end_period(member_id)  # nothing entitled is left to end
    assert raised.value.status == 400 and 'no period to end' in raised.value.message


def test_a_declined_patron_is_entitled_to_nothing_once_it_cancels_or_its_retries_end():
    with Sandbox(members=300, seed=21) as fresh:
        control = SandboxControl(fresh.url, fresh.control_key)
        members = [fresh.world.members[member_id] for member_id in fresh.world.campaigns[fresh.campaign_id].member_ids]
        retrying = [member.id for member in members if member.patron_status == 'declined_patron' and member.entitled]
        control.cancel_pledge(retrying[0])
        control.end_period(retrying[1])
        cancelled, ended = served_member(fresh, retrying[0]), served_member(fresh, retrying[1])
        with pytest.raises(SandboxControlError) as raised:
            control.end_period(members[0].id)  # an active patron: the pledge renews, no period ends
        assert raised.value.status == 400 and members[0].patron_status == 'active_patron'

    assert cancelled.attribute('patron_status') == 'former_patron'
    assert ended.attribute('patron_status') == 'declined_patron'
    for member in (cancelled, ended):
        assert member.relationship('currently_entitled_tiers') == []
        assert member.attribute('currently_entitled_amount_cents') == 0 and is_active_patron(member) is False


def test_expired_tokens_make_the_app_refresh(sb, control):
    control.log_in_as([u for u in control.users() if u['role'].startswith('patron of')][0]['user_id'])
    tokens, user_id = log_in(sb)
    stored = []
    api = patreon.API(tokens['access_token'], base_url=sb.url, raise_errors=True,
                      refresh_token=tokens['refresh_token'], refresh=patreon.RefreshPolicy(
                          patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url),
                          on_token_refresh=stored.append))
    assert control.expire_tokens(user_id=user_id) == 1
    assert requests.get(sb.url + '/api/oauth2/v2/identity',
                        headers={'Authorization': 'Bearer ' + tokens['access_token']}).status_code == 401
    assert api.get_identity().data().id() == user_id  # refreshed after the 401
    assert len(stored) == 1 and api.access_token != tokens['access_token']
    control.expire_tokens()  # everyone's, the creator's too
    with pytest.raises(Unauthorized):
        patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True).get_identity()
    sb.creator_token = sb.issue_tokens()['access_token']


def test_faults_injected_through_the_control_endpoint(sb, control):
    fault = control.inject_fault('identity', 'json_server_error', count=2, status=502)
    assert fault == {'route': 'identity', 'kind': 'json_server_error', 'count': 2, 'options': {'status': 502}}
    api = SandboxClient(sb)
    assert api.get('identity').status_code == 502
    control.clear_faults()
    assert api.get('identity').status_code == 200
    with pytest.raises(SandboxControlError) as raised:
        control.inject_fault('identity', 'explode')
    assert raised.value.status == 400 and 'explode' in raised.value.message


def test_the_control_endpoint_ignores_faults_and_stays_out_of_the_request_log(sb, control):
    sb.clear_log()
    sb.inject_fault('*', 'reset', count=5)
    assert control.overview()['campaign_id'] == sb.campaign_id
    assert sb.requests == []


# -- who may use it ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize('headers', [
    {},
    {KEY_HEADER: 'not-the-key'},
    {'Authorization': 'Bearer {token}'},  # an app's credentials are not the key
    {KEY_HEADER: '{key}', 'Origin': 'http://localhost:5000'},  # a web page's script
])
def test_requests_without_the_key_or_from_a_web_page_are_refused(sb, headers):
    headers = dict((name, value.format(key=sb.control_key, token=sb.creator_token)) for name, value in headers.items())
    headers['Content-Type'] = 'application/json'
    members_before = sb.world.member_count
    for method, path, body in (('GET', 'users', None), ('POST', 'pledge', {'tier_id': sb.tier_ids[1]})):
        answer = requests.request(method, sb.url + '/sandbox/' + path, headers=headers, json=body)
        assert answer.status_code == 403 and 'error' in answer.json()
    assert sb.world.member_count == members_before  # no pledge was made
    assert requests.get(sb.url + '/sandbox', headers=headers).status_code == 403


def test_a_request_from_another_machine_is_refused_even_with_the_key(sb):
    endpoint = ControlEndpoint(sb, sb.control_key)
    request = Request('GET', '/sandbox/users', '', HeaderDict([(KEY_HEADER, sb.control_key)]), b'')
    for address, status in (('10.0.0.7', 403), ('192.168.1.2', 403), ('127.0.0.1', 200), ('::1', 200)):
        request.client_address = address
        assert endpoint.handle(request).status == status


@pytest.mark.parametrize('method, path, body, content_type, status', [
    ('GET', 'nothing-here', None, None, 404),
    ('GET', 'pledge', None, None, 405),
    ('POST', 'pledge', b'tier_id=1', 'application/x-www-form-urlencoded', 415),
    ('POST', 'pledge', b'{"tier_id": ', 'application/json', 400),
    ('POST', 'pledge', b'["tier_id"]', 'application/json', 400),
    ('POST', 'pledge', b'{"tier_id": 5}', 'application/json', 400),
    ('POST', 'pledge', b'{"tier_id": "no-such-tier"}', 'application/json', 400),
    ('POST', 'pledge', b'{"tier_id": "%s", "kind": "yearly"}', 'application/json', 400),
    ('POST', 'cancel-pledge', b'{"member_id": "nobody"}', 'application/json', 400),
    ('POST', 'end-period', b'{"member_id": "nobody"}', 'application/json', 400),
    ('POST', 'end-period', b'{}', 'application/json', 400),
    ('POST', 'publish-post', b'{"title": "x", "is_public": "no"}', 'application/json', 400),
    ('POST', 'faults', b'{"route": "identity", "kind": "delay", "count": "2"}', 'application/json', 400),
    # Options named as the fault's own fields: unknown options, not a clash of arguments (a 500 before).
    ('POST', 'faults', b'{"route": "identity", "kind": "delay", "options": {"route": "x"}}', 'application/json', 400),
    ('POST', 'faults', b'{"route": "identity", "kind": "delay", "options": {"count": 3}}', 'application/json', 400),
    ('POST', 'expire-tokens', b'{"user_id": "nobody"}', 'application/json', 400),
    ('POST', 'pledge', b'{"x": ' + b'[' * 100000 + b']' * 100000 + b'}', 'application/json', 400),  # too deep
])
def test_bad_control_requests_get_a_clear_refusal(sb, method, path, body, content_type, status):
    headers = {KEY_HEADER: sb.control_key}
    if content_type:
        headers['Content-Type'] = content_type
    if body and b'%s' in body:
        body = body.replace(b'%s', sb.tier_ids[1].encode('ascii'))
    answer = requests.request(method, sb.url + '/sandbox/' + path, headers=headers, data=body)
    assert answer.status_code == status and answer.json()['error']


def test_the_client_talks_to_this_machine_only_and_never_shows_its_key(sb):
    for url in ('http://sandbox.example.invalid:8000', 'ftp://127.0.0.1:8000', '127.0.0.1:8000'):
        with pytest.raises(ValueError):
            SandboxControl(url, 'key')
    control = SandboxControl(sb.url, sb.control_key)
    assert sb.control_key not in repr(control) and sb.control_key not in repr(sb)
    assert sb.control_url == sb.url + '/sandbox/'
    with pytest.raises(SandboxControlError) as raised:
        SandboxControl(sb.url, 'wrong').users()
    assert raised.value.status == 403 and isinstance(raised.value, ValueError)


def test_what_the_command_line_prints_and_reads(sb):
    lines = control_lines(sb)
    text = '\n'.join(lines)
    assert 'export PATREON_SANDBOX_URL=%s\n' % sb.url in text
    assert 'export PATREON_SANDBOX_KEY=%s\n' % sb.control_key in text
    for user in sb.login_users():
        assert [line for line in lines if user['user_id'] in line and user['role'] in line]
    control = SandboxControl.from_environment({'PATREON_SANDBOX_URL': sb.url, 'PATREON_SANDBOX_KEY': sb.control_key})
    assert control.overview()['campaign_id'] == sb.campaign_id
    assert SandboxControl.from_environment({}, url=sb.url, key=sb.control_key).users()
    for environ in ({}, {'PATREON_SANDBOX_URL': sb.url}, {'PATREON_SANDBOX_KEY': sb.control_key}):
        with pytest.raises(ValueError) as raised:
            SandboxControl.from_environment(environ)
        assert 'PATREON_SANDBOX_' in str(raised.value) and sb.control_key not in str(raised.value)


def test_fault_options_from_a_command_line(sb, control):
    assert fault_options(['status=503', 'header=false', 'interval=0.5', 'note=text']) == {
        'status': 503, 'header': False, 'interval': 0.5, 'note': 'text'}
    for bad in (['status'], ['=503']):
        with pytest.raises(ValueError):
            fault_options(bad)
    control.inject_fault('identity', 'json_server_error', **fault_options(['status=502']))
    assert SandboxClient(sb).get('identity').status_code == 502


HOSTILE_KEY = 'k3y0123456789abcdefSECRET'


@pytest.mark.parametrize('error', [
    'wrong key ' + HOSTILE_KEY, {'key': HOSTILE_KEY}, ['header', 'X-Sandbox-Control-Key: ' + HOSTILE_KEY],
])
def test_a_server_that_echoes_the_key_never_puts_it_in_the_refusal(error):
    # Any process may listen on a loopback port: what it answers is no sandbox's word, and may echo the header.
    body = json.dumps({'error': error}).encode('utf-8')
    with ScriptedServer([json_answer(403, body)]) as server:
        with pytest.raises(SandboxControlError) as raised:
            SandboxControl(server.url, HOSTILE_KEY).users()
    assert raised.value.status == 403
    for text in (str(raised.value), repr(raised.value), raised.value.message, repr(raised.value.args)):
        assert 'SECRET' not in text


@pytest.mark.parametrize('key', [
    HOSTILE_KEY + '\r\nX-Injected: 1', HOSTILE_KEY + '\nX', HOSTILE_KEY + '\u20ac', 'k3y SECRET 0123456789', '',
    '   ', None, 12345678, [HOSTILE_KEY], HOSTILE_KEY.encode('ascii') + b'\xff',
])
def test_a_key_no_header_can_carry_is_refused_before_sending_without_showing_it(key):
    with ScriptedServer([json_answer(200, b'{"data": []}')]) as server:
        with pytest.raises(ValueError) as raised:
            SandboxControl(server.url, key)
        assert server.requests == []
    assert 'SECRET' not in str(raised.value) and '12345678' not in str(raised.value)
    assert not isinstance(raised.value, UnicodeError)


def test_a_key_given_as_ascii_bytes_or_with_blanks_around_is_the_key(sb):
    assert SandboxControl(sb.url, sb.control_key.encode('ascii')).users()
    assert SandboxControl(sb.url, ' %s\n' % sb.control_key).users()


def test_an_answer_nested_too_deep_to_decode_is_a_refusal_not_a_recursion_error():
    # Any process may listen on a loopback port, and answer JSON nested deeper than the decoder goes.
    with ScriptedServer([json_answer(200, b'{"data": ' + b'[' * 100000 + b']' * 100000 + b'}')]) as server:
        with pytest.raises(SandboxControlError) as raised:
            SandboxControl(server.url, HOSTILE_KEY).users()
    assert 'not JSON' in raised.value.message
