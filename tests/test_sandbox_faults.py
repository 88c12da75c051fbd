"""Sandbox faults on demand, rate limiting, and serving over TLS."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest
import requests
from six.moves import http_client
from six.moves.urllib.parse import urlsplit

from patreon.sandbox import FAULT_KINDS, Sandbox
from patreon.sandbox._faults import FaultInjector, RateLimiter
from test_sandbox_support import SandboxClient, error_of, load_fixture, server_tls_context, write_tls_files


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=10, seed=2)


@pytest.fixture
def api(sb):
    sb.clear_faults()
    client = SandboxClient(sb)
    yield client
    client.close()
    sb.clear_faults()


def members_path(sb):
    return 'campaigns/%s/members' % sb.campaign_id


def test_rate_limit_faults_answer_429_like_patreon(sb, api):
    sb.inject_fault('campaigns/{id}/members', 'rate_limit', count=2, retry_after=7)
    for _ in range(2):
        answer = api.get(members_path(sb))
        error = error_of(answer, 429)
        assert answer.headers['Retry-After'] == '7' and error['retry_after_seconds'] == 7
        fixture = load_fixture('error_429.json')['errors'][0]
        assert set(error) == set(fixture)
        assert (error['code'], error['code_name'], error['title']) == (
            fixture['code'], fixture['code_name'], fixture['title'])
    assert api.get(members_path(sb)).status_code == 200
    assert api.get('identity').status_code == 200


def test_rate_limit_faults_can_hide_the_header(sb, api):
    sb.inject_fault('identity', 'rate_limit', header=False)
    answer = api.get('identity')
    assert 'Retry-After' not in answer.headers
    assert error_of(answer, 429)['retry_after_seconds'] == 1


@pytest.mark.parametrize('status', [None, 500, 503, 504])
def test_server_errors_answer_an_html_page(sb, api, status):
    options = {'status': status} if status else {}
    sb.inject_fault('identity', 'server_error', **options)
    answer = api.get('identity')
    assert answer.status_code == (status or 502)
    assert answer.headers['Content-Type'].startswith('text/html')
    assert answer.text.startswith('<!DOCTYPE html><html><head><title>%d ' % (status or 502))
    assert 'x-patreon-uuid' in answer.headers
    assert api.get('identity').status_code == 200


def test_the_default_server_error_is_the_fixture_page(sb, api):
    sb.inject_fault('identity', 'server_error')
    assert api.get('identity').content == load_fixture('error_502.html').strip()


def test_a_truncated_answer_breaks_the_body(sb, api):
    sb.inject_fault('campaigns/{id}/members', 'truncated')
    # http.client checks Content-Length on every version (old urllib3 does not).
    connection = http_client.HTTPConnection('127.0.0.1', urlsplit(sb.url).port, timeout=10)
    connection.request('GET', '/api/oauth2/v2/' + members_path(sb) + '?page%5Bcount%5D=10',
                       headers={'Authorization': 'Bearer ' + sb.creator_token})
    answer = connection.getresponse()
    assert answer.status == 200 and int(answer.getheader('Content-Length')) > 100
    with pytest.raises(http_client.IncompleteRead):
        answer.read()
    connection.close()
    assert sb.requests[-1].status == 200
    assert api.get(members_path(sb)).status_code == 200


def test_a_reset_connection_answers_nothing(sb, api):
    sb.inject_fault('identity', 'reset')
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get('identity')
    assert sb.requests[-1].status is None and sb.requests[-1].path == '/api/oauth2/v2/identity'
    assert api.get('identity').status_code == 200


def test_a_delay_then_a_normal_answer(sb, api):
    sb.inject_fault('identity', 'delay', seconds=0.05)
    assert api.get('identity').status_code == 200


def test_any_route_and_the_oauth_routes_can_fail(sb, api):
    sb.inject_fault('*', 'server_error', count=2, status=503)
    assert requests.get(sb.url + '/no/such/path').status_code == 503
    assert requests.post(sb.url + '/api/oauth2/token').status_code == 503
    assert requests.post(sb.url + '/api/oauth2/token').status_code == 400
    sb.inject_fault('token', 'rate_limit')
    assert api.get('identity').status_code == 200
    assert requests.post(sb.url + '/api/oauth2/token').status_code == 429


def test_faults_apply_in_order_and_clear(sb, api):
    sb.inject_fault('identity', 'server_error', status=500)
    sb.inject_fault('identity', 'rate_limit')
    assert [api.get('identity').status_code for _ in range(3)] == [500, 429, 200]
    sb.inject_fault('identity', 'server_error', count=5)
    sb.clear_faults()
    assert api.get('identity').status_code == 200


@pytest.mark.parametrize('args, options', [
    (('nowhere', 'reset'), {}),
    (('identity', 'explode'), {}),
    (('identity', 'reset', 0), {}),
    (('identity', 'server_error'), {'status': 404}),
    (('identity', 'delay'), {'status': 500}),
])
def test_nonsense_faults_are_refused(sb, args, options):
    with pytest.raises(ValueError):
        sb.inject_fault(*args, **options)


def test_a_stall_answers_the_page_asked_for_with_a_new_cursor_back_to_it(sb, api):
    first = api.get(members_path(sb), params={'page[count]': 4}).json()
    cursor = first['meta']['pagination']['cursors']['next']
    sb.inject_fault('campaigns/{id}/members', 'stall', count=2)
    sb.inject_fault('identity', 'stall')  # not a list: answered as usual
    assert api.get('identity').status_code == 200
    stalled, cursors = [], [cursor]
    for _ in range(3):
        page = api.get(members_path(sb), params={'page[count]': 4, 'page[cursor]': cursors[-1]}).json()
        stalled.append([member['id'] for member in page['data']])
        cursors.append(page['meta']['pagination']['cursors']['next'])
        assert page['links']['next'].endswith('page%5Bcursor%5D=' + cursors[-1])
    assert stalled[0] == stalled[1] == stalled[2] != [member['id'] for member in first['data']]
    assert len(set(cursors)) == 4  # a new cursor each time, the last one (no fault left) past the page
    after = api.get(members_path(sb), params={'page[count]': 4, 'page[cursor]': cursors[-1]}).json()
    assert not set(member['id'] for member in after['data']) & set(stalled[0])


def test_the_fault_kinds_are_the_documented_ones():
    assert set(FAULT_KINDS) == set(['rate_limit', 'server_error', 'truncated', 'reset', 'delay', 'stall',
                                    'unauthorized_html', 'json_server_error', 'maintenance', 'trickle'])
    injector = FaultInjector(['identity'])
    fault = injector.add('identity', 'delay', count=2)
    assert 'delay' in repr(fault) and fault.options == {'seconds': 1.0}


# -- rate limiting -----------------------------------------------------------------------------------


class FrozenClock(object):
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_rate_limiting_allows_100_requests_per_2_seconds_per_client():
    with Sandbox(members=3, rate_limit=True) as limited:
        clock = FrozenClock()
        limited.rate_limiter.clock = clock
        api = SandboxClient(limited)
        statuses = [api.get('identity').status_code for _ in range(100)]
        assert statuses == [200] * 100
        answer = api.get('identity')
        error = error_of(answer, 429)
        assert error['code_name'] == 'RequestThrottled'
        assert answer.headers['Retry-After'] == '2' and error['retry_after_seconds'] == 2
        other = SandboxClient(limited, limited.issue_tokens(client_id=limited.other_client.id)['access_token'])
        assert other.get('identity').status_code == 200  # a per-client budget
        clock.now += 1.5
        assert error_of(api.get('identity'), 429)['retry_after_seconds'] == 1
        clock.now += 0.5
        assert api.get('identity').status_code == 200
        assert requests.get(limited.url + '/api/oauth2/v2/identity').status_code == 401  # no client: no budget


def test_rate_limiting_with_another_window_covers_the_token_endpoint():
    with Sandbox(members=3, rate_limit=(2, 60)) as limited:
        limited.rate_limiter.clock = FrozenClock()
        form = {'grant_type': 'refresh_token', 'refresh_token': 'nope', 'client_id': limited.client_id,
                'client_secret': limited.client_secret}
        statuses = [requests.post(limited.url + '/api/oauth2/token', data=form).status_code for _ in range(3)]
        assert statuses == [400, 400, 429]


def test_the_rate_limiter_slides():
    clock = FrozenClock()
    limiter = RateLimiter(limit=2, period=2.0, clock=clock)
    assert [limiter.hit('a'), limiter.hit('a'), limiter.hit('a')] == [None, None, 2]
    clock.now += 1.2
    assert limiter.hit('a') == 1 and limiter.hit('b') is None
    clock.now += 0.8
    assert limiter.hit('a') is None


# -- TLS -----------------------------------------------------------------------------------------------


def test_the_sandbox_serves_https_with_an_ssl_context(tmp_path):
    with Sandbox(members=3, ssl_context=server_tls_context(tmp_path)) as secure:
        assert secure.url.startswith('https://127.0.0.1:')
        cert_path, _ = write_tls_files(tmp_path)
        # By name: Python 2 cannot match a certificate against an IP address.
        url = secure.url.replace('127.0.0.1', 'localhost') + '/api/oauth2/v2/identity'
        answer = requests.get(url, verify=cert_path, headers={'Authorization': 'Bearer ' + secure.creator_token})
        assert answer.status_code == 200
        assert answer.json()['links']['self'].startswith(secure.url)
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url)  # the system trust store does not know the certificate
        assert requests.get(url, verify=cert_path).status_code == 401
