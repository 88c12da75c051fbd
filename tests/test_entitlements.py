"""patreon.entitlements.is_active_patron: each case of the documented rules."""
import pytest

from patreon.entitlements import MissingFieldError, REQUIRED_FIELDS, entitled_tier_ids, is_active_patron
from patreon.jsonapi.parser import JSONAPIParser

from helpers import load_fixture


def member(tiers=('77002',), **attributes):
    values = {'patron_status': 'active_patron', 'currently_entitled_amount_cents': 500,
              'is_free_trial': False, 'is_gifted': False}
    values.update(attributes)
    document = {'data': {'type': 'member', 'id': 'm1', 'attributes': values, 'relationships': {
        'currently_entitled_tiers': {'data': [{'type': 'tier', 'id': t} for t in tiers]}}}}
    return JSONAPIParser(document).data()


def test_paying_active_patron():
    assert is_active_patron(member())


@pytest.mark.parametrize('status', ['declined_patron', 'former_patron', None])
def test_not_active(status):
    assert not is_active_patron(member(patron_status=status))


def test_free_tier_follower_is_not_paying():
    assert not is_active_patron(member(currently_entitled_amount_cents=0, tiers=['77000']))
    assert not is_active_patron(member(currently_entitled_amount_cents=None))


def test_free_trials_and_gifts_count_unless_refused():
    trial, gift = member(is_free_trial=True), member(is_gifted=True)
    assert is_active_patron(trial) and is_active_patron(gift)
    assert not is_active_patron(trial, allow_free_trial=False)
    assert not is_active_patron(gift, allow_gifted=False)
    assert is_active_patron(gift, allow_free_trial=False)


def test_tier_by_id_resource_or_list():
    m = member(tiers=['77001', '77002'])
    assert is_active_patron(m, tier='77002') and is_active_patron(m, tier=77001)
    assert not is_active_patron(m, tier='99')
    assert is_active_patron(m, tier=['99', '77001'])
    tier = JSONAPIParser({'data': {'type': 'tier', 'id': '77002'}}).data()
    assert is_active_patron(m, tier=tier)


def test_minimum_amount():
    assert is_active_patron(member(currently_entitled_amount_cents=500), min_amount_cents=500)
    assert not is_active_patron(member(currently_entitled_amount_cents=499), min_amount_cents=500)


def test_fixture_members():
    page = JSONAPIParser(load_fixture('campaign_members_page1.json')).data()
    decided = [is_active_patron(m, allow_free_trial=True) for m in page]
    assert decided == [True, False, False]
    assert entitled_tier_ids(page[0]) == set(['77002'])


def test_missing_attribute_says_what_to_request():
    bare = JSONAPIParser({'data': {'type': 'member', 'id': 'm1'}}).data()
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(bare)
    assert 'patron_status' in str(raised.value) and isinstance(raised.value, ValueError)
    assert set(REQUIRED_FIELDS) >= set(['patron_status', 'currently_entitled_amount_cents'])


def test_missing_relationship_when_a_tier_is_asked():
    m = JSONAPIParser({'data': {'type': 'member', 'id': 'm1', 'attributes': {
        'patron_status': 'active_patron', 'currently_entitled_amount_cents': 100}}}).data()
    assert is_active_patron(m)
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(m, tier='1')
    assert 'currently_entitled_tiers' in str(raised.value)
