"""Sandbox webhooks: the API routes, events, signed deliveries, the paused/failing queue and replay."""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import hmac
import json
import socket
import ssl

import pytest

from patreon.sandbox import TRIGGERS, Sandbox, sign
from helpers import closed_port
from test_sandbox_support import (Receiver, SandboxClient, error_of, load_fixture,
                                  server_tls_context, webhook_document, write_tls_files)


@pytest.fixture
def sb():
    with Sandbox(members=30, seed=4, webhook_timeout=2.0) as sandbox:
        yield sandbox


@pytest.fixture
def api(sb):
    client = SandboxClient(sb)
    yield client
    client.close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def create(api, sb, uri, triggers=TRIGGERS):
    answer = api.post('webhooks', json=webhook_document(sb.campaign_id, uri, list(triggers)))
    assert answer.status_code == 201, answer.text
    return answer.json()['data']


def unpause(api, webhook_id, paused=False):
    answer = api.patch('webhooks/%s' % webhook_id,
                       json={'data': {'id': webhook_id, 'type': 'webhook', 'attributes': {'paused': paused}}})
    assert answer.status_code == 200, answer.text
    return answer.json()['data']['attributes']


def verify(headers, body, secret):
    expected = hmac.new(secret.encode('utf-8'), body, hashlib.md5).hexdigest()
    return hmac.compare_digest(expected, headers['X-Patreon-Signature'])


# -- signing ---------------------------------------------------------------------------------------


def test_sign_matches_the_documented_test_vectors_and_the_fixture():
    assert sign('secret', b'testing') == 'a964f51f0ae9c643aca91bfbc66f6d78'
    assert sign('secret', b'{"data":{"type":"post"}}') == '607ab2394f5c0de6f35b1aabecd0c851'
    headers = load_fixture('webhook_members_pledge_create.headers.json')
    body = load_fixture('webhook_members_pledge_create.body')
    assert sign(headers['secret_used_for_signature'], body) == headers['X-Patreon-Signature']


# -- the routes --------------------------------------------------------------------------------------


def test_create_answers_the_webhook_with_its_secret(sb, api):
    webhook = create(api, sb, 'http://127.0.0.1:9/hook', ['members:pledge:create'])
    fixture = load_fixture('webhook_create_response.json')['data']
    assert set(webhook) == set(fixture) and set(webhook['attributes']) == set(fixture['attributes'])
    attributes = webhook['attributes']
    assert attributes['triggers'] == ['members:pledge:create'] and attributes['uri'] == 'http://127.0.0.1:9/hook'
    assert attributes['paused'] is False and attributes['num_consecutive_times_failed'] == 0
    assert attributes['last_attempted_at'] is None and len(attributes['secret']) >= 32
    second = create(api, sb, 'http://127.0.0.1:9/other')
    assert int(second['id']) == int(webhook['id']) + 1
    assert second['attributes']['secret'] != attributes['secret']


def test_list_and_get_follow_fields_and_includes(sb, api):
    webhook = create(api, sb, 'http://127.0.0.1:9/hook')
    listing = api.get('webhooks', params={'fields[webhook]': 'uri,paused', 'include': 'client,campaign',
                                          'fields[client]': 'name'}).json()
    assert listing['meta'] == {'pagination': {'total': 1}}
    assert listing['data'][0]['attributes'] == {'uri': 'http://127.0.0.1:9/hook', 'paused': False}
    relationships = listing['data'][0]['relationships']
    assert relationships['client']['data'] == {'type': 'client', 'id': sb.client_id}
    assert relationships['campaign']['data']['id'] == sb.campaign_id
    client = next(item for item in listing['included'] if item['type'] == 'client')
    assert client['attributes'] == {'name': 'Sandbox App'}
    fixture = load_fixture('webhooks.json')
    full = api.get('webhooks', params={'fields[webhook]': ','.join(fixture['data'][0]['attributes'])}).json()
    assert set(full['data'][0]['attributes']) == set(fixture['data'][0]['attributes'])
    one = api.get('webhooks/%s' % webhook['id']).json()
    assert one['data'] == {'type': 'webhook', 'id': webhook['id']}
    secret = api.get('webhooks/%s' % webhook['id'], params={'fields[webhook]': 'secret'}).json()
    assert secret['data']['attributes']['secret'] == webhook['attributes']['secret']


def test_webhooks_belong_to_their_client_and_creator(sb, api):
    webhook = create(api, sb, 'http://127.0.0.1:9/hook')
    other_client = SandboxClient(sb, sb.issue_tokens(client_id=sb.other_client.id)['access_token'])
    assert other_client.get('webhooks').json()['data'] == []
    assert error_of(other_client.get('webhooks/%s' % webhook['id']), 403)
    assert error_of(other_client.delete('webhooks/%s' % webhook['id']), 403)
    patron = SandboxClient(sb, sb.issue_tokens(sb.patron_user_id)['access_token'])
    assert error_of(patron.get('webhooks/%s' % webhook['id']), 403)
    answer = patron.post('webhooks', json=webhook_document(sb.campaign_id, 'http://127.0.0.1:9/h', ['posts:publish']))
    assert error_of(answer, 403)
    assert error_of(api.get('webhooks/999999'), 404)
    assert error_of(api.post('webhooks', json=webhook_document('1', 'http://127.0.0.1:9/h', ['posts:publish'])), 404)


def test_patch_changes_triggers_uri_and_paused(sb, api):
    webhook = create(api, sb, 'http://127.0.0.1:9/hook')
    document = {'data': {'id': webhook['id'], 'type': 'webhook',
                         'attributes': {'triggers': ['posts:publish'], 'uri': 'https://127.0.0.1:9/new',
                                        'paused': True, 'secret': 'ignored'}}}
    answer = api.patch('webhooks/%s' % webhook['id'], json=document)
    assert answer.status_code == 200
    attributes = answer.json()['data']['attributes']
    assert attributes['triggers'] == ['posts:publish'] and attributes['uri'] == 'https://127.0.0.1:9/new'
    assert attributes['paused'] is True and attributes['secret'] == webhook['attributes']['secret']
    no_id = api.patch('webhooks/%s' % webhook['id'], json={'data': {'type': 'webhook', 'attributes': {}}})
    assert no_id.status_code == 200


def test_delete_answers_204_without_a_body(sb, api):
    webhook = create(api, sb, 'http://127.0.0.1:9/hook')
    answer = api.delete('webhooks/%s' % webhook['id'])
    assert answer.status_code == 204 and answer.content == b''
    assert error_of(api.get('webhooks/%s' % webhook['id']), 404)
    assert error_of(api.delete('webhooks/%s' % webhook['id']), 404)


@pytest.mark.parametrize('document', [
    {'data': {'type': 'webhook', 'attributes': {'triggers': ['members:explode'], 'uri': 'http://127.0.0.1/h'}}},
    {'data': {'type': 'webhook', 'attributes': {'triggers': [], 'uri': 'http://127.0.0.1/h'}}},
    {'data': {'type': 'webhook', 'attributes': {'triggers': 'posts:publish', 'uri': 'http://127.0.0.1/h'}}},
    {'data': {'type': 'webhook', 'attributes': {'triggers': ['posts:publish'], 'uri': 'ftp://127.0.0.1/h'}}},
    {'data': {'type': 'webhook', 'attributes': {'triggers': ['posts:publish'], 'uri': 42}}},
    {'data': {'type': 'webhook', 'attributes': {'triggers': ['posts:publish'], 'uri': 'http:///nohost'}}},
    {'data': {'type': 'webhook', 'attributes': {'triggers': ['posts:publish'], 'uri': 'http://127.0.0.1/h'}}},
    {'data': {'type': 'webhook', 'attributes': {'triggers': ['posts:publish'], 'uri': 'http://127.0.0.1/h'},
              'relationships': {'campaign': None}}},
    {'data': {'type': 'member'}},
    {'data': []},
    ['not', 'a', 'document'],
])
def test_invalid_webhook_documents_are_400(sb, api, document):
    assert error_of(api.post('webhooks', json=document), 400)['code_name'] == 'ParameterInvalid'


@pytest.mark.parametrize('body', [b'{not json', b'{"data": ' + b'[' * 100000 + b']' * 100000 + b'}'])
def test_a_body_that_is_not_json_is_400(api, body):
    # Nested too deep to decode is no JSON the sandbox can read: a 400, not the 500 of a sandbox bug.
    answer = api.post('webhooks', data=body, headers={'Content-Type': 'application/json'})
    assert 'JSON' in error_of(answer, 400)['detail']


@pytest.mark.parametrize('attributes', [{'paused': 'no'}, {'triggers': ['nope']}, {'uri': 'mailto:x@y'}])
def test_invalid_patches_are_400(sb, api, attributes):
    webhook = create(api, sb, 'http://127.0.0.1:9/hook')
    answer = api.patch('webhooks/%s' % webhook['id'],
                       json={'data': {'id': webhook['id'], 'type': 'webhook', 'attributes': attributes}})
    assert error_of(answer, 400)


def test_a_patch_for_another_id_is_400(sb, api):
    webhook = create(api, sb, 'http://127.0.0.1:9/hook')
    answer = api.patch('webhooks/%s' % webhook['id'], json={'data': {'id': '1', 'type': 'webhook'}})
    assert 'does not match' in error_of(answer, 400)['detail']


# -- events and deliveries ------------------------------------------------------------------------


def test_a_pledge_delivers_signed_member_documents(sb, api, receiver):
    secret = create(api, sb, receiver.url, ['members:create', 'members:pledge:create'])['attributes']['secret']
    before = api.get('campaigns/%s' % sb.campaign_id, params={'fields[campaign]': 'patron_count'}).json()
    member_id = sb.pledge(sb.tier_ids[3])
    assert [headers['X-Patreon-Event'] for headers, _, _ in receiver.received] == [
        'members:create', 'members:pledge:create']
    fixture_headers = load_fixture('webhook_members_pledge_create.headers.json')
    fixture_body = json.loads(load_fixture('webhook_members_pledge_create.body').decode('utf-8'))
    for headers, body, path in receiver.received:
        assert path == '/hooks/patreon' and verify(headers, body, secret)
        assert headers['Content-Type'] == fixture_headers['Content-Type']
        document = json.loads(body.decode('utf-8'))
        assert document['data']['id'] == member_id and document['data']['type'] == 'member'
        assert set(fixture_body['data']['attributes']) <= set(document['data']['attributes'])
        assert set(fixture_body['data']['relationships']) <= set(document['data']['relationships'])
        assert set(fixture_body) == set(document)
        types = sorted(item['type'] for item in document['included'])
        assert types == ['address', 'campaign', 'tier', 'user']  # this tier ships: the member has an address
        campaign = next(item for item in document['included'] if item['type'] == 'campaign')
        assert len(campaign['attributes']) == 29  # the 27 of the 2024 docs, currency and name
    attributes = json.loads(receiver.received[-1][1].decode('utf-8'))['data']['attributes']
    assert attributes['patron_status'] == 'active_patron' and attributes['last_charge_status'] == 'Paid'
    deliveries = sb.deliveries[-2:]
    assert [(d.status, d.error, d.uri, d.trigger) for d in deliveries] == [
        (200, None, receiver.url, 'members:create'), (200, None, receiver.url, 'members:pledge:create')]
    assert deliveries[0].body == receiver.received[0][1] and deliveries[0].headers['X-Patreon-Signature']
    assert deliveries[0].webhook_id and secret not in repr(deliveries[0])
    after = api.get('campaigns/%s' % sb.campaign_id, params={'fields[campaign]': 'patron_count'}).json()
    assert after['data']['attributes']['patron_count'] == before['data']['attributes']['patron_count'] + 1
    member = api.get('members/%s' % member_id, params={'include': 'pledge_history,user',
                                                       'fields[pledge-event]': 'type,tier_id'}).json()
    assert [e['attributes'] for e in member['included'] if e['type'] == 'pledge-event'] == [
        {'type': 'pledge_start', 'tier_id': sb.tier_ids[3]}]


def test_only_matching_triggers_are_delivered(sb, api, receiver):
    create(api, sb, receiver.url, ['posts:publish'])
    sb.pledge(sb.tier_ids[1])
    assert receiver.received == []
    post_id = sb.publish_post('A new patch', is_public=False)
    assert len(receiver.received) == 1
    headers, body, _ = receiver.received[0]
    document = json.loads(body.decode('utf-8'))
    assert headers['X-Patreon-Event'] == 'posts:publish' and document['data']['id'] == post_id
    assert document['data']['attributes']['tiers'] == sb.tier_ids[1:]
    assert sorted(item['type'] for item in document['included']) == ['campaign', 'user']
    assert document['links']['self'] == sb.url + '/api/oauth2/v2/posts/' + post_id


def test_pledge_lifecycle_events(sb, api, receiver):
    create(api, sb, receiver.url)
    member_id = sb.pledge(sb.tier_ids[1])
    sb.update_pledge(member_id, sb.tier_ids[4])
    sb.update_pledge(member_id, sb.tier_ids[2])
    sb.cancel_pledge(member_id)
    events = [headers['X-Patreon-Event'] for headers, _, _ in receiver.received]
    assert events == ['members:create', 'members:pledge:create', 'members:pledge:update', 'members:update',
                      'members:pledge:update', 'members:update', 'members:pledge:delete']
    # Former at once, yet entitled to the tier and amount until the period paid for is over, as on Patreon.
    last = json.loads(receiver.received[-1][1].decode('utf-8'))['data']
    assert last['attributes']['patron_status'] == 'former_patron'
    assert last['attributes']['will_pay_amount_cents'] == 0 and last['attributes']['next_charge_date'] is None
    assert last['relationships']['currently_entitled_tiers'] == {'data': [{'type': 'tier', 'id': sb.tier_ids[2]}]}
    assert last['attributes']['currently_entitled_amount_cents'] == sb.world.tiers[sb.tier_ids[2]].amount_cents
    history = [event.kind for event in sb.world.pledge_history(sb.world.members[member_id])]
    assert history == ['pledge_start', 'pledge_upgrade', 'pledge_downgrade', 'pledge_delete']
    # The period ends: a members:update of a former patron entitled to nothing, and no pledge event.
    sb.end_period(member_id)
    assert receiver.received[-1][0]['X-Patreon-Event'] == 'members:update'
    ended = json.loads(receiver.received[-1][1].decode('utf-8'))['data']
    assert ended['attributes']['patron_status'] == 'former_patron'
    assert ended['attributes']['currently_entitled_amount_cents'] == 0
    assert ended['relationships']['currently_entitled_tiers'] == {'data': []}
    assert len(sb.world.pledge_history(sb.world.members[member_id])) == len(history)
    # Coming back is a new pledge of the same membership: no members:create.
    del receiver.received[:]
    user_id = sb.world.members[member_id].user_id
    assert sb.pledge(sb.tier_ids[2], user_id=user_id) == member_id
    assert [headers['X-Patreon-Event'] for headers, _, _ in receiver.received] == ['members:pledge:create']


def test_existing_patrons_can_pledge_and_the_free_tier_makes_free_members(sb, api, receiver):
    create(api, sb, receiver.url)
    world = sb.world
    members = [world.members[member_id] for member_id in world.campaigns[sb.campaign_id].member_ids]
    former = next(m for m in members if m.patron_status == 'former_patron')
    old_events = len(world.pledge_history(former))
    sb.pledge(sb.tier_ids[1], user_id=former.user_id)
    former = world.members[former.id]
    assert former.patron_status == 'active_patron' and len(former.events) == old_events + 1
    free_id = sb.pledge(sb.tier_ids[0])
    assert [headers['X-Patreon-Event'] for headers, _, _ in receiver.received][-1] == 'members:create'
    free = world.members[free_id]
    assert free.patron_status is None and free.entitled and free.tier_id == sb.tier_ids[0]
    sb.pledge(sb.tier_ids[0], user_id=free.user_id)
    assert receiver.received[-1][0]['X-Patreon-Event'] == 'members:update'
    creator_member = sb.pledge(sb.tier_ids[1], user_id=sb.creator_user_id)
    assert world.members[creator_member].patron_status == 'active_patron'


def test_webhooks_hear_only_their_own_campaign(sb, api, receiver):
    other_campaign = sb.world.campaigns[sorted(set(sb.world.campaigns) - set([sb.campaign_id]))[0]]
    other_creator = SandboxClient(sb, sb.issue_tokens(other_campaign.creator_id)['access_token'])
    answer = other_creator.post('webhooks', json=webhook_document(other_campaign.id, receiver.url,
                                                                  ['members:create', 'members:pledge:create']))
    assert answer.status_code == 201
    assert api.get('webhooks').json()['data'] == []  # the creator of the main campaign does not see it
    sb.pledge(sb.tier_ids[1])
    assert receiver.received == []
    # A patron of the main campaign only joins the other one.
    user_id = sb.world.members[sb.world.campaigns[sb.campaign_id].member_ids[5]].user_id
    member_id = sb.pledge(other_campaign.tier_ids[1], user_id=user_id)
    assert [headers['X-Patreon-Event'] for headers, _, _ in receiver.received] == [
        'members:create', 'members:pledge:create']
    assert sb.world.members[member_id].campaign_id == other_campaign.id
    assert 'Webhook' in repr(sb.hub.webhooks[answer.json()['data']['id']])


def test_events_refuse_nonsense(sb):
    world = sb.world
    active = world.campaigns[sb.campaign_id].member_ids[0]
    never = next(member_id for member_id in world.campaigns[sb.campaign_id].member_ids
                 if world.members[member_id].patron_status is None)
    other_tier = world.campaigns[sorted(set(world.campaigns) - set([sb.campaign_id]))[0]].tier_ids[1]
    for call in (lambda: sb.pledge('1'), lambda: sb.pledge(sb.tier_ids[1], user_id='1'),
                 lambda: sb.pledge(sb.tier_ids[1], user_id=sb.patron_user_id),
                 lambda: sb.update_pledge('nobody', sb.tier_ids[1]),
                 lambda: sb.update_pledge(never, sb.tier_ids[1]),
                 lambda: sb.update_pledge(active, sb.tier_ids[0]),
                 lambda: sb.update_pledge(active, world.members[active].tier_id),
                 lambda: sb.update_pledge(active, other_tier),
                 lambda: sb.cancel_pledge(never),
                 lambda: sb.update_post('1', title='x'), lambda: sb.delete_post('1'),
                 lambda: sb.publish_post('x', is_public=False, tier_ids=['1'])):
        with pytest.raises(ValueError):
            call()


def test_post_updates_and_deletions(sb, api, receiver):
    create(api, sb, receiver.url, ['posts:update', 'posts:delete'])
    posts = sb.world.campaigns[sb.campaign_id].post_ids
    private = next(p for p in posts if not sb.world.posts[p].is_public)
    tier = sb.world.posts[private].tier_ids[0]
    count = sb.world.tiers[tier].post_count
    sb.update_post(private, title='Renamed', content='<p>new</p>')
    sb.update_post(private)
    sb.delete_post(private)
    events = [(headers['X-Patreon-Event'], json.loads(body.decode('utf-8'))['data']['attributes']['title'])
              for headers, body, _ in receiver.received]
    assert events == [('posts:update', 'Renamed'), ('posts:update', 'Renamed'), ('posts:delete', 'Renamed')]
    assert error_of(api.get('posts/%s' % private), 404)
    assert private not in sb.world.campaigns[sb.campaign_id].post_ids
    assert sb.world.tiers[tier].post_count == count - 1
    public_id = sb.publish_post('Open to all', content='<p>hello</p>')
    assert sb.world.posts[public_id].tier_ids == [] and sb.world.posts[public_id].content == '<p>hello</p>'


def test_events_before_start_are_queued_with_links_to_the_default_host(tmp_path):
    sandbox = Sandbox(members=3)
    sandbox.hub.create(sandbox.campaign_id, sandbox.client, 'http://127.0.0.1:%d/' % closed_port(),
                       ['posts:publish'])
    sandbox.publish_post('Before start')
    assert sandbox.deliveries[0].status is None and sandbox.deliveries[0].error
    assert b'"self":"http://127.0.0.1/api/oauth2/v2/posts/' in sandbox.deliveries[0].body


# -- failures, the queue and replay ---------------------------------------------------------------


def test_a_paused_webhook_queues_and_replays_in_order_when_unpaused(sb, api, receiver):
    webhook = create(api, sb, receiver.url, ['members:pledge:create', 'posts:publish'])
    unpause(api, webhook['id'], paused=True)
    first = sb.pledge(sb.tier_ids[1])
    post = sb.publish_post('While paused')
    second = sb.pledge(sb.tier_ids[2])
    assert receiver.received == [] and sb.deliveries == []
    attributes = unpause(api, webhook['id'])
    ids = [json.loads(body.decode('utf-8'))['data']['id'] for _, body, _ in receiver.received]
    assert ids == [first, post, second]
    assert attributes['last_attempted_at'] is not None and attributes['num_consecutive_times_failed'] == 0
    unpause(api, webhook['id'])  # nothing left to replay
    assert len(receiver.received) == 3


def test_a_failing_receiver_keeps_the_queue_until_replayed(sb, api):
    with Receiver(status=500) as receiver:
        webhook = create(api, sb, receiver.url, ['members:pledge:create'])
        first = sb.pledge(sb.tier_ids[1])
        second = sb.pledge(sb.tier_ids[1])
        # Each event retries the head of the queue first, so order is kept.
        assert [d.status for d in sb.deliveries] == [500, 500]
        assert all(d.error == 'HTTP 500' for d in sb.deliveries)
        assert [json.loads(d.body.decode('utf-8'))['data']['id'] for d in sb.deliveries] == [first, first]
        attributes = api.get('webhooks/%s' % webhook['id'],
                             params={'fields[webhook]': 'num_consecutive_times_failed,last_attempted_at'}).json()
        assert attributes['data']['attributes']['num_consecutive_times_failed'] == 2
        receiver.status = 200
        unpause(api, webhook['id'])
        delivered = [json.loads(body.decode('utf-8'))['data']['id'] for _, body, _ in receiver.received]
        assert delivered[-2:] == [first, second]
        assert unpause(api, webhook['id'])['num_consecutive_times_failed'] == 0


def test_refused_connections_and_timeouts_are_failures(sb, api):
    refused = create(api, sb, 'http://127.0.0.1:%d/hook' % closed_port(), ['members:pledge:create'])
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)  # accepts the connection, never answers
    silent_uri = 'http://127.0.0.1:%d/hook' % listener.getsockname()[1]
    sb.hub.timeout = 0.2
    try:
        create(api, sb, silent_uri, ['members:pledge:create'])
        sb.pledge(sb.tier_ids[1])
    finally:
        listener.close()
    by_uri = dict((d.uri, d) for d in sb.deliveries)
    assert by_uri[refused['attributes']['uri']].status is None
    assert by_uri[refused['attributes']['uri']].error
    assert by_uri[silent_uri].status is None and 'timed out' in by_uri[silent_uri].error


def test_deliveries_never_leave_the_machine(sb, api):
    create(api, sb, 'https://app.example.org/hooks/patreon', ['members:pledge:create'])
    sb.pledge(sb.tier_ids[1])
    assert sb.deliveries[-1].status is None and 'loopback' in sb.deliveries[-1].error


def test_a_deleted_webhook_stops_receiving(sb, api, receiver):
    webhook = create(api, sb, receiver.url, ['members:pledge:create'])
    unpause(api, webhook['id'], paused=True)
    sb.pledge(sb.tier_ids[1])
    hook = sb.hub.webhooks[webhook['id']]
    assert api.delete('webhooks/%s' % webhook['id']).status_code == 204
    hook.paused = False
    sb.hub.flush(hook)  # its queue died with it
    sb.pledge(sb.tier_ids[1])
    assert receiver.received == [] and sb.deliveries == []


def test_https_receivers_with_a_custom_context(sb, api, tmp_path):
    with Receiver(ssl_context=server_tls_context(tmp_path)) as receiver:
        create(api, sb, receiver.url, ['members:pledge:create'])
        sb.pledge(sb.tier_ids[1])
        assert sb.deliveries[-1].status is None  # default verification: our test certificate is unknown
        cert_path, _ = write_tls_files(tmp_path)
        sb.webhook_ssl_context = ssl.create_default_context(cafile=cert_path)
        assert sb.webhook_ssl_context is sb.hub.ssl_context
        sb.pledge(sb.tier_ids[1])
        assert [d.status for d in sb.deliveries[-2:]] == [200, 200]  # the queued one, then the new one
        assert len(receiver.received) == 2
