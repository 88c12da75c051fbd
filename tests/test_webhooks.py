"""patreon.webhooks: signatures (Patreon's test vectors and the signed fixture) and parse_webhook."""
import hashlib
import hmac
import json

import pytest

from patreon import webhooks
from patreon.exceptions import InvalidArgument, InvalidSignature, InvalidWebhook, PatreonError

from helpers import fixture_bytes, load_fixture

BODY = fixture_bytes('webhook_members_pledge_create.body')
HEADERS = load_fixture('webhook_members_pledge_create.headers.json')
SECRET = HEADERS['secret_used_for_signature']
SIGNATURE = HEADERS['X-Patreon-Signature']


@pytest.mark.parametrize('body, signature', [
    (b'testing', 'a964f51f0ae9c643aca91bfbc66f6d78'),
    (b'{"data":{"type":"post"}}', '607ab2394f5c0de6f35b1aabecd0c851'),
])
def test_documented_vectors(body, signature):
    assert webhooks.verify_signature(body, signature, 'secret')
    assert webhooks.verify_signature(body.decode('utf-8'), signature, u'secret')  # str bodies are UTF-8 encoded


def test_signed_fixture_verifies_over_the_raw_bytes():
    assert webhooks.verify_signature(BODY, SIGNATURE, SECRET)
    reserialised = json.dumps(json.loads(BODY.decode('utf-8')), indent=1).encode('utf-8')
    assert not webhooks.verify_signature(reserialised, SIGNATURE, SECRET)


def test_case_insensitive_hex_and_surrounding_space():
    assert webhooks.verify_signature(BODY, SIGNATURE.upper(), SECRET)
    assert webhooks.verify_signature(BODY, ' %s\n' % SIGNATURE, SECRET)


def test_any_secret_of_a_rotation_matches():
    assert webhooks.verify_signature(BODY, SIGNATURE, ['old-secret', SECRET])
    assert webhooks.verify_signature(BODY, SIGNATURE, (SECRET, 'new'))
    assert not webhooks.verify_signature(BODY, SIGNATURE, ['old-secret', 'new'])
    assert not webhooks.verify_signature(BODY, SIGNATURE, [])


def test_unicode_body_and_secret():
    body = u'{"data":{"attributes":{"full_name":"Zo\u00eb \U0001F3B8"}}}'
    secret = u'g\u00e9heim'
    signature = hmac.new(secret.encode('utf-8'), body.encode('utf-8'), hashlib.md5).hexdigest()
    assert webhooks.verify_signature(body, signature, secret)
    assert webhooks.verify_signature(body.encode('utf-8'), signature.encode('ascii'), secret)


@pytest.mark.parametrize('signature', [None, '', '   ', 'abc', SIGNATURE[:-1], SIGNATURE + '0',
                                       'g' * 32, u'\u00e9' * 32, 12345, SIGNATURE[::-1]])
def test_bad_signatures_are_false_never_an_exception(signature):
    assert webhooks.verify_signature(BODY, signature, SECRET) is False


@pytest.mark.parametrize('body, secret', [(None, SECRET), (12, SECRET), (BODY, None), (BODY, ''), (BODY, 5),
                                          (BODY, [None, ''])])
def test_bad_bodies_and_secrets_are_false(body, secret):
    assert webhooks.verify_signature(body, SIGNATURE, secret) is False


def test_parse_webhook_returns_trigger_and_document():
    event = webhooks.parse_webhook(BODY, SIGNATURE, HEADERS['X-Patreon-Event'], SECRET)
    assert event.trigger == webhooks.MEMBERS_PLEDGE_CREATE
    member = event.document.data()
    assert member.type() == 'member' and member.attribute('full_name') == 'Member 0'
    assert member.relationship('campaign').attribute('creation_name') == 'field recordings'
    assert [t.attribute('title') for t in member.relationship('currently_entitled_tiers')] == ['Patron']
    trigger, document = event  # a plain tuple too
    assert document is event.document


def test_parse_webhook_refuses_a_bad_signature_without_echoing_the_secret():
    with pytest.raises(InvalidSignature) as raised:
        webhooks.parse_webhook(BODY, '0' * 32, 'members:pledge:create', SECRET)
    assert isinstance(raised.value, PatreonError) and isinstance(raised.value, ValueError)
    assert SECRET not in str(raised.value) and SECRET not in repr(raised.value)


def signed(body, secret='s'):
    return hmac.new(secret.encode('utf-8'), body, hashlib.md5).hexdigest()


@pytest.mark.parametrize('body', [b'not json', b'[]', b'{"data": null}', b'{"data": []}', b'\xff\xfe',
                                  # a resource without its type or id: the handler would act on no one
                                  b'{"data": {}}', b'{"data": {"type": "member"}}', b'{"data": {"id": "1"}}',
                                  b'{"data": {"type": "member", "id": 1}}', b'{"data": {"type": "", "id": "1"}}',
                                  # Python's json reads NaN and Infinity; JSON has neither
                                  b'{"data": {"type": "member", "id": "1", "attributes": {"x": NaN}}}',
                                  b'{"data": {"type": "member", "id": "1", "attributes": {"x": -Infinity}}}'])
def test_parse_webhook_refuses_signed_bodies_that_are_no_document(body):
    with pytest.raises(InvalidWebhook) as raised:
        webhooks.parse_webhook(body, signed(body), 'members:create', 's')
    assert 'members:create' in str(raised.value)


@pytest.mark.parametrize('event', [None, '', b''])
def test_parse_webhook_needs_the_event_header(event):
    body = b'{"data": {"type": "member", "id": "1"}}'
    with pytest.raises(InvalidWebhook):
        webhooks.parse_webhook(body, signed(body), event, 's')


def test_nine_triggers():
    assert len(set(webhooks.ALL_TRIGGERS)) == 9
    assert set(webhooks.ALL_TRIGGERS) == set([
        'members:create', 'members:update', 'members:delete', 'members:pledge:create',
        'members:pledge:update', 'members:pledge:delete', 'posts:publish', 'posts:update', 'posts:delete'])


def member_body(resource_type='member', attributes='{}'):
    return ('{"data": {"type": "%s", "id": "7", "attributes": %s}}' % (resource_type, attributes)).encode('utf-8')


@pytest.mark.parametrize('trigger, resource_type', [
    ('members:pledge:delete', 'post'), ('members:create', 'post'), ('members:update', 'campaign'),
    ('posts:publish', 'member'), ('posts:delete', 'user'), ('members:pledge:create', 'Member'),
])
def test_a_trigger_whose_resource_type_is_not_the_bodys_is_refused(trigger, resource_type):
    # The event header is not signed: a body signed for a post must not be read as a member's event.
    body = member_body(resource_type)
    with pytest.raises(InvalidWebhook) as raised:
        webhooks.parse_webhook(body, signed(body), trigger, 's')
    assert trigger in str(raised.value)


@pytest.mark.parametrize('trigger', ['members:pledge:cancel', 'pledges:create', 'members', 'MEMBERS:CREATE',
                                     'members:create ,members:delete', 'posts:publish\x00'])
def test_a_trigger_patreon_never_sends_is_refused(trigger):
    body = member_body()
    with pytest.raises(InvalidWebhook):
        webhooks.parse_webhook(body, signed(body), trigger, 's')


@pytest.mark.parametrize('trigger', webhooks.ALL_TRIGGERS)
def test_each_trigger_takes_a_body_of_its_resource_type(trigger):
    body = member_body('post' if trigger.startswith('posts:') else 'member')
    assert webhooks.parse_webhook(body, signed(body), ' %s\n' % trigger, 's').trigger == trigger


@pytest.mark.parametrize('number', ['1e400', '-1e400', '1E+309', '123456789e999', '-0.1e1000'])
def test_a_number_beyond_a_float_is_refused_like_infinity(number):
    body = member_body(attributes='{"currently_entitled_amount_cents": %s}' % number)
    with pytest.raises(InvalidWebhook):
        webhooks.parse_webhook(body, signed(body), 'members:pledge:create', 's')


def test_large_whole_numbers_and_tiny_floats_are_read_as_they_are():
    body = member_body(attributes='{"big": 100000000000000000000000000000, "tiny": 1e-400, "x": 2.5}')
    member = webhooks.parse_webhook(body, signed(body), 'members:update', 's').document.data()
    assert (member.attribute('big'), member.attribute('tiny'), member.attribute('x')) == (10 ** 29, 0.0, 2.5)


@pytest.mark.parametrize('secret', [None, '', b'', [None, ''], []])
def test_no_secret_to_check_with_is_the_apps_mistake_not_a_forged_delivery(secret):
    # An unset setting answered every delivery as forged (403), and nothing said the app was at fault.
    with pytest.raises(InvalidArgument) as raised:
        webhooks.parse_webhook(BODY, HEADERS['X-Patreon-Signature'], HEADERS['X-Patreon-Event'], secret)
    assert 'no webhook secret' in str(raised.value) and not isinstance(raised.value, InvalidSignature)


def test_a_parsed_body_is_refused_as_such_and_a_missing_signature_is_named():
    with pytest.raises(InvalidArgument) as raised:
        webhooks.parse_webhook(json.loads(BODY.decode('utf-8')), HEADERS['X-Patreon-Signature'],
                               HEADERS['X-Patreon-Event'], SECRET)
    assert 'raw request body' in str(raised.value)
    for signature in (None, '', '  '):
        with pytest.raises(InvalidSignature) as raised:
            webhooks.parse_webhook(BODY, signature, HEADERS['X-Patreon-Event'], SECRET)
        assert str(raised.value) == 'the delivery has no X-Patreon-Signature header'
    assert webhooks.parse_webhook(BODY, HEADERS['X-Patreon-Signature'], HEADERS['X-Patreon-Event'],
                                  [None, SECRET]).trigger == HEADERS['X-Patreon-Event']
