# -*- coding: utf-8 -*-
"""API v2's newer additions: all_fields, the "become a patron" login, discord_user_id, and API v1's names."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pickle

import pytest
import requests
from six.moves.urllib.parse import parse_qs, urlsplit

import patreon
from helpers import ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET
from patreon import schemas, scopes
from patreon.exceptions import InvalidArgument, InvalidResponse, UnknownScopeWarning, V1MethodRemoved
from patreon.schemas import campaign
from patreon.utils import discord_user_id

README_SECTION = 'Moving from 0.5.0 (API v1)'


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=30, seed=11)


# -- schemas ------------------------------------------------------------------------------------------

def test_campaign_schema_has_currency_name_and_live_access_rules():
    assert (campaign.Attributes.currency, campaign.Attributes.name) == ('currency', 'name')
    assert campaign.Relationships.live_access_rules == 'live_access_rules'


def test_all_fields_asks_for_every_attribute_of_each_type():
    fields = schemas.all_fields('member', 'pledge-event', 'campaign')

    assert sorted(fields) == ['campaign', 'member', 'pledge-event']
    assert fields['pledge-event'] == sorted(['amount_cents', 'currency_code', 'date', 'payment_status',
                                             'pledge_payment_status', 'tier_id', 'tier_title', 'type'])
    assert 'email' in fields['member'] and 'patron_status' in fields['member']
    assert {'currency', 'name', 'vanity'} <= set(fields['campaign'])
    assert 'earnings_visibility' not in fields['campaign']  # gone from API v2: asking for it only risks a 400
    assert schemas.all_fields() == {}
    with pytest.raises(KeyError):
        schemas.all_fields('members')


def test_all_fields_brings_every_attribute_from_the_sandbox(sb):
    api = patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True)
    page = api.get_campaigns_by_id_members(sb.campaign_id, 10, includes=['user'],
                                           fields=schemas.all_fields('member', 'user'))
    wanted = schemas.all_fields('member', 'user')

    members = page.data()
    assert members
    for member in members:
        assert set(member.attributes()) == set(wanted['member'])
        assert set(member.relationship('user').attributes()) == set(wanted['user'])


# -- become a patron ------------------------------------------------------------------------------------

def test_the_become_patron_url_is_the_documented_one():
    url = patreon.OAuth(CLIENT_ID, CLIENT_SECRET).get_become_patron_url(
        'https://example.org/cb', 500, scopes=[scopes.IDENTITY, scopes.IDENTITY_MEMBERSHIPS], state='st_1')

    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ('https', 'www.patreon.com', '/oauth2/become-patron')
    assert parts.query.startswith('response_type=code&min_cents=500&client_id=')
    assert parse_qs(parts.query) == {'response_type': ['code'], 'min_cents': ['500'], 'client_id': [CLIENT_ID],
                                     'redirect_uri': ['https://example.org/cb'],
                                     'scope': ['identity identity.memberships'], 'state': ['st_1']}


@pytest.mark.parametrize('min_cents', [0, -5, 1.5, None, True, 'five', '', [500]])
def test_the_become_patron_url_needs_whole_cents(min_cents):
    with pytest.raises(InvalidArgument):
        patreon.OAuth(CLIENT_ID, CLIENT_SECRET).get_become_patron_url('https://example.org/cb', min_cents)


def become_patron(sb, min_cents, user_id=None, **kwargs):
    """Follow the sandbox's become-patron page; returns the redirect's query (a dict of lists)."""
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url, raise_errors=True)
    url = oauth.get_become_patron_url(sb.redirect_uri, min_cents, state='st_2', **kwargs)
    if user_id is not None:
        url += '&sandbox_user=' + user_id
    response = requests.get(url, allow_redirects=False)
    assert response.status_code == 302
    location = response.headers['Location']
    assert location.startswith(sb.redirect_uri + '?')
    return parse_qs(urlsplit(location).query), oauth


# entitled_cents reads each membership's campaign, which the identity route serves only with campaigns.
MEMBERSHIP_SCOPES = [scopes.IDENTITY, scopes.IDENTITY_MEMBERSHIPS, scopes.CAMPAIGNS]


def entitled_cents(sb, tokens):
    api = patreon.API(tokens['access_token'], base_url=sb.url, raise_errors=True)
    user = api.get_identity(includes=['memberships.campaign'],
                            fields={'member': ['currently_entitled_amount_cents', 'patron_status']}).data()
    for member in user.relationship('memberships'):
        if member.relationship('campaign').id() == sb.campaign_id:
            return member.attribute('patron_status'), member.attribute('currently_entitled_amount_cents')
    return None


def test_become_patron_pledges_at_least_min_cents_then_redirects_with_a_code(sb):
    member_id = sb.pledge(sb.tier_ids[1])  # a new user, on the cheapest paid tier
    sb.cancel_pledge(member_id)
    user_id = sb.world.members[member_id].user_id
    cheapest_worth_it = min(sb.world.tiers[t].amount_cents for t in sb.tier_ids
                            if sb.world.tiers[t].amount_cents >= 700)

    query, oauth = become_patron(sb, 700, user_id, scopes=MEMBERSHIP_SCOPES)
    tokens = oauth.get_tokens(query['code'][0], sb.redirect_uri)

    assert query['state'] == ['st_2']
    assert tokens['scope'] == 'identity identity.memberships campaigns'
    assert entitled_cents(sb, tokens) == ('active_patron', cheapest_worth_it)


def test_become_patron_moves_a_smaller_pledge_up_and_keeps_one_worth_it(sb):
    member_id = sb.pledge(sb.tier_ids[1])
    user_id = sb.world.members[member_id].user_id
    start = sb.world.tiers[sb.tier_ids[1]].amount_cents
    top = max(sb.world.tiers[t].amount_cents for t in sb.tier_ids)

    kept, oauth = become_patron(sb, start, user_id, scopes=MEMBERSHIP_SCOPES)
    assert entitled_cents(sb, oauth.get_tokens(kept['code'][0], sb.redirect_uri)) == ('active_patron', start)
    moved, oauth = become_patron(sb, top, user_id, scopes=MEMBERSHIP_SCOPES)
    assert entitled_cents(sb, oauth.get_tokens(moved['code'][0], sb.redirect_uri)) == ('active_patron', top)


def test_become_patron_refuses_before_pledging(sb):
    member_id = sb.pledge(sb.tier_ids[1])
    user_id = sb.world.members[member_id].user_id
    start = sb.world.tiers[sb.tier_ids[1]].amount_cents
    too_much = max(sb.world.tiers[t].amount_cents for t in sb.tier_ids) + 1

    query, _ = become_patron(sb, too_much, user_id)
    with pytest.warns(UnknownScopeWarning, match='everything'):
        bad_scope, _ = become_patron(sb, too_much * 2, user_id, scopes=['identity', 'everything'])
    unknown_client = requests.get(sb.url + '/oauth2/become-patron?response_type=code&min_cents=100&client_id=nope'
                                  '&redirect_uri=' + sb.redirect_uri, allow_redirects=False)

    assert query['error'] == ['invalid_request'] and 'code' not in query
    assert bad_scope['error'] == ['invalid_scope']
    assert unknown_client.status_code == 400 and 'Location' not in unknown_client.headers
    member = sb.world.members[member_id]
    assert (member.patron_status, sb.world.tiers[member.tier_id].amount_cents) == ('active_patron', start)


# -- discord_user_id ----------------------------------------------------------------------------------------

def user_resource(connections, fetched=True):
    attributes = {'full_name': 'Ada'}
    if fetched:
        attributes['social_connections'] = connections
    return {'type': 'user', 'id': '1', 'attributes': attributes}


@pytest.mark.parametrize('resource, expected', [
    (user_resource({'discord': {'user_id': '159985870458322944', 'url': None, 'scopes': ['identify']}}),
     '159985870458322944'),
    (user_resource({'discord': {'user_id': 159985870458322944, 'url': None, 'scopes': []}}), '159985870458322944'),
    (user_resource({'discord': None, 'twitch': {'user_id': 'x', 'url': 'https://twitch.tv/x'}}), None),
    (user_resource({'youtube': None}), None),
    (user_resource(None), None),
    (user_resource(None, fetched=False), None),
    ({'type': 'user', 'id': '1'}, None),
])
def test_discord_user_id(resource, expected):
    assert discord_user_id(resource) == expected


@pytest.mark.parametrize('connections', [
    ['discord'], 'discord', {'discord': 'linked'}, {'discord': {'url': None}}, {'discord': {'user_id': True}},
    {'discord': {'user_id': ''}}, {'discord': {'user_id': '12 34'}}, {'discord': {'user_id': '1' * 21}},
    {'discord': {'user_id': -5}},
])
def test_discord_user_id_fails_closed_on_what_is_no_discord_id(connections):
    with pytest.raises(InvalidResponse):
        discord_user_id(user_resource(connections))


def test_discord_user_id_from_the_sandbox(sb):
    api = patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True)
    page = api.get_campaigns_by_id_members(sb.campaign_id, 30, includes=['user'],
                                           fields={'user': ['social_connections']})
    users = [member.relationship('user') for member in page.data()]
    found = [discord_user_id(user) for user in users]

    assert [user.attribute('social_connections')['discord'] is not None for user in users] == [
        value is not None for value in found]
    assert any(found) and not all(found)
    for user, value in zip(users, found):
        if value is not None:
            assert value == user.attribute('social_connections')['discord']['user_id']


# -- API v1's names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize('name, replacement', [
    ('fetch_user', 'get_identity'),
    ('fetch_campaign', 'get_campaigns'),
    ('fetch_campaign_and_patrons', 'get_campaigns'),
    ('fetch_page_of_pledges', 'get_campaigns_by_id_members'),
])
def test_v1_methods_say_what_replaced_them(name, replacement):
    api = patreon.API(ACCESS_TOKEN)

    with pytest.raises(AttributeError) as raised:
        getattr(api, name)(1, 10)

    error = raised.value
    assert isinstance(error, V1MethodRemoved) and isinstance(error, patreon.exceptions.PatreonError)
    assert (error.name, error.replacement) == (name, replacement)
    assert 'API.{}('.format(replacement) in str(error) and README_SECTION in str(error)
    assert not hasattr(api, name)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.replacement) == (V1MethodRemoved, str(error), replacement)


def test_other_missing_names_stay_plain_attribute_errors():
    with pytest.raises(AttributeError) as raised:
        patreon.API(ACCESS_TOKEN).fetch_users
    assert type(raised.value) is AttributeError and 'fetch_users' in str(raised.value)
