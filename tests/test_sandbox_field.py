"""The sandbox answers as the live service has been seen to, and the client raises the right typed error.

Generated gifts, annual pledges and free trials; the faults that imitate the
field notes (an HTML 401, a load balancer's JSON without ``errors``, a 200
maintenance page, a stalled listing, a trickling body); a 401 for a missing
scope that names the scope and that no refresh fixes. Everything over real
HTTP on 127.0.0.1, through ``patreon.API``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest
import requests

import patreon
from patreon.exceptions import (InvalidResponse, InvalidUnauthorizedResponse, PaginationError, ServerError,
                                TotalTimeout, Unauthorized)
from patreon.api import ErrorDocument
from patreon.sandbox import Sandbox

from helpers import refreshing_api, token_request_count

MEMBERS_ROUTE = 'campaigns/{id}/members'
MEMBER_FIELDS = ['currently_entitled_amount_cents', 'is_gifted', 'is_free_trial', 'pledge_cadence',
                 'patron_status', 'will_pay_amount_cents', 'last_charge_status']


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=300, seed=13)


def member_rows(sandbox):
    """``(id, attributes, entitled tier ids)`` of every member, read through the client."""
    api = patreon.API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True)
    rows = []
    for member in api.paginate(api.get_campaigns_by_id_members, sandbox.campaign_id, page_size=100,
                               includes=['currently_entitled_tiers'], fields={'member': MEMBER_FIELDS}):
        tiers = [tier.id() for tier in member.relationship('currently_entitled_tiers')]
        rows.append((member.id(), dict((name, member.attribute(name)) for name in MEMBER_FIELDS), tiers))
    return rows


# -- generated data ------------------------------------------------------------------------------------------------


def test_gifts_annual_pledges_and_free_trials_look_as_on_the_live_service(sb):
    amounts = dict((tier_id, sb.world.tiers[tier_id].amount_cents) for tier_id in sb.tier_ids)
    gifts, annual, trials = [], [], []
    for member_id, attributes, tiers in member_rows(sb):
        if attributes['is_gifted']:
            gifts.append(member_id)
            # 0 cents, yet a real (paid) tier: an amount gate refuses, a tier gate admits
            assert attributes['currently_entitled_amount_cents'] == 0
            assert len(tiers) == 1 and amounts[tiers[0]] > 0
            assert attributes['patron_status'] == 'active_patron'
        elif attributes['pledge_cadence'] == 12 and attributes['patron_status'] == 'active_patron':
            annual.append(member_id)
            # a year's amount: a $10/month tier shows 12000
            assert attributes['currently_entitled_amount_cents'] == 12 * amounts[tiers[0]]
            assert attributes['will_pay_amount_cents'] == 12 * amounts[tiers[0]]
        if attributes['is_free_trial']:
            trials.append(member_id)
            assert attributes['last_charge_status'] == 'Free Trial' and len(tiers) == 1
    assert gifts and annual and trials


def test_the_kinds_of_members_are_the_same_for_a_seed_and_differ_for_another(sb):
    with Sandbox(members=300, seed=13) as again, Sandbox(members=300, seed=14) as other:
        rows, again_rows, other_rows = member_rows(sb), member_rows(again), member_rows(other)
    assert rows == again_rows
    assert [attributes for _, attributes, _ in rows] != [attributes for _, attributes, _ in other_rows]


@pytest.mark.parametrize('kind, cadence, gifted, trial', [
    ('monthly', 1, False, False),
    ('annual', 12, False, False),
    ('gift', 1, True, False),
    ('free_trial', 1, False, True),
])
def test_a_pledge_of_each_kind(sb, kind, cadence, gifted, trial):
    tier_id = sb.tier_ids[3]
    member_id = sb.pledge(tier_id, kind=kind)
    api = patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True)
    member = api.get_members_by_id(member_id, includes=['currently_entitled_tiers'],
                                   fields={'member': MEMBER_FIELDS}).data()
    monthly = sb.world.tiers[tier_id].amount_cents
    assert member.attribute('pledge_cadence') == cadence
    assert member.attribute('is_gifted') is gifted and member.attribute('is_free_trial') is trial
    assert member.attribute('currently_entitled_amount_cents') == (0 if gifted else monthly * cadence)
    assert member.attribute('will_pay_amount_cents') == (0 if gifted else monthly * cadence)
    assert [tier.id() for tier in member.relationship('currently_entitled_tiers')] == [tier_id]


def test_a_pledge_of_an_unknown_kind_is_refused(sb):
    with pytest.raises(ValueError):
        sb.pledge(sb.tier_ids[1], kind='yearly')


# -- faults as in the field notes ----------------------------------------------------------------------------------


def test_an_html_401_is_an_unauthorized_that_says_its_body_was_not_json(fresh):
    fresh.inject_fault('identity', 'unauthorized_html')
    answer = requests.get(fresh.url + '/api/oauth2/v2/identity',
                          headers={'Authorization': 'Bearer ' + fresh.creator_token})
    assert answer.status_code == 401 and answer.headers['Content-Type'].startswith('text/html')
    fresh.inject_fault('identity', 'unauthorized_html')
    api = patreon.API(fresh.creator_token, base_url=fresh.url)  # raises even without raise_errors
    with pytest.raises(InvalidUnauthorizedResponse) as raised:
        api.get_identity()
    assert isinstance(raised.value, Unauthorized) and isinstance(raised.value, InvalidResponse)
    assert raised.value.status_code == 401 and 'not JSON' in str(raised.value)
    assert fresh.creator_token not in str(raised.value)


def test_an_html_401_for_an_expired_token_is_refreshed_past(fresh):
    # The live service has answered an expired token's 401 as an HTML page: a refresh still follows.
    api, tokens, stored = refreshing_api(fresh)
    fresh.inject_fault('identity', 'unauthorized_html')
    assert api.get_identity().data().id() == fresh.creator_user_id
    assert token_request_count(fresh) == 1 and len(stored) == 1


@pytest.mark.parametrize('status', [502, 503])
def test_a_load_balancers_json_without_errors_is_a_server_error(fresh, status):
    fresh.inject_fault('identity', 'json_server_error', status=status)
    answer = requests.get(fresh.url + '/api/oauth2/v2/identity')
    assert answer.status_code == status and 'errors' not in answer.json() and answer.json()['message']
    fresh.inject_fault('identity', 'json_server_error', count=2, status=status)
    result = patreon.API(fresh.creator_token, base_url=fresh.url, retry=None).get_identity()
    assert isinstance(result, ErrorDocument) and result['errors']  # errors added: 'errors' in resp holds
    with pytest.raises(ServerError) as raised:
        result.data()
    assert raised.value.status_code == status
    with pytest.raises(ServerError):
        patreon.API(fresh.creator_token, base_url=fresh.url, retry=None, raise_errors=True).get_identity()


def test_a_maintenance_page_with_status_200_is_an_invalid_response_never_data(fresh):
    fresh.inject_fault('campaigns/{id}', 'maintenance', count=3)
    answer = requests.get(fresh.url + '/api/oauth2/v2/campaigns/' + fresh.campaign_id)
    assert answer.status_code == 200 and 'maintenance' in answer.text
    for raise_errors in (False, True):
        api = patreon.API(fresh.creator_token, base_url=fresh.url, raise_errors=raise_errors)
        with pytest.raises(InvalidResponse) as raised:
            api.get_campaigns_by_id(fresh.campaign_id)
        assert raised.value.status_code == 200 and 'not JSON' in str(raised.value)


def test_a_stalled_listing_ends_in_a_pagination_error(fresh):
    fresh.inject_fault(MEMBERS_ROUTE, 'stall', count=100)
    api = patreon.API(fresh.creator_token, base_url=fresh.url)
    with pytest.raises(PaginationError):
        for _ in api.paginate(api.get_campaigns_by_id_members, fresh.campaign_id, page_size=50):
            pass


def test_a_trickled_answer_is_the_real_answer_sent_slowly(fresh):
    headers = {'Authorization': 'Bearer ' + fresh.creator_token}
    expected = requests.get(fresh.url + '/api/oauth2/v2/identity', headers=headers).json()['data']
    fresh.inject_fault('identity', 'trickle', chunk=256, interval=0.01)
    answer = requests.get(fresh.url + '/api/oauth2/v2/identity', headers=headers)
    assert answer.status_code == 200 and answer.json()['data'] == expected


def test_a_trickling_body_ends_in_a_total_timeout_not_data(fresh):
    # A byte every half second: each read comes well within `timeout`, the whole answer would take minutes.
    fresh.inject_fault('identity', 'trickle', chunk=1, interval=0.5)
    api = patreon.API(fresh.creator_token, base_url=fresh.url, timeout=patreon.Timeout(30, 30, total=1.0))
    with pytest.raises(TotalTimeout):
        api.get_identity()


@pytest.mark.parametrize('kind, options', [
    ('trickle', {'chunk': 0}),
    ('trickle', {'interval': 0}),
    ('trickle', {'interval': 'slow'}),
    ('json_server_error', {'status': 404}),
    ('maintenance', {'status': 503}),
])
def test_nonsense_options_of_the_new_faults_are_refused(sb, kind, options):
    with pytest.raises(ValueError):
        sb.inject_fault('identity', kind, **options)


# -- a 401 for a missing scope -------------------------------------------------------------------------------------


def test_a_401_for_a_missing_scope_names_it_and_no_refresh_fixes_it(fresh):
    tokens = fresh.issue_tokens(scopes=['identity', 'campaigns'])
    answer = requests.get(fresh.url + '/api/oauth2/v2/campaigns/%s/members' % fresh.campaign_id,
                          headers={'Authorization': 'Bearer ' + tokens['access_token']})
    assert answer.status_code == 401
    assert "'campaigns.members'" in answer.json()['errors'][0]['detail']
    oauth = patreon.OAuth(fresh.client_id, fresh.client_secret, base_url=fresh.url)
    api = patreon.API(tokens['access_token'], base_url=fresh.url, raise_errors=True,
                      refresh_token=tokens['refresh_token'], refresh=patreon.RefreshPolicy(oauth))
    with pytest.raises(Unauthorized) as raised:
        api.get_campaigns_by_id_members(fresh.campaign_id, 10)
    assert token_request_count(fresh) == 1  # one refresh was tried: its token has the same scopes
    assert "'campaigns.members'" in raised.value.errors[0]['detail']
    assert api.access_token != tokens['access_token']
    refreshed = requests.get(fresh.url + '/api/oauth2/v2/campaigns/%s/members' % fresh.campaign_id,
                             headers={'Authorization': 'Bearer ' + api.access_token})
    assert refreshed.status_code == 401 and "'campaigns.members'" in refreshed.json()['errors'][0]['detail']
    with pytest.raises(Unauthorized):
        api.get_campaigns_by_id_members(fresh.campaign_id, 10)
    assert token_request_count(fresh) == 1  # and not again
    assert api.get_identity().data().id() == fresh.creator_user_id  # the scopes it has still work
