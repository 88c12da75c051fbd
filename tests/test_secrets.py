"""Secrets: tokens and client secrets never reach a URL, a message, a repr or a log record; TLS stays on.

The secrets looked for are every token the sandbox issued during the test
(its token endpoint is wrapped to record them, including answers the client
never read whole), the client secret, the authorization code and webhook
secrets.  Every place a secret could leak to is searched: the URLs of every
request the sandbox served, the message and ``repr`` of every exception type
the package raises, the ``repr`` of the clients, and every record of the
``patreon`` and ``urllib3`` loggers at DEBUG.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import hmac
import io
import json
import logging
import os
import re
import ssl

import pytest
import requests
import responses
from six.moves.urllib.parse import parse_qs, urlsplit

import patreon
from patreon import entitlements, webhooks
from patreon.exceptions import (APIError, Forbidden, InvalidResponse, InvalidSignature, InvalidWebhook, NotFound,
                                OAuthError, PaginationError, PatreonError, RateLimited, ServerError, Unauthorized)
from patreon.jsonapi.parser import JSONAPIParser, JSONAPIResource
from patreon.oauth import check_state, make_state
from patreon.sandbox import Sandbox

from helpers import closed_port
from reliability_report import tally

try:
    import trustme
except ImportError:  # Python 2.7: trustme is Python 3 only; the certificate below stands in for it
    trustme = None

PACKAGE_DIR = os.path.dirname(os.path.abspath(patreon.__file__))
# Distinctive, so that finding one in a message cannot be a coincidence.
BOGUS_TOKEN = 'bogus_access_TOKEN_9f8e7d6c5b4a39281706'
BOGUS_REFRESH_TOKEN = 'bogus_refresh_TOKEN_1a2b3c4d5e6f70819'
WRONG_CLIENT_SECRET = 'wrong_client_SECRET_0a9b8c7d6e5f4a3b2c1d'
WEBHOOK_SECRET = 'webhook_SECRET_5f4e3d2c1b0a99887766'


# Where secrets are looked for ------------------------------------------------------------------------------------

class Secrets(object):
    """Every secret met during a test, and the search for them in text."""

    def __init__(self, sandbox):
        self.values = set([BOGUS_TOKEN, BOGUS_REFRESH_TOKEN, WRONG_CLIENT_SECRET, WEBHOOK_SECRET,
                           sandbox.creator_token, sandbox.creator_refresh_token])
        self.values.update(client.secret for client in sandbox.clients.values())
        self.searched = 0

    def add(self, *values):
        self.values.update(value for value in values if value)

    def found_in(self, text):
        self.searched += 1
        return sorted(secret for secret in self.values if secret in text)


@pytest.fixture(scope='module')
def sb():
    with Sandbox(members=120, seed=5) as sandbox:
        yield sandbox


@pytest.fixture
def secrets(sb, monkeypatch):
    """The secrets of the test, including every token the sandbox issues (even in answers cut short)."""
    sb.clear_faults()
    sb.clear_log()
    found = Secrets(sb)
    issue = sb.oauth.issue

    def recording_issue(*args, **kwargs):
        answer = issue(*args, **kwargs)
        found.add(answer['access_token'], answer['refresh_token'])
        return answer

    monkeypatch.setattr(sb.oauth, 'issue', recording_issue)
    yield found
    tally('secrets', 'secrets looked for', 'distinct secrets', len(found.values))
    tally('secrets', 'places searched', 'texts searched', found.searched)


def capture_debug(caplog):
    caplog.set_level(logging.DEBUG, logger='patreon')
    caplog.set_level(logging.DEBUG, logger='urllib3')


def assert_no_secret_in_logs(caplog, secrets):
    formatter = logging.Formatter('%(name)s %(levelname)s %(message)s')
    for record in caplog.records:
        assert secrets.found_in(formatter.format(record)) == [], record.name
    tally('secrets', 'log records at DEBUG (patreon, urllib3)', 'records searched', len(caplog.records))


def assert_no_secret_in_urls(sandbox, secrets):
    for record in sandbox.requests:
        assert secrets.found_in(record.path + '?' + record.query) == [], record
    # The token endpoint takes a form body: nothing in its query string at all.
    assert [r.query for r in sandbox.requests if r.path.endswith('/token')] == \
        ['' for r in sandbox.requests if r.path.endswith('/token')]
    tally('secrets', 'URLs of every request served', 'URLs searched', len(sandbox.requests))


def assert_no_secret_in_exception(exc, secrets):
    for text in (str(exc), repr(exc), repr(exc.args)):
        assert secrets.found_in(text) == [], '{} leaks a secret'.format(type(exc).__name__)
    tally('secrets', 'exception messages and reprs', 'exceptions searched')


SCOPES = ['identity', 'identity[email]', 'identity.memberships', 'campaigns', 'campaigns.members']


def log_in(sandbox, oauth, secrets):
    """The authorization code flow, the browser's redirect played by requests."""
    state = make_state()
    authorize_url = oauth.get_authorization_url(sandbox.redirect_uri, scopes=SCOPES, state=state)
    assert secrets.found_in(authorize_url) == []
    redirect = requests.get(authorize_url, allow_redirects=False)
    query = parse_qs(urlsplit(redirect.headers['Location']).query)
    secrets.add(query['code'][0])
    assert check_state(state, query['state'][0])
    return oauth.get_tokens(query['code'][0], sandbox.redirect_uri)


# The journey -------------------------------------------------------------------------------------------------------

def test_a_full_journey_leaks_no_secret_to_urls_logs_or_reprs(sb, secrets, caplog):
    capture_debug(caplog)
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)
    tokens = log_in(sb, oauth, secrets)
    refreshed = []
    api = patreon.API(tokens['access_token'], base_url=sb.url, oauth_client=oauth,
                      refresh_token=tokens['refresh_token'], on_token_refresh=refreshed.append)
    assert api.get_identity(includes=['memberships']).data().id() == sb.patron_user_id

    sb.expire_access_token(api.access_token)
    assert api.get_identity().data().id() == sb.patron_user_id  # a 401, a refresh, the request again
    assert len(refreshed) == 1 and api.access_token == refreshed[0]['access_token']

    creator = patreon.API(sb.creator_token, base_url=sb.url)
    members = list(creator.paginate(creator.get_campaigns_by_id_members, sb.campaign_id, page_size=50,
                                    includes=['user'], fields={'member': ['full_name', 'email']}))
    assert len(members) == 120
    hook = creator.create_webhook(sb.campaign_id, 'http://127.0.0.1:9/hooks', ['members:create']).data()
    secrets.add(hook.attribute('secret'))
    creator.update_webhook(hook.id(), paused=True)
    assert creator.get_webhooks(10).data()
    assert creator.delete_webhook(hook.id()) is None

    # A refresh whose answer is cut short: the sandbox rotated the tokens, the client never read them.
    sb.inject_fault('token', 'truncated', 1)
    sb.expire_access_token(api.access_token)
    cut = api.get_identity()
    assert isinstance(cut.error, Unauthorized)
    # The next 401 tries the refresh token the client still has: the sandbox refuses it (rotated).
    assert isinstance(api.get_identity().error, Unauthorized)
    assert len(refreshed) == 1

    # The search is not blind: the tokens it looks for are where they belong, in the headers.
    assert refreshed[0]['access_token'] in secrets.values and refreshed[0]['refresh_token'] in secrets.values
    assert len(secrets.values) >= 12  # fixed ones, code, webhook secret, and three token pairs issued
    assert any(secrets.found_in(record.headers.get('Authorization', '')) for record in sb.requests)
    assert_no_secret_in_urls(sb, secrets)
    assert_no_secret_in_logs(caplog, secrets)
    for client in (api, creator, oauth):
        assert secrets.found_in(repr(client) + str(client)) == []
    names = set(record.name for record in caplog.records)
    assert 'patreon.transport' in names and 'patreon.api' in names  # the refresh failures were logged
    assert any(name.startswith('urllib3') for name in names)
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    tally('secrets', 'full journey (code flow, refresh, cut refresh, webhooks)', 'requests served',
          len(sb.requests))


def test_the_clients_reprs_hold_no_secret(sb, secrets):
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)
    api = patreon.API(sb.creator_token, base_url=sb.url, oauth_client=oauth,
                      refresh_token=sb.creator_refresh_token)
    for text in (repr(api), str(api), repr(oauth), str(oauth), repr(api.transport), repr(oauth.transport)):
        assert secrets.found_in(text) == []
    assert sb.client_id in repr(oauth)  # the id is public, and tells clients apart


# Every error type --------------------------------------------------------------------------------------------------

def raised(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except (PatreonError, requests.RequestException) as exc:
        return exc
    raise AssertionError('{} raised nothing'.format(call))


def quick_api(sandbox, token, **kwargs):
    api = patreon.API(token, base_url=sandbox.url, raise_errors=True, **kwargs)
    api.transport.sleep = lambda seconds: None
    return api


def provoke_sandbox_errors(sb, secrets):
    """One exception of every kind the sandbox can make the clients raise."""
    creator = quick_api(sb, sb.creator_token, max_retries=0)
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url, raise_errors=True)
    expired = sb.issue_tokens()
    sb.expire_access_token(expired['access_token'])
    patron = sb.issue_tokens(user_id=sb.patron_user_id)
    errors = [
        raised(quick_api(sb, BOGUS_TOKEN).get_identity),
        raised(quick_api(sb, expired['access_token'], oauth_client=oauth,
                         refresh_token=BOGUS_REFRESH_TOKEN).get_identity),
        raised(quick_api(sb, patron['access_token']).get_campaigns_by_id_members, sb.campaign_id, 10),
        raised(creator.get_members_by_id, '00000000-0000-4000-8000-000000000000'),
        raised(creator.get_campaigns_by_id_members, sb.campaign_id, 5000),
        raised(oauth.refresh_token, BOGUS_REFRESH_TOKEN),
        raised(patreon.OAuth(sb.client_id, WRONG_CLIENT_SECRET, base_url=sb.url,
                             raise_errors=True).refresh_token, BOGUS_REFRESH_TOKEN),
    ]
    sb.inject_fault('token', 'server_error', 1, status=503)
    errors.append(raised(oauth.get_tokens, 'code_SECRET_abcdef', sb.redirect_uri))
    secrets.add('code_SECRET_abcdef')
    sb.inject_fault('token', 'truncated', 1)
    errors.append(raised(oauth.refresh_token, sb.issue_tokens()['refresh_token']))
    sb.inject_fault('identity', 'rate_limit', 1, retry_after=5)
    errors.append(raised(creator.get_identity))
    sb.inject_fault('identity', 'server_error', 1, status=502)
    errors.append(raised(creator.get_identity))
    sb.inject_fault('identity', 'truncated', 1)
    errors.append(raised(creator.get_identity))
    sb.inject_fault('identity', 'reset', 1)
    errors.append(raised(creator.get_identity))
    sb.inject_fault('identity', 'delay', 1, seconds=2)
    errors.append(raised(quick_api(sb, sb.creator_token, timeout=0.2, max_retries=0).get_identity))
    return errors


def provoke_local_errors(secrets):
    """The exceptions that need no server, or a body no sandbox would send."""
    body = b'{"data": {"type": "member", "id": "1"}}'
    signature = hmac.new(WEBHOOK_SECRET.encode('ascii'), body, hashlib.md5).hexdigest()
    looping = JSONAPIParser({'data': [], 'meta': {'pagination': {'cursors': {'next': 'again'}}}})
    api = patreon.API(BOGUS_TOKEN, base_url='http://127.0.0.1:{}'.format(closed_port()), max_retries=0)
    errors = [
        raised(webhooks.parse_webhook, body, signature, 'members:create', 'not-' + WEBHOOK_SECRET),
        raised(webhooks.parse_webhook, body, signature, None, WEBHOOK_SECRET),
        raised(list, api.paginate(lambda cursor=None: looping)),
        raised(entitlements.is_active_patron, JSONAPIResource({'type': 'member', 'id': '1'}, None)),
        raised(api.get_identity),
        raised(patreon.API, BOGUS_TOKEN + '\r\nX-Injected: ' + BOGUS_TOKEN),  # InvalidCredential
        raised(api.get_members_by_id, '1\x00'),  # InvalidArgument
    ]
    # Answers no sandbox sends: a JSON 5xx, and token answers cut or garbled around the tokens.
    access, refresh = 'new_access_TOKEN_' + 'a' * 40, 'new_refresh_TOKEN_' + 'b' * 40
    secrets.add(access, refresh)
    answer = json.dumps({'access_token': access, 'refresh_token': refresh, 'expires_in': 3600})
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, 'http://patreon.test/api/oauth2/v2/identity', status=500,
                 json={'errors': [{'code_name': 'Internal', 'detail': 'boom', 'status': '500'}]})
        errors.append(raised(patreon.API(BOGUS_TOKEN, base_url='http://patreon.test', raise_errors=True,
                                         max_retries=0).get_identity))
        oauth = patreon.OAuth('client', WRONG_CLIENT_SECRET, base_url='http://patreon.test')
        for garbled in [answer[:-2],                                  # cut after the tokens
                        answer[:60],                                  # cut inside the access token
                        ' ' * 170 + answer[:-1],                      # a token across the excerpt's end
                        '<html>secret={} token={}</html>'.format(WRONG_CLIENT_SECRET, BOGUS_REFRESH_TOKEN)]:
            mock.add(responses.POST, 'http://patreon.test/api/oauth2/token', body=garbled, status=200)
            errors.append(raised(oauth.refresh_token, BOGUS_REFRESH_TOKEN))
            mock.remove(responses.POST, 'http://patreon.test/api/oauth2/token')
    return errors


def exception_types_of_the_package():
    from patreon import exceptions
    types = set(value for value in vars(exceptions).values()
                if isinstance(value, type) and issubclass(value, PatreonError) and value is not PatreonError)
    return types | set([entitlements.MissingFieldError])


def test_no_exception_of_any_type_holds_a_secret(sb, secrets, caplog):
    capture_debug(caplog)
    errors = provoke_sandbox_errors(sb, secrets) + provoke_local_errors(secrets)

    raised_types = set(type(error) for error in errors)
    missing = exception_types_of_the_package() - raised_types
    assert not missing, 'not provoked: {}'.format(sorted(t.__name__ for t in missing))
    for expected in (Unauthorized, Forbidden, NotFound, RateLimited, ServerError, APIError, OAuthError,
                     InvalidResponse, InvalidSignature, InvalidWebhook, PaginationError,
                     requests.exceptions.ConnectionError, requests.Timeout,
                     requests.exceptions.ChunkedEncodingError):
        assert any(isinstance(error, expected) for error in errors), expected
    for error in errors:
        assert_no_secret_in_exception(error, secrets)
    for token in ('new_access_TOKEN_', 'new_refresh_TOKEN_'):
        # No cut may leave the beginning of a token either.
        assert not any(token in str(error) for error in errors)
    assert_no_secret_in_logs(caplog, secrets)
    assert_no_secret_in_urls(sb, secrets)


# OAuth state, signatures: constant time --------------------------------------------------------------------------

def record_compare_digest(monkeypatch, module):
    calls = []
    real = hmac.compare_digest

    def recording(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, 'compare_digest', recording)
    monkeypatch.setattr(module, 'compare_digest', recording, raising=False)  # if imported by name
    return calls


def test_the_oauth_state_is_compared_in_constant_time(monkeypatch):
    calls = record_compare_digest(monkeypatch, patreon.oauth)
    state = make_state()
    forged = state[:-1] + ('A' if state[-1] != 'A' else 'B')

    assert check_state(state, state) is True
    assert check_state(state, forged) is False
    assert calls == [(state.encode('ascii'), state.encode('ascii')),
                     (state.encode('ascii'), forged.encode('ascii'))]


def test_the_state_is_unguessable():
    states = set(make_state() for _ in range(100))
    assert len(states) == 100
    assert all(len(state) >= 32 and re.match(r'\A[A-Za-z0-9_-]+\Z', state) for state in states)


def test_webhook_signatures_are_compared_in_constant_time(monkeypatch):
    calls = record_compare_digest(monkeypatch, webhooks)
    body = b'{"data": {}}'
    signature = hmac.new(b'secret', body, hashlib.md5).hexdigest()

    assert webhooks.verify_signature(body, signature.upper(), 'secret') is True
    assert calls == [(signature.encode('ascii'), signature.encode('ascii'))]


# TLS ------------------------------------------------------------------------------------------------------------

# A self-signed certificate (CA:TRUE, for 127.0.0.1, valid 2000-2125) that nothing trusts, for interpreters
# without trustme.  Its key is public on purpose: it protects nothing.
UNTRUSTED_CERT = '''\
-----BEGIN CERTIFICATE-----
MIIDjjCCAnagAwIBAgIUGQm/VzgbFtPqYYBL+mg1y4tXItAwDQYJKoZIhvcNAQEL
BQAwNDEyMDAGA1UEAwwpdW50cnVzdGVkIHBhdHJlb24tcHl0aG9uIHRlc3QgY2Vy
dGlmaWNhdGUwIBcNMDAwMTAxMDAwMDAwWhgPMjEyNTAxMDEwMDAwMDBaMDQxMjAw
BgNVBAMMKXVudHJ1c3RlZCBwYXRyZW9uLXB5dGhvbiB0ZXN0IGNlcnRpZmljYXRl
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuir2bT0MAp5N3T3EGKEi
SRoyTcySLuyPVBCKSGjC5g7CzyTQHnohFo78Ifpr/FBIlP+mnIMELA+3RLLUAGB+
cNhI8ObyTNbMi47uuWfgPVR8i0ysgJyYvK2XKsfpxCThsGF3O+tpGwahdnoQ1sd3
/EsBqRRss5NGPYm9gYH7tQD6j9ssMJFuXOipJdZFv9hBWIVgMLOl3RjP4U/plJjP
i7UO/eixoXWQQ+lA4JJJNMpolZay+blzbdYyFh8v0RaypuZaS3oaPcdhBQewpF7u
pZ/zO8Y8AtTorZUG7rK8lbvr5Q8X1E+9BU51GgNLLX9fEUwVmOZ0jHdx/zejv9ar
UQIDAQABo4GVMIGSMBoGA1UdEQQTMBGHBH8AAAGCCWxvY2FsaG9zdDAPBgNVHRMB
Af8EBTADAQH/MA4GA1UdDwEB/wQEAwICpDATBgNVHSUEDDAKBggrBgEFBQcDATAd
BgNVHQ4EFgQU4TH1qFh2FOw/zWftOxS/WBgRXDwwHwYDVR0jBBgwFoAU4TH1qFh2
FOw/zWftOxS/WBgRXDwwDQYJKoZIhvcNAQELBQADggEBADuadHosYCnACcrdLiBt
KMBaBQQZ+9eErIxv3c7TF8fHqeN/jA6AfTdM1CHIF/KL/7gFebCa61j9v7tX7KTg
d7aOvr/n9FX56wmqt4zLEcTQDN1VsBi8tl2XuaFDW+MGwwr/6dcwc5eiHPziBLtz
HQgydY3fmXFvg1pp00/EHTGFzozloYpJjDKPaYlPv0EHpe8xLnOsglyzy6Wlca8L
ngwQ+u4vSyVeRnjKLO1Can0mO9bNjQMiq/InqpY5aeHCHQAW+7/w/z/2dHcyo77K
LeG+IO1cVwaHjQ/VqObWIdaVFX0w9pKONZplcXw+UQtM5ekmpWQZ763aVoQVfLk/
ti8=
-----END CERTIFICATE-----
'''
UNTRUSTED_KEY = '''\
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAuir2bT0MAp5N3T3EGKEiSRoyTcySLuyPVBCKSGjC5g7CzyTQ
HnohFo78Ifpr/FBIlP+mnIMELA+3RLLUAGB+cNhI8ObyTNbMi47uuWfgPVR8i0ys
gJyYvK2XKsfpxCThsGF3O+tpGwahdnoQ1sd3/EsBqRRss5NGPYm9gYH7tQD6j9ss
MJFuXOipJdZFv9hBWIVgMLOl3RjP4U/plJjPi7UO/eixoXWQQ+lA4JJJNMpolZay
+blzbdYyFh8v0RaypuZaS3oaPcdhBQewpF7upZ/zO8Y8AtTorZUG7rK8lbvr5Q8X
1E+9BU51GgNLLX9fEUwVmOZ0jHdx/zejv9arUQIDAQABAoIBABMW1K3e1JxwHwvQ
iYr8+scEKKRRlau6FfhIueUy2Mk+OjuDStPVMg9eGfxh8TCuCsM8c5kY1hSuh9xD
efmP62cmxlPtWmsGm3Kz9UaNoDCpuRuPgSCu7fpq0lVQqmeyYHH1jIRYXy6mP2gm
nBNp4KO+DS2JKpw/PbSRqxzcdzLX+gARjnF9yxKGgy7WEjFpWjVBrWJTbnpf9atC
jHhtd/uq9x2rCq58l7W2eT5liXgaV5Uta+7FCgFAdOIqz6sT8m4qmTQRiAX2fCqd
/DEhwy56M1uNvTR7DRUDbBzr3jUXm8H/i2XBduhf210HmsNG8zSWwrO7cq7lewft
DRAj0QECgYEA55TKspNkG/xom5+TppSdZkPbWh8r/kDGL8IsEx1jSrZlp//qoQjo
zpyM144PgLjR/EMjHfcJpMej0LADyYlJ/KbdOY5tx4Wi2V2+0BYWzn4YG0/456h3
6C+c4YbMtobOrDgMCBCP54YGCqcDCc77sYheQXRfaFEkjw7vW+kHyM8CgYEAzcxM
3+XajrUp5HuLubPu1QnZd0mTNH6D/seqP37BFY1GJ0XVhKbmutx1cQ+Ce8Yv5trL
T6t84eoQn3hnhSRPPnP1V6V6L7DinsX70VnwzKP5JRyFrnpagRlg8PlFS4HnuwsO
veL0YVAXgvLjT5VOZwAEGnKd9x0lZ03XVCL3Ed8CgYAqoDGbIxQXLqOWmY3U6J/8
NdtHQFuZphSUr9nq/srK8r3NaYanc3tepGQsPQLPf7VvCHCLUHBe+zxE6lEYJIQQ
1Cn+MSA1zHxIJEA+DwLNqVoIlPTMty6y9yiaPnSp2DBsdLiKN3o1dG7iQRGHGaks
aVxoEeKJ0f23s1kNgtwi8wKBgGqBaeOR9FtYvLaHjddsnJTahRYsGKfZNfycXqp/
sfOyanUWuhrtuYlJYOpDSZc/CTljUEcKDBZq6XFugbyw/uXmYzmZ5TNbSt06v0ko
T+vIjL89FJ4oqkAX30i26LrcHw54+YciNrFKHvDhPOzJ64p4wqbhXIkwJ1RgP6lG
czFnAoGBAJVPKGANYMYBsw1YlcY7NE4ZNgpIkZK0Bx1SL4ZQL1lxcdZxSQhxrItn
UFNEeyXdkqZuggW/C8tEhpUoCSgL6GQi04b46+UkmcF+JQ5nYFTaUy1Fgl1kHgAQ
g207cuZmTDNJC2ofruiRRjqSh//UDMM+khsQWWJtiiOvCCbRsWKn
-----END RSA PRIVATE KEY-----
'''


@pytest.fixture(scope='module')
def tls(tmpdir_factory):
    """A server-side SSL context for 127.0.0.1, and the path of the CA file that trusts it."""
    directory = tmpdir_factory.mktemp('tls')
    ca_path = str(directory.join('ca.pem'))
    if trustme is not None:
        ca = trustme.CA()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert('127.0.0.1', 'localhost').configure_cert(context)
        ca.cert_pem.write_to_path(ca_path)
    else:
        key_path = str(directory.join('key.pem'))
        for path, text in ((ca_path, UNTRUSTED_CERT), (key_path, UNTRUSTED_KEY)):
            with io.open(path, 'w') as handle:
                handle.write(text)
        context = ssl.SSLContext(ssl.PROTOCOL_SSLv23)
        context.load_cert_chain(ca_path, key_path)
    return context, ca_path


@pytest.fixture(scope='module')
def https_sandbox(tls):
    with Sandbox(members=5, seed=2, ssl_context=tls[0]) as sandbox:
        yield sandbox


def https_url(sandbox):
    # By name: Python 2's urllib3 matches IP addresses in certificates only with the ipaddress backport.
    assert sandbox.url.startswith('https://127.0.0.1:')
    return sandbox.url.replace('127.0.0.1', 'localhost')


def test_an_untrusted_certificate_is_refused(https_sandbox):
    api = patreon.API(https_sandbox.creator_token, base_url=https_url(https_sandbox))
    api.transport.sleep = lambda seconds: None
    oauth = patreon.OAuth(https_sandbox.client_id, https_sandbox.client_secret, base_url=https_url(https_sandbox))

    with pytest.raises(requests.exceptions.SSLError):
        api.get_identity()
    with pytest.raises(requests.exceptions.SSLError):
        oauth.refresh_token(https_sandbox.creator_refresh_token)
    tally('secrets', 'TLS', 'untrusted certificates refused', 2)


def test_the_same_server_is_reached_once_its_ca_is_trusted(https_sandbox, tls, monkeypatch):
    # The control of the test above: the refusal was about trust, not a broken server.
    for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'):
        monkeypatch.delenv(name, raising=False)  # requests lets these override session.verify
    session = requests.Session()
    session.verify = tls[1]
    api = patreon.API(https_sandbox.creator_token, base_url=https_url(https_sandbox), session=session)

    assert api.get_identity().data().id() == https_sandbox.creator_user_id


class RecordingSession(requests.Session):
    """Records the ``verify`` of every request sent, as the library asked and as requests resolved it."""

    def __init__(self):
        super(RecordingSession, self).__init__()
        self.asked = []
        self.sent = []

    def request(self, method, url, **kwargs):
        self.asked.append(kwargs.get('verify', 'not given'))
        return super(RecordingSession, self).request(method, url, **kwargs)

    def send(self, request, **kwargs):
        self.sent.append(kwargs.get('verify'))
        return super(RecordingSession, self).send(request, **kwargs)


def test_the_library_never_turns_verification_off(sb, secrets):
    session = RecordingSession()
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url, session=session)
    tokens = log_in(sb, oauth, secrets)
    api = patreon.API(tokens['access_token'], base_url=sb.url, session=session, oauth_client=oauth,
                      refresh_token=tokens['refresh_token'])
    sb.expire_access_token(api.access_token)
    api.get_identity()
    creator = patreon.API(sb.creator_token, base_url=sb.url, session=session)
    list(creator.paginate(creator.get_campaigns_by_id_members, sb.campaign_id, page_size=100))
    hook = creator.create_webhook(sb.campaign_id, 'http://127.0.0.1:9/h', ['members:create']).data()
    creator.update_webhook(hook.id(), paused=False)
    creator.delete_webhook(hook.id())

    assert len(session.sent) >= 8
    assert all(verify == 'not given' for verify in session.asked)  # left to the session: True by default
    # As requests resolved it: True, or the CA bundle REQUESTS_CA_BUNDLE names; never off.
    assert all(verify is True or (verify and os.path.exists(verify)) for verify in session.sent)
    assert session.verify is True
    assert patreon.API('t').transport.session.verify is True
    assert patreon.OAuth('c', 's').transport.session.verify is True


TLS_OFF = re.compile(r'verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified_context|'
                     r'disable_warnings|InsecureRequestWarning')


def test_no_client_module_has_a_way_to_turn_tls_off():
    # The sandbox is a server (and its webhook sender a test double); every other module is the library.
    offending = []
    checked = 0
    for directory, subdirectories, files in os.walk(PACKAGE_DIR):
        subdirectories[:] = [d for d in subdirectories if d != 'sandbox']
        for name in files:
            if name.endswith('.py'):
                with io.open(os.path.join(directory, name), encoding='utf-8') as handle:
                    checked += 1
                    offending += ['{}: {}'.format(name, match) for match in TLS_OFF.findall(handle.read())]
    assert checked >= 10
    assert offending == []
