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
import pickle
import re
import shutil
import ssl
import tempfile

import pytest
import requests
import responses
import six
from six.moves.urllib.parse import parse_qs, urlsplit

import patreon
from patreon import endpoint, entitlements, exceptions, webhooks
from patreon.exceptions import (APIError, Forbidden, InvalidResponse, InvalidSignature, InvalidWebhook, NotFound,
                                OAuthError, PaginationError, PatreonError, RateLimited, ServerError, Unauthorized)
from patreon.jsonapi.parser import JSONAPIParser, JSONAPIResource
from patreon._masking import Mask
from patreon.oauth import check_state, make_state
from patreon.pacing import RequestBudget
from patreon.sandbox import Sandbox
from patreon.tokens import FileTokenStore

from canned import CannedServer as Canned
from helpers import closed_port
from reliability_report import tally

try:
    from unittest import mock as mocking  # named apart from the RequestsMock objects called mock below
except ImportError:  # Python 2.7: the backport
    import mock as mocking

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
PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


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


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=120, seed=5)


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
    if isinstance(exc, PatreonError):
        for text in (repr(getattr(exc, 'errors', None)), repr(getattr(exc, 'error_description', None))):
            assert secrets.found_in(text) == [], '{} leaks a secret in an attribute'.format(type(exc).__name__)
        for protocol in PROTOCOLS:
            data = pickle.dumps(exc, protocol)
            assert [secret for secret in secrets.values if secret.encode('utf-8') in data] == [], \
                '{} leaks a secret in its pickle (protocol {})'.format(type(exc).__name__, protocol)
        tally('secrets', 'pickled exceptions', 'pickles searched', len(PROTOCOLS))
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
    api = patreon.API(tokens['access_token'], base_url=sb.url, refresh=patreon.RefreshPolicy(oauth,
                                                                                             on_token_refresh=refreshed.append),
                      refresh_token=tokens['refresh_token'])
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
    assert 'patreon._transport' in names and 'patreon._refresh' in names  # the refresh failures were logged
    assert any(name.startswith('urllib3') for name in names)
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    tally('secrets', 'full journey (code flow, refresh, cut refresh, webhooks)', 'requests served',
          len(sb.requests))


def test_the_clients_reprs_hold_no_secret(sb, secrets):
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)
    api = patreon.API(sb.creator_token, base_url=sb.url, refresh=patreon.RefreshPolicy(oauth),
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
    creator = quick_api(sb, sb.creator_token, retry=None)
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url, raise_errors=True)
    expired = sb.issue_tokens()
    sb.expire_access_token(expired['access_token'])
    patron = sb.issue_tokens(user_id=sb.patron_user_id)
    errors = [
        raised(quick_api(sb, BOGUS_TOKEN).get_identity),
        raised(quick_api(sb, expired['access_token'], refresh=patreon.RefreshPolicy(oauth),
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
    errors.append(raised(quick_api(sb, sb.creator_token, timeout=0.2, retry=None).get_identity))
    return errors


def provoke_local_errors(secrets):
    """The exceptions that need no server, or a body no sandbox would send."""
    body = b'{"data": {"type": "member", "id": "1"}}'
    signature = hmac.new(WEBHOOK_SECRET.encode('ascii'), body, hashlib.md5).hexdigest()
    looping = JSONAPIParser({'data': [], 'meta': {'pagination': {'cursors': {'next': 'again'}}}})
    api = patreon.API(BOGUS_TOKEN, base_url='http://127.0.0.1:{}'.format(closed_port()), retry=None)
    errors = [
        raised(webhooks.parse_webhook, body, signature, 'members:create', 'not-' + WEBHOOK_SECRET),
        raised(webhooks.parse_webhook, body, signature, None, WEBHOOK_SECRET),
        raised(list, api.paginate(lambda cursor=None: looping)),
        raised(entitlements.is_active_patron, JSONAPIResource({'type': 'member', 'id': '1'}, None)),
        raised(api.get_identity),
        raised(patreon.API, BOGUS_TOKEN + '\r\nX-Injected: ' + BOGUS_TOKEN),  # InvalidCredential
        raised(api.get_members_by_id, '1\x00'),  # InvalidArgument
        raised(patreon.API(BOGUS_TOKEN, strict_fields=True).get_identity, None, {'user': ['full_nme']}),
        raised(getattr, api, 'fetch_page_of_pledges'),  # V1MethodRemoved
    ]
    # Error statuses with a page that is not JSON, or JSON that is not an object: the status's class, and invalid.
    with responses.RequestsMock() as mock:
        for status in (400, 401, 403, 404, 429, 500):
            mock.add(responses.GET, 'http://patreon.test/api/oauth2/v2/identity', status=status,
                     json=['Denied: Bearer {}'.format(BOGUS_TOKEN)])
            errors.append(raised(patreon.API(BOGUS_TOKEN, base_url='http://patreon.test',
                                             retry=None).get_identity))
            mock.remove(responses.GET, 'http://patreon.test/api/oauth2/v2/identity')
        for status in (400, 401, 403, 404, 429):
            mock.add(responses.GET, 'http://patreon.test/api/oauth2/v2/identity', status=status,
                     body='<html>Denied: Bearer {}</html>'.format(BOGUS_TOKEN), content_type='text/html')
            errors.append(raised(patreon.API(BOGUS_TOKEN, base_url='http://patreon.test',
                                             retry=None).get_identity))
            mock.remove(responses.GET, 'http://patreon.test/api/oauth2/v2/identity')
        # A 4xx budget of one, spent: the next call is not sent (RequestBudgetExceeded).
        mock.add(responses.GET, 'http://patreon.test/api/oauth2/v2/identity', status=404,
                 json={'errors': [{'code_name': 'NotFound', 'detail': 'Bearer ' + BOGUS_TOKEN, 'status': '404'}]})
        spent = patreon.API(BOGUS_TOKEN, base_url='http://patreon.test', retry=None,
                            limits=patreon.Limits(max_4xx_per_10_minutes=RequestBudget(1)), raise_errors=True)
        errors.extend([raised(spent.get_identity), raised(spent.get_identity)])
    # .data() of errors documents that echo the token (the status's class and NoPrimaryData), and a 200 whose JSON is
    # no document (a plain InvalidResponse).
    with responses.RequestsMock() as mock:
        for status in (400, 401, 403, 404, 429, 500):
            mock.add(responses.GET, 'http://patreon.test/api/oauth2/v2/identity', status=status,
                     json={'errors': [{'code_name': 'Echo', 'detail': 'Bearer ' + BOGUS_TOKEN, 'status': str(status)}]})
            document = patreon.API(BOGUS_TOKEN, base_url='http://patreon.test', retry=None).get_identity()
            errors.append(raised(lambda document=document: document.data()))
            mock.remove(responses.GET, 'http://patreon.test/api/oauth2/v2/identity')
        mock.add(responses.GET, 'http://patreon.test/api/oauth2/v2/identity',
                 json={'data': 'Bearer ' + BOGUS_TOKEN})
        errors.append(raised(patreon.API(BOGUS_TOKEN, base_url='http://patreon.test', retry=None).get_identity))
    # A token file another program garbled around a token (TokenStoreError).
    directory = tempfile.mkdtemp()
    try:
        with open(os.path.join(directory, 'tokens.json'), 'w') as handle:
            handle.write('{"access_token": "%s", ' % BOGUS_TOKEN)
        errors.append(raised(FileTokenStore(os.path.join(directory, 'tokens.json')).load))
    finally:
        shutil.rmtree(directory)
    # The real Patreon, refused while a test points clients elsewhere, and past a mock of requests.post for a request
    # 0.5.1 never made (its own calls go through the mock).
    with endpoint.override_default_base_url('http://127.0.0.1:{}'.format(closed_port())):
        errors.append(raised(patreon.API(BOGUS_TOKEN, base_url='https://www.patreon.com').get_identity))
    with mocking.patch('requests.post'):
        errors.append(raised(patreon.API(BOGUS_TOKEN).create_webhook, '123', 'https://app.example/hook',
                             ['members:create']))
    # Answers no sandbox sends: a JSON 5xx, and token answers cut or garbled around the tokens.
    access, refresh = 'new_access_TOKEN_' + 'a' * 40, 'new_refresh_TOKEN_' + 'b' * 40
    secrets.add(access, refresh)
    answer = json.dumps({'access_token': access, 'refresh_token': refresh, 'expires_in': 3600})
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, 'http://patreon.test/api/oauth2/v2/identity', status=500,
                 json={'errors': [{'code_name': 'Internal', 'detail': 'boom', 'status': '500'}]})
        errors.append(raised(patreon.API(BOGUS_TOKEN, base_url='http://patreon.test', raise_errors=True,
                                         retry=None).get_identity))
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
    # PatreonError and NoPrimaryData are never raised alone: each is a base of the classes raised.
    types = set(value for value in vars(exceptions).values()
                if isinstance(value, type) and issubclass(value, PatreonError)
                and value not in (PatreonError, exceptions.NoPrimaryData))
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


# Credentials an answer echoes, and fresh tokens in garbled answers: masked in every message -------------------------

# Shaped like real ones (mixed case and digits), unknown to the client: only their shape can hide them.
FRESH_ACCESS = 'Zq8vTx2LmN4pRs6Uw9Yb1Dc3Fg5Hj7Kk0AeBiCoDuEy'
FRESH_REFRESH = 'Rf3Gh5Jk7Lm9Np1Qr2St4Uv6Wx8Yz0AbCdEfGhIjKl'


def canned_api(server, **kwargs):
    api = patreon.API(BOGUS_TOKEN, base_url=server.url, retry=None, refresh_token=BOGUS_REFRESH_TOKEN, **kwargs)
    api.transport.sleep = lambda seconds: None
    return api


def canned_oauth(server, **kwargs):
    return patreon.OAuth('client-id', WRONG_CLIENT_SECRET, base_url=server.url, **kwargs)


def json_answer(status, body, **headers):
    headers.setdefault('Content-Type', 'application/vnd.api+json')
    return status, headers, json.dumps(body).encode('utf-8')


def texts_of(value):
    """Every text a caller may log: str and repr of the value, and of its errors and arguments."""
    texts = [six.text_type(value), repr(value)]
    for name in ('errors', 'args', 'error', 'error_description'):
        texts.append(repr(getattr(value, name, None)))
    return texts


def assert_hidden(value, *credentials):
    for text in texts_of(value):
        for credential in credentials:
            assert credential not in text
            assert credential[:12] not in text  # nor its beginning


ECHOES = [
    'The token {token} has expired',
    'Authorization: Bearer {token}',
    'refresh_token={refresh} is not valid for client_secret={secret}',
    "{{'access_token': '{token}'}}",
    '{{"refresh_token" :  "{refresh}"}}',
]


@pytest.mark.parametrize('echo', ECHOES)
@pytest.mark.parametrize('where', ['detail', 'title', 'code_name'])
def test_an_api_error_that_echoes_a_credential_masks_it(echo, where):
    text = echo.format(token=BOGUS_TOKEN, refresh=BOGUS_REFRESH_TOKEN, secret=WRONG_CLIENT_SECRET)
    body = {'errors': [{where: text, 'status': '401', 'source': {'parameter': text}}]}
    with Canned([json_answer(401, body)]) as server:
        document = canned_api(server).get_identity()
        with pytest.raises(Unauthorized) as info:
            canned_api(server, raise_errors=True).get_identity()
    for value in (info.value, document, document.error):
        assert_hidden(value, BOGUS_TOKEN, BOGUS_REFRESH_TOKEN, WRONG_CLIENT_SECRET)
    assert '***' in str(document['errors'][0][where])
    with pytest.raises(Unauthorized):
        document.data()


@pytest.mark.parametrize('echo', ECHOES + ['invalid code {code}', 'client_secret {secret} does not match'])
@pytest.mark.parametrize('raise_errors', [False, True])
def test_an_oauth_error_that_echoes_a_credential_masks_it(echo, raise_errors):
    code = 'auth_CODE_5a6b7c8d9e0f1a2b'
    text = echo.format(token=FRESH_ACCESS, refresh=BOGUS_REFRESH_TOKEN, secret=WRONG_CLIENT_SECRET, code=code)
    body = {'error': 'invalid_grant', 'error_description': text, 'hint': text}
    with Canned([json_answer(400, body, **{'Content-Type': 'application/json'})]) as server:
        oauth = canned_oauth(server, raise_errors=raise_errors)
        results = []
        for call, args in ((oauth.refresh_token, (BOGUS_REFRESH_TOKEN,)), (oauth.get_tokens, (code, 'http://r'))):
            try:
                results.append(call(*args))
            except OAuthError as exc:
                results.append(exc)
    for result in results:
        assert_hidden(result, FRESH_ACCESS, BOGUS_REFRESH_TOKEN, WRONG_CLIENT_SECRET)
        if isinstance(result, OAuthError):
            assert result.error == 'invalid_grant' and '***' in result.error_description
        else:
            assert result['error'] == 'invalid_grant' and '***' in result['error_description']
    assert code not in ' '.join(texts_of(results[1]))


GARBLED_TOKEN_ANSWERS = [
    ('form-encoded', 'access_token={a}&refresh_token={r}&expires_in=2678400&token_type=Bearer'),
    ('single-quoted', "{{'access_token': '{a}', 'refresh_token': '{r}', 'expires_in': 2678400}}"),
    ('odd spacing', '{{ "access_token"\t :\n  "{a}" ,"refresh_token"  :"{r}", "scope": "identity"'),
    ('escaped JSON in a string', '"{{\\"access_token\\": \\"{a}\\", \\"refresh_token\\": \\"{r}\\"}}"x'),
    ('HTML with escaped quotes',
     '<html><body><pre>{{&quot;access_token&quot;: &quot;{a}&quot;, &quot;refresh_token&quot;: '
     '&quot;{r}&quot;}}</pre></body></html>'),
    ('HTML table', '<html><table><tr><td>access_token</td><td>{a}</td></tr>'
                   '<tr><td>refresh_token</td><td>{r}</td></tr></table></html>'),
    ('HTML form', '<form><input type="hidden" name="access_token" value="{a}">'
                  '<input name="refresh_token" value="{r}"></form>'),
    ('XML', '<token><access_token>{a}</access_token><refresh_token>{r}</refresh_token></token>'),
    ('YAML', 'access_token: {a}\nrefresh_token: {r}\nexpires_in: 2678400\n'),
    ('plain text', 'Your new tokens are {a} and {r}.'),
    ('cut JSON', '{{"access_token": "{a}", "refresh_token": "{r}"'),
    ('cut inside a token', '{{"token_type": "Bearer", "access_token": "{a_half}'),
]


@pytest.mark.parametrize('shape, template', GARBLED_TOKEN_ANSWERS, ids=[shape for shape, _ in GARBLED_TOKEN_ANSWERS])
@pytest.mark.parametrize('status', [200, 502])
def test_a_garbled_token_answer_masks_the_fresh_tokens_in_any_shape(shape, template, status):
    body = template.format(a=FRESH_ACCESS, r=FRESH_REFRESH, a_half=FRESH_ACCESS[:30])
    with Canned([(status, {'Content-Type': 'text/html'}, body.encode('utf-8'))]) as server:
        for raise_errors in (False, True):
            with pytest.raises(InvalidResponse) as info:
                canned_oauth(server, raise_errors=raise_errors).refresh_token(BOGUS_REFRESH_TOKEN)
            assert_hidden(info.value, FRESH_ACCESS, FRESH_REFRESH, FRESH_ACCESS[:30], WRONG_CLIENT_SECRET)
            assert str(status) in str(info.value)
            assert isinstance(info.value, ServerError) == (status >= 500)


def test_a_token_answer_without_an_access_token_never_quotes_the_refresh_token():
    body = {'refresh_token': FRESH_REFRESH, 'expires_in': 3600}
    with Canned([json_answer(200, body, **{'Content-Type': 'application/json'})]) as server:
        with pytest.raises(InvalidResponse) as info:
            canned_oauth(server).refresh_token(BOGUS_REFRESH_TOKEN)
    assert 'access_token' in str(info.value)
    assert_hidden(info.value, FRESH_REFRESH)


# Pickles: no credential inside, and the same error once unpickled --------------------------------------------------

PUBLIC_ATTRIBUTES = ('status_code', 'errors', 'request_id', 'patreon_sha', 'cf_ray', 'error', 'error_description',
                     'retry_after')
ERROR_HEADERS = {'x-patreon-uuid': 'uuid-77', 'x-patreon-sha': 'sha-77', 'cf-ray': 'ray-77-AMS'}


def api_errors_over_http():
    """An error of every class an API call raises, each with the real response of a request with the token."""
    html = dict(ERROR_HEADERS, **{'Content-Type': 'text/html'})
    answers = [
        json_answer(401, {'errors': [{'title': 'Unauthorized', 'detail': 'expired'}]}, **ERROR_HEADERS),
        json_answer(403, {'errors': [{'title': 'Forbidden'}]}), json_answer(404, {}),
        json_answer(429, {'errors': [{'retry_after_seconds': 7}]}, **{'Retry-After': '7'}),
        json_answer(400, {'errors': [{'code_name': 'ParameterInvalid'}]}),
        json_answer(503, {'message': 'Service Unavailable'}),
        (401, html, b'<html>Session expired</html>'), (403, html, b'<html>Blocked</html>'),
        (404, html, b''), (429, dict(html, **{'Retry-After': '9'}), b'<html>Slow down</html>'),
        (400, html, b'<html>Bad</html>'), (502, html, b'<html>Bad gateway</html>'),
        json_answer(200, ['not', 'a', 'document']), json_answer(200, {'meta': {}}),
    ] + [json_answer(status, ['not', 'an', 'object'], **ERROR_HEADERS) for status in (400, 401, 403, 404, 429, 502)]
    errors = []
    with Canned(answers) as server:
        api = canned_api(server, raise_errors=True)
        for _ in answers:
            errors.append(raised(api.get_identity))
    return errors


def oauth_errors_over_http():
    answers = [json_answer(400, {'error': 'invalid_grant', 'error_description': 'expired'}),
               json_answer(503, {}),
               (200, {'Content-Type': 'text/html'}, b'<html>Maintenance</html>'),
               (503, {'Content-Type': 'text/html'}, b'<html>Unavailable</html>'),
               json_answer(200, {'refresh_token': FRESH_REFRESH})]
    with Canned(answers) as server:
        oauth = canned_oauth(server, raise_errors=True)
        return [raised(oauth.refresh_token, BOGUS_REFRESH_TOKEN) for _ in answers]


def test_a_pickled_error_carries_no_credential_and_reads_the_same_once_unpickled():
    errors = api_errors_over_http() + oauth_errors_over_http()
    credentials = [BOGUS_TOKEN, BOGUS_REFRESH_TOKEN, WRONG_CLIENT_SECRET]
    kinds = set()
    for error in errors:
        kinds.add(type(error))
        sent = error.response.request
        # The credentials were within reach: in the request's header, or its form body.
        assert ('Bearer ' + BOGUS_TOKEN == sent.headers.get('Authorization') or
                WRONG_CLIENT_SECRET in (sent.body or ''))
        for protocol in PROTOCOLS:
            data = pickle.dumps(error, protocol)
            for credential in credentials:
                assert credential.encode('ascii') not in data, (type(error).__name__, protocol)
            copy = pickle.loads(data)
            assert type(copy) is type(error)
            assert six.text_type(copy) == six.text_type(error) and copy.args == error.args
            for name in PUBLIC_ATTRIBUTES:
                assert getattr(copy, name, 'absent') == getattr(error, name, 'absent'), name
            assert copy.response is None
    assert kinds == set([Unauthorized, Forbidden, NotFound, RateLimited, APIError, ServerError, OAuthError,
                         InvalidResponse, exceptions.NotJSONResponse, exceptions.InvalidErrorResponse,
                         exceptions.InvalidUnauthorizedResponse, exceptions.InvalidForbiddenResponse,
                         exceptions.InvalidNotFoundResponse, exceptions.InvalidRateLimitedResponse,
                         exceptions.InvalidServerResponse, exceptions.NotJSONErrorResponse,
                         exceptions.NotJSONUnauthorizedResponse, exceptions.NotJSONForbiddenResponse,
                         exceptions.NotJSONNotFoundResponse, exceptions.NotJSONRateLimitedResponse,
                         exceptions.NotJSONServerResponse])
    assert errors[0].request_id == 'uuid-77' and errors[0].patreon_sha == 'sha-77' and errors[0].cf_ray == 'ray-77-AMS'
    tally('secrets', 'pickled exceptions', 'pickles compared', len(errors) * len(PROTOCOLS))


def test_an_errors_document_pickles_without_credentials():
    body = {'errors': [{'title': 'Unauthorized', 'detail': 'token {} expired'.format(BOGUS_TOKEN)}]}
    with Canned([json_answer(401, body)]) as server:
        document = canned_api(server).get_identity()
    for protocol in PROTOCOLS:
        data = pickle.dumps(document, protocol)
        assert BOGUS_TOKEN.encode('ascii') not in data
        copy = pickle.loads(data)
        assert copy == document and isinstance(copy.error, Unauthorized) and str(copy.error) == str(document.error)
        with pytest.raises(Unauthorized):
            copy.data()


def test_a_foreign_error_kept_on_an_exception_is_pickled_without_its_request():
    # E.g. the failure of a refresh kept beside the 401: a requests exception holds its request, token included.
    with Canned([json_answer(401, {'errors': [{'title': 'Unauthorized'}]})]) as server:
        error = raised(canned_api(server, raise_errors=True).get_identity)
    error.cause_of_failure = requests.ConnectionError('connection refused', request=error.response.request)
    for protocol in PROTOCOLS:
        data = pickle.dumps(error, protocol)
        assert BOGUS_TOKEN.encode('ascii') not in data
        copy = pickle.loads(data)
        assert isinstance(copy.cause_of_failure, requests.ConnectionError)
        assert str(copy.cause_of_failure) == 'connection refused' and copy.cause_of_failure.request is None


@pytest.mark.parametrize('error', [
    Unauthorized(401, [{'title': 'Unauthorized'}], 'req-1'), RateLimited(429, [], 'req-2', retry_after=3.5),
    ServerError(503), APIError(418), OAuthError('invalid_grant', 'expired', 400), OAuthError('http_503'),
    InvalidResponse('not JSON', 200), PaginationError('the cursor repeats'), InvalidSignature('no match'),
    InvalidWebhook('no event'), entitlements.MissingFieldError('currently_entitled_tiers'),
])
def test_every_exception_built_by_hand_reads_the_same_once_unpickled(error):
    for protocol in PROTOCOLS:
        copy = pickle.loads(pickle.dumps(error, protocol))
        assert type(copy) is type(error) and six.text_type(copy) == six.text_type(error)
        assert copy.__dict__ == error.__dict__


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
    api = patreon.API(tokens['access_token'], base_url=sb.url, session=session, refresh=patreon.RefreshPolicy(oauth),
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


# Network errors: the request they failed to send held the credentials -------------------------------------------

class SilentListener(object):
    """A loopback port whose backlog takes connections that nobody answers: every read times out."""

    def __enter__(self):
        import socket
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(8)
        self.url = 'http://127.0.0.1:{}'.format(self.listener.getsockname()[1])
        return self

    def __exit__(self, *exc_info):
        self.listener.close()


def network_errors(base_url):
    """The requests exception of every call that sends a credential, each raised by ``base_url``."""
    api = patreon.API(BOGUS_TOKEN, base_url=base_url, retry=None, timeout=(5, 0.3))
    oauth = patreon.OAuth('client-id', WRONG_CLIENT_SECRET, base_url=base_url, timeout=(5, 0.3))
    return [raised(api.get_identity), raised(oauth.refresh_token, BOGUS_REFRESH_TOKEN),
            raised(oauth.get_tokens, 'an-authorization-CODE-0123456789', 'https://example.test/back')]


def test_a_network_error_carries_no_request_with_credentials():
    with SilentListener() as silent:
        errors = [(requests.ConnectionError, error) for error in network_errors('http://127.0.0.1:{}'.format(
            closed_port()))] + [(requests.ReadTimeout, error) for error in network_errors(silent.url)]
    credentials = [BOGUS_TOKEN, BOGUS_REFRESH_TOKEN, WRONG_CLIENT_SECRET, 'an-authorization-CODE-0123456789']
    for kind, error in errors:
        assert type(error) is kind or isinstance(error, kind) and not isinstance(error, exceptions.TotalTimeout)
        assert error.request is None and error.response is None
        for text in texts_of(error):
            for credential in credentials:
                assert credential not in text and credential[:12] not in text
        for protocol in PROTOCOLS:
            data = pickle.dumps(error, protocol)
            for credential in credentials:
                assert credential.encode('ascii') not in data, (type(error).__name__, protocol)
            assert type(pickle.loads(data)) is type(error)  # urllib3's reason pickles without its pool: text differs


def test_a_requests_error_raised_with_an_answer_keeps_the_answer_but_not_its_request():
    # A caller's session whose hook raises requests.HTTPError(response=...): the answer stays, its request does not.
    session = requests.Session()
    session.hooks['response'].append(lambda response, *args, **kwargs: response.raise_for_status())
    with Canned([json_answer(503, {'errors': [{'title': 'Unavailable'}]})]) as server:
        error = raised(canned_api(server, session=session).get_identity)
    assert isinstance(error, requests.HTTPError) and error.response.status_code == 503
    assert error.request is None and error.response.request is None
    for protocol in PROTOCOLS:
        assert BOGUS_TOKEN.encode('ascii') not in pickle.dumps(error, protocol)


@pytest.mark.parametrize('request_id, shown', [
    ('Bearer at_Echoed0123456789abcdefXYZ', False),
    ('at_Echoed0123456789abcdefXYZ', False),
    ('0f9c1f2e-6a4b-4c3d-9e8f-0123456789ab', True),
])
def test_the_debug_log_shows_a_request_id_only_when_it_is_a_uuid(caplog, request_id, shown):
    capture_debug(caplog)
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, 'https://www.patreon.com/api/oauth2/v2/identity',
                 json={'data': {'type': 'user', 'id': '1'}}, headers={'x-patreon-uuid': request_id})
        patreon.API('at_Echoed0123456789abcdefXYZ').get_identity()
    logged = '\n'.join(record.getMessage() for record in caplog.records if record.name.startswith('patreon'))
    assert 'request id' in logged
    assert (request_id in logged) is shown
    assert 'Echoed0123456789' not in logged


def status_line_answer(status_line, body=b'', *headers):
    """A loopback script whose status line is ``status_line`` (bytes): a reason phrase the server chose."""
    def script(connection):
        head = [status_line, b'Connection: close', b'Content-Length: ' + str(len(body)).encode('ascii')]
        head.extend(headers)
        connection.sendall(b'\r\n'.join(head) + b'\r\n\r\n' + body)
    return script


REASON_TOKEN = 'at_ReasonEcho0123456789abcdefXYZ'
REASON_SECRET = 'cs_ReasonEcho0123456789abcdefXYZ'
REASON_REFRESH = 'rt_ReasonEcho0123456789abcdefXYZ'


@pytest.mark.parametrize('status, body, headers, raised', [
    (502, b'<html>bad gateway</html>', (), exceptions.InvalidServerResponse),
    (200, b'', (), InvalidResponse),
    (200, b'<html>maintenance</html>', (), InvalidResponse),
    (302, b'', (b'Location: http://127.0.0.1:9/elsewhere',), InvalidResponse),
])
def test_a_reason_phrase_that_echoes_the_token_is_masked_everywhere(status, body, headers, raised):
    from loopback import ScriptedServer
    line = 'HTTP/1.1 {} Echo Bearer {}'.format(status, REASON_TOKEN).encode('ascii')
    with ScriptedServer([status_line_answer(line, body, *headers)]) as server:
        with pytest.raises(raised) as caught:
            patreon.API(REASON_TOKEN, base_url=server.url, retry=None).get_identity()
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert b'ReasonEcho' not in pickle.dumps(caught.value, protocol)
    assert 'ReasonEcho' not in six.text_type(caught.value) + repr(caught.value)
    assert 'Echo' in six.text_type(caught.value)  # the rest of the reason is kept


@pytest.mark.parametrize('status, raised', [(502, exceptions.InvalidServerResponse), (307, exceptions.OAuthError)])
def test_a_reason_phrase_that_echoes_the_token_request_is_masked(status, raised):
    from loopback import ScriptedServer
    line = 'HTTP/1.1 {} Echo grant_type=refresh_token&refresh_token={}&client_secret={}'.format(
        status, REASON_REFRESH, REASON_SECRET).encode('ascii')
    with ScriptedServer([status_line_answer(line, b'<html></html>', b'Location: http://127.0.0.1:9/x')]) as server:
        with pytest.raises(raised) as caught:
            patreon.OAuth('client-id', REASON_SECRET, base_url=server.url).refresh_token(REASON_REFRESH)
    assert 'ReasonEcho' not in six.text_type(caught.value) + repr(caught.value)
    assert b'ReasonEcho' not in pickle.dumps(caught.value)


def test_a_reason_phrase_outside_ascii_or_with_controls_reads_in_the_message():
    # Python 2's httplib keeps the reason as bytes: a Latin-1 one once ended in a bare UnicodeDecodeError.
    from loopback import ScriptedServer
    with ScriptedServer([status_line_answer(b'HTTP/1.1 503 Indispon\xedvel\x1b[2J', b'<html></html>')]) as server:
        with pytest.raises(exceptions.InvalidServerResponse) as caught:
            patreon.API('at_token_0123456789', base_url=server.url, retry=None).get_identity()
    message = six.text_type(caught.value)
    assert 'Indispon\u00edvel?[2J' in message and '\x1b' not in message


@pytest.mark.parametrize('text', ['&QUOT;', 'Tom &quot;Tiny&quot; Lee', "it&#39;s", '&#x27;quoted&#x27;'])
def test_text_in_which_nothing_is_masked_keeps_its_quote_entities(text):
    # Quote entities are read as quotes only to find a credential in an HTML page; other text stays as sent.
    assert Mask([FRESH_ACCESS]).text(text) == text
    assert Mask([FRESH_ACCESS]).data({'error': text}) == {'error': text}
