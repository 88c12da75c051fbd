# -*- coding: utf-8 -*-
"""Lives (early access): the requests the client sends, the sandbox's state machine and scopes, and the stream key
kept out of every log line, repr and message."""
from __future__ import absolute_import, division, print_function, unicode_literals

import datetime
import logging

import pytest
import requests
import responses

import patreon
from helpers import ACCESS_TOKEN, API_URL, FixedOffset, http_fixture, json_body, load_fixture  # noqa: F401 (`http`)
from patreon.exceptions import APIError, InvalidArgument, InvalidResponse, NotFound, Unauthorized
from patreon.api import ErrorDocument
from patreon.schemas import live, live_access_rule, schema_for_type

STREAM_KEY = 'sk_live_Q8wE3rT6yU9iO2pA5sD7fG'


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=20, seed=5)


def creator_api(sb, **kwargs):
    return patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True, **kwargs)


# -- the requests, against the documented shapes ------------------------------------------------

def test_get_lives_by_id_sends_the_route_and_reads_the_documented_live(http):
    http.add(responses.GET, API_URL + 'lives/810001', json=load_fixture('live.json'))

    doc = patreon.API(ACCESS_TOKEN).get_lives_by_id(810001, includes=['live_access_rules'],
                                                    fields={'live': ['title', 'state']})

    assert http.calls[0].request.url == (API_URL + 'lives/810001?fields%5Blive%5D=title%2Cstate'
                                         '&include=live_access_rules')
    resource = doc.data()
    assert (resource.type(), resource.id(), resource.attribute('state')) == ('live', '810001', 'pre_live')
    rule = resource.relationship('live_access_rules')[0]
    assert (rule.type(), rule.attribute('access_rule_type')) == ('live-access-rule', 'tier')


def test_create_live_sends_only_what_is_given(http):
    http.add(responses.POST, API_URL + 'lives', json=load_fixture('live.json'), status=201)
    http.add(responses.POST, API_URL + 'lives', json=load_fixture('live.json'), status=201)
    api = patreon.API(ACCESS_TOKEN)

    api.create_live()
    api.create_live('pre_live', title='Studio session', description='Sketching',
                    scheduled_for=datetime.datetime(2026, 5, 1, 20, 0, tzinfo=FixedOffset(2)),
                    live_access_rule_ids=[720003, ' 720004 '])

    assert json_body(http.calls[0].request) == {'data': {'type': 'live', 'attributes': {'state': 'pre_live'}}}
    assert http.calls[0].request.headers['Content-Type'] == 'application/json'
    assert json_body(http.calls[1].request) == {'data': {'type': 'live', 'attributes': {
        'state': 'pre_live', 'title': 'Studio session', 'description': 'Sketching',
        'scheduled_for': '2026-05-01T18:00:00+00:00', 'live_access_rule_ids': ['720003', '720004']}}}


def test_update_live_and_delete_live_send_the_documented_requests(http):
    http.add(responses.PATCH, API_URL + 'lives/810001', json=load_fixture('live.json'))
    http.add(responses.DELETE, API_URL + 'lives/810001', status=204)
    api = patreon.API(ACCESS_TOKEN)

    api.update_live('810001', 'live')
    assert api.delete_live(810001) is None

    assert json_body(http.calls[0].request) == {'data': {'id': '810001', 'type': 'live',
                                                         'attributes': {'state': 'live'}}}
    assert http.calls[1].request.method == 'DELETE'


@pytest.mark.parametrize('call', [
    lambda api: api.create_live('prelive'),
    lambda api: api.create_live(state=None),
    lambda api: api.update_live(1, 'ended'),
    lambda api: api.create_live(title=7),
    lambda api: api.create_live(scheduled_for=datetime.date(2026, 5, 1)),
    lambda api: api.create_live(live_access_rule_ids={'a': 1}),
    lambda api: api.create_live(live_access_rule_ids=['1', None]),
    lambda api: api.get_lives_by_id(''),
    lambda api: api.delete_live(' '),
], ids=['unknown-state', 'no-state', 'unknown-next-state', 'title-not-text', 'date-not-datetime', 'rules-dict',
        'rule-none', 'empty-id', 'blank-id'])
def test_bad_arguments_are_refused_before_anything_is_sent(http, call):
    with pytest.raises(InvalidArgument):
        call(patreon.API(ACCESS_TOKEN, raise_errors=True))
    assert not http.calls


def test_live_schemas_are_found_by_their_types():
    assert schema_for_type('live') is live
    assert schema_for_type('live-access-rule') is live_access_rule
    assert live.STATES == ('pre_live', 'live', 'live_ended')
    assert (live.Attributes.stream_key, live.Attributes.rtmp_url, live.Relationships.live_access_rules) == (
        'stream_key', 'rtmp_url', 'live_access_rules')
    assert (live_access_rule.Attributes.access_rule_type, live_access_rule.Relationships.tier) == (
        'access_rule_type', 'tier')


# -- the stream key is a credential -----------------------------------------------------------------

def test_an_error_echoing_the_stream_key_never_shows_it(http):
    http.add(responses.PATCH, API_URL + 'lives/810001', status=400, json={'errors': [{
        'code_name': 'ParameterInvalid', 'status': '400', 'title': 'Invalid parameter',
        'detail': 'live with stream_key: {} and "rtmp_url": "rtmps://live.patreon.com:443/app/{}" cannot move'.format(
            STREAM_KEY, STREAM_KEY)}]})
    http.add(responses.PATCH, API_URL + 'lives/810001', status=400, json={'errors': [{
        'status': '400', 'stream_key': STREAM_KEY, 'detail': 'stream_key={}'.format(STREAM_KEY)}]})
    http.add(responses.GET, API_URL + 'lives/810001', status=502, content_type='text/html',
             body='<html><pre>{"stream_key": "%s"}</pre></html>' % STREAM_KEY)

    with pytest.raises(APIError) as raised:
        patreon.API(ACCESS_TOKEN, raise_errors=True).update_live(810001, 'live')
    document = patreon.API(ACCESS_TOKEN).update_live(810001, 'live')
    with pytest.raises(InvalidResponse) as page:
        patreon.API(ACCESS_TOKEN, raise_errors=True, retry=None).get_lives_by_id(810001)

    assert isinstance(document, ErrorDocument)
    for text in (str(raised.value), repr(raised.value), str(document), repr(document), str(document.error),
                 str(page.value)):
        assert STREAM_KEY not in text and 'sk_live' not in text
    assert 'cannot move' in str(raised.value)


def test_the_stream_key_never_reaches_a_log_line_or_a_repr(sb, caplog):
    caplog.set_level(logging.DEBUG)
    api = creator_api(sb)
    doc = api.create_live(title='Caught on tape')
    created = doc.data()
    stream_key = created.attribute('stream_key')
    api.get_lives_by_id(created.id(), fields={'live': ['stream_key', 'rtmp_url']})
    with pytest.raises(APIError) as raised:
        api.update_live(created.id(), 'live_ended')

    assert stream_key and created.attribute('rtmp_url').endswith(stream_key)
    for text in (caplog.text, repr(doc), repr(created), repr(api), str(raised.value)):
        assert stream_key not in text


# -- the sandbox: Patreon's semantics, over loopback --------------------------------------------------

def test_a_live_goes_pre_live_then_live_then_ended_and_is_deleted_with_a_204(sb):
    api = creator_api(sb)
    rule_ids = [rule.id() for rule in api.get_campaigns_by_id(
        sb.campaign_id, includes=['live_access_rules']).data().relationship('live_access_rules')]
    created = api.create_live(title='Studio', description='Sketching', live_access_rule_ids=rule_ids[:1],
                              scheduled_for=datetime.datetime(2026, 5, 1, 18, 0)).data()
    assert created.attributes() == {
        'title': 'Studio', 'description': 'Sketching', 'state': 'pre_live',
        'scheduled_for': '2026-05-01T18:00:00+00:00', 'stream_key': created.attribute('stream_key'),
        'rtmp_url': created.attribute('rtmp_url')}

    assert api.update_live(created.id(), 'live').data().attribute('state') == 'live'
    fetched = api.get_lives_by_id(created.id(), includes=['live_access_rules'], fields={'live': ['state']})
    assert fetched.data().attributes() == {'state': 'live'}
    assert [rule.id() for rule in fetched.data().relationship('live_access_rules')] == rule_ids[:1]
    assert api.update_live(created.id(), 'live_ended').data().attribute('state') == 'live_ended'

    response = requests.delete(sb.url + '/api/oauth2/v2/lives/' + created.id(),
                               headers={'Authorization': 'Bearer ' + sb.creator_token})
    assert (response.status_code, response.content) == (204, b'')
    with pytest.raises(NotFound):
        api.get_lives_by_id(created.id())
    with pytest.raises(NotFound):
        api.delete_live(created.id())


@pytest.mark.parametrize('path', [('live', 'pre_live'), ('live_ended',), ('pre_live',), ('live', 'live'),
                                  ('live', 'live_ended', 'live'), ('live', 'live_ended', 'pre_live')])
def test_any_other_transition_is_a_400_and_changes_nothing(sb, path):
    api = creator_api(sb)
    live_id = api.create_live().data().id()
    for state in path[:-1]:
        api.update_live(live_id, state)

    with pytest.raises(APIError) as raised:
        api.update_live(live_id, path[-1])

    assert raised.value.status_code == 400
    expected = path[-2] if len(path) > 1 else 'pre_live'
    assert api.get_lives_by_id(live_id, fields={'live': ['state']}).data().attribute('state') == expected


@pytest.mark.parametrize('body', [
    {'data': {'type': 'live', 'attributes': {'title': 'no state'}}},
    {'data': {'type': 'webhook', 'attributes': {'state': 'pre_live'}}},
    {'data': {'type': 'live', 'attributes': {'state': 'live_ended'}}},
    {'data': {'type': 'live', 'attributes': {'state': 'pre_live', 'scheduled_for': 'tomorrow'}}},
    {'data': {'type': 'live', 'attributes': {'state': 'pre_live', 'live_access_rule_ids': ['1']}}},
], ids=['no-state', 'wrong-type', 'born-ended', 'bad-date', 'foreign-rule'])
def test_the_sandbox_refuses_what_patreon_would(sb, body):
    response = requests.post(sb.url + '/api/oauth2/v2/lives', json=body,
                             headers={'Authorization': 'Bearer ' + sb.creator_token})
    assert response.status_code == 400
    assert response.json()['errors'][0]['status'] == '400'


def test_lives_need_their_scopes_and_belong_to_their_creator(sb):
    live_id = creator_api(sb).create_live().data().id()
    read_only = sb.issue_tokens(scopes=['campaigns.lives'])
    without = sb.issue_tokens(scopes=['identity', 'campaigns'])
    patron = sb.issue_tokens(user_id=sb.patron_user_id)

    reader = patreon.API(read_only['access_token'], base_url=sb.url, raise_errors=True)
    assert reader.get_lives_by_id(live_id).data().id() == live_id
    with pytest.raises(Unauthorized) as write:
        reader.update_live(live_id, 'live')
    with pytest.raises(Unauthorized):
        patreon.API(without['access_token'], base_url=sb.url, raise_errors=True).get_lives_by_id(live_id)
    with pytest.raises(APIError) as foreign:
        patreon.API(patron['access_token'], base_url=sb.url, raise_errors=True).delete_live(live_id)

    assert 'w:campaigns.lives' in str(write.value)
    assert foreign.value.status_code == 403
    assert creator_api(sb).get_lives_by_id(live_id, fields={'live': ['state']}).data().attribute('state') == 'pre_live'


def test_campaigns_carry_their_live_access_rules_currency_and_name(sb):
    doc = creator_api(sb).get_campaigns_by_id(
        sb.campaign_id, includes=['live_access_rules.tier'],
        fields={'campaign': ['currency', 'name'], 'live-access-rule': ['access_rule_type']})
    campaign = doc.data()
    rules = campaign.relationship('live_access_rules')

    assert campaign.attribute('currency') == 'USD' and campaign.attribute('name')
    assert [rule.attribute('access_rule_type') for rule in rules][:2] == ['public', 'patron']
    tiers = [rule.relationship('tier') for rule in rules if rule.attribute('access_rule_type') == 'tier']
    assert tiers and all(tier is not None and tier.id() in sb.tier_ids for tier in tiers)


def test_the_client_knows_the_states_of_the_schema():
    assert patreon.api.LIVE_STATES == live.STATES
