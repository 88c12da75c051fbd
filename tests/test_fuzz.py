# -*- coding: utf-8 -*-
"""Bad input, fuzzed with hypothesis: every target raises only what it documents.

Documented exceptions, per target (anything else is a bug):

=============================================  =====================================================
target                                         may raise
=============================================  =====================================================
``JSONAPIParser`` / ``JSONAPIResource`` ...    nothing: what is missing or malformed reads as ``None``
``build_url``                                  nothing, for text (or lists of text) includes and fields
``API.extract_cursor``                         0.5.1's plain ``Exception(CURSOR_PATH_ERROR, document)``;
                                               ``PaginationError`` (a link that cannot be read, a meta
                                               cursor that is neither null nor a non-empty string)
``webhooks.verify_signature``                  nothing: it returns a ``bool``
``webhooks.parse_webhook``                     ``InvalidSignature``; ``InvalidWebhook`` (signed, unusable body)
``OAuth`` token answers                        ``InvalidResponse`` (not a JSON object, or a 2xx without a
                                               usable token); ``OAuthError`` only with ``raise_errors=True``
``API`` answers                                ``InvalidResponse`` (not a JSON object: for 400 or more, the
                                               status's ``APIError`` too; a 2xx without ``data``);
                                               ``APIError`` subclasses only with ``raise_errors=True``
=============================================  =====================================================

Each property is checked against an oracle written here, independently of
the library, not only for the absence of exceptions.  The ``*_soak`` twins
run the same properties with many more examples (``make soak``).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import hmac
import json
import re
import warnings

import pytest
import requests
import responses
import six
from hypothesis import HealthCheck, example, given, settings, strategies as st
from six.moves.urllib.parse import parse_qsl, urlencode

from patreon import webhooks
from patreon.api import API
from patreon.exceptions import (APIError, InvalidArgument, InvalidResponse, InvalidSignature, InvalidWebhook,
                                MissingAttributeWarning, OAuthError, PaginationError, error_class_for_status)
from patreon.jsonapi.parser import (JSONAPIParser, JSONAPIRelatedResource, JSONAPIRelationshipInfo,
                                    JSONAPIResource)
from patreon.jsonapi.url_util import build_url
from patreon.oauth import OAuth
from patreon.api import ErrorDocument

from reliability_report import examples, tally

FULL = examples(200)
SOAK = 20000
CURSOR_PATH_ERROR = 'Provided cursor path did not result in a link'
BASE = 'http://patreon.test'
# Thousands of answers, most of them 4xx, to one token: the pacer and the 4xx budget are tested in test_pacing.py.
UNLIMITED = {'limits': None}


def fuzz(max_examples):
    """Hypothesis settings of these suites: no deadline (a loaded machine is not a bug)."""
    # No example database: its Pareto optimisation makes the old hypothesis of 2.7 spin for minutes.
    return settings(max_examples=max_examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def count(target):
    tally('fuzz', target, 'inputs tried')


# Strategies ------------------------------------------------------------------------------------------------------

JSONAPI_KEYS = ['data', 'included', 'type', 'id', 'attributes', 'relationships', 'links', 'meta', 'related',
                'next', 'pagination', 'cursors', 'errors']
keys = st.sampled_from(JSONAPI_KEYS) | st.text(max_size=8)
json_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) |
                st.text(max_size=20))
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30)

# Resources whose types and ids come from small pools, so that references often resolve, sometimes twice.
TYPES = ['member', 'user', 'campaign', 'tier']
ids = st.sampled_from(['1', '2', '3', '\u00e9', '\U0001f600']) | st.sampled_from([1, 2, 3])
identifiers = st.fixed_dictionaries({'type': st.sampled_from(TYPES), 'id': ids})
relationship_objects = st.one_of(
    st.fixed_dictionaries({'data': identifiers}),                                   # may dangle
    st.just({'data': None}),                                                        # to-one, empty
    st.fixed_dictionaries({'links': st.fixed_dictionaries({'related': st.text(max_size=20)})}),  # links only
    st.fixed_dictionaries({'data': st.lists(identifiers | json_values, max_size=4)}),  # to-many, some garbage
    st.fixed_dictionaries({'data': json_values}),                                   # malformed data
    st.fixed_dictionaries({'data': st.fixed_dictionaries({'type': json_values, 'id': json_values})}),
    json_values,                                                                    # not an object at all
)
resources = st.fixed_dictionaries(
    {'type': st.sampled_from(TYPES), 'id': ids},
    optional={'attributes': st.dictionaries(st.text(max_size=8), json_values, max_size=4) | json_values,
              'relationships': st.dictionaries(st.sampled_from(['user', 'campaign', 'tiers', 'x']),
                                               relationship_objects, max_size=4) | json_values})
documents = st.fixed_dictionaries(
    {'data': resources | st.lists(resources | json_values, max_size=5) | json_values},
    optional={'included': st.lists(resources | json_values, max_size=6) | json_values,
              'links': json_values, 'meta': json_values})


# JSONAPIParser / JSONAPIResource ---------------------------------------------------------------------------------

def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


def expected_target(document, reference):
    """The resource dict a reference resolves to: the first of data + included with its type and id."""
    if not isinstance(reference, dict):
        return None
    key = (reference.get('type'), reference.get('id'))
    if not _hashable(key):
        return None
    document = document if isinstance(document, dict) else {}
    primary = document.get('data')
    candidates = list(primary) if isinstance(primary, list) else [primary]
    if isinstance(document.get('included'), list):
        candidates += document['included']
    keyed = [r for r in candidates if isinstance(r, dict) and _hashable((r.get('type'), r.get('id')))]
    for wanted in [key] + ([(key[0], six.text_type(key[1]))]
                           if key[1] is not None and not isinstance(key[1], six.string_types) else []):
        for resource in keyed:
            if (resource.get('type'), resource.get('id')) == wanted:
                return resource
    return None


def check_resolution(document, reference, resolved):
    """A resolved reference is the oracle's resource, or ``None`` when the oracle finds none."""
    target = expected_target(document, reference)
    if target is None:
        assert resolved is None
    else:
        assert isinstance(resolved, JSONAPIResource) and resolved.json_data is target


def walk_resource(resource, raw_document):
    assert isinstance(resource, JSONAPIResource)
    assert isinstance(repr(resource), str)  # the native str: bytes on Python 2
    raw = resource.json_data if isinstance(resource.json_data, dict) else {}
    assert resource.id() == raw.get('id') and resource.type() == raw.get('type')
    attributes = resource.attributes()
    assert isinstance(attributes, dict)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', MissingAttributeWarning)  # 'missing': read on purpose
        for name in list(attributes) + ['missing']:
            assert resource.attribute(name) == attributes.get(name)
    relationships = resource.relationships()
    assert isinstance(relationships, dict)
    for name in list(relationships) + ['missing']:
        info = resource.relationship_info(name)
        related = resource.relationship(name)
        raw_info = relationships.get(name)
        if raw_info is None:
            assert info is None and related is None
            continue
        assert isinstance(info, JSONAPIRelationshipInfo)
        data = raw_info.get('data') if isinstance(raw_info, dict) else None
        if isinstance(data, list):
            assert isinstance(related, list) and len(related) == len(data)
            for item, got in zip(data, related):
                check_resolution(raw_document, item, got)
            references = info.resource_reference()
            assert [r.json_data for r in references] == data
        else:
            check_resolution(raw_document, data, related)
            reference = info.resource_reference()
            if isinstance(data, dict):
                assert isinstance(reference, JSONAPIRelatedResource)
                assert (reference.type(), reference.id()) == (data.get('type'), data.get('id'))
                check_resolution(raw_document, data, reference.resource())
            else:
                assert reference is None  # null data, links only, or malformed
        resolved = info.resource()
        assert type(resolved) is type(related)


def check_parser(value):
    document = JSONAPIParser(value)
    assert document.json_data is value
    data = document.data()
    raw = value.get('data') if isinstance(value, dict) else None
    if raw is None:
        assert data is None
    elif isinstance(raw, list):
        assert [r.json_data for r in data] == raw
    else:
        assert data.json_data is raw
    for resource in data if isinstance(data, list) else ([data] if data is not None else []):
        walk_resource(resource, value)
        check_resolution(value, {'type': resource.type(), 'id': resource.id()},
                         document.find_resource_by_type_and_id(resource.type(), resource.id()))
    for resource_type in TYPES:
        for resource_id in ['1', 1, '\u00e9', None, [1]]:
            check_resolution(value, {'type': resource_type, 'id': resource_id},
                             document.find_resource_by_type_and_id(resource_type, resource_id))


@fuzz(FULL)
@given(json_values)
@example({'data': {'type': 't\u00e9', 'id': '\U0001f600'}})  # a non-ASCII repr (Python 2 formats it as bytes)
def test_parser_on_arbitrary_json(value):
    count('JSONAPIParser on arbitrary JSON')
    check_parser(value)


@fuzz(FULL)
@given(documents)
def test_parser_on_documents_with_dangling_null_links_only_and_malformed_relationships(document):
    count('JSONAPIParser on malformed documents')
    check_parser(document)


@fuzz(FULL)
@given(json_values, st.none() | documents.map(JSONAPIParser) | json_values, keys)
def test_resource_on_arbitrary_json(value, document, name):
    count('JSONAPIResource on arbitrary JSON')
    resource = JSONAPIResource(value, document)
    walk_resource(resource, document.json_data if isinstance(document, JSONAPIParser) else {})
    if not isinstance(document, JSONAPIParser):
        assert resource.relationship(name) is None  # nothing to resolve against


@pytest.mark.soak
@fuzz(SOAK)
@given(json_values | documents)
def test_parser_soak(value):
    count('JSONAPIParser (soak)')
    check_parser(value)


# build_url --------------------------------------------------------------------------------------------------------

names = st.text(max_size=12) | st.sampled_from([str('user'), str('full_name'), str('tiers.benefits')])
name_lists = names | st.lists(names, max_size=4) | st.tuples(names, names)
PATHS = ['campaigns', 'campaigns/7/members?page%5Bcount%5D=10', 'https://patreon.com',
         'https://patreon.com?mock=this', '']


def sent_names(value):
    if isinstance(value, six.string_types):
        return trimmed(value)
    return [name for item in value for name in trimmed(item)]


def joined(value):
    return ','.join(sent_names(value)) or 'null'


def trimmed(text):
    # Neither blanks around a comma-separated name nor an empty name are sent: Patreon splits on the comma alone.
    return [name.strip() for name in text.split(',') if name.strip()]


def parse_query(query):
    """``(name, value)`` pairs of a percent-encoded query, as text, on Python 2 and 3 alike."""
    pairs = parse_qsl(query.encode('ascii') if six.PY2 else query, keep_blank_values=True)
    return [tuple(p.decode('utf-8') if isinstance(p, bytes) else p for p in pair) for pair in pairs]


def check_build_url(path, includes, fields):
    url = build_url(path, includes=includes, fields=fields)
    assert isinstance(url, six.text_type)
    expected = []
    if includes and sent_names(includes):  # blank includes: no include at all
        expected.append(('include', joined(includes)))
    for resource_type, type_names in (fields or {}).items():
        expected.append(('fields[{}]'.format(resource_type), joined(type_names)))
    if not expected:
        assert url == path
        return
    separator = '&' if '?' in path else '?'
    assert url.startswith(path + separator)
    added = url[len(path) + 1:]
    assert re.match(r'\A[A-Za-z0-9_.~%+=&-]*\Z', added), 'not percent-encoded: {!r}'.format(added)
    assert parse_query(added) == sorted(expected)


@fuzz(FULL)
@given(st.sampled_from(PATHS), st.none() | name_lists,
       st.none() | st.dictionaries(names, name_lists, max_size=4))
@example('campaigns', None, {'t\u00e9': ['a']})  # a non-ASCII type name (Python 2 formatted it as bytes)
@example('campaigns', ['caf\u00e9', '\U0001f600'], {'member': 'full_name,email', 'user': []})
def test_build_url_round_trips_through_parse_qs(path, includes, fields):
    count('build_url')
    check_build_url(path, includes, fields)


# API.extract_cursor -----------------------------------------------------------------------------------------------

cursors = st.text(min_size=1, max_size=20)
CURSOR_PATHS = ['links.next', 'meta.pagination.cursors.next', 'links', 'data', 'links.next.href', '']


def next_link(cursor):
    query = urlencode([('page[count]', '10'), ('page[cursor]', cursor.encode('utf-8'))])
    return 'https://www.patreon.com/api/oauth2/v2/campaigns/7/members?' + query


def call_extract_cursor(document, path):
    try:
        cursor = API.extract_cursor(document, path)
    except PaginationError as exc:
        return exc
    except Exception as exc:  # beside PaginationError, only one exact Exception is documented
        # 0.5.1's own: the message, then the document it could not follow
        assert type(exc) is Exception and len(exc.args) == 2 and exc.args[0] == CURSOR_PATH_ERROR, repr(exc)
        return exc
    assert cursor is None or isinstance(cursor, six.string_types)
    return cursor


@fuzz(FULL)
@given(json_values | documents, st.sampled_from(CURSOR_PATHS) | st.text(max_size=20), st.booleans())
@example({'links': {'next': 'http://['}}, 'links.next', False)  # urlsplit refuses this netloc with ValueError
@example({'links': {'next': '//[::1'}}, 'links.next', True)
def test_extract_cursor_on_arbitrary_documents_and_paths(document, path, wrap):
    count('API.extract_cursor')
    call_extract_cursor(JSONAPIParser(document) if wrap else document, path)


@fuzz(FULL)
@given(cursors, st.none() | cursors | json_values, st.booleans())
def test_extract_cursor_finds_the_cursor_of_links_next(cursor, meta_cursor, wrap):
    count('API.extract_cursor')
    document = {'links': {'next': next_link(cursor)},
                'meta': {'pagination': {'cursors': {'next': meta_cursor}}}}
    assert call_extract_cursor(JSONAPIParser(document) if wrap else document, 'links.next') == cursor


@fuzz(FULL)
@given(st.none() | cursors | json_values)
def test_extract_cursor_falls_back_to_meta_cursor_without_links_next(meta_cursor):
    count('API.extract_cursor')
    document = {'meta': {'pagination': {'cursors': {'next': meta_cursor}}}}
    found = call_extract_cursor(document, 'links.next')
    if meta_cursor is None:  # Patreon's last page: no links, no next cursor; 0.5.1's loops end on this exception
        assert type(found) is Exception and found.args == (CURSOR_PATH_ERROR, document)
    elif isinstance(meta_cursor, six.string_types) and meta_cursor:
        assert found == meta_cursor
    else:  # "", a number, a list...: a pointer that cannot be followed is an error, not the last page
        assert isinstance(found, PaginationError)


# webhooks.verify_signature and parse_webhook ------------------------------------------------------------------------

def _bytes_or_none(value):
    if isinstance(value, six.text_type):
        return value.encode('utf-8')
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return None


def expected_signature_match(body, signature, secret):
    """The oracle of verify_signature, written from its documentation."""
    body = _bytes_or_none(body)
    if isinstance(signature, bytes):
        signature = signature.decode('latin-1')
    if body is None or not isinstance(signature, six.text_type):
        return False
    signature = signature.strip()
    if len(signature) != 32 or not re.match(r'[0-9a-f]{32}\Z', signature.lower()):
        return False
    candidates = secret if isinstance(secret, (list, tuple, set, frozenset)) else [secret]
    keys_ = [key for key in (_bytes_or_none(c) for c in candidates) if key]
    return any(hmac.new(key, body, hashlib.md5).hexdigest() == signature.lower() for key in keys_)


def sign(body, secret):
    return hmac.new(_bytes_or_none(secret), _bytes_or_none(body), hashlib.md5).hexdigest()


bodies = st.binary(max_size=64) | st.text(max_size=64)
secret_values = st.binary(max_size=16) | st.text(max_size=16) | st.none() | st.integers()
secrets_ = secret_values | st.lists(secret_values, max_size=3) | st.tuples(secret_values, secret_values)
hex_signatures = st.text(alphabet='0123456789abcdefABCDEF', min_size=32, max_size=32)
signatures = (st.none() | st.binary(max_size=40) | st.text(max_size=40) | hex_signatures |
              st.integers() | st.lists(st.text(max_size=4), max_size=2))


def check_verify(body, signature, secret):
    result = webhooks.verify_signature(body, signature, secret)
    assert result is expected_signature_match(body, signature, secret)
    return result


@fuzz(FULL)
@given(bodies | st.none() | st.integers(), signatures, secrets_)
def test_verify_signature_on_arbitrary_values(body, signature, secret):
    count('webhooks.verify_signature')
    check_verify(body, signature, secret)


@fuzz(FULL)
@given(bodies, st.text(min_size=1, max_size=16) | st.binary(min_size=1, max_size=16), st.data())
def test_verify_signature_accepts_the_signature_and_nothing_near_it(body, secret, data):
    count('webhooks.verify_signature')
    good = sign(body, secret)
    dressed = ''.join(c.upper() if data.draw(st.booleans()) else c for c in good)
    assert check_verify(body, ' {}\n'.format(dressed), [b'other', secret]) is True
    position = data.draw(st.integers(0, 31))
    flipped = good[:position] + ('0' if good[position] != '0' else '1') + good[position + 1:]
    assert check_verify(body, flipped, secret) is False


@pytest.mark.soak
@fuzz(SOAK)
@given(bodies | st.none(), signatures, secrets_)
def test_verify_signature_soak(body, signature, secret):
    count('webhooks.verify_signature (soak)')
    check_verify(body, signature, secret)


SECRET = 'whsec \u00e9\U0001f600'
webhook_bodies = (bodies | json_values.map(lambda v: json.dumps(v)) | documents.map(lambda d: json.dumps(d)) |
                  documents.map(lambda d: json.dumps(d, ensure_ascii=False).encode('utf-8')))
events = (st.none() | st.text(max_size=24) | st.binary(max_size=24) | st.sampled_from(webhooks.ALL_TRIGGERS) |
          st.integers())


def _finite_float(text):
    value = float(text)
    if value in (float('inf'), float('-inf')):
        raise ValueError('beyond the float range: ' + text)
    return value


def expected_webhook_document(body, trigger):
    """The document parse_webhook must return for a signed ``body`` sent as ``trigger`` (its header, stripped), or
    ``None`` when it must refuse it: not a JSON object with a typed, identified ``data``; a number beyond a float;
    a trigger Patreon does not send, or one whose resource type is not ``data``'s."""
    try:
        document = json.loads(_bytes_or_none(body).decode('utf-8'), parse_float=_finite_float)
    except (ValueError, RuntimeError):  # RuntimeError: RecursionError on Python 3, its base on 2
        return None
    data = document.get('data') if isinstance(document, dict) else None
    if not isinstance(data, dict) or not all(isinstance(data.get(name), six.string_types) and data.get(name)
                                             for name in ('type', 'id')):
        return None
    if trigger not in webhooks.ALL_TRIGGERS:
        return None
    resource_type = {'members': 'member', 'posts': 'post'}[trigger.split(':')[0]]
    if data['type'] != resource_type:
        return None
    return document


def check_parse_webhook(body, signature, event, secret):
    trigger = event.decode('latin-1') if isinstance(event, bytes) else event
    trigger = trigger.strip() if isinstance(trigger, six.text_type) else None
    try:
        parsed = webhooks.parse_webhook(body, signature, event, secret)
    except InvalidArgument:  # the app's own mistakes: no secret, or a body that is not what was received
        candidates = secret if isinstance(secret, (list, tuple, set, frozenset)) else [secret]
        assert _bytes_or_none(body) is None or not any(_bytes_or_none(c) for c in candidates)
        return
    except InvalidSignature:
        assert not expected_signature_match(body, signature, secret)
        return
    except InvalidWebhook:
        assert expected_signature_match(body, signature, secret)
        assert not trigger or expected_webhook_document(body, trigger) is None
        return
    assert expected_signature_match(body, signature, secret)
    assert isinstance(parsed, webhooks.WebhookEvent)
    assert parsed.trigger == trigger
    assert isinstance(parsed.document, JSONAPIParser)
    assert parsed.document.json_data == expected_webhook_document(body, trigger)


@fuzz(FULL)
@given(webhook_bodies, events, st.booleans(), signatures)
@example(b'not json', '\u00e9v\u00e9nement', True, None)   # non-ASCII event header, body refused
@example(b'{"data": 1}', b'members:cr\xe9ate', True, None)   # the same event header as raw bytes
@example(b'{"data": {"type": "member", "id": "1"}}', ' members:pledge:create', True, None)  # accepted
@example(b'{"data": {"type": "member", "id": "1"}}', 'posts:publish', True, None)  # another resource's trigger
@example(b'{"data": {"type": "member", "id": "1"}}', 'members:pledge:destroy', True, None)  # no such trigger
@example(b'{"data": {"type": "member", "id": "1", "attributes": {"x": 1e400}}}', 'members:create', True, None)
def test_parse_webhook_on_garbage_bodies_and_headers(body, event, signed, signature):
    count('webhooks.parse_webhook')
    check_parse_webhook(body, sign(body, SECRET) if signed else signature, event, SECRET)


DEEP = b'[' * 100000  # nesting deeper than the json module recurses


def test_parse_webhook_on_a_signed_body_nested_too_deep():
    count('webhooks.parse_webhook')
    with pytest.raises(InvalidWebhook):
        webhooks.parse_webhook(DEEP, sign(DEEP, SECRET), webhooks.MEMBERS_CREATE, SECRET)


# OAuth and API answers that are not what they should be ------------------------------------------------------------

# No 204: an answer with that status has no body (urllib3 refuses one); test_api_204_where_a_document_is_due_is_invalid
# covers it.
STATUSES = [200, 201, 400, 401, 403, 404, 429, 500, 502, 503]
# Bodies that are not JSON in any encoding requests may guess: HTML pages, cut JSON, binary noise.
not_json = st.one_of(
    st.just(b''),
    st.binary(max_size=64).map(lambda b: b'<' + b),
    st.text(max_size=64).map(lambda t: ('<html><body>' + t).encode('utf-8')),
    st.tuples(st.dictionaries(st.sampled_from(['access_token', 'refresh_token', 'expires_in', 'error']),
                              json_scalars, min_size=1),
              st.integers(1, 10 ** 6)).map(lambda p: json.dumps(p[0]).encode('utf-8')[:-1][:p[1]]),
)
token_answers = st.fixed_dictionaries({}, optional={
    'access_token': st.text(max_size=12), 'refresh_token': st.text(max_size=12),
    'expires_in': st.integers() | st.floats() | st.text(max_size=4) | st.none() | st.booleans(),
    'scope': st.text(max_size=12), 'token_type': st.just('Bearer'),
    'error': st.none() | st.text(max_size=12), 'error_description': json_scalars})


def answer(status, body, content_type):
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    for method in (responses.GET, responses.POST):
        mock.add(method, BASE + '/api/oauth2/token', body=body, status=status, content_type=content_type)
        mock.add(method, BASE + '/api/oauth2/v2/identity', body=body, status=status, content_type=content_type)
    return mock


def is_json_object(body):
    try:
        return isinstance(json.loads(body.decode('utf-8')), dict)
    except ValueError:
        return False


def decodes_as_json(body):
    """Whether an ASCII body is JSON (``None`` for other bytes, whose decoding requests guesses)."""
    try:
        text = body.decode('ascii')
    except UnicodeDecodeError:
        return None
    try:
        json.loads(text)
    except (ValueError, RuntimeError):  # RuntimeError: nested too deep (RecursionError)
        return False
    return True


def is_usable_token(value):
    """A bearer token can go in a header: printable ASCII, no space, not empty."""
    return isinstance(value, six.string_types) and bool(value) and all(33 <= ord(c) <= 126 for c in value)


def is_a_token_answer(sent):
    return (is_usable_token(sent.get('access_token')) and
            (sent.get('refresh_token') is None or is_usable_token(sent['refresh_token'])))


def check_oauth_answer(status, body, content_type, raise_errors):
    oauth = OAuth('client-id', 'client-secret', base_url=BASE, raise_errors=raise_errors)
    with answer(status, body, content_type):
        try:
            tokens = oauth.refresh_token('refresh-token')
        except InvalidResponse as exc:
            assert exc.status_code == status
            assert (not is_json_object(body) or
                    (status < 400 and not json.loads(body.decode('utf-8')).get('error') and
                     not is_a_token_answer(json.loads(body.decode('utf-8')))))
            return
        except OAuthError as exc:
            sent = json.loads(body.decode('utf-8'))
            assert raise_errors and (status >= 400 or sent.get('error')) and exc.status_code == status
            return
    sent = json.loads(body.decode('utf-8'))
    assert isinstance(sent, dict) and (not raise_errors or (status < 400 and not sent.get('error')))
    if status >= 400 or sent.get('error'):
        # Patreon's error dict, with an error that names the status when it had none
        expected_error = sent['error'] if sent.get('error') else 'http_{}'.format(status)
        sent.pop('error', None)
        assert_same_or_masked(tokens.pop('error'), expected_error)
        assert_same_or_masked(tokens, sent)
        return
    assert is_a_token_answer(sent)
    expires_in = sent.get('expires_in')
    if (isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) and
            0 < expires_in <= 366 * 24 * 3600):
        assert isinstance(tokens.pop('expires_at'), six.integer_types)
    assert 'expires_at' not in tokens  # negative, NaN, infinite or astronomical expires_in: no date, no failure
    assert canonical(tokens) == canonical(sent)  # NaN is not equal to itself; its JSON is


def assert_same_or_masked(got, sent):
    """``got`` is ``sent``, but for text where a credential may have been masked (it then shows ``***``)."""
    if isinstance(sent, dict):
        assert isinstance(got, dict) and set(got) == set(sent)
        for key in sent:
            assert_same_or_masked(got[key], sent[key])
    elif isinstance(sent, list):
        assert isinstance(got, list) and len(got) == len(sent)
        for got_item, sent_item in zip(got, sent):
            assert_same_or_masked(got_item, sent_item)
    elif isinstance(sent, six.string_types) and got != sent:
        assert '***' in got
    else:
        assert canonical(got) == canonical(sent)



def canonical(value):
    return json.dumps(value, sort_keys=True)


@fuzz(FULL)
@given(st.sampled_from(STATUSES), not_json, st.sampled_from(['text/html', 'application/json', 'text/plain']),
       st.booleans())
def test_oauth_answers_that_are_not_json(status, body, content_type, raise_errors):
    count('OAuth answers (not JSON)')
    check_oauth_answer(status, body, content_type, raise_errors)


@fuzz(FULL)
@given(st.sampled_from(STATUSES), token_answers | json_values, st.booleans())
@example(200, {'access_token': 'a', 'expires_in': float('inf')}, False)  # 'Infinity' is what json.dumps writes
@example(200, {'access_token': 'a', 'expires_in': 10 ** 400}, False)
@example(200, {'access_token': 'a', 'expires_in': float('nan')}, False)
@example(400, {'error': 'invalid_grant', 'error_description': 'caf\u00e9 \U0001f600'}, True)
@example(200, {'access_token': 'a', 'expires_in': -3600}, False)
@example(200, {'access_token': 'a', 'expires_in': 1e300}, False)
@example(200, {'access_token': 'a b', 'refresh_token': 'r'}, False)
@example(200, {'access_token': 'a', 'refresh_token': 7}, False)
@example(200, {'scope': 'identity'}, False)
@example(503, {'message': 'Service Unavailable'}, False)
def test_oauth_answers_of_arbitrary_json(status, value, raise_errors):
    count('OAuth answers (arbitrary JSON)')
    check_oauth_answer(status, json.dumps(value).encode('utf-8'), 'application/json', raise_errors)


api_bodies = (not_json | json_values.map(lambda v: json.dumps(v).encode('utf-8')) |
              st.fixed_dictionaries({'errors': st.lists(st.fixed_dictionaries({}, optional={
                  'code_name': json_scalars, 'detail': json_scalars, 'title': json_scalars, 'status': json_scalars,
                  'retry_after_seconds': json_scalars}), max_size=2) | json_values}).map(
                  lambda v: json.dumps(v).encode('utf-8')))


def is_a_resource(value):
    return (isinstance(value, dict) and isinstance(value.get('type'), six.string_types) and
            isinstance(value.get('id'), six.string_types) and bool(value['type']) and bool(value['id']))


def is_a_document(sent):
    """Primary data: null, a resource object (non-empty string type and id), or a list of them."""
    if not (isinstance(sent, dict) and 'data' in sent):
        return False
    data = sent['data']
    return data is None or is_a_resource(data) or (isinstance(data, list) and all(map(is_a_resource, data)))


def check_api_answer(status, body, raise_errors):
    api = API('access-token', base_url=BASE, raise_errors=raise_errors, retry=None, **UNLIMITED)
    with answer(status, body, 'application/vnd.api+json'):
        try:
            result = api.get_identity()
        except InvalidResponse as exc:
            assert exc.status_code == status
            if status >= 400:  # the status first: the class of the status, and invalid
                assert not is_json_object(body)
                not_json = decodes_as_json(body)
                if not_json is not None:  # no JSON at all is also the decode error 0.5.1 let through
                    not_json = not not_json
                    assert type(exc) is error_class_for_status(status, invalid_body=True, not_json=not_json)
                assert type(exc) in (error_class_for_status(status, invalid_body=True),
                                     error_class_for_status(status, invalid_body=True, not_json=True))
                assert isinstance(exc, error_class_for_status(status))
            else:
                assert not isinstance(exc, APIError)
                assert not is_json_object(body) or not is_a_document(json.loads(body.decode('utf-8')))
            return
        except APIError as exc:
            sent = json.loads(body.decode('utf-8'))
            assert raise_errors and (status >= 400 or sent.get('errors'))
            assert type(exc) is error_class_for_status(status) and exc.status_code == status
            return
    sent = json.loads(body.decode('utf-8'))
    if status >= 400 or sent.get('errors'):
        assert isinstance(result, ErrorDocument) and not raise_errors
        assert type(result.error) is error_class_for_status(status)
        if isinstance(sent.get('errors'), list) and sent['errors']:
            assert_same_or_masked(result, sent)
        else:  # an errors list that says the status, beside the body's own keys
            assert result['errors'][0]['status'] == str(status)
            assert_same_or_masked(dict((k, v) for k, v in result.items() if k != 'errors'),
                                  dict((k, v) for k, v in sent.items() if k != 'errors'))
        with pytest.raises(APIError) as raised:
            result.data()
        assert isinstance(raised.value, AttributeError) and isinstance(raised.value, type(result.error))
    else:
        assert is_a_document(sent)
        assert isinstance(result, JSONAPIParser) and result.json_data == sent


@fuzz(FULL)
@given(st.sampled_from(STATUSES), api_bodies, st.booleans())
@example(401, json.dumps({'errors': [{'detail': 'caf\u00e9 \U0001f600'}]}).encode('utf-8'), False)
@example(503, b'{"message": "Service Unavailable"}', False)
@example(429, b'{"errors": []}', True)
@example(401, b'<html>Session expired</html>', False)
@example(200, b'{}', False)
@example(200, b'"a string"', True)
def test_api_answers_of_arbitrary_bodies(status, body, raise_errors):
    count('API answers')
    check_api_answer(status, body, raise_errors)


@pytest.mark.parametrize('raise_errors', [False, True])
def test_api_204_where_a_document_is_due_is_invalid(raise_errors):
    with answer(204, b'', 'application/vnd.api+json'):
        with pytest.raises(InvalidResponse):
            API('access-token', base_url=BASE, raise_errors=raise_errors, **UNLIMITED).get_identity()


@pytest.mark.parametrize('body', [DEEP, b'{"access_token": "a", "expires_in": ' + DEEP + b'}'],
                         ids=['array', 'expires_in'])
def test_api_and_oauth_answers_nested_too_deep(body):
    count('API answers')
    with answer(200, body, 'application/json'):
        with pytest.raises(InvalidResponse):
            API('access-token', base_url=BASE, **UNLIMITED).get_identity()
        with pytest.raises(InvalidResponse):
            OAuth('client-id', 'client-secret', base_url=BASE).refresh_token('refresh-token')


def test_requests_is_what_the_fuzzed_clients_send_through():
    # The answers above are intercepted at requests' adapter; a client that bypassed it would not be tested.
    with answer(200, b'{"access_token": "a"}', 'application/json') as mock:
        OAuth('c', 's', base_url=BASE).refresh_token('r')
        assert len(mock.calls) == 1 and isinstance(mock.calls[0].request, requests.PreparedRequest)


# Soak: the same properties, many more examples (make soak) ------------------------------------------------------------

@pytest.mark.soak
@fuzz(SOAK)
@given(json_values, st.none() | documents.map(JSONAPIParser) | json_values, keys)
def test_resource_soak(value, document, name):
    count('JSONAPIResource (soak)')
    walk_resource(JSONAPIResource(value, document),
                  document.json_data if isinstance(document, JSONAPIParser) else {})


@pytest.mark.soak
@fuzz(SOAK)
@given(st.sampled_from(PATHS), st.none() | name_lists, st.none() | st.dictionaries(names, name_lists, max_size=4))
def test_build_url_soak(path, includes, fields):
    count('build_url (soak)')
    check_build_url(path, includes, fields)


@pytest.mark.soak
@fuzz(SOAK)
@given(json_values | documents, st.sampled_from(CURSOR_PATHS) | st.text(max_size=20), st.booleans())
def test_extract_cursor_soak(document, path, wrap):
    count('API.extract_cursor (soak)')
    call_extract_cursor(JSONAPIParser(document) if wrap else document, path)


@pytest.mark.soak
@fuzz(SOAK)
@given(webhook_bodies, events, st.booleans(), signatures)
def test_parse_webhook_soak(body, event, signed, signature):
    count('webhooks.parse_webhook (soak)')
    check_parse_webhook(body, sign(body, SECRET) if signed else signature, event, SECRET)


@pytest.mark.soak
@fuzz(SOAK // 5)
@given(st.sampled_from(STATUSES), not_json | (token_answers | json_values).map(
    lambda v: json.dumps(v).encode('utf-8')), st.booleans())
def test_oauth_answers_soak(status, body, raise_errors):
    count('OAuth answers (soak)')
    check_oauth_answer(status, body, 'application/json', raise_errors)


@pytest.mark.soak
@fuzz(SOAK // 5)
@given(st.sampled_from(STATUSES), api_bodies, st.booleans())
def test_api_answers_soak(status, body, raise_errors):
    count('API answers (soak)')
    check_api_answer(status, body, raise_errors)
