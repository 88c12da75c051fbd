# -*- coding: utf-8 -*-
"""Python 2 and 3 text: non-ASCII and emoji in names, attributes, cursors, errors and webhook bodies.

Every value here crosses a real socket or a real ``requests`` response as
UTF-8 bytes, and must come back as the same text (``unicode`` on 2.7,
``str`` on 3) -- and every message that quotes it must still be printable.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import hmac
import json
import threading

import pytest
import requests
import responses
import six
from six.moves import BaseHTTPServer
from six.moves.urllib.parse import parse_qs, quote, urlsplit

import patreon
from patreon import webhooks
from patreon.exceptions import APIError, InvalidWebhook, OAuthError
from patreon.jsonapi.parser import JSONAPIParser, JSONAPIResource
from patreon.jsonapi.url_util import build_url

from reliability_report import tally

EMOJI = ('\U0001f3a7', '\U0001f331', '\u2728', '\U0001f98a')  # what some sandbox users put after their name
TEXT = 'Caf\xe9 \u2615 \u7f8e\u54b2 \U0001f600'  # Latin-1, BMP symbol and CJK, and an astral emoji
BASE = 'http://patreon.test'
MEMBERS_URL = BASE + '/api/oauth2/v2/campaigns/7/members'


def count(case):
    tally('text', case, 'cases checked')


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=400, seed=31)


def raw_get(sandbox, path, params):
    """The same request made with plain requests, and its body decoded by json: the oracle."""
    answer = requests.get(sandbox.url + '/api/oauth2/v2/' + path, params=params,
                          headers={'Authorization': 'Bearer ' + sandbox.creator_token})
    return json.loads(answer.content.decode('utf-8'))


def test_unicode_and_emoji_names_and_attributes_round_trip(sb):
    api = patreon.API(sb.creator_token, base_url=sb.url)
    fields = {'member': ['full_name', 'note'], 'user': ['full_name', 'first_name', 'last_name']}
    members = list(api.paginate(api.get_campaigns_by_id_members, sb.campaign_id, page_size=100,
                                includes=['user'], fields=fields))
    raw = raw_get(sb, 'campaigns/{}/members'.format(sb.campaign_id),
                  {'page[count]': 1000, 'include': 'user', 'fields[member]': 'full_name,note',
                   'fields[user]': 'full_name,first_name,last_name'})
    expected = dict((item['id'], item['attributes']) for item in raw['data'] + raw['included'])

    names = []
    for member in members:
        user = member.relationship('user')
        assert member.attributes() == expected[member.id()]
        assert user.attributes() == expected[user.id()]
        for value in list(member.attributes().values()) + list(user.attributes().values()):
            assert value is None or isinstance(value, six.text_type)
        names.append(user.attribute('full_name'))
        count('names and attributes')
    # Not vacuous: the campaign has non-ASCII names, CJK and Cyrillic ones, and emoji (astral ones too).
    assert sum(1 for name in names if any(ord(c) > 127 for c in name)) > 20
    assert any(any(ord(c) > 0x3000 for c in name) for name in names)
    assert any('\U0001f3a7' in name or '\U0001f98a' in name or '\U0001f331' in name for name in names)
    assert any(any(ord(c) > 127 for c in m.attribute('full_name')) for m in members)


class Receiver(object):
    """A webhook receiver on 127.0.0.1: keeps the raw body and headers of every delivery."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPServer.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers['Content-Length']))
                received.append((dict(self.headers.items()), body))
                self.send_response(204)
                self.send_header('Content-Length', '0')
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = BaseHTTPServer.HTTPServer(('127.0.0.1', 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05})
        self.thread.daemon = True
        self.thread.start()
        self.url = 'http://127.0.0.1:{}/hooks/patreon'.format(self.server.server_address[1])

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def header(headers, name):
    return next(value for key, value in headers.items() if key.lower() == name.lower())


def test_a_webhook_body_with_emoji_round_trips_from_the_wire(sb):
    api = patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True)
    members = api.paginate(api.get_campaigns_by_id_members, sb.campaign_id, page_size=500, includes=['user'],
                           fields={'member': ['patron_status'], 'user': ['full_name']})
    chosen = next(m for m in members if m.attribute('patron_status') != 'active_patron' and
                  any(e in m.relationship('user').attribute('full_name') for e in EMOJI))
    name = chosen.relationship('user').attribute('full_name')
    receiver = Receiver()
    hook = api.create_webhook(sb.campaign_id, receiver.url, [webhooks.MEMBERS_PLEDGE_CREATE]).data()
    try:
        sb.pledge(sb.tier_ids[1], user_id=chosen.relationship('user').id())
    finally:
        api.delete_webhook(hook.id())
        receiver.close()

    [(headers, body)] = receiver.received
    assert isinstance(body, bytes)
    event = webhooks.parse_webhook(body, header(headers, 'X-Patreon-Signature'), header(headers, 'X-Patreon-Event'),
                                   hook.attribute('secret'))
    assert event.trigger == webhooks.MEMBERS_PLEDGE_CREATE
    assert event.document.data().relationship('user').attribute('full_name') == name
    # The same body as text verifies the same (a str body is UTF-8 encoded)...
    assert webhooks.verify_signature(body.decode('utf-8'), header(headers, 'X-Patreon-Signature'),
                                     hook.attribute('secret'))
    # ...and re-serialised JSON does not: the signature is over the bytes received.
    reserialised = json.dumps(json.loads(body.decode('utf-8')), ensure_ascii=True)
    assert not webhooks.verify_signature(reserialised, header(headers, 'X-Patreon-Signature'),
                                         hook.attribute('secret'))
    count('webhook bodies from the wire')


@pytest.mark.parametrize('body', [
    '{"data": {"type": "member", "id": "1", "attributes": {"full_name": "%s"}}}' % TEXT,
    '{"data": {"type": "member", "id": "1", "attributes": {"full_name": "\\u00e9\\ud83d\\ude00"}}}',
])
@pytest.mark.parametrize('as_bytes', [True, False], ids=['bytes', 'text'])
def test_webhook_bodies_with_non_ascii_verify_and_parse_alike_as_bytes_and_text(body, as_bytes):
    raw = body.encode('utf-8')
    signature = hmac.new(b'secret \xc3\xa9', raw, hashlib.md5).hexdigest()
    event = webhooks.parse_webhook(raw if as_bytes else body, signature, webhooks.MEMBERS_UPDATE,
                                   'secret \xe9')  # a text secret is UTF-8 encoded too
    assert event.document.data().attribute('full_name') == json.loads(body)['data']['attributes']['full_name']
    count('webhook bodies, bytes and text')


def test_a_non_ascii_event_header_on_a_refused_body_says_so():
    # On Python 2, formatting this message must not raise UnicodeEncodeError.
    body = b'not json'
    signature = hmac.new(b's', body, hashlib.md5).hexdigest()
    for event in ('\xe9v\xe9nement \U0001f600', b'\xe9v\xe9nement'):
        with pytest.raises(InvalidWebhook) as caught:
            webhooks.parse_webhook(body, signature, event, 's')
        assert '\xe9v\xe9nement' in six.text_type(caught.value)
        str(caught.value), repr(caught.value)
    count('error messages')


# Cursors --------------------------------------------------------------------------------------------------------

CURSOR = 'curseur-\xe9t\xe9-\U0001f600'


def page_with_cursor(where):
    document = {'data': [{'type': 'member', 'id': '1'}], 'meta': {'pagination': {'total': 2}}}
    link = MEMBERS_URL + '?page%5Bcount%5D=1&page%5Bcursor%5D=' + quote(CURSOR.encode('utf-8'), safe='')
    if where in ('meta', 'both'):
        document['meta']['pagination']['cursors'] = {'next': CURSOR}
    if where in ('links', 'both'):
        document['links'] = {'next': link}
    return document


def sent_cursor(request):
    values = parse_qs(urlsplit(request.url).query).get('page[cursor]')
    if not values:
        return None
    return values[0].decode('utf-8') if isinstance(values[0], bytes) else values[0]


@pytest.mark.parametrize('where', ['meta', 'links', 'both'])
def test_a_non_ascii_cursor_goes_back_to_the_server_as_it_came(where):
    last = {'data': [{'type': 'member', 'id': '2'}], 'meta': {'pagination': {'total': 2, 'cursors': {'next': None}}}}

    def answer(request):
        cursor = sent_cursor(request)
        return 200, {}, json.dumps(page_with_cursor(where) if cursor is None else last)

    with responses.RequestsMock() as mock:
        mock.add_callback(responses.GET, MEMBERS_URL, callback=answer)
        api = patreon.API('token', base_url=BASE)
        ids = [member.id() for member in api.paginate(api.get_campaigns_by_id_members, '7', page_size=1)]
        assert ids == ['1', '2']
        assert [sent_cursor(call.request) for call in mock.calls] == [None, CURSOR]
    assert patreon.API.extract_cursor(page_with_cursor(where)) == CURSOR
    assert isinstance(patreon.API.extract_cursor(page_with_cursor(where)), six.text_type)
    count('cursors')


def test_a_non_ascii_cursor_the_sandbox_never_issued_is_a_typed_400(sb):
    api = patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True)
    with pytest.raises(APIError) as caught:
        api.get_campaigns_by_id_members(sb.campaign_id, 10, cursor=CURSOR)
    assert caught.value.status_code == 400
    assert [r.query for r in sb.requests][-1].endswith(quote(CURSOR.encode('utf-8'), safe=''))
    count('cursors')


# Messages that quote non-ASCII text -------------------------------------------------------------------------------

def test_api_errors_with_non_ascii_details_print_on_python_2_and_3():
    body = {'errors': [{'code_name': 'ParameterInvalid', 'detail': TEXT, 'status': '400', 'title': 'Caf\xe9'}]}
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, BASE + '/api/oauth2/v2/identity', json=body, status=400)
        document = patreon.API('token', base_url=BASE).get_identity()
        with pytest.raises(APIError) as caught:
            patreon.API('token', base_url=BASE, raise_errors=True).get_identity()
    assert document == body
    with pytest.raises(APIError):
        document.data()
    for error in (caught.value, document.error):
        assert TEXT in six.text_type(error)
        str(error), repr(error)  # printable: no UnicodeEncodeError on Python 2
    count('error messages')


def test_oauth_errors_with_non_ascii_descriptions_print_on_python_2_and_3():
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, BASE + '/api/oauth2/token', status=400,
                 json={'error': 'invalid_grant', 'error_description': TEXT})
        with pytest.raises(OAuthError) as caught:
            patreon.OAuth('client', 'secret', base_url=BASE, raise_errors=True).refresh_token('refresh')
    assert caught.value.error_description == TEXT
    assert TEXT in six.text_type(caught.value)
    str(caught.value), repr(caught.value)
    count('error messages')


def test_resources_with_non_ascii_types_and_ids_have_a_repr():
    resource = JSONAPIParser({'data': {'type': 't\xe9', 'id': '\U0001f600'}}).data()
    text = repr(resource)
    assert isinstance(text, str)  # repr() must be the native str: bytes on 2.7
    assert repr(JSONAPIResource({'type': 'member', 'id': '1'}, None)) == '<JSONAPIResource member:1>'
    count('reprs')


def test_build_url_encodes_non_ascii_includes_and_field_types_as_utf8():
    url = build_url('campaigns', includes=['caf\xe9'], fields={'t\xe9': ['n\xe9', '\U0001f600']})
    assert url == ('campaigns?fields%5Bt%C3%A9%5D=n%C3%A9%2C%F0%9F%98%80&include=caf%C3%A9')
    assert isinstance(url, six.text_type)
    count('query strings')
