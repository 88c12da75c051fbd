# -*- coding: utf-8 -*-
"""The sandbox's API v2: fields, includes, pagination, scopes, errors, determinism, fixture shapes."""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import datetime
import hashlib
import json
import os
import socket
import subprocess
import sys

import pytest
import requests
from six.moves import http_client
from six.moves.urllib.parse import parse_qs, urlsplit

from patreon.sandbox import Sandbox
from patreon.sandbox._paging import encode_cursor
from patreon.sandbox._records import utc_now
from patreon.sandbox._resources import ALL_SCOPES, View
from test_sandbox_support import SandboxClient, error_of, load_fixture

EPOCH = datetime.datetime(2026, 10, 1)
MEMBER_ATTRIBUTES = (
    'campaign_lifetime_support_cents,currently_entitled_amount_cents,email,full_name,is_follower,'
    'is_free_trial,is_gifted,last_charge_date,last_charge_status,lifetime_support_cents,next_charge_date,'
    'note,patron_status,pledge_cadence,pledge_relationship_start,will_pay_amount_cents')


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=240, seed=3, epoch=EPOCH)


@pytest.fixture
def api(sb):
    client = SandboxClient(sb)
    yield client
    client.close()


def other_campaign_ids(sb):
    return sorted(set(sb.world.campaigns) - set([sb.campaign_id]))


def patron_api(sb, scopes=ALL_SCOPES):
    return SandboxClient(sb, sb.issue_tokens(sb.patron_user_id, scopes=scopes)['access_token'])


# -- life cycle --------------------------------------------------------------------------------


def test_url_and_identities_are_strings_and_the_url_has_no_trailing_slash(sb):
    assert sb.url.startswith('http://127.0.0.1:') and not sb.url.endswith('/')
    for value in (sb.campaign_id, sb.creator_user_id, sb.patron_user_id, sb.client_id, sb.client_secret,
                  sb.creator_token, sb.creator_refresh_token, sb.redirect_uri):
        assert isinstance(value, type('')) and value
    assert len(sb.tier_ids) >= 4
    assert sb.creator_token not in repr(sb) and sb.client_secret not in repr(sb)


def test_start_and_stop_open_and_close_the_port():
    sandbox = Sandbox(members=3)
    with pytest.raises(RuntimeError):
        sandbox.url
    assert 'stopped' in repr(sandbox)
    sandbox.start()
    port = urlsplit(sandbox.url).port
    session = requests.Session()
    answer = session.get(sandbox.url + '/api/oauth2/v2/identity',
                         headers={'Authorization': 'Bearer ' + sandbox.creator_token})
    assert answer.status_code == 200
    assert sandbox.start() is sandbox  # already running: same server
    sandbox.stop()
    sandbox.stop()  # idempotent
    probe = socket.socket()
    with pytest.raises(socket.error):
        probe.connect(('127.0.0.1', port))
    probe.close()
    with pytest.raises(requests.ConnectionError):
        session.get('http://127.0.0.1:%d/api/oauth2/v2/identity' % port, timeout=5)


def test_stop_drops_open_keep_alive_connections():
    sandbox = Sandbox(members=3).start()
    connection = http_client.HTTPConnection('127.0.0.1', urlsplit(sandbox.url).port, timeout=10)
    connection.request('GET', '/api/oauth2/v2/identity', headers={'Authorization': 'Bearer ' + sandbox.creator_token})
    assert connection.getresponse().read()

    class Gone(object):
        def shutdown(self, how):
            raise socket.error('already closed')

    sandbox._server._connections.add(Gone())  # a connection that closed while stopping
    sandbox.stop()
    assert connection.sock.recv(1) == b''  # the server hung up on the idle connection
    connection.close()


def test_tiers_are_cheapest_first_and_the_first_is_free(sb, api):
    answer = api.get('campaigns/%s' % sb.campaign_id, params={'include': 'tiers', 'fields[tier]': 'amount_cents'})
    tiers = dict((item['id'], item['attributes']['amount_cents']) for item in answer.json()['included'])
    amounts = [tiers[tier_id] for tier_id in sb.tier_ids]
    assert amounts[0] == 0 and amounts == sorted(amounts) and len(set(amounts)) == len(amounts)


def test_every_answer_has_a_request_id_a_length_and_the_jsonapi_type(sb, api):
    answers = [api.get('identity'), api.get('nowhere'), api.get('identity', token='bad')]
    ids = set()
    for answer in answers:
        ids.add(answer.headers['x-patreon-uuid'])
        assert answer.headers['Content-Type'] == 'application/vnd.api+json'
        assert int(answer.headers['Content-Length']) == len(answer.content)
    assert len(ids) == 3


def test_requests_are_recorded_and_the_log_can_be_cleared(sb, api):
    sb.clear_log()
    api.get('identity', params={'fields[user]': 'full_name'}, headers={'User-Agent': 'sandbox-test/1'})
    record = sb.requests[-1]
    assert (record.method, record.path, record.status) == ('GET', '/api/oauth2/v2/identity', 200)
    assert record.query == 'fields%5Buser%5D=full_name'
    assert record.headers['user-agent'] == 'sandbox-test/1' and record.headers.get('User-Agent') == 'sandbox-test/1'
    assert 'Authorization' in record.headers and sb.creator_token not in repr(record)
    sb.requests.clear()
    assert list(sb.requests) == []


def test_keep_alive_serves_several_requests_on_one_connection_without_user_agent(sb):
    connection = http_client.HTTPConnection('127.0.0.1', urlsplit(sb.url).port, timeout=10)
    headers = {'Authorization': 'Bearer ' + sb.creator_token}
    connection.request('GET', '/api/oauth2/v2/identity', headers=headers)
    first = connection.getresponse()
    assert first.status == 200 and json.loads(first.read().decode('utf-8'))['data']['type'] == 'user'
    sock = connection.sock
    connection.request('GET', '/api/oauth2/v2/campaigns', headers=headers)
    second = connection.getresponse()
    assert second.status == 200 and second.read()
    assert connection.sock is sock
    connection.close()


def test_a_chunked_request_body_is_read(sb):
    body = json.dumps({'data': {'type': 'webhook', 'attributes': {'triggers': ['members:create'],
                                                                   'uri': 'http://127.0.0.1:9/h'},
                                'relationships': {'campaign': {'data': {'type': 'campaign',
                                                                        'id': sb.campaign_id}}}}})
    raw = body.encode('utf-8')
    chunks = b'a;ext=1\r\n'  # 10 bytes, with a chunk extension
    chunks += raw[:10] + b'\r\n' + ('%x\r\n' % (len(raw) - 10)).encode('ascii') + raw[10:] + b'\r\n'
    chunks += b'0\r\nX-Trailer: yes\r\n\r\n'
    request = ('POST /api/oauth2/v2/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n'
               'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n'
               % sb.creator_token).encode('ascii') + chunks
    sock = socket.create_connection(('127.0.0.1', urlsplit(sb.url).port), timeout=10)
    sock.sendall(request)
    reply = b''
    while True:
        data = sock.recv(65536)
        if not data:
            break
        reply += data
    sock.close()
    assert reply.startswith(b'HTTP/1.1 201 ')
    webhook_id = json.loads(reply.split(b'\r\n\r\n', 1)[1].decode('utf-8'))['data']['id']
    assert SandboxClient(sb).delete('webhooks/%s' % webhook_id).status_code == 204


# -- fields and includes ------------------------------------------------------------------------


def test_without_fields_a_resource_is_only_type_and_id(sb, api):
    document = api.get('identity').json()
    assert document['data'] == {'type': 'user', 'id': sb.creator_user_id}
    assert set(document) == set(['data', 'links'])
    assert document['links']['self'] == sb.url + '/api/oauth2/v2/user/' + sb.creator_user_id


def test_only_requested_fields_come_back_and_unknown_ones_are_ignored(sb, api):
    answer = api.get('identity', params={'fields[user]': 'full_name,is_creator,no_such_field',
                                         'fields[campaign]': 'vanity'})
    assert answer.json()['data']['attributes'] == {'full_name': 'Mira Okonkwo', 'is_creator': True}
    empty = api.get('identity', params={'fields[user]': 'no_such_field'}).json()
    assert empty['data']['attributes'] == {}


def test_email_needs_its_scope(sb):
    with_email = patron_api(sb, ['identity', 'identity[email]'])
    without = patron_api(sb, ['identity'])
    params = {'fields[user]': 'email,full_name'}
    assert '@' in with_email.get('identity', params=params).json()['data']['attributes']['email']
    assert 'email' not in without.get('identity', params=params).json()['data']['attributes']


def test_the_creator_identity_includes_the_campaign(sb, api):
    document = api.get('identity', params={'include': 'campaign', 'fields[campaign]': 'vanity'}).json()
    relationship = document['data']['relationships']['campaign']
    assert relationship['data'] == {'type': 'campaign', 'id': sb.campaign_id}
    assert relationship['links']['related'] == sb.url + '/api/oauth2/v2/campaigns/' + sb.campaign_id
    assert document['included'] == [{'type': 'campaign', 'id': sb.campaign_id,
                                     'attributes': {'vanity': 'miraokonkwo'}}]


def test_a_patron_sees_all_memberships_only_with_identity_memberships(sb):
    params = {'include': 'memberships,campaign', 'fields[member]': 'patron_status'}
    limited = patron_api(sb, ['identity']).get('identity', params=params).json()
    memberships = limited['data']['relationships']['memberships']['data']
    assert len(memberships) == 1
    assert sb.world.members[memberships[0]['id']].campaign_id == sb.campaign_id
    assert limited['data']['relationships']['campaign'] == {'data': None}
    full = patron_api(sb, ['identity', 'identity.memberships']).get('identity', params=params).json()
    assert len(full['data']['relationships']['memberships']['data']) == 3
    assert [item['attributes']['patron_status'] for item in full['included']] == ['active_patron'] * 3


def test_dotted_includes_relate_included_resources(sb):
    document = patron_api(sb).get('identity', params={
        'include': 'memberships.campaign.tiers,memberships.currently_entitled_tiers',
        'fields[campaign]': 'creation_name'}).json()
    included = collections.defaultdict(list)
    for item in document['included']:
        included[item['type']].append(item)
    assert len(included['member']) == 3 and len(included['campaign']) == 3
    for member in included['member']:
        assert set(member['relationships']) == set(['campaign', 'currently_entitled_tiers'])
    for campaign in included['campaign']:
        assert 'creation_name' in campaign['attributes']
        assert len(campaign['relationships']['tiers']['data']) >= 2
    keys = [(item['type'], item['id']) for item in document['included']]
    assert len(keys) == len(set(keys))  # deduplicated: entitled tiers are also campaign tiers
    assert ('user', sb.patron_user_id) not in keys


def test_the_primary_resource_reached_again_is_not_included(sb):
    document = patron_api(sb).get('identity', params={'include': 'memberships.user'}).json()
    assert [item['type'] for item in document['included']] == ['member'] * 3
    assert document['included'][0]['relationships']['user']['data']['id'] == sb.patron_user_id


def test_a_resource_reached_by_two_paths_gets_both_relationships(sb, api):
    member_id = sb.world.campaigns[sb.campaign_id].member_ids[0]
    document = api.get('members/%s' % member_id, params={
        'include': 'currently_entitled_tiers.benefits,campaign.tiers.campaign,campaign.tiers.benefits'}).json()
    entitled = document['data']['relationships']['currently_entitled_tiers']['data'][0]['id']
    tier = next(item for item in document['included'] if item['id'] == entitled and item['type'] == 'tier')
    assert set(tier['relationships']) == set(['benefits', 'campaign'])
    keys = [(item['type'], item['id']) for item in document['included']]
    assert len(keys) == len(set(keys))


def test_a_creator_sees_only_the_memberships_of_their_own_campaign(sb, api):
    patron_member = sb.world.campaigns[sb.campaign_id].member_ids[0]
    document = api.get('members/%s' % patron_member, params={'include': 'user.memberships'}).json()
    user = next(item for item in document['included'] if item['type'] == 'user')
    assert user['relationships']['memberships']['data'] == [{'type': 'member', 'id': patron_member}]
    assert len(sb.world.users[sb.patron_user_id].membership_ids) == 3  # the other two stay private
    everything = View(sb.world, sb.url, full=True)
    assert len(everything.visible_memberships(sb.world.users[sb.patron_user_id])) == 3


def test_pledge_events_relate_to_their_campaign_patron_and_tier(sb, api):
    member_id = sb.world.campaigns[sb.campaign_id].member_ids[0]
    document = api.get('members/%s' % member_id, params={
        'include': 'pledge_history.campaign,pledge_history.patron,pledge_history.tier'}).json()
    events = [item for item in document['included'] if item['type'] == 'pledge-event']
    assert events
    for event in events:
        relationships = event['relationships']
        assert relationships['campaign']['data']['id'] == sb.campaign_id
        assert relationships['patron']['data']['id'] == sb.patron_user_id
        assert relationships['tier']['data']['type'] == 'tier'


@pytest.mark.parametrize('include', ['nothing', 'memberships.nothing', 'campaign.tiers.nope'])
def test_an_unknown_include_is_a_400(api, include):
    error = error_of(api.get('identity', params={'include': include}), 400)
    assert include.split('.')[-1] in error['detail']
    assert error['code_name'] == 'ParameterInvalidOnType'


def test_raw_brackets_are_a_400(sb):
    # requests would percent-encode them: send the request line as it is.
    connection = http_client.HTTPConnection('127.0.0.1', urlsplit(sb.url).port, timeout=10)
    connection.request('GET', '/api/oauth2/v2/identity?fields[user]=full_name',
                       headers={'Authorization': 'Bearer ' + sb.creator_token})
    answer = connection.getresponse()
    error = json.loads(answer.read().decode('utf-8'))['errors'][0]
    connection.close()
    assert answer.status == 400 and 'percent-encoded' in error['detail']


def test_an_empty_include_parameter_includes_nothing(api):
    document = api.get('identity', params={'include': ' , '}).json()
    assert 'included' not in document and 'relationships' not in document['data']


# -- campaigns -----------------------------------------------------------------------------------


def test_campaigns_lists_the_creator_campaign_with_its_includes(sb, api):
    document = api.get('campaigns', params={'include': 'tiers,creator,benefits,goals',
                                            'fields[campaign]': 'patron_count,vanity',
                                            'fields[benefit]': 'title,tiers_count'}).json()
    assert document['meta'] == {'pagination': {'total': 1}}
    campaign = document['data'][0]
    assert campaign['id'] == sb.campaign_id
    relationships = campaign['relationships']
    assert [tier['id'] for tier in relationships['tiers']['data']] == sb.tier_ids
    assert relationships['goals'] == {'data': []}
    assert relationships['creator']['data'] == {'type': 'user', 'id': sb.creator_user_id}
    types = collections.Counter(item['type'] for item in document['included'])
    assert types == {'tier': len(sb.tier_ids), 'user': 1, 'benefit': len(relationships['benefits']['data'])}
    benefits = [item for item in document['included'] if item['type'] == 'benefit']
    assert all(item['attributes']['tiers_count'] >= 1 for item in benefits)


def test_a_patron_has_no_campaigns(sb):
    assert patron_api(sb).get('campaigns').json() == {'data': [], 'meta': {'pagination': {'total': 0}}}


def test_campaign_full_attributes_and_patron_count_match_the_members(sb, api):
    names = 'created_at,creation_name,is_monthly,patron_count,pledge_url,summary,url,vanity,one_liner'
    campaign = api.get('campaigns/%s' % sb.campaign_id, params={'fields[campaign]': names}).json()['data']
    assert set(campaign['attributes']) == set(names.split(','))
    statuses = collections.Counter()
    for page in api.all_members(sb.campaign_id, {'fields[member]': 'patron_status'}, count=100):
        statuses.update(member['attributes']['patron_status'] for member in page['data'])
    assert campaign['attributes']['patron_count'] == statuses['active_patron']
    assert set(statuses) == set(['active_patron', 'declined_patron', 'former_patron', None])


def test_tier_patron_counts_add_up(sb, api):
    document = api.get('campaigns/%s' % sb.campaign_id,
                       params={'include': 'tiers', 'fields[tier]': 'patron_count',
                               'fields[campaign]': 'patron_count'}).json()
    paid = sum(item['attributes']['patron_count'] for item in document['included'])
    assert paid == document['data']['attributes']['patron_count']


def test_someone_elses_campaign_is_403_and_an_unknown_one_404(sb, api):
    assert error_of(api.get('campaigns/%s' % other_campaign_ids(sb)[0]), 403)['code_name'] == 'Forbidden'
    assert error_of(api.get('campaigns/1'), 404)['code_name'] == 'ResourceMissing'
    assert error_of(api.get('campaigns/%s/members' % other_campaign_ids(sb)[0]), 403)
    assert error_of(api.get('campaigns/1/posts'), 404)


# -- members and pagination ----------------------------------------------------------------------


def test_paging_through_a_campaign_returns_every_member_once(sb, api):
    pages = api.all_members(sb.campaign_id, {'include': 'user', 'fields[user]': 'full_name'}, count=7)
    ids = [member['id'] for page in pages for member in page['data']]
    assert len(ids) == len(set(ids)) == 240
    assert set(ids) == set(sb.world.campaigns[sb.campaign_id].member_ids)
    assert len(pages) == 35 and all(page['meta']['pagination']['total'] == 240 for page in pages)
    assert all(len(page['data']) == 7 for page in pages[:-1]) and len(pages[-1]['data']) == 240 % 7
    assert pages[-1]['meta']['pagination']['cursors'] == {'next': None}
    assert 'links' not in pages[-1]
    for page in pages:
        users = [member['relationships']['user']['data']['id'] for member in page['data']]
        assert sorted(users) == sorted(item['id'] for item in page['included'])


def test_links_next_is_the_same_request_with_the_cursor(sb, api):
    params = {'include': 'user,currently_entitled_tiers', 'page[count]': '3'}
    first = api.get('campaigns/%s/members' % sb.campaign_id, params=params).json()
    cursor = first['meta']['pagination']['cursors']['next']
    link = first['links']['next']
    assert link.startswith(sb.url + '/api/oauth2/v2/campaigns/%s/members?' % sb.campaign_id)
    assert link.endswith('&page%5Bcursor%5D=' + cursor) and 'page%5Bcount%5D=3' in link
    assert parse_qs(urlsplit(link).query)['include'] == ['user,currently_entitled_tiers']
    second = api.session.get(link, headers={'Authorization': 'Bearer ' + sb.creator_token}).json()
    again = api.get('campaigns/%s/members' % sb.campaign_id, params=dict(params, **{'page[cursor]': cursor}))
    assert second == again.json()
    assert [m['id'] for m in second['data']] == sb.world.campaigns[sb.campaign_id].member_ids[3:6]
    third = api.session.get(second['links']['next'], headers={'Authorization': 'Bearer ' + sb.creator_token})
    assert third.json()['links']['next'].count('page%5Bcursor%5D') == 1


def test_the_default_page_size_is_20(sb, api):
    assert len(api.get('campaigns/%s/members' % sb.campaign_id).json()['data']) == 20


@pytest.mark.parametrize('params, allowed', [
    ({'page[count]': '1000'}, True),
    ({'page[count]': '1001'}, False),
    ({'page[count]': '500', 'include': 'pledge_history'}, True),
    ({'page[count]': '501', 'include': 'pledge_history'}, False),
    ({'page[count]': '501', 'include': 'user'}, True),
    ({'page[count]': '0'}, False),
    ({'page[count]': 'ten'}, False),
    ({'page[cursor]': 'not-a-cursor'}, False),
    ({'page[cursor]': 'b2Zmc2V0OjEwMDAw'}, False),  # offset 10000: past the end
    ({'page[cursor]': 'aGVsbG8'}, False),  # decodes, but to no offset
    ({'page[cursor]': '\xe9t\xe9'}, False),
])
def test_page_limits_and_bad_cursors(sb, api, params, allowed):
    answer = api.get('campaigns/%s/members' % sb.campaign_id, params=params)
    if allowed:
        assert answer.status_code == 200
    else:
        assert error_of(answer, 400)['code_name'] == 'ParameterInvalid'


def test_member_population_has_every_kind(sb):
    api = SandboxClient(sb)
    params = {'fields[member]': MEMBER_ATTRIBUTES, 'include': 'address,currently_entitled_tiers,user',
              'fields[user]': 'full_name'}
    members = [m for page in api.all_members(sb.campaign_id, params, count=240) for m in page['data']]
    by_status = collections.defaultdict(list)
    for member in members:
        by_status[member['attributes']['patron_status']].append(member)
        assert set(member['attributes']) == set(MEMBER_ATTRIBUTES.split(','))
    trials = [m for m in members if m['attributes']['is_free_trial']]
    assert trials and all(m['attributes']['last_charge_status'] == 'Free Trial' for m in trials)
    assert [m for m in members if m['attributes']['is_gifted']]
    assert [m for m in members if m['attributes']['pledge_cadence'] == 12]
    addresses = [m['relationships']['address']['data'] for m in members]
    assert None in addresses and [a for a in addresses if a]
    tier_amounts = dict((tier_id, sb.world.tiers[tier_id].amount_cents) for tier_id in sb.tier_ids)
    kinds = collections.Counter()
    for member in by_status['active_patron']:
        attributes = member['attributes']
        tiers = member['relationships']['currently_entitled_tiers']['data']
        assert len(tiers) == 1  # a real tier, gifts included
        monthly = tier_amounts[tiers[0]['id']]
        assert monthly > 0
        if attributes['is_gifted']:
            # As the live service shows a gift: 0 cents, the tier still listed, nothing to pay.
            kinds['gift'] += 1
            expected, will_pay = 0, 0
        else:
            # An annual pledge covers the whole year: a $10/month tier shows 12000.
            kinds['annual' if attributes['pledge_cadence'] == 12 else 'monthly'] += 1
            expected = will_pay = monthly * attributes['pledge_cadence']
        assert (attributes['currently_entitled_amount_cents'], attributes['will_pay_amount_cents']) == (
            expected, will_pay)
    assert kinds['gift'] and kinds['annual'] and kinds['monthly']
    # Declined patrons inside the retries and cancelled ones inside the period paid for are still entitled,
    # as Patreon reports them; past those, nothing is entitled. Each kind is there.
    entitled = collections.Counter()
    for member in by_status['former_patron'] + by_status['declined_patron']:
        attributes = member['attributes']
        tiers = member['relationships']['currently_entitled_tiers']['data']
        still = bool(tiers)
        entitled[(attributes['patron_status'], still)] += 1
        assert attributes['currently_entitled_amount_cents'] == (tier_amounts[tiers[0]['id']] if still else 0)
        if attributes['patron_status'] == 'former_patron' and still:
            assert attributes['last_charge_status'] == 'Paid' and attributes['next_charge_date'] is None
    assert sorted(entitled) == [('declined_patron', False), ('declined_patron', True), ('former_patron', False),
                                ('former_patron', True)]
    assert all(m['attributes']['last_charge_status'] == 'Declined' for m in by_status['declined_patron'])
    assert all(m['attributes']['pledge_relationship_start'] is None for m in by_status[None])
    uuid_shape = [len(part) for part in members[0]['id'].split('-')]
    assert uuid_shape == [8, 4, 4, 4, 12] and members[0]['id'][14] == '4'


def test_some_names_are_not_ascii_and_some_have_emoji(sb):
    names = [sb.world.users[sb.world.members[member_id].user_id].full_name
             for member_id in sb.world.campaigns[sb.campaign_id].member_ids]
    assert [name for name in names if any(ord(ch) > 127 for ch in name)]
    assert [name for name in names if any(ord(ch) > 0xffff or 0xd800 <= ord(ch) < 0xdc00 for ch in name)]
    api = SandboxClient(sb)
    document = api.get('campaigns/%s/members' % sb.campaign_id,
                       params={'page[count]': '240', 'fields[member]': 'full_name'})
    assert '\\u' not in document.content.decode('utf-8')  # UTF-8 on the wire, not ASCII escapes
    served = [m['attributes']['full_name'] for m in document.json()['data']]
    assert sorted(served) == sorted(sb.world.users[sb.world.members[i].user_id].full_name
                                    for i in sb.world.campaigns[sb.campaign_id].member_ids)


def test_addresses_and_emails_need_their_scopes(sb):
    member_id = sb.world.campaigns[sb.campaign_id].member_ids[0]  # the default patron has an address
    params = {'include': 'address', 'fields[member]': 'email,full_name', 'fields[address]': 'city,country'}
    full = SandboxClient(sb).get('members/%s' % member_id, params=params).json()
    assert full['data']['relationships']['address']['data']['type'] == 'address'
    assert set(full['included'][0]['attributes']) == set(['city', 'country'])
    assert '@' in full['data']['attributes']['email']
    limited_scopes = ['campaigns', 'campaigns.members']
    limited = SandboxClient(sb, sb.issue_tokens(scopes=limited_scopes)['access_token'])
    document = limited.get('members/%s' % member_id, params=params).json()
    assert document['data']['relationships']['address'] == {'data': None}
    assert document['included'] == [] and 'email' not in document['data']['attributes']


def test_a_member_with_its_pledge_history_and_dotted_campaign_tiers(sb, api):
    members = sb.world.campaigns[sb.campaign_id].member_ids
    former = next(m for m in members if sb.world.members[m].patron_status == 'former_patron')
    document = api.get('members/%s' % former, params={
        'include': 'pledge_history.tier,campaign.tiers', 'fields[pledge-event]': 'type,amount_cents,date,tier_id',
        'fields[member]': 'patron_status'}).json()
    assert document['links']['self'] == sb.url + '/api/oauth2/v2/members/' + former
    history = [item for item in document['included'] if item['type'] == 'pledge-event']
    kinds = [event['attributes']['type'] for event in history]
    assert kinds[0] == 'pledge_start' and kinds[-1] == 'pledge_delete'
    for event in history:
        assert event['relationships']['tier']['data']['id'] == event['attributes']['tier_id']
    dates = [event['attributes']['date'] for event in history]
    assert dates == sorted(dates)
    campaign = next(item for item in document['included'] if item['type'] == 'campaign')
    assert [tier['id'] for tier in campaign['relationships']['tiers']['data']] == sb.tier_ids


def test_pledge_histories_cover_upgrades_downgrades_and_declines(sb):
    world = sb.world
    kinds = collections.Counter()
    for member_id in world.campaigns[sb.campaign_id].member_ids:
        member = world.members[member_id]
        history = world.pledge_history(member)
        kinds.update(event.kind for event in history)
        dates = [event.date for event in history]
        assert dates == sorted(dates) and all(date <= world.now() for date in dates)
        if history:
            assert history[-1].tier.id == member.tier_id and history[0].date == member.start
        if member.patron_status == 'active_patron' and member.next_charge_date is not None:
            assert member.next_charge_date > world.now()
    assert set(kinds) == set(['pledge_start', 'pledge_upgrade', 'pledge_downgrade', 'pledge_delete',
                              'subscription'])


def test_members_of_another_campaign_are_403_and_unknown_ones_404(sb, api):
    other = sb.world.campaigns[other_campaign_ids(sb)[0]].member_ids[0]
    assert error_of(api.get('members/%s' % other), 403)
    assert error_of(api.get('members/00000000-0000-4000-8000-000000000000'), 404)


# -- posts ---------------------------------------------------------------------------------------


def test_posts_are_paged_with_public_and_paid_ones(sb, api):
    params = {'fields[post]': 'title,is_public,is_paid,tiers,published_at,url', 'include': 'user,campaign',
              'page[count]': '10'}
    first = api.get('campaigns/%s/posts' % sb.campaign_id, params=params).json()
    assert first['meta']['pagination']['total'] == 25 and len(first['data']) == 10
    posts = list(first['data'])
    cursor = first['meta']['pagination']['cursors']['next']
    while cursor:
        page = api.get('campaigns/%s/posts' % sb.campaign_id, params=dict(params, **{'page[cursor]': cursor}))
        posts.extend(page.json()['data'])
        cursor = page.json()['meta']['pagination']['cursors']['next']
    assert len(set(post['id'] for post in posts)) == 25
    public = [post for post in posts if post['attributes']['is_public']]
    private = [post for post in posts if not post['attributes']['is_public']]
    assert public and private and all(post['attributes']['tiers'] for post in private)
    assert all(set(post['attributes']['tiers']) <= set(sb.tier_ids[1:]) for post in private)
    post = api.get('posts/%s' % posts[0]['id'], params={'include': 'user', 'fields[post]': 'title'}).json()
    assert post['data']['relationships']['user']['data']['id'] == sb.creator_user_id


def test_posts_of_another_campaign_are_403_and_unknown_ones_404(sb, api):
    other_post = sb.world.campaigns[other_campaign_ids(sb)[0]].post_ids[0]
    assert error_of(api.get('posts/%s' % other_post), 403)
    assert error_of(api.get('posts/1'), 404)


# -- authentication and scopes -------------------------------------------------------------------


@pytest.mark.parametrize('authorization', [None, 'Bearer', 'Bearer unknown-token', 'Basic abc', 'Bearer  '])
def test_a_missing_or_unknown_token_is_a_401_like_patreon(sb, authorization):
    headers = {'Authorization': authorization} if authorization else {}
    answer = requests.get(sb.url + '/api/oauth2/v2/identity', headers=headers)
    error = error_of(answer, 401)
    fixture = load_fixture('error_401.json')['errors'][0]
    assert set(error) == set(fixture)
    assert (error['code'], error['code_name'], error['title'], error['detail']) == (
        fixture['code'], fixture['code_name'], fixture['title'], fixture['detail'])


@pytest.mark.parametrize('path, scope', [
    ('identity', 'identity'),
    ('campaigns', 'campaigns'),
    ('campaigns/{campaign}', 'campaigns'),
    ('campaigns/{campaign}/members', 'campaigns.members'),
    ('members/{member}', 'campaigns.members'),
    ('campaigns/{campaign}/posts', 'campaigns.posts'),
    ('webhooks', 'w:campaigns.webhook'),
])
def test_each_route_needs_its_scope(sb, path, scope):
    path = path.format(campaign=sb.campaign_id, member=sb.world.campaigns[sb.campaign_id].member_ids[0])
    without = SandboxClient(sb, sb.issue_tokens(scopes=[s for s in ALL_SCOPES if s != scope])['access_token'])
    assert scope in error_of(without.get(path), 401)['detail']
    only = SandboxClient(sb, sb.issue_tokens(scopes=[scope])['access_token'])
    assert only.get(path).status_code == 200


def test_an_expired_token_is_a_401(sb):
    token = sb.issue_tokens()['access_token']
    api = SandboxClient(sb, token)
    assert api.get('identity').status_code == 200
    sb.expire_access_token(token)
    assert error_of(api.get('identity'), 401)['code_name'] == 'Unauthorized'


def test_unknown_paths_are_404_and_wrong_methods_405(sb, api):
    assert error_of(api.get('nothing/here'), 404)['code_name'] == 'ResourceMissing'
    assert error_of(requests.get(sb.url + '/'), 404)
    answer = api.delete('identity')
    assert error_of(answer, 405)['code_name'] == 'MethodNotAllowed'
    assert answer.headers['Allow'] == 'GET'
    assert error_of(api.request('PUT', 'webhooks'), 405)
    assert api.request('PATCH', 'webhooks').headers['Allow'] == 'GET, POST'


def test_a_sandbox_bug_answers_a_500_error_document(sb, api, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError('boom')

    monkeypatch.setattr(sb.application, 'get_identity', broken)
    error = error_of(api.get('identity'), 500)
    assert error['code_name'] == 'InternalServerError'
    assert 'boom' in caplog.text and sb.creator_token not in caplog.text
    monkeypatch.undo()
    assert api.get('identity').status_code == 200


def test_raw_brackets_are_fine_for_the_oauth_pages(sb):
    connection = http_client.HTTPConnection('127.0.0.1', urlsplit(sb.url).port, timeout=10)
    connection.request('GET', '/oauth2/authorize?response_type=code&client_id=%s&redirect_uri=%s'
                       '&scope=identity%%20identity[email]' % (sb.client_id, sb.redirect_uri))
    answer = connection.getresponse()
    answer.read()
    connection.close()
    assert answer.status == 302


def test_a_trailing_slash_is_the_same_route(api):
    assert api.get('identity/').status_code == 200


# -- determinism, scale and fixture shapes -------------------------------------------------------


def _page_bytes(sandbox, path, params):
    client = SandboxClient(sandbox)
    answer = client.get(path.format(campaign=sandbox.campaign_id), params=params)
    client.close()
    return answer.content.replace(sandbox.url.encode('ascii'), b'SANDBOX')


def test_the_same_seed_answers_the_same_bytes():
    params = {'include': 'user,currently_entitled_tiers,address,pledge_history,campaign',
              'fields[member]': MEMBER_ATTRIBUTES, 'fields[user]': 'full_name,email,social_connections',
              'fields[address]': 'city,line_1', 'fields[pledge-event]': 'type,date', 'page[count]': '50'}
    path = 'campaigns/{campaign}/members'
    with Sandbox(members=120, seed=11, epoch=EPOCH) as one, Sandbox(members=120, seed=11, epoch=EPOCH) as two:
        assert one.campaign_id == two.campaign_id and one.client_id == two.client_id
        assert _page_bytes(one, path, params) == _page_bytes(two, path, params)
        campaign_params = {'include': 'tiers,benefits', 'fields[campaign]': 'patron_count,summary',
                           'fields[tier]': 'title,amount_cents,patron_count'}
        assert (_page_bytes(one, 'campaigns/{campaign}', campaign_params)
                == _page_bytes(two, 'campaigns/{campaign}', campaign_params))
    with Sandbox(members=120, seed=12, epoch=EPOCH) as other:
        assert _page_bytes(other, path, params) != _page_bytes(one.start(), path, params)
    one.stop()


def test_the_default_epoch_is_the_start_of_this_month():
    world = Sandbox(members=1).world
    now = utc_now()
    assert (world.epoch.year, world.epoch.month, world.epoch.day) == (now.year, now.month, 1)
    assert abs(world.now() - (now - world.epoch).total_seconds()) < 60  # world time is real time
    pinned = Sandbox(members=1, epoch=EPOCH).world
    assert 0 <= pinned.now() - world.now() < 60  # as far into October 2026 as today is into this month


def test_a_hundred_thousand_members_are_served_page_by_page():
    with Sandbox(members=100000, seed=5, posts=3) as big:
        api = SandboxClient(big)
        ids = big.world.campaigns[big.campaign_id].member_ids
        first = api.get('campaigns/%s/members' % big.campaign_id,
                        params={'page[count]': '1000', 'include': 'user', 'fields[member]': 'patron_status'})
        document = first.json()
        assert document['meta']['pagination']['total'] == 100000 and len(document['data']) == 1000
        last = api.get('campaigns/%s/members' % big.campaign_id,
                       params={'page[count]': '1000', 'page[cursor]': encode_cursor(99500)}).json()
        assert [m['id'] for m in last['data']] == ids[99500:]
        assert last['meta']['pagination']['cursors']['next'] is None


def test_an_empty_campaign_still_has_a_patron_for_oauth():
    with Sandbox(members=0, posts=0) as empty:
        api = SandboxClient(empty)
        document = api.get('campaigns/%s/members' % empty.campaign_id).json()
        assert document['data'] == [] and document['meta']['pagination'] == {'total': 0, 'cursors': {'next': None}}
        patron = SandboxClient(empty, empty.issue_tokens(empty.patron_user_id)['access_token'])
        memberships = patron.get('identity', params={'include': 'memberships'}).json()
        assert len(memberships['data']['relationships']['memberships']['data']) == 2


def _shape(value):
    """Nested key sets of a document (lists reduced to the deep union of their items' shapes)."""
    if isinstance(value, dict):
        return dict((key, _shape(item)) for key, item in value.items())
    if isinstance(value, list):
        merged = None
        for item in value:
            merged = _union(merged, _shape(item))
        return [merged] if merged else []
    return None


def _union(one, two):
    if not isinstance(one, dict) or not isinstance(two, dict):
        return two if one is None else one
    union = dict(one)
    for key, value in two.items():
        union[key] = _union(union.get(key), value)
    return union


def _keys_within(fixture, ours, path=''):
    """Every key of the fixture's shape exists in ours, recursively."""
    if isinstance(fixture, dict):
        assert isinstance(ours, dict), path
        for key in fixture:
            assert key in ours, '%s.%s missing' % (path, key)
            _keys_within(fixture[key], ours[key], path + '.' + key)
    elif isinstance(fixture, list) and fixture:
        assert isinstance(ours, list) and ours, path
        _keys_within(fixture[0], ours[0], path + '[]')


def test_members_pages_have_the_fixture_shapes(sb, api):
    fixture = load_fixture('campaign_members_page1.json')
    names = ','.join(fixture['data'][0]['attributes'])
    params = {'include': 'user,currently_entitled_tiers,address', 'page[count]': '3', 'fields[member]': names,
              'fields[user]': 'full_name', 'fields[tier]': 'title,amount_cents,published'}
    # Start where an entitled member comes first, so the tier shows up in the first three.
    first = api.get('campaigns/%s/members' % sb.campaign_id, params=params).json()
    _keys_within(_shape(fixture), _shape(first))
    assert set(first['data'][0]['attributes']) == set(fixture['data'][0]['attributes'])
    last_fixture = load_fixture('campaign_members_page2.json')
    last = api.all_members(sb.campaign_id, params, count=120)[-1]
    _keys_within(_shape(last_fixture['meta']), _shape(last['meta']))
    member = api.get('members/%s' % first['data'][0]['id'], params=params).json()
    _keys_within(_shape(load_fixture('member.json')), _shape(member))


def test_identity_and_campaigns_have_the_fixture_shapes(sb, api):
    identity_fixture = load_fixture('identity_with_memberships.json')
    params = {'include': 'memberships.currently_entitled_tiers,memberships.campaign,campaign',
              'fields[user]': 'full_name,email,is_email_verified,image_url',
              'fields[member]': 'patron_status,currently_entitled_amount_cents,pledge_relationship_start',
              'fields[tier]': 'title,amount_cents'}
    identity = patron_api(sb).get('identity', params=params).json()
    _keys_within(_shape(identity_fixture), _shape(identity))
    campaigns_fixture = load_fixture('campaigns.json')
    campaigns = api.get('campaigns', params={
        'include': 'tiers,goals', 'fields[campaign]': 'creation_name,is_monthly,patron_count,pledge_url,url,vanity',
        'fields[tier]': 'title,amount_cents,published'}).json()
    _keys_within(_shape(campaigns_fixture), _shape(campaigns))
    assert set(campaigns['data'][0]['attributes']) == set(campaigns_fixture['data'][0]['attributes'])
    assert campaigns['data'][0]['attributes']['pledge_url'] == '/checkout/%s' % sb.campaign_id


def test_every_documented_attribute_exists(sb):
    documented = {
        'campaign': 'created_at, creation_name, discord_server_id, google_analytics_id, has_rss, '
                    'has_sent_rss_notify, image_small_url, image_url, is_charged_immediately, is_monthly, is_nsfw, '
                    'main_video_embed, main_video_url, one_liner, patron_count, pay_per_name, pledge_url, '
                    'published_at, rss_artwork_url, rss_feed_title, show_earnings, summary, thanks_embed, '
                    'thanks_msg, thanks_video_url, url, vanity',
        'member': MEMBER_ATTRIBUTES.replace(',', ', '),
        'user': 'about, can_see_nsfw, created, email, first_name, full_name, hide_pledges, image_url, is_creator, '
                'is_email_verified, last_name, like_count, social_connections, thumb_url, url, vanity',
        'tier': 'amount_cents, created_at, description, discord_role_ids, edited_at, image_url, patron_count, '
                'post_count, published, published_at, remaining, requires_shipping, title, unpublished_at, url, '
                'user_limit',
    }
    api = SandboxClient(sb)
    params = dict(('fields[%s]' % kind, names.replace(' ', '')) for kind, names in documented.items())
    params['include'] = 'campaign.tiers,campaign.creator'
    member_id = sb.world.campaigns[sb.campaign_id].member_ids[0]
    document = api.get('members/%s' % member_id, params=params).json()
    resources = [document['data']] + document['included']
    seen = set()
    for resource in resources:
        assert set(resource['attributes']) == set(documented[resource['type']].split(', '))
        seen.add(resource['type'])
    assert seen == set(documented)


def test_a_seed_gives_the_same_bytes_on_every_interpreter():
    # The digest is the same on Python 2.7 and 3.x: the world draws only from random()/getrandbits(),
    # whose streams all versions share (randint's and choice's differ between 2 and 3).
    with Sandbox(members=40, seed=7, epoch=datetime.datetime(2026, 1, 1)) as sb:
        answer = requests.get(
            sb.url + '/api/oauth2/v2/campaigns/%s/members?include=user,currently_entitled_tiers,address,'
            'pledge_history&fields%%5Bmember%%5D=full_name,email,patron_status,pledge_relationship_start,'
            'is_free_trial&fields%%5Buser%%5D=full_name&page%%5Bcount%%5D=40' % sb.campaign_id,
            headers={'Authorization': 'Bearer ' + sb.creator_token})
        body = answer.content.replace(sb.url.encode('ascii'), b'URL')
    assert hashlib.sha256(body).hexdigest() == '55416880cfbb5ab56e4bca76100d72025bb3d8e8653c9634ad6ef36d21863282'


@pytest.mark.parametrize('value', ['false', 'False', '0', 0, 1, None])
@pytest.mark.parametrize('option', ['rate_limit', 'login_page'])
def test_a_sandbox_option_that_takes_a_bool_refuses_anything_else(option, value):
    with pytest.raises(ValueError) as raised:
        Sandbox(members=1, **{option: value})
    assert '%s must be True or False' % option in str(raised.value)


@pytest.mark.parametrize('value', ['false', 'False', 0, None])
def test_publish_post_takes_a_bool_for_is_public_and_publishes_nothing_else(sb, value):
    posts_before = len(sb.world.posts)
    with pytest.raises(ValueError) as raised:
        sb.publish_post('for the gold tier', is_public=value)
    assert 'is_public must be True or False' in str(raised.value)
    assert len(sb.world.posts) == posts_before


EXIT_SCRIPT = r'''
import atexit, sys, threading
from six.moves import http_client


def threads_left():  # registered before the sandbox is imported: runs after the sandbox's own exit handler
    names = sorted(t.name for t in threading.enumerate() if t is not threading.current_thread())
    sys.stdout.write('threads left at exit: %r\n' % (names,))


atexit.register(threads_left)
from patreon.sandbox import Sandbox

sb = Sandbox(members=3).start()
connection = http_client.HTTPConnection('127.0.0.1', sb._server.server_address[1], timeout=30)
connection.request('GET', '/api/oauth2/v2/identity', headers={'Authorization': 'Bearer ' + sb.creator_token})
assert connection.getresponse().read()
# Kept alive, a second request half sent: the thread serving the connection waits for the rest.
connection.sock.sendall(b'GET /api/oauth2/v2/identity HTTP/1.1\r\nHost: 127.0.0.1\r\n')
'''


def test_stop_leaves_no_thread_serving_a_connection():
    # A kept-alive connection's thread waits for the next request: stop() shuts it down and waits for the thread.
    sandbox = Sandbox(members=3).start()
    server = sandbox._server
    session = requests.Session()
    try:
        answer = session.get(sandbox.url + '/api/oauth2/v2/identity',
                             headers={'Authorization': 'Bearer ' + sandbox.creator_token}, timeout=30)
        assert answer.status_code == 200
        with server._connections_lock:
            serving = list(server._serving_threads)
        assert serving  # the kept-alive connection's thread, waiting for the next request
    finally:
        sandbox.stop()
        session.close()
    assert not [thread for thread in serving if thread.is_alive()]


def test_a_script_that_never_stops_its_sandbox_leaves_no_server_thread_to_the_interpreters_teardown():
    # Python 2 tears modules down while daemon threads still run: a server thread that outlived them failed with
    # "Exception in thread ... 'NoneType' object has no attribute 'debug'". The sandbox is stopped at exit first.
    runs = [subprocess.Popen([sys.executable, '-c', EXIT_SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(3)]
    outcomes = [run.communicate() + (run.returncode,) for run in runs]
    for out, err, code in outcomes:
        assert (out.decode('utf-8'), code) == ('threads left at exit: []\n', 0), err.decode('utf-8', 'replace')
        assert b'Exception in thread' not in err and err == b''


FORK_SCRIPT = r'''
import os, signal, sys
from patreon.sandbox import Sandbox

sb = Sandbox(members=3).start()
child = os.fork()
if child == 0:
    signal.alarm(20)  # a child that hung at exit would be killed by it, and the test fail rather than hang
    sys.exit(0)  # runs the exit handlers: the sandbox's server thread is the parent's
_, status = os.waitpid(child, 0)
sys.stdout.write('child exit status %d, signal %d\n' % (os.WEXITSTATUS(status), os.WTERMSIG(status)))
'''


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='fork()')
def test_a_child_forked_from_a_process_running_a_sandbox_exits_without_waiting_for_it():
    run = subprocess.Popen([sys.executable, '-c', FORK_SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = run.communicate()
    assert (out.decode('utf-8'), run.returncode) == ('child exit status 0, signal 0\n', 0), err.decode('utf-8')
