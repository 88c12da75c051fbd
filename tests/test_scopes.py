# -*- coding: utf-8 -*-
"""patreon.scopes: the constants, what a call needs, and 401/403 messages naming the scopes a token lacks."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pickle

import pytest
import requests
import responses
from six.moves.urllib.parse import parse_qs, urlsplit

import patreon
from helpers import (ACCESS_TOKEN, API_URL, CLIENT_ID, CLIENT_SECRET, TOKEN_URL, http_fixture,  # noqa: F401
                     load_fixture, refreshing_api)
from patreon import _scope_notes, scopes
from patreon.exceptions import Forbidden, InvalidArgument, Unauthorized
from patreon.api import ErrorDocument
from patreon.sandbox import ALL_SCOPES

ERROR_401 = {'errors': [{'code': 1, 'code_name': 'Unauthorized', 'detail': 'The server could not verify.',
                         'id': 'e1', 'status': '401', 'title': 'Unauthorized'}]}


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=20, seed=9)


def test_every_scope_has_its_constant_and_all_lists_them_in_patreons_order():
    assert (scopes.IDENTITY, scopes.IDENTITY_EMAIL, scopes.IDENTITY_MEMBERSHIPS) == (
        'identity', 'identity[email]', 'identity.memberships')
    assert (scopes.CAMPAIGNS, scopes.CAMPAIGNS_MEMBERS, scopes.CAMPAIGNS_MEMBERS_EMAIL,
            scopes.CAMPAIGNS_MEMBERS_ADDRESS, scopes.CAMPAIGNS_POSTS) == (
        'campaigns', 'campaigns.members', 'campaigns.members[email]', 'campaigns.members.address', 'campaigns.posts')
    assert (scopes.CAMPAIGNS_WEBHOOK, scopes.CAMPAIGNS_LIVES, scopes.CAMPAIGNS_LIVES_WRITE) == (
        'w:campaigns.webhook', 'campaigns.lives', 'w:campaigns.lives')
    assert scopes.ALL == ALL_SCOPES  # the sandbox grants exactly Patreon's scopes
    assert len(set(scopes.ALL)) == 11


@pytest.mark.parametrize('method, path, includes, fields, expected', [
    ('GET', 'campaigns/7/members', None, {'user': ['email']}, {'campaigns.members', 'campaigns.members[email]'}),
    ('GET', 'campaigns/7/members', ['address'], None, {'campaigns.members', 'campaigns.members.address'}),
    ('GET', 'members/abc-1', 'user,campaign', {'member': 'full_name,email'},
     {'campaigns.members', 'campaigns.members[email]'}),  # a campaign include comes with the route's scope
    ('GET', 'identity', None, {'user': ['email']}, {'identity', 'identity[email]'}),
    # memberships needs no scope of its own (without identity.memberships, the one to the app's campaign);
    # the identity's campaign comes only with campaigns.
    ('GET', 'identity', ['memberships'], None, {'identity'}),
    ('GET', 'identity?include=memberships,memberships.currently_entitled_tiers', None, None, {'identity'}),
    ('GET', 'identity', ['campaign'], None, {'identity', 'campaigns'}),
    ('GET', 'identity', ['memberships.campaign'], None, {'identity', 'campaigns'}),
    ('GET', 'identity', ['memberships.pledge_history.campaign'], None, {'identity', 'campaigns'}),
    ('GET', 'identity', ['memberships.address.campaigns'], None,
     {'identity', 'campaigns', 'campaigns.members.address'}),
    ('GET', 'identity', ['campaign', 'memberships.campaign.tiers'], {'user': ['email']},
     {'identity', 'campaigns', 'identity[email]'}),
    ('GET', 'campaigns/7/posts', 'campaign,user', None, {'campaigns.posts'}),
    ('GET', 'webhooks', ['campaign', 'client'], None, {'w:campaigns.webhook'}),
    ('GET', 'campaigns', ['tiers', 'creator'], {'campaign': ['name']}, {'campaigns'}),
    ('GET', 'campaigns/7/posts', None, None, {'campaigns.posts'}),
    ('DELETE', 'webhooks/4', None, None, {'w:campaigns.webhook'}),
    ('POST', 'lives', None, None, {'w:campaigns.lives'}),
    ('patch', 'lives/12', None, None, {'w:campaigns.lives'}),
    ('GET', 'lives/12', None, None, {'campaigns.lives'}),
    ('GET', '/api/oauth2/v2/campaigns/7/members?fields%5Bmember%5D=email&include=address&page%5Bcount%5D=10', None,
     None, {'campaigns.members', 'campaigns.members[email]', 'campaigns.members.address'}),
])
def test_required_scopes(method, path, includes, fields, expected):
    assert scopes.required_scopes(method, path, includes=includes, fields=fields) == expected


@pytest.mark.parametrize('method, path, kwargs', [
    ('GET', 'lives', {}),  # no list route is known
    ('DELETE', 'campaigns/7', {}),
    ('GET', 'nothing/here', {}),
    (None, 'identity', {}),
    ('GET', 7, {}),
    ('GET', 'identity', {'fields': ['email']}),
    ('GET', 'identity', {'includes': [None]}),
])
def test_required_scopes_refuses_what_is_no_call(method, path, kwargs):
    with pytest.raises(InvalidArgument):
        scopes.required_scopes(method, path, **kwargs)


def test_a_401_names_the_scopes_the_token_lacks_when_they_are_known(http):
    for _ in range(3):
        http.add(responses.GET, API_URL + 'campaigns/7/members', json=ERROR_401, status=401)
    granted = load_fixture('token_response.json')['scope']  # identity identity[email] campaigns campaigns.members

    with pytest.raises(Unauthorized) as raised:
        patreon.API(ACCESS_TOKEN, raise_errors=True, scopes=granted).get_campaigns_by_id_members(
            7, 10, includes=['address'], fields={'member': ['email']})
    document = patreon.API(ACCESS_TOKEN, scopes=granted).get_campaigns_by_id_members(
        7, 10, includes=['address'], fields={'member': ['email']})
    with pytest.raises(Unauthorized) as unknown:
        patreon.API(ACCESS_TOKEN, raise_errors=True).get_campaigns_by_id_members(7, 10, fields={'member': ['email']})

    message = str(raised.value)
    assert message.startswith('401 Unauthorized: The server could not verify.')
    # The token has the route's scope: the email and address scopes only add data, so the cause is unknown.
    assert message.endswith('; the access token has campaigns.members, the scope this route needs: the cause is '
                            'unknown')
    assert 'lacks' not in message
    assert isinstance(document, ErrorDocument) and str(document.error) == message
    assert 'lacks' not in str(unknown.value)  # scopes not known: nothing guessed
    assert str(pickle.loads(pickle.dumps(raised.value))) == message


def test_a_401_blames_no_scope_when_the_token_has_the_routes(http):
    http.add(responses.GET, API_URL + 'identity', json=ERROR_401, status=401)
    with pytest.raises(Unauthorized) as raised:
        patreon.API(ACCESS_TOKEN, raise_errors=True, scopes=scopes.ALL).get_identity()
    assert str(raised.value).endswith('the access token has identity, the scope this route needs: the cause is '
                                      'unknown')


@pytest.mark.parametrize('includes', [['memberships'], ['campaign', 'memberships.campaign']])
def test_a_401_to_identity_is_never_blamed_on_a_scope_that_only_adds_data(http, includes):
    http.add(responses.GET, API_URL + 'identity', json=ERROR_401, status=401)
    with pytest.raises(Unauthorized) as raised:
        patreon.API(ACCESS_TOKEN, raise_errors=True, scopes=[scopes.IDENTITY]).get_identity(includes=includes)
    message = str(raised.value)
    assert 'identity.memberships' not in message and 'lacks' not in message and 'campaigns' not in message
    assert message.endswith('the cause is unknown')


def test_a_401_to_a_route_not_known_here_says_the_cause_is_unknown():
    assert _scope_notes.lacking_note('GET', 'nothing/7', frozenset(['identity'])).endswith('the cause is unknown')
    assert _scope_notes.lacking_note('GET', 'nothing/7', None) is None  # scopes not told: Patreon's message alone


def test_a_403_names_them_too_and_other_errors_never(http):
    http.add(responses.POST, API_URL + 'lives', status=403, json={'errors': [{'status': '403', 'title': 'Forbidden'}]})
    http.add(responses.GET, API_URL + 'lives/3', status=404, json={'errors': [{'status': '404', 'title': 'Not Found'}]})
    api = patreon.API(ACCESS_TOKEN, raise_errors=True, scopes=[scopes.CAMPAIGNS_LIVES])

    with pytest.raises(Forbidden) as forbidden:
        api.create_live()
    with pytest.raises(patreon.exceptions.NotFound) as missing:
        patreon.API(ACCESS_TOKEN, raise_errors=True, scopes=[]).get_lives_by_id(3)

    assert str(forbidden.value).endswith('the call needs the scope w:campaigns.lives, and the access token lacks it')
    assert 'scope' not in str(missing.value)


def test_scopes_are_kept_as_a_frozenset_and_bad_ones_refused():
    api = patreon.API(ACCESS_TOKEN, scopes='identity  campaigns\n')
    assert api.scopes == frozenset(['identity', 'campaigns'])
    api.scopes = None
    assert api.scopes is None
    assert patreon.API(ACCESS_TOKEN).scopes is None
    for bad in (7, [None], {'identity': True}):
        with pytest.raises(InvalidArgument):
            patreon.API(ACCESS_TOKEN, scopes=bad)


def test_the_sandbox_401_for_a_missing_scope_names_it(sb):
    tokens = sb.issue_tokens(scopes=[scopes.IDENTITY, scopes.CAMPAIGNS])
    api = patreon.API(tokens['access_token'], base_url=sb.url, raise_errors=True, scopes=tokens['scope'])

    with pytest.raises(Unauthorized) as raised:
        api.get_campaigns_by_id_members(sb.campaign_id, 10, fields={'user': ['email']}, includes=['user'])

    assert str(raised.value).endswith('; the call needs the scope campaigns.members, and the access token lacks it')


def test_a_refresh_answer_tells_the_scopes(sb):
    api, tokens, stored = refreshing_api(sb, scopes=[scopes.IDENTITY, scopes.CAMPAIGNS_POSTS])
    api.raise_errors = True
    api.scopes = scopes.ALL  # what the application believed, before the refresh told otherwise

    assert api.get_identity().data().id() == sb.creator_user_id  # the expired token is refreshed
    with pytest.raises(Unauthorized) as raised:
        api.get_campaigns(10)

    assert api.scopes == frozenset([scopes.IDENTITY, scopes.CAMPAIGNS_POSTS])
    assert 'the call needs the scope campaigns, and the access token lacks it' in str(raised.value)


def test_authorization_urls_take_the_constants():
    oauth = patreon.OAuth(CLIENT_ID, CLIENT_SECRET)
    url = oauth.get_authorization_url('https://example.org/cb', scopes=[scopes.IDENTITY, scopes.CAMPAIGNS_LIVES_WRITE],
                                      state='s1')
    every = oauth.get_authorization_url('https://example.org/cb', scopes=scopes.ALL)

    assert parse_qs(urlsplit(url).query)['scope'] == ['identity w:campaigns.lives']
    assert parse_qs(urlsplit(every).query)['scope'] == [' '.join(scopes.ALL)]


def test_a_refresh_answer_with_unreadable_scopes_leaves_them_unknown(http):
    http.add(responses.GET, API_URL + 'identity', json=ERROR_401, status=401)
    http.add(responses.POST, TOKEN_URL, json={'access_token': 'at_new_0123456789', 'refresh_token': 'rt_new_0123456',
                                              'scope': 'identity \ud800'})
    http.add(responses.GET, API_URL + 'identity', json=ERROR_401, status=401)
    api = patreon.API(ACCESS_TOKEN, raise_errors=True, scopes=scopes.ALL, refresh_token='rt_old_0123456789',
                      refresh=patreon.RefreshPolicy(patreon.OAuth(CLIENT_ID, CLIENT_SECRET)))

    with pytest.raises(Unauthorized) as raised:
        api.get_identity()

    assert api.scopes is None and 'the call needs' not in str(raised.value)


def test_the_sandbox_returns_the_identitys_campaign_only_with_campaigns(sb):
    # Patreon's docs serve the identity's own campaign only to a token with the campaigns scope.
    for granted, expected in (([scopes.IDENTITY], None), ([scopes.IDENTITY, scopes.CAMPAIGNS], sb.campaign_id)):
        api = patreon.API(sb.issue_tokens(scopes=granted)['access_token'], base_url=sb.url, raise_errors=True)
        user = api.get_identity(includes=['campaign']).data()
        campaign = user.relationship('campaign')
        assert (campaign.id() if campaign is not None else None) == expected
        assert scopes.CAMPAIGNS in scopes.required_scopes('GET', 'identity', includes=['campaign'])


@pytest.mark.parametrize('include', ['memberships.campaign', 'memberships.currently_entitled_tiers.campaign',
                                     'memberships.pledge_history.campaign', 'memberships.address.campaigns'])
def test_the_sandbox_returns_the_memberships_campaigns_on_identity_only_with_campaigns(sb, include):
    # What required_scopes says the include needs, the sandbox serves only with it: no campaign without campaigns.
    needed = scopes.required_scopes('GET', 'identity', includes=[include])
    memberships = [scopes.IDENTITY, scopes.IDENTITY_MEMBERSHIPS, scopes.CAMPAIGNS_MEMBERS_ADDRESS]
    served = {}
    for granted in (memberships, memberships + [scopes.CAMPAIGNS]):
        token = sb.issue_tokens(user_id=sb.patron_user_id, scopes=granted)['access_token']
        answer = requests.get(sb.url + '/api/oauth2/v2/identity', params={'include': include},
                              headers={'Authorization': 'Bearer ' + token})
        included = answer.json().get('included', [])
        served[scopes.CAMPAIGNS in granted] = (sorted(item['id'] for item in included if item['type'] == 'member'),
                                               [item['id'] for item in included if item['type'] == 'campaign'])

    assert scopes.CAMPAIGNS in needed and needed - set(memberships) == set([scopes.CAMPAIGNS])
    assert len(served[False][0]) == 3 and served[False][0] == served[True][0]  # every membership either way
    assert served[False][1] == [] and sb.campaign_id in served[True][1]


def test_elsewhere_a_campaign_comes_with_the_routes_scope(sb):
    member_id = sb.world.campaigns[sb.campaign_id].member_ids[0]
    token = sb.issue_tokens(scopes=[scopes.CAMPAIGNS_MEMBERS])['access_token']
    api = patreon.API(token, base_url=sb.url, raise_errors=True)
    member = api.get_members_by_id(member_id, includes=['campaign', 'campaign.creator.campaign']).data()

    assert member.relationship('campaign').id() == sb.campaign_id
    assert member.relationship('campaign').relationship('creator').relationship('campaign').id() == sb.campaign_id
    assert scopes.required_scopes('GET', 'members/' + member_id, includes=['campaign.creator.campaign']) == set(
        [scopes.CAMPAIGNS_MEMBERS])


def test_names_are_judged_as_the_client_sends_them():
    # A list item with a comma, and blanks around names: the client sends 'memberships,campaign' and 'email'.
    needed = scopes.required_scopes
    assert needed('GET', 'identity', includes=['memberships, campaign']) == set(['identity', 'campaigns'])
    assert needed('GET', 'identity', fields={'user': ['full_name, email ']}) == set(['identity', 'identity[email]'])
    assert needed('GET', 'identity', includes=' ') == set(['identity'])
