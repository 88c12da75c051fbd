"""The retry policy and the transport's session handling, with HTTP intercepted by ``responses``.

What crosses a real socket (keep-alive, timeouts, resets) is in test_wire.py.
"""
import email.utils
import json
import time

import pytest
import requests
import responses

from patreon.transport import DEFAULT_TIMEOUT, RetryPolicy, Transport, retry_after_seconds

BASE = 'http://patreon.test'
URL = BASE + '/api/oauth2/v2/identity'
THROTTLED = {'errors': [{'code_name': 'RequestThrottled', 'status': '429', 'retry_after_seconds': 7}]}


def transport(max_retries=3, max_retry_wait=60.0):
    """A transport that records the waits instead of sleeping them."""
    waits = []
    t = Transport(BASE, retry=RetryPolicy(max_retries=max_retries, max_retry_wait=max_retry_wait))
    t.sleep = waits.append
    return t, waits


def response_with(status, headers=None, body=b''):
    r = requests.Response()
    r.status_code = status
    r.headers.update(headers or {})
    r._content = body
    return r


class TestRetryAfter(object):
    def test_header_in_seconds(self):
        assert retry_after_seconds(response_with(429, {'Retry-After': '3'})) == 3.0

    def test_header_as_http_date(self):
        when = email.utils.formatdate(time.time() + 30, usegmt=True)
        assert 25 <= retry_after_seconds(response_with(429, {'Retry-After': when})) <= 31

    def test_header_in_the_past_means_no_wait(self):
        assert retry_after_seconds(response_with(429, {'Retry-After': '-5'})) == 0.0

    def test_body_retry_after_seconds_when_no_header(self):
        assert retry_after_seconds(response_with(429, body=json.dumps(THROTTLED).encode())) == 7.0

    def test_header_wins_over_body(self):
        r = response_with(429, {'Retry-After': '2'}, json.dumps(THROTTLED).encode())
        assert retry_after_seconds(r) == 2.0

    @pytest.mark.parametrize('body', [b'', b'<html>busy</html>', b'[1]', b'{"errors": "no"}',
                                      b'{"errors": [{"retry_after_seconds": "soon"}]}',
                                      b'{"errors": [{"retry_after_seconds": true}]}', b'{"errors": [3]}'])
    def test_nothing_usable_gives_none(self, body):
        assert retry_after_seconds(response_with(429, {'Retry-After': 'whenever'}, body)) is None


class TestBackoff(object):
    def test_grows_exponentially_with_jitter_and_a_ceiling(self):
        policy = RetryPolicy(backoff_factor=1.0, backoff_max=5.0)
        for attempt, full in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 5.0), (10, 5.0)]:
            waits = set(policy.backoff(attempt) for _ in range(50))
            assert all(full / 2 <= w <= full for w in waits)
            assert len(waits) > 1  # jittered, so that clients do not retry in lockstep


@responses.activate
def test_retries_429_waiting_what_the_body_asks():
    responses.add(responses.GET, URL, json=THROTTLED, status=429)
    responses.add(responses.GET, URL, json={'data': []}, status=200)
    t, waits = transport()
    assert t.request('GET', '/api/oauth2/v2/identity').status_code == 200
    assert waits == [7.0]


@responses.activate
def test_gives_up_at_once_when_429_asks_more_than_the_cap():
    responses.add(responses.GET, URL, json=THROTTLED, status=429, headers={'Retry-After': '600'})
    t, waits = transport(max_retry_wait=60)
    assert t.request('GET', '/api/oauth2/v2/identity').status_code == 429
    assert waits == [] and len(responses.calls) == 1


@responses.activate
@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_retries_5xx_with_backoff_then_returns_the_last_answer(status):
    for _ in range(4):
        responses.add(responses.GET, URL, body='<html>down</html>', status=status)
    t, waits = transport(max_retries=3)
    assert t.request('GET', '/api/oauth2/v2/identity').status_code == status
    assert len(responses.calls) == 4 and len(waits) == 3
    assert waits[0] <= 0.5 < waits[2]  # exponential


@responses.activate
@pytest.mark.parametrize('status', [400, 401, 403, 404, 405, 410])
def test_never_retries_other_4xx(status):
    responses.add(responses.GET, URL, json={'errors': [{'status': str(status)}]}, status=status)
    t, waits = transport()
    assert t.request('GET', '/api/oauth2/v2/identity').status_code == status
    assert len(responses.calls) == 1 and waits == []


@responses.activate
@pytest.mark.parametrize('method', ['POST', 'PATCH'])
def test_never_retries_writes(method):
    responses.add(method, URL, body='busy', status=503)
    responses.add(method, URL, body=requests.ConnectionError('reset'))
    t, waits = transport()
    assert t.request(method, '/api/oauth2/v2/identity').status_code == 503
    with pytest.raises(requests.ConnectionError):
        t.request(method, '/api/oauth2/v2/identity')
    assert len(responses.calls) == 2 and waits == []


@responses.activate
def test_retries_delete():
    responses.add(responses.DELETE, URL, status=502)
    responses.add(responses.DELETE, URL, status=204)
    t, waits = transport()
    assert t.request('DELETE', '/api/oauth2/v2/identity').status_code == 204
    assert len(waits) == 1


@responses.activate
@pytest.mark.parametrize('error', [requests.ConnectionError('refused'),
                                   requests.exceptions.ChunkedEncodingError('cut')])
def test_retries_connection_errors_then_raises_them(error):
    for _ in range(3):
        responses.add(responses.GET, URL, body=error)
    t, waits = transport(max_retries=2)
    with pytest.raises(type(error)):
        t.request('GET', '/api/oauth2/v2/identity')
    assert len(responses.calls) == 3 and len(waits) == 2


@responses.activate
def test_does_not_retry_read_timeouts():
    # A read timeout retried would multiply the bound the caller chose.
    responses.add(responses.GET, URL, body=requests.ReadTimeout('slow'))
    t, waits = transport()
    with pytest.raises(requests.ReadTimeout):
        t.request('GET', '/api/oauth2/v2/identity')
    assert len(responses.calls) == 1


@responses.activate
def test_zero_retries_disables_them():
    responses.add(responses.GET, URL, status=503)
    t, waits = transport(max_retries=0)
    assert t.request('GET', '/api/oauth2/v2/identity').status_code == 503
    assert len(responses.calls) == 1


def test_session_is_created_once_lazily_and_closed_only_when_owned():
    t = Transport(BASE)
    assert t._session is None
    session = t.session
    assert t.session is session and isinstance(session, requests.Session)
    closed = []
    session.close = lambda: closed.append(True)
    t.close()
    assert closed == [True]

    theirs = requests.Session()
    theirs.close = lambda: closed.append('theirs')
    Transport(BASE, session=theirs).close()
    assert closed == [True]


def test_default_timeout_is_finite():
    assert 0 < DEFAULT_TIMEOUT < 300
    assert Transport(BASE).timeout == DEFAULT_TIMEOUT


def test_base_url_trailing_slash_is_ignored():
    assert Transport(BASE + '/').url('/x') == BASE + '/x'


def cut_short(status=200):
    r = response_with(status, {'Content-Length': '100'}, b'{"data": [')
    return r


class FakeSession(object):
    """A caller's session: answers from a list and records what it was asked."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_a_body_shorter_than_its_content_length_is_retried_then_raised():
    session = FakeSession([cut_short(), response_with(200, {'Content-Length': '2'}, b'{}')])
    t = Transport(BASE, session=session, retry=RetryPolicy(max_retries=1))
    t.sleep = lambda s: None
    assert t.request('GET', '/x').content == b'{}'
    session = FakeSession([cut_short(), cut_short()])
    t = Transport(BASE, session=session, retry=RetryPolicy(max_retries=1))
    t.sleep = lambda s: None
    with pytest.raises(requests.exceptions.ChunkedEncodingError) as raised:
        t.request('GET', '/x')
    assert '10 of 100 bytes' in str(raised.value)


@pytest.mark.parametrize('method, status', [('HEAD', 200), ('GET', 204), ('GET', 304)])
def test_bodiless_answers_are_not_checked_for_length(method, status):
    session = FakeSession([response_with(status, {'Content-Length': '100'}, b'')])
    assert Transport(BASE, session=session).request(method, '/x').status_code == status


def test_a_callers_session_gets_the_timeout_and_absolute_url():
    session = FakeSession([response_with(200, body=b'{}')])
    Transport(BASE, session=session, timeout=(2, 5)).request('GET', '/api/x?y=1', headers={'A': 'b'})
    assert session.calls == [('GET', BASE + '/api/x?y=1', {'timeout': (2, 5), 'headers': {'A': 'b'}})]
