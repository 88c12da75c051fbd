"""patreon.entitlements.is_active_patron: the decision table of docs/entitlements.md, case by option, odd values.

The members are JSON:API documents built here, shaped as Patreon sends them (the members route, and
``get_identity`` with ``memberships``): each campaign tier is in ``included`` with its ``amount_cents``.
"""
from __future__ import unicode_literals

import io
import os
import pickle
import re

import pytest
import six
from hypothesis import given, settings, strategies as st

from patreon.entitlements import (MissingFieldError, PLEDGE_EVENT_FIELDS, REQUIRED_FIELDS, TIER_FIELDS,
                                  entitled_tier_ids, is_active_patron, monthly_amount_cents, pledged_tier_id)
from patreon.exceptions import InvalidArgument
from patreon.jsonapi.parser import JSONAPIParser

from helpers import REPO_ROOT, load_fixture
from reliability_report import examples

#: The campaign's tiers: id -> amount_cents (a month's price).
TIERS = {'t0': 0, 't5': 500, 't10': 1000, 't20': 2000, 't50': 5000}


def tier_resources(prices):
    return [{'type': 'tier', 'id': tier_id, 'attributes': {'amount_cents': price}}
            for tier_id, price in sorted(prices.items())]


def campaign_resource(prices):
    """The member's campaign as ``campaign.tiers`` includes it: its ``tiers`` name the tiers priced in ``prices``."""
    return {'type': 'campaign', 'id': 'c1', 'relationships': {
        'tiers': {'data': [{'type': 'tier', 'id': tier_id} for tier_id in sorted(prices)]}}}


def member_resource(tiers, attributes, history=None):
    resource = {'type': 'member', 'id': 'm1', 'attributes': attributes, 'relationships': {
        'currently_entitled_tiers': {'data': [{'type': 'tier', 'id': tier_id} for tier_id in tiers]},
        'campaign': {'data': {'type': 'campaign', 'id': 'c1'}}}}
    if history is not None:
        resource['relationships']['pledge_history'] = {'data': [
            {'type': 'pledge-event', 'id': event['id']} for event in history]}
    return resource


def pledge_events(*events):
    """``pledge-event`` resources from ``(date, tier_id)`` pairs, as ``pledge_history`` includes them."""
    return [{'type': 'pledge-event', 'id': 'e{}'.format(index),
             'attributes': {'date': date, 'tier_id': tier_id, 'type': 'pledge_start', 'amount_cents': 2000}}
            for index, (date, tier_id) in enumerate(events)]


def member(tiers=('t20',), via='members', prices=None, history=None, campaign_tiers=True, **changes):
    """An active $20-a-month patron, changed by ``changes``, as the ``via`` route returns it.

    ``prices``: the tiers in ``included`` (default: every tier of the campaign, as ``campaign.tiers`` gives).
    ``history``: pledge-event resources, included as the ``pledge_history`` relationship.
    ``campaign_tiers``: whether the campaign and its ``tiers`` are included (``campaign.tiers``).
    """
    attributes = {'patron_status': 'active_patron', 'currently_entitled_amount_cents': 2000, 'pledge_cadence': 1,
                  'is_free_trial': False, 'is_gifted': False}
    attributes.update(changes)
    attributes = dict((name, value) for name, value in attributes.items() if value is not ABSENT)
    prices = TIERS if prices is None else prices
    included = tier_resources(prices) + [campaign_resource(prices)] * campaign_tiers + list(history or [])
    resource = member_resource(tiers, attributes, history)
    if via == 'identity':
        document = {'data': {'type': 'user', 'id': 'u1', 'relationships': {
            'memberships': {'data': [{'type': 'member', 'id': 'm1'}]}}}, 'included': [resource] + included}
        return JSONAPIParser(document).data().relationship('memberships')[0]
    return JSONAPIParser({'data': resource, 'included': included}).data()


ABSENT = object()  # an attribute that was not fetched

#: The $20 tier's patron whose tier the creator deleted: listed with no tier; the pledge events still name it.
DELETED_TIER = dict(tiers=[], history=pledge_events(('2025-01-05T10:00:00.000+00:00', 't5'),
                                                    ('2025-03-05T10:00:00.000+00:00', 't20')))
#: Each case of the documented decision table: the member's tiers and attributes.
CASES = {
    'active': dict(tiers=['t20']),
    # Patreon keeps a declined patron entitled while it retries the charge, then lists nothing.
    'declined, retrying': dict(tiers=['t20'], patron_status='declined_patron', last_charge_status='Declined'),
    'declined, retries over': dict(tiers=[], patron_status='declined_patron', currently_entitled_amount_cents=0,
                                   last_charge_status='Declined'),
    # A cancelled patron is former at once, and entitled to the end of the period paid for.
    'cancelled, paid up': dict(tiers=['t20'], patron_status='former_patron', next_charge_date=None),
    'former': dict(tiers=[], patron_status='former_patron', currently_entitled_amount_cents=0),
    'never pledged': dict(tiers=[], patron_status=None, currently_entitled_amount_cents=0, pledge_cadence=None),
    'free tier': dict(tiers=['t0'], currently_entitled_amount_cents=0),
    'free trial': dict(tiers=['t20'], is_free_trial=True),
    # As a live webhook sent one: a trial of the tier, its amount, and no cadence.
    'free trial, null cadence': dict(tiers=['t20'], is_free_trial=True, pledge_cadence=None),
    'gifted': dict(tiers=['t20'], is_gifted=True, currently_entitled_amount_cents=0),
    'annual': dict(tiers=['t10'], currently_entitled_amount_cents=12000, pledge_cadence=12),
    'tier above': dict(tiers=['t50'], currently_entitled_amount_cents=5000),
    'tier below': dict(tiers=['t5'], currently_entitled_amount_cents=500),
    'tier deleted': dict(tiers=[]),
    'tier deleted, history': DELETED_TIER,
}

#: The options, as the documented table's columns name them.
OPTIONS = [
    ('', {}),
    ('allow_free_trial=False', {'allow_free_trial': False}),
    ('allow_gifted=False', {'allow_gifted': False}),
    ('min_amount_cents=1000', {'min_amount_cents': 1000}),
    ('min_amount_cents=2000', {'min_amount_cents': 2000}),
    ('tier=TIER_20', {'tier': 't20'}),
    ('min_tier=TIER_20', {'min_tier': 't20'}),
    ('allow_declined=False', {'allow_declined': False}),
    ('allow_former=False', {'allow_former': False}),
]

#: The answers: one column per option, in the order of OPTIONS.
TABLE = {
    'active':                   'Y Y Y Y Y Y Y Y Y',
    'declined, retrying':       'Y Y Y Y Y Y Y N Y',
    'declined, retries over':   'N N N N N N N N N',
    'cancelled, paid up':       'Y Y Y Y Y Y Y Y N',
    'former':                   'N N N N N N N N N',
    'never pledged':            'N N N N N N N N N',
    'free tier':                'N N N N N N N N N',
    'free trial':               'Y N Y Y Y Y Y Y Y',
    'free trial, null cadence': 'Y N Y Y Y Y Y Y Y',  # a null cadence is monthly
    'gifted':                   'Y Y N Y Y Y Y Y Y',
    'annual':                   'Y Y Y Y N N N Y Y',  # $10 a month, paid as 12000 a year
    'tier above':               'Y Y Y Y Y N Y Y Y',  # $50 a month: a $20 page opens with min_tier, not with tier
    'tier below':               'Y Y Y N N N N Y Y',
    'tier deleted':             'Y Y Y Y Y N N Y Y',  # paying, no tier listed, no pledge_history to name it
    'tier deleted, history':    'Y Y Y Y Y Y Y Y Y',  # the latest pledge event names the $20 tier
}


def table_cells():
    for case, answers in sorted(TABLE.items()):
        for (option, kwargs), answer in zip(OPTIONS, answers.split()):
            yield case, option, kwargs, answer == 'Y'


@pytest.mark.parametrize('via', ['members', 'identity'])
@pytest.mark.parametrize('case,option,kwargs,expected', list(table_cells()))
def test_decision_table(case, option, kwargs, expected, via):
    assert is_active_patron(member(via=via, **CASES[case]), **kwargs) is expected


def test_a_declined_or_cancelled_patron_keeps_only_what_patreon_entitles():
    retrying = CASES['declined, retrying']
    for status in ('declined_patron', 'former_patron'):
        # The status alone grants nothing: without an entitled amount (or a gift's tier) the answer is no.
        assert not is_active_patron(member(**dict(retrying, patron_status=status, currently_entitled_amount_cents=0)))
        assert is_active_patron(member(**dict(retrying, patron_status=status, currently_entitled_amount_cents=1)))
    # A gift whose giver's payment was declined: the tier Patreon lists still counts, unless refused.
    gift = dict(CASES['gifted'], patron_status='declined_patron')
    assert is_active_patron(member(**gift)) and not is_active_patron(member(**gift), allow_declined=False)
    # Each refusal is about its own status only.
    assert is_active_patron(member(**retrying), allow_former=False)
    assert is_active_patron(member(**CASES['cancelled, paid up']), allow_declined=False)
    assert not is_active_patron(member(**retrying), allow_declined=False, tier='t20')


@pytest.mark.parametrize('status', ['declined', 'former', 'Active_patron', 'active_patron ', 'paused_patron', ''])
def test_only_the_statuses_patreon_documents_count(status):
    assert not is_active_patron(member(patron_status=status))


def test_a_free_trial_with_a_null_cadence_is_monthly():
    # Shaped as a live members:pledge:create delivery: a trial of a $1 tier, 100 cents, pledge_cadence null.
    delivery = {'data': {'type': 'member', 'id': 'm7', 'attributes': {
        'patron_status': 'active_patron', 'currently_entitled_amount_cents': 100, 'pledge_cadence': None,
        'is_free_trial': True, 'is_gifted': False, 'last_charge_status': 'Free Trial', 'will_pay_amount_cents': 100},
        'relationships': {'currently_entitled_tiers': {'data': [{'type': 'tier', 'id': '81'}]}}},
        'included': [{'type': 'tier', 'id': '81', 'attributes': {'amount_cents': 100, 'title': 'One dollar'}}]}
    trial = JSONAPIParser(delivery).data()
    assert monthly_amount_cents(trial) == 100
    assert is_active_patron(trial, min_amount_cents=100) and not is_active_patron(trial, min_amount_cents=101)
    assert not is_active_patron(trial, min_amount_cents=100, allow_free_trial=False)
    with pytest.raises(MissingFieldError):  # null is a value Patreon sent; an absent cadence was not asked for
        is_active_patron(member(pledge_cadence=ABSENT), min_amount_cents=100)


def test_a_deleted_tier_is_read_from_the_latest_pledge_event():
    assert pledged_tier_id(member(**DELETED_TIER)) == 't20'
    assert pledged_tier_id(member(**CASES['tier deleted'])) is None  # pledge_history was not included
    assert PLEDGE_EVENT_FIELDS == ['date', 'tier_id']
    # Latest by the instant, whatever the offset or order: 09:30+00:00 comes after 10:00+01:00.
    events = pledge_events(('2025-03-05T09:30:00Z', 't50'), ('2025-03-05T10:00:00.000+01:00', 't5'))
    assert pledged_tier_id(member(tiers=[], history=events)) == 't50'
    assert pledged_tier_id(member(tiers=[], history=list(reversed(events)))) == 't50'
    # A tier no longer in the document: tier= names it; min_tier= has no price to compare, so it refuses.
    gone = member(tiers=[], history=pledge_events(('2025-03-05T10:00:00Z', 'old-gold')))
    assert is_active_patron(gone, tier=['t20', 'old-gold']) and not is_active_patron(gone, tier='t20')
    assert not is_active_patron(gone, min_tier='t5')


@pytest.mark.parametrize('events', [
    [],
    [('2025-03-05T10:00:00Z', 't20'), ('2025-03-05T11:00:00+01:00', 't5')],  # the same instant, two tiers
    [('2025-03-05T10:00:00Z', None)],
    [('2025-03-05T10:00:00Z', 20)],
    [('2025-03-05T10:00:00Z', 't20'), ('yesterday', 't5')],
    [('2025-03-05 10:00:00', 't20')],
    [('2025-13-45T10:00:00Z', 't20')],
])
def test_a_pledge_history_that_names_no_single_tier_keeps_the_refusal(events):
    m = member(tiers=[], history=pledge_events(*events))
    assert pledged_tier_id(m) is None
    assert not is_active_patron(m, tier='t20') and not is_active_patron(m, min_tier='t5')
    assert is_active_patron(m)  # the entitled amount alone still decides without a tier gate


def test_the_pledge_history_counts_only_for_a_paying_member_listed_with_no_tier():
    history = DELETED_TIER['history']
    assert not is_active_patron(member(tiers=['t5'], history=history, currently_entitled_amount_cents=500),
                                tier='t20')  # a listed tier is Patreon's answer
    former = member(tiers=[], history=history, patron_status='former_patron', currently_entitled_amount_cents=0)
    assert not is_active_patron(former, tier='t20')  # Patreon entitles no amount


def test_a_pledge_event_without_its_fields_raises_naming_the_field():
    for name in PLEDGE_EVENT_FIELDS:
        events = pledge_events(('2025-03-05T10:00:00Z', 't20'))
        del events[0]['attributes'][name]
        m = member(tiers=[], history=events)
        assert is_active_patron(m)  # without a tier gate, the events are not read
        with pytest.raises(MissingFieldError) as raised:
            is_active_patron(m, tier='t20')
        assert raised.value.field == name and 'PLEDGE_EVENT_FIELDS' in str(raised.value)


def test_the_tier_gate_takes_resources_references_and_lists():
    above = member(**CASES['tier above'])
    gate = JSONAPIParser({'data': tier_resources({'t20': 2000})[0]}).data()
    assert is_active_patron(above, min_tier=gate)
    assert not is_active_patron(member(**CASES['tier below']), min_tier=gate)
    reference = above.relationship_info('currently_entitled_tiers').resource_reference()[0]
    assert is_active_patron(above, min_tier=reference)  # its own tier: the same price is enough
    both = member(tiers=['t5', 't50'], currently_entitled_amount_cents=5500)
    assert is_active_patron(both, tier='t50') and is_active_patron(both, tier=['t99', 't5'])
    assert not is_active_patron(both, tier=['t20']) and not is_active_patron(both, tier=[])
    assert is_active_patron(both, min_tier='t50') and not is_active_patron(both, min_tier=gate_of(5001))


def test_a_gate_tier_id_is_priced_from_the_campaign_or_the_members_own_tiers_never_from_another_member():
    # Without campaign.tiers, t50 is in the page only because another member holds it: the answer for the $20
    # patron would then depend on who else shares its page (on a page of $20 patrons alone, it raised).
    holder = member_resource(['t50'], {'patron_status': 'active_patron', 'currently_entitled_amount_cents': 5000,
                                       'pledge_cadence': 1})
    holder['id'] = 'm2'
    page = JSONAPIParser({'data': [member_resource(['t20'], dict(member().attributes())), holder],
                          'included': tier_resources(TIERS)}).data()
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(page[0], min_tier='t50')
    assert "'campaign.tiers'" in str(raised.value)
    assert is_active_patron(page[1], min_tier='t50')  # its own tier is priced whatever the page holds
    assert not is_active_patron(member(), min_tier='t50') and is_active_patron(member(), min_tier='t5')


def test_a_gate_tier_its_campaign_does_not_list_is_an_invalid_argument():
    for via in ('members', 'identity'):
        with pytest.raises(InvalidArgument) as raised:
            is_active_patron(member(via=via), min_tier='999')
        assert str(raised.value) == "min_tier '999' is not a tier of the member's campaign (its tiers: {})".format(
            ', '.join("'{}'".format(tier_id) for tier_id in sorted(TIERS)))


@pytest.mark.parametrize('listed', [[{'type': 'tier', 'id': 50}], [None, 5], [{'type': 'tier', 'id': b't50'}],
                                    [{'type': 'tier', 'id': 't50'}, {'type': 'goal', 'id': 'g1'}]])
def test_a_campaign_tier_list_that_cannot_be_read_counts_as_not_fetched(listed):
    m = member(**CASES['tier above'])
    campaign = [item for item in m.document.json_data['included'] if item['type'] == 'campaign'][0]
    campaign['relationships']['tiers']['data'] = listed
    with pytest.raises(MissingFieldError):  # not an InvalidArgument blaming the gate: the list says nothing sure
        is_active_patron(m, min_tier='t20')
    assert is_active_patron(m, min_tier='t50')  # the member's own tier is priced all the same


def gate_of(price):
    return JSONAPIParser({'data': {'type': 'tier', 'id': 'gate', 'attributes': {'amount_cents': price}}}).data()


def test_tier_ids_compare_as_text():
    m = member(tiers=['77001', '77002'])
    assert is_active_patron(m, tier=77001) and not is_active_patron(m, tier=77003)
    tier = JSONAPIParser({'data': {'type': 'tier', 'id': '77002'}}).data()
    assert is_active_patron(m, tier=tier)


def test_an_annual_patron_is_compared_by_the_month():
    annual = member(**CASES['annual'])
    assert is_active_patron(annual, min_amount_cents=1000)
    assert not is_active_patron(annual, min_amount_cents=1001)
    assert not is_active_patron(annual, min_amount_cents=5000)  # 12000 cents is no $50 a month
    assert 'pledge_cadence' in REQUIRED_FIELDS


@pytest.mark.parametrize('amount,cadence,expected', [
    (12000, 12, 1000), (2000, 1, 2000), (1000, 12, 1000 / 12.0), (0, None, 0), (0, 'x', 0),
    (2000, None, 2000), (100, None, 100), (2000, 0, None), (2000, 'null', None), (2000, True, None),
    ('2000', 1, None), (2000.0, 1, None),
    (float('nan'), 1, None), (None, 1, None), (-100, 1, None),
])
def test_monthly_amount_cents(amount, cadence, expected):
    got = monthly_amount_cents(member(currently_entitled_amount_cents=amount, pledge_cadence=cadence))
    assert got == expected and type(got) is type(expected)


def test_monthly_amount_cents_needs_the_cadence_of_an_amount():
    assert monthly_amount_cents(member(currently_entitled_amount_cents=0, pledge_cadence=ABSENT)) == 0
    with pytest.raises(MissingFieldError) as raised:
        monthly_amount_cents(member(pledge_cadence=ABSENT))
    assert raised.value.field == 'pledge_cadence'


def test_a_gift_is_worth_its_tier_and_needs_a_real_one():
    gift = CASES['gifted']
    assert is_active_patron(member(**gift), min_amount_cents=2000)
    assert not is_active_patron(member(**gift), min_amount_cents=2001)
    assert not is_active_patron(member(**dict(gift, tiers=[])))  # a gift of nothing
    assert not is_active_patron(member(**dict(gift, tiers=['t0'])))  # of the free tier
    assert is_active_patron(member(prices={}, **gift))  # a tier entitled, its price not fetched: a real tier
    assert not is_active_patron(member(**dict(gift, is_gifted='true')))  # only a JSON true is a gift
    assert not is_active_patron(member(**dict(gift, tiers=[7])))  # a reference without a text id is no tier


@pytest.mark.parametrize('via', ['members', 'identity'])
@pytest.mark.parametrize('absent,kwargs', [
    ('is_free_trial', {'allow_free_trial': False}),
    ('is_gifted', {'allow_gifted': False}),
    ('pledge_cadence', {'min_amount_cents': 500}),
])
def test_a_refusal_that_cannot_be_checked_raises_naming_the_field(absent, kwargs, via):
    m = member(via=via, **{absent: ABSENT})
    assert is_active_patron(m)  # without the option, the field is not needed
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(m, **kwargs)
    assert raised.value.field == absent and "'{}'".format(absent) in six.text_type(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_zero_cent_member_without_is_gifted_fetched_raises_rather_than_lock_a_gift_out_in_silence():
    # Gifted patrons are entitled with 0 cents: without the flag, they would all be refused and nothing would say so.
    for case in ('gifted', 'former', 'free tier'):
        with pytest.raises(MissingFieldError) as raised:
            is_active_patron(member(**dict(CASES[case], is_gifted=ABSENT)))
        assert raised.value.field == 'is_gifted' and "fields={'member': REQUIRED_FIELDS}" in str(raised.value)
    assert is_active_patron(member(**dict(CASES['active'], is_gifted=ABSENT)))  # paying: the flag is not read
    # A paying member, asked to refuse gifts: the answer must be checkable.
    with pytest.raises(MissingFieldError):
        is_active_patron(member(**dict(CASES['active'], is_gifted=ABSENT)), allow_gifted=False)


def test_missing_attribute_says_what_to_request():
    bare = JSONAPIParser({'data': {'type': 'member', 'id': 'm1'}}).data()
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(bare)
    assert raised.value.field == 'patron_status' and "fields={'member': REQUIRED_FIELDS}" in str(raised.value)
    assert set(REQUIRED_FIELDS) >= set(['patron_status', 'currently_entitled_amount_cents', 'pledge_cadence',
                                        'is_free_trial', 'is_gifted'])
    assert TIER_FIELDS == ['amount_cents']


def without_relationship(via):
    m = member(via=via)
    del m.json_data['relationships']['currently_entitled_tiers']
    return m


@pytest.mark.parametrize('via,expected,not_expected', [
    ('members', "includes=['currently_entitled_tiers']", 'memberships'),
    ('identity', "'memberships.currently_entitled_tiers'", "includes=['currently_entitled_tiers']"),
])
def test_hints_name_the_includes_of_the_route_the_member_came_from(via, expected, not_expected):
    m = without_relationship(via)
    assert is_active_patron(m)
    for kwargs in ({'tier': 't20'}, {'min_tier': 't20'}):
        with pytest.raises(MissingFieldError) as raised:
            is_active_patron(m, **kwargs)
        assert raised.value.field == 'currently_entitled_tiers'
        assert expected in str(raised.value) and not_expected not in str(raised.value)
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(member(via=via, prices={}), min_tier=gate_of(2000))
    assert raised.value.field == 'amount_cents' and "fields={'tier': ['amount_cents']}" in str(raised.value)
    assert expected in str(raised.value)
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(member(via=via, is_gifted=ABSENT), allow_gifted=False)
    assert ("includes=['memberships']" in str(raised.value)) is (via == 'identity')


@pytest.mark.parametrize('via,expected', [('members', "'campaign.tiers'"),
                                          ('identity', "'memberships.campaign.tiers'")])
def test_a_tier_gate_whose_price_is_unknown_raises(via, expected):
    m = member(via=via, prices={'t20': 2000}, campaign_tiers=False)  # the gate tier (t50) is not in the document
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(m, min_tier='t50')
    assert raised.value.field == 'amount_cents' and 't50' in str(raised.value) and expected in str(raised.value)
    unpriced = JSONAPIParser({'data': {'type': 'tier', 'id': 't50'}}).data()
    with pytest.raises(MissingFieldError):
        is_active_patron(m, min_tier=unpriced)
    assert not is_active_patron(member(via=via, **CASES['former']), min_tier='t99')  # refused first


def test_missing_field_error_pickles_with_its_field():
    with pytest.raises(MissingFieldError) as raised:
        is_active_patron(member(is_gifted=ABSENT), allow_gifted=False)
    copy = pickle.loads(pickle.dumps(raised.value))
    assert copy.field == 'is_gifted' and six.text_type(copy) == six.text_type(raised.value)


@pytest.mark.parametrize('kwargs', [
    {'min_amount_cents': '500'}, {'min_amount_cents': float('nan')}, {'min_amount_cents': float('inf')},
    {'min_amount_cents': True}, {'min_amount_cents': [500]}, {'allow_free_trial': 0}, {'allow_gifted': 'no'},
    {'allow_gifted': None}, {'min_tier': ['t20', 't50']}, {'allow_declined': 'no'}, {'allow_former': None},
])
def test_options_of_the_wrong_type_are_refused(kwargs):
    with pytest.raises(InvalidArgument):
        is_active_patron(member(), **kwargs)


def test_a_finite_float_minimum_is_a_number_of_cents():
    assert is_active_patron(member(), min_amount_cents=1999.5)
    assert not is_active_patron(member(), min_amount_cents=2000.5)


def test_fixture_members():
    page = JSONAPIParser(load_fixture('campaign_members_page1.json')).data()
    decided = [is_active_patron(m, allow_free_trial=False, allow_gifted=False, min_amount_cents=500)
               for m in page]
    assert decided == [True, False, False]
    assert entitled_tier_ids(page[0]) == set(['77002'])
    identity = JSONAPIParser(load_fixture('identity_with_memberships.json')).data()
    membership = identity.relationship('memberships')[0]
    assert is_active_patron(membership, tier='77001') and is_active_patron(membership, min_tier='77001')


def test_entitled_tier_ids_keep_text_ids_only():
    m = member(tiers=['t5'])
    m.json_data['relationships']['currently_entitled_tiers']['data'] += [
        {'type': 'tier', 'id': 7}, {'type': 'tier', 'id': ['x']}, {'type': 'tier'}, 'junk']
    assert entitled_tier_ids(m) == set(['t5'])
    m.json_data['relationships']['currently_entitled_tiers'] = {'data': {'type': 'tier', 'id': 't5'}}
    assert entitled_tier_ids(m) == set()  # a to-many relationship that is not a list lists nothing


# Odd values: whatever is not of the type Patreon documents for a field never grants --------------------------

ODD = st.one_of(
    st.none(), st.booleans(), st.text(max_size=8), st.binary(max_size=8),
    st.floats(), st.sampled_from([float('nan'), float('inf'), float('-inf'), 2000.0, 1e300]),
    st.sampled_from(['2000', '12000', '1', 'true', 'active_patron ', 'ACTIVE_PATRON']),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
ODD_COUNT = st.one_of(ODD, st.integers(max_value=-1))  # a negative count of cents or months is odd too
ODD_FLAG = ODD.filter(lambda value: not isinstance(value, bool))
ODD_STATUS = ODD.filter(lambda value: as_text(value) != 'active_patron')


def as_text(value):
    # Python 2's binary() is its native str: compared as text, like the library does, without a UnicodeWarning.
    return value.decode('utf-8', 'replace') if six.PY2 and isinstance(value, bytes) else value

#: Where an odd value goes, the member case it spoils, and the options under which that field decides.
SPOILS = [
    ('patron_status', ODD_STATUS, 'active', OPTIONS),
    ('currently_entitled_amount_cents', ODD_COUNT, 'active', OPTIONS),
    ('currently_entitled_amount_cents', ODD_COUNT, 'gifted', OPTIONS),
    ('pledge_cadence', st.one_of(ODD_COUNT, st.just(0)).filter(lambda value: value is not None), 'annual',
     OPTIONS[3:5]),
    ('is_gifted', ODD_FLAG, 'gifted', OPTIONS),
    ('is_gifted', ODD_FLAG, 'active', OPTIONS[2:3]),
    ('is_free_trial', ODD_FLAG, 'active', OPTIONS[1:2]),
    ('amount_cents', ODD_COUNT, 'tier above', OPTIONS[6:7]),
    ('amount_cents', ODD_COUNT, 'gifted', OPTIONS[3:5]),
]


@settings(max_examples=examples(600), deadline=None, database=None)
@given(st.data())
def test_odd_values_never_grant(data):
    field, values, case, options = data.draw(st.sampled_from(SPOILS))
    value = data.draw(values)
    option, kwargs = data.draw(st.sampled_from(options))
    via = data.draw(st.sampled_from(['members', 'identity']))
    attributes = dict(CASES[case])
    tiers = attributes.pop('tiers')
    attributes.pop('history', None)
    if field == 'amount_cents':  # the price of the member's tier
        m = member(tiers=tiers, via=via, prices=dict(TIERS, **{tiers[0]: value}), **attributes)
    else:
        attributes[field] = value
        m = member(tiers=tiers, via=via, **attributes)
    assert is_active_patron(m, **kwargs) is False, (field, value, case, option)


@settings(max_examples=examples(300), deadline=None, database=None)
@given(st.one_of(ODD, st.integers(max_value=-1)), st.sampled_from([gate_of, None]))
def test_an_odd_price_of_the_gate_tier_never_grants(value, make_gate):
    gate = gate_of(value) if make_gate else 't20'
    m = member(**CASES['tier above']) if make_gate else member(prices=dict(TIERS, t20=value), **CASES['tier above'])
    assert is_active_patron(m, min_tier=gate) is False


# The decision table of docs/entitlements.md is this module's TABLE -----------------------------------------------

def documented_table():
    with io.open(os.path.join(REPO_ROOT, 'docs', 'entitlements.md'), encoding='utf-8') as handle:
        text = handle.read()
    section = text.split('\n## ', 1)[0]  # the table opens the page
    rows = [[cell.strip() for cell in line.strip().strip('|').split('|')]
            for line in section.splitlines() if line.startswith('|') and not re.match(r'^\|[-| :]+\|$', line)]
    return rows[0], rows[1:]


def test_the_documented_decision_table_is_the_tested_one():
    header, rows = documented_table()
    assert [cell.strip('`') for cell in header[1:]] == [option or 'no option' for option, _ in OPTIONS]
    answers = dict((row[0].split(':')[0].strip('*'), ' '.join('Y' if cell == 'yes' else 'N' for cell in row[1:]))
                   for row in rows)
    assert answers == TABLE


# A hostile or broken answer: references that are not tiers, counts past a float, options that name no tier ------

def with_references(m, references):
    m.json_data['relationships']['currently_entitled_tiers']['data'] = references
    return m


@pytest.mark.parametrize('case', ['active', 'gifted'])
def test_a_reference_that_is_not_a_tier_names_no_tier(case):
    attributes = dict(CASES[case])
    attributes.pop('tiers')
    # The campaign's id and price-like attribute, listed among the entitled tiers, must not pass for a tier.
    m = member(tiers=[], **attributes)
    m.document.json_data['included'].append({'type': 'campaign', 'id': 't50', 'attributes': {'amount_cents': 9999}})
    with_references(m, [{'type': 'campaign', 'id': 't50'}, {'id': 't50'}, {'type': 'tiers', 'id': 't50'}])
    assert entitled_tier_ids(m) == set()
    assert not is_active_patron(m, tier='t50')
    assert not is_active_patron(m, min_tier='t20')
    if case == 'gifted':  # a gift needs a real tier entitled, and is worth that tier's price only
        assert not is_active_patron(m)
        assert not is_active_patron(m, min_amount_cents=1000)


def test_a_tier_price_counts_only_for_a_reference_with_a_text_id():
    m = with_references(member(tiers=[], prices=dict(TIERS)), [{'type': 'tier', 'id': 7}])
    m.document.json_data['included'].append({'type': 'tier', 'id': 7, 'attributes': {'amount_cents': 9999}})
    assert not is_active_patron(m, min_tier='t20')


@pytest.mark.parametrize('gate', [
    {'type': 'member', 'id': 'm9', 'attributes': {'amount_cents': 1}},
    {'type': 'campaign', 'id': 'c1', 'attributes': {'amount_cents': 1}},
    {'id': 'x', 'attributes': {'amount_cents': 1}},
])
def test_a_min_tier_that_is_not_a_tier_is_refused(gate):
    with pytest.raises(InvalidArgument):
        is_active_patron(member(**CASES['tier below']), min_tier=JSONAPIParser({'data': gate}).data())


@pytest.mark.parametrize('kwargs', [
    {'tier': [None]}, {'tier': ['t20', None]}, {'tier': True}, {'tier': 20.0}, {'tier': [['t20']]},
    {'tier': {'t20': 1}}, {'min_tier': True}, {'min_tier': 20.0}, {'min_tier': {'id': 't20'}},
])
def test_a_tier_option_that_names_no_tier_is_refused(kwargs):
    # Never the text 'None' or 'True' compared with the tiers' ids.
    m = member(tiers=['t20', 'None', 'True', '20.0'], prices=dict(TIERS, **{'None': 0, 'True': 0, '20.0': 0}))
    with pytest.raises(InvalidArgument):
        is_active_patron(m, **kwargs)


def test_a_tier_id_given_as_utf8_bytes_is_its_text():
    prices = dict(TIERS)
    prices['\u0163'] = 100
    m = member(tiers=['t20', '\u0163'], prices=prices)
    assert is_active_patron(m, tier=b't20') and is_active_patron(m, tier=['\u0163'.encode('utf-8')])
    assert is_active_patron(m, min_tier=b't20')
    with pytest.raises(InvalidArgument):
        is_active_patron(m, tier=b'\xff')


def test_counts_past_a_float_are_decided_not_raised():
    huge = 10 ** 400
    m = member(currently_entitled_amount_cents=huge, pledge_cadence=3)
    assert is_active_patron(m, min_amount_cents=1e300) and is_active_patron(m, min_amount_cents=2000.5)
    assert monthly_amount_cents(m) is None  # a monthly worth no float holds is not a count Patreon documents
    annual = member(currently_entitled_amount_cents=12000, pledge_cadence=huge)
    assert not is_active_patron(annual, min_amount_cents=0.5) and is_active_patron(annual, min_amount_cents=0.0)
    assert monthly_amount_cents(annual) == 0.0  # 12000 over more months than a float counts
    exact = member(currently_entitled_amount_cents=huge * 12, pledge_cadence=12)
    assert monthly_amount_cents(exact) == huge
