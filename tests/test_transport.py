"""The retry policy and the transport's session handling, with HTTP intercepted by ``responses``.

What crosses a real socket (keep-alive, timeouts, resets) is in test_wire.py.
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests
import responses
import six
from hypothesis import given, settings, strategies as st

import patreon
import patreon._clock
import patreon._deadline as deadline_module
from patreon._destination import BASE_URL_RULE
from patreon._transport import DEFAULT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, Transport, _headers_as_built
from patreon.exceptions import InvalidArgument, TotalTimeout
from patreon._retry_after import retry_after_seconds
from patreon.retry import MAX_RETRY_AFTER, MAX_SECONDS, RETRY_EXCEPTIONS, RetryPolicy

from helpers import REPO_ROOT
from loopback import ScriptedServer, json_answer, response_head, trickle

BASE = 'http://patreon.test'
URL = BASE + '/api/oauth2/v2/identity'
THROTTLED = {'errors': [{'code_name': 'RequestThrottled', 'status': '429', 'retry_after_seconds': 7}]}

# Retry-After values no client should act on: negative, not finite, beyond a day, garbage, several, non-ASCII
# digits that float() takes, dates that do not exist or are years away.
HOSTILE_RETRY_AFTER = [
    '-5', '-0.5', '1e400', '1e3', 'inf', '-inf', 'Infinity', 'nan', 'NaN', '99999999999', '9' * 5000, '0x10', '+3',
    '1_0', '3 s', '1, 2', '2, 2', '', ' ', 'soon', '\xb2', u'\u0663', u'\uff13', u'\u00e9t\u00e9',
    'Fri, 31 Dec 9999 23:59:59 GMT', 'Sun, 06 Nov 99999 08:49:37 GMT', 'Mon, 31 Feb 2100 08:49:37 GMT',
    'Sun, 06 Nov 1994 25:61:61 GMT', 'Sun, 06 Nov 1994 08:49:37 +9999999999', 'Sun, 06 Nov 1994 08:49:37',
    'Wed, 21 Oct 2015 07:28:00 GMT, Thu, 22 Oct 2015 07:28:00 GMT', 'Sun, 06 Nov 1994 08:49:37 EST',
    'Sun, 06 Nov 1994 08:49 GMT', u'Sun, \u0660\u0666 Nov 1994 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994 GMT',
]
HOSTILE_RETRY_AFTER_BODIES = [
    b'{"errors": [{"retry_after_seconds": ' + value + b'}]}'
    for value in [b'true', b'false', b'null', b'"7"', b'NaN', b'Infinity', b'-Infinity', b'-3', b'1e400', b'1e300',
                  b'1' + b'0' * 400, b'86401', b'[7]', b'{"seconds": 7}', b'"\\u0663"']
] + [b'{"errors": {"retry_after_seconds": 7}}', b'{"errors": [[{"retry_after_seconds": 7}]]}',
     b'{"retry_after_seconds": 7}', b'{"errors": [{"meta": {"retry_after_seconds": 7}}]}',
     b'[' * 100000 + b']' * 100000]


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
    r._content_consumed = True  # as requests leaves a response it read whole
    return r


class TestRetryAfter(object):
    def test_header_in_seconds(self):
        assert retry_after_seconds(response_with(429, {'Retry-After': '3'})) == 3.0

    @pytest.mark.parametrize('form', ['%a, %d %b %Y %H:%M:%S GMT', '%A, %d-%b-%y %H:%M:%S GMT', '%a %b %d %H:%M:%S %Y'],
                             ids=['IMF-fixdate', 'RFC 850', 'asctime'])
    def test_header_as_http_date_in_each_of_its_forms(self, form):
        when = time.strftime(form, time.gmtime(time.time() + 30))
        assert 25 <= retry_after_seconds(response_with(429, {'Retry-After': when})) <= 31

    @pytest.mark.parametrize('when', ['Thu, 01 Jan 1970 00:00:00 GMT', 'Sun, 06 Nov 1994 08:49:37 GMT',
                                      'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994'])
    def test_a_date_in_the_past_means_no_wait(self, when):
        assert retry_after_seconds(response_with(429, {'Retry-After': when})) == 0.0

    def test_body_retry_after_seconds_when_no_header(self):
        assert retry_after_seconds(response_with(429, body=json.dumps(THROTTLED).encode())) == 7.0

    def test_header_wins_over_body(self):
        r = response_with(429, {'Retry-After': '2'}, json.dumps(THROTTLED).encode())
        assert retry_after_seconds(r) == 2.0

    def test_the_longest_wait_taken_is_a_day(self):
        assert MAX_RETRY_AFTER == 86400
        assert retry_after_seconds(response_with(429, {'Retry-After': '86400'})) == 86400.0
        assert retry_after_seconds(response_with(429, {'Retry-After': '86401'})) is None

    @pytest.mark.parametrize('body', [b'', b'<html>busy</html>', b'[1]', b'{"errors": "no"}',
                                      b'{"errors": [{"retry_after_seconds": "soon"}]}',
                                      b'{"errors": [{"retry_after_seconds": true}]}', b'{"errors": [3]}'])
    def test_nothing_usable_gives_none(self, body):
        assert retry_after_seconds(response_with(429, {'Retry-After': 'whenever'}, body)) is None

    @pytest.mark.parametrize('header', HOSTILE_RETRY_AFTER)
    def test_an_absurd_retry_after_header_is_ignored(self, header):
        # Ignored: the body's value applies, as if the header had not been sent.
        r = response_with(429, {'Retry-After': header}, json.dumps(THROTTLED).encode())
        assert retry_after_seconds(r) == 7.0
        assert retry_after_seconds(response_with(429, {'Retry-After': header})) is None

    @pytest.mark.parametrize('body', HOSTILE_RETRY_AFTER_BODIES)
    def test_an_absurd_retry_after_seconds_is_ignored(self, body):
        assert retry_after_seconds(response_with(429, body=body)) is None

    def test_the_first_sane_retry_after_seconds_counts(self):
        body = b'{"errors": [{"retry_after_seconds": -1}, {"retry_after_seconds": NaN}, {"retry_after_seconds": 4}]}'
        assert retry_after_seconds(response_with(429, body=body)) == 4.0

    @pytest.mark.parametrize('header', HOSTILE_RETRY_AFTER)
    def test_an_absurd_wait_falls_back_to_the_backoff(self, header):
        policy = RetryPolicy(backoff_factor=1.0)
        for attempt in range(3):
            wait = policy.wait_after_response('GET', response_with(429, {'Retry-After': header}), attempt)
            assert 2 ** attempt / 2.0 <= wait <= 2 ** attempt


class TestBackoff(object):
    def test_grows_exponentially_with_jitter_and_a_ceiling(self):
        policy = RetryPolicy(backoff_factor=1.0, backoff_max=5.0)
        for attempt, full in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 5.0), (10, 5.0)]:
            waits = set(policy.backoff(attempt) for _ in range(50))
            assert all(full / 2 <= w <= full for w in waits)
            assert len(waits) > 1  # jittered, so that clients do not retry in lockstep

    def test_a_late_attempt_does_not_overflow(self):
        # 0.5 * 2 ** 1100 does not fit a float: OverflowError, without the cap on the exponent.
        policy = RetryPolicy(max_retries=5000, backoff_max=3.0)
        assert 1.5 <= policy.backoff(1100) <= 3.0
        assert 1.5 <= policy.wait_after_error('GET', 4999) <= 3.0


class TestSettingsAreChecked(object):
    @pytest.mark.parametrize('timeout', [0, -1, float('inf'), float('nan'), MAX_SECONDS + 1, 10 ** 400, None, '30',
                                         True, [2, 5], (2,), (2, 5, 7), (0, 5), (2, None), (float('inf'), 5)])
    def test_a_timeout_that_is_not_seconds_is_a_value_error(self, timeout):
        with pytest.raises(ValueError) as raised:
            Transport(BASE, timeout=timeout)
        assert 'timeout' in str(raised.value)

    @pytest.mark.parametrize('total', [0, -1, float('inf'), float('nan'), MAX_SECONDS + 1, None, '120',
                                       False, (60, 60)])
    def test_a_total_timeout_that_is_not_seconds_is_a_value_error(self, total):
        with pytest.raises(ValueError) as raised:
            patreon.Timeout(total=total)
        assert 'the total timeout must be a number of seconds' in str(raised.value)

    @pytest.mark.parametrize('make', [
        lambda **kwargs: patreon.API('token', **kwargs),
        lambda **kwargs: patreon.OAuth('client id', 'client secret', **kwargs),
    ], ids=['API', 'OAuth'])
    def test_api_and_oauth_take_and_check_both(self, make):
        assert make().transport.timeout == patreon.Timeout(30.0, 30.0, DEFAULT_TOTAL_TIMEOUT)
        assert make().transport.timeout.total == 120.0
        client = make(timeout=patreon.Timeout(3, 7, total=45))
        assert client.transport.timeout == patreon.Timeout(connect=3, read=7, total=45)
        assert make(timeout=(3, 7)).transport.timeout == patreon.Timeout(3, 7, total=120.0)
        for bad in [{'timeout': float('inf')}, {'timeout': (1, float('nan'))}, {'timeout': patreon}]:
            with pytest.raises(ValueError):
                make(**bad)

    def test_sane_values_are_kept_as_given(self):
        assert Transport(BASE, timeout=2).timeout == patreon.Timeout(2, 2, 120.0)
        assert Transport(BASE, timeout=(0.5, MAX_SECONDS)).timeout == patreon.Timeout(0.5, MAX_SECONDS)

    @pytest.mark.parametrize('settings', [
        {'max_retries': -1}, {'max_retries': 1.5}, {'max_retries': None}, {'max_retries': True},
        {'max_retry_wait': -1}, {'max_retry_wait': float('nan')}, {'backoff_factor': float('nan')},
        {'backoff_factor': float('inf')}, {'backoff_max': -1}, {'backoff_max': 1e300}, {'backoff_factor': '0.5'},
    ])
    def test_a_retry_policy_that_could_sleep_nan_or_forever_is_a_value_error(self, settings):
        with pytest.raises(ValueError):
            RetryPolicy(**settings)

    def test_max_retry_wait_may_be_infinite(self):
        # Waiting whatever the server asks is a choice: no answer may ask for more than a day anyway.
        policy = RetryPolicy(max_retry_wait=float('inf'))
        assert policy.wait_after_response('GET', response_with(429, {'Retry-After': '86400'}), 0) == 86400.0
        assert policy.wait_after_response('GET', response_with(429, {'Retry-After': '1e400'}), 0) <= 0.5


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
    assert Transport(BASE).timeout == patreon.Timeout(DEFAULT_TIMEOUT, DEFAULT_TIMEOUT)


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
    assert session.calls == [('GET', BASE + '/api/x?y=1', {'timeout': (2, 5), 'stream': False, 'headers': {'A': 'b'},
                                                           'auth': _headers_as_built})]


def test_a_callers_session_is_given_no_other_argument():
    # Nothing of ours goes to a session the caller passed in but each request's own arguments: not an adapter, not
    # hooks. (The auth hook is the request's: it keeps the Bearer header from ~/.netrc and session.auth.)
    session = requests.Session()
    adapters = dict(session.adapters)
    calls = []
    session.request = lambda method, url, **kwargs: calls.append(kwargs) or response_with(200, body=b'{}')
    Transport(BASE, session=session, timeout=4).request('GET', '/x')
    assert calls == [{'timeout': 4, 'stream': False, 'auth': _headers_as_built}]
    assert session.adapters == adapters and session.hooks == {'response': []}


def test_a_retired_watchdog_ends_its_thread_and_starts_none_again():
    # What the exit handler does, so that no thread of ours meets Python 2's teardown of the modules.
    dog = deadline_module._Watchdog()
    first = dog.watch(60.0)
    thread = dog._thread
    assert thread is not None and thread.is_alive()
    dog.retire()
    assert not thread.is_alive() and dog._thread is None
    second = dog.watch(60.0)  # a call still in flight at exit: watched, but by no thread
    assert dog._thread is None
    assert (dog.release(first), dog.release(second)) == (False, False)


class TestAKeptWatchdog(object):
    """``_deadline.keep()``: one watchdog thread for a series of attempts (a prefetching walk), not one per attempt."""

    def test_its_thread_serves_every_attempt_until_let_go_then_ends(self):
        dog = deadline_module._Watchdog()
        dog.keep()
        dog.release(dog.watch(60.0))
        thread = dog._thread
        assert thread is not None and thread.is_alive()  # kept between attempts
        dog.release(dog.watch(60.0))
        assert dog._thread is thread and thread.is_alive()  # the next attempt started no other

        dog.let_go()

        assert dog._thread is None and not thread.is_alive()  # ended, and waited for

    def test_letting_go_during_an_attempt_ends_the_thread_with_the_attempt(self):
        dog = deadline_module._Watchdog()
        dog.keep()
        watch = dog.watch(60.0)
        thread = dog._thread

        dog.let_go()
        assert thread.is_alive()  # the attempt in flight is still watched
        assert dog.release(watch) is False

        assert dog._thread is None and not thread.is_alive()

    def test_the_thread_ends_once_the_last_keeper_lets_go(self):
        dog = deadline_module._Watchdog()
        dog.keep()
        dog.keep()
        dog.release(dog.watch(60.0))
        thread = dog._thread

        dog.let_go()
        assert dog._thread is thread and thread.is_alive()
        dog.let_go()
        assert not thread.is_alive()

    def test_keep_lets_go_once_however_often_its_function_is_called(self):
        first, second = deadline_module.keep(), deadline_module.keep()
        try:
            first()
            first()  # a second call must not let go for the other keeper
            watch = deadline_module.watch(60.0)
            watch.release()
            dog = deadline_module._watchdog()
            thread = dog._thread
            assert thread is not None and thread.is_alive()
        finally:
            second()
        assert dog._thread is None and not thread.is_alive()

    def test_an_unkept_watchdog_still_ends_its_thread_with_each_attempt(self):
        dog = deadline_module._Watchdog()
        watch = dog.watch(60.0)
        thread = dog._thread
        dog.release(watch)
        assert dog._thread is None and not thread.is_alive()


class TestSignalWhenSent(object):
    """``_deadline.signal_when_sent``: a thread learns when its request is out, before the answer is read."""

    @staticmethod
    def answer_once_signalled(signalled):
        """A script that answers 200 only once ``signalled`` is set (500 if it never is, within the guard)."""
        def script(connection):
            status = 200 if signalled.wait(30) else 500
            connection.sendall(response_head(status, [('Content-Length', '2')]) + b'{}')
        return script

    def test_the_callback_runs_once_the_request_is_out_and_before_its_answer(self):
        signalled = threading.Event()
        calls = []

        def sent():
            calls.append(signalled.is_set())
            signalled.set()
        with ScriptedServer([self.answer_once_signalled(signalled)]) as server:
            deadline_module.signal_when_sent(sent)
            try:
                response = Transport(server.url, retry=None).request('GET', '/x')
            finally:
                deadline_module.signal_when_sent(None)

        # The server answered only once the callback ran: it ran with the request out and the answer not yet read.
        assert response.status_code == 200 and calls == [False]

    def test_another_threads_requests_do_not_call_it(self):
        calls = []
        deadline_module.signal_when_sent(lambda: calls.append(True))
        try:
            outcome = []
            with ScriptedServer([json_answer(200, b'{}')]) as server:
                other = threading.Thread(
                    target=lambda: outcome.append(Transport(server.url, retry=None).request('GET', '/x').status_code))
                other.start()
                other.join(30)
        finally:
            deadline_module.signal_when_sent(None)

        assert outcome == [200] and calls == []


class TestTheWatchdogCutsOnlyTheOverdueAttempt(object):
    """``_interrupt`` shuts the sockets of the connections the overdue attempt used, and nothing else.

    The sockets are reached through the connections the attempt's pools handed it (no frame, no ``f_locals``):
    the same on 2.7, on 3.13's PEP 667 frames and on free-threaded builds.
    """

    def test_the_socket_of_a_connection_the_attempt_used_is_shut_down(self):
        ours, peer = socket.socketpair()
        try:
            watch = deadline_module._Watch(None, 0.0)
            watch.uses(Connection(ours))
            deadline_module._interrupt(watch)
            assert peer.recv(1) == b''  # shut down: the peer reads the end of the stream
        finally:
            ours.close()
            peer.close()

    def test_nothing_is_touched_once_the_attempt_let_go_of_its_watch(self):
        ours, peer = socket.socketpair()
        try:
            watch = deadline_module._watchdog().watch(60.0)
            watch.uses(Connection(ours))
            assert watch.release() is False
            deadline_module._interrupt(watch)  # a watchdog round that comes late: the connection is back in its pool
            ours.sendall(b'x')
            assert peer.recv(1) == b'x'
        finally:
            ours.close()
            peer.close()

    def test_a_connection_another_thread_takes_from_the_same_pool_is_not_the_attempts(self):
        ours, peer = socket.socketpair()
        pool = Pool(Connection(ours))
        deadline_module._follow_pool(pool)
        watch = deadline_module.watch(60.0)
        try:
            taker = threading.Thread(target=pool._get_conn)
            taker.start()
            taker.join(30)
            assert not taker.is_alive() and pool.handed == 1
            assert watch.sockets == []
            pool._get_conn()  # in the attempt's own thread: its connection
            assert len(watch.sockets) == 1
        finally:
            watch.release()
            ours.close()
            peer.close()


class Connection(object):
    def __init__(self, sock):
        self.sock = sock

    def connect(self):
        pass


class Pool(object):
    def __init__(self, connection):
        self.connection = connection
        self.handed = 0

    def _get_conn(self, timeout=None):
        self.handed += 1
        return self.connection


# Content-Length: one number, or the answer is refused --------------------------------------------------------------

@pytest.mark.parametrize('header', ['abc', '-1', '+10', '1_0', ' ', '', '10, 12', '0x10', '1e3', '10 10', '\xb2',
                                    u'\u0661\u0660', u'\uff11\uff10'])
def test_a_content_length_that_is_not_one_number_is_an_invalid_header(header):
    # '\xb2' (superscript two, as latin-1 decodes byte 0xB2): str.isdigit() says yes, int() raises ValueError.
    session = FakeSession([response_with(200, {'Content-Length': header}, b'{"data": []}')] * 3)
    t = Transport(BASE, session=session, retry=RetryPolicy(max_retries=2))
    with pytest.raises(requests.exceptions.InvalidHeader) as raised:
        t.request('GET', '/x')
    assert 'Content-Length' in str(raised.value)
    assert len(session.calls) == 1  # a server bug, not a passing fault: not retried


@pytest.mark.parametrize('header', ['12', '12, 12', ' 12 ', '12,12', '0012'])
def test_one_number_given_once_or_repeated_is_the_length(header):
    session = FakeSession([response_with(200, {'Content-Length': header}, b'{"data": []}')])
    assert Transport(BASE, session=session).request('GET', '/x').json() == {'data': []}


@pytest.mark.parametrize('header', ['13', '99999999999999999999999', '9' * 5000])
def test_a_content_length_larger_than_the_body_is_a_cut_body(header):
    session = FakeSession([response_with(200, {'Content-Length': header}, b'{"data": []}')] * 2)
    t = Transport(BASE, session=session, retry=RetryPolicy(max_retries=1))
    t.sleep = lambda seconds: None
    with pytest.raises(requests.exceptions.ChunkedEncodingError) as raised:
        t.request('GET', '/x')
    assert 'cut short: 12 of' in str(raised.value) and len(session.calls) == 2


def test_a_chunked_answer_is_not_held_to_a_content_length():
    headers = {'Content-Length': '999', 'Transfer-Encoding': 'chunked'}
    session = FakeSession([response_with(200, headers, b'{"data": []}')])
    assert Transport(BASE, session=session).request('GET', '/x').status_code == 200


def test_a_compressed_body_is_measured_on_the_wire():
    # 40 bytes of gzip promised, 20 came: the decoded body (longer than 40) must not hide the cut.
    class Raw(object):
        def tell(self):
            return 20

    cut = response_with(200, {'Content-Length': '40', 'Content-Encoding': 'gzip'}, b'{"data": []}' * 10)
    cut.raw = Raw()
    whole = response_with(200, {'Content-Length': '12', 'Content-Encoding': 'gzip'}, b'{"data": []}')
    session = FakeSession([cut])
    with pytest.raises(requests.exceptions.ChunkedEncodingError) as raised:
        Transport(BASE, session=session).request('GET', '/x')
    assert '20 of 40 bytes' in str(raised.value)
    # Without a raw stream to ask, a compressed body cannot be measured: it is left to the decoder.
    assert Transport(BASE, session=FakeSession([whole])).request('GET', '/x').status_code == 200


def test_a_gzip_stream_that_does_not_decode_is_retried_like_a_cut_body():
    assert requests.exceptions.ContentDecodingError in RETRY_EXCEPTIONS
    session = FakeSession([requests.exceptions.ContentDecodingError('incorrect header check'),
                           response_with(200, body=b'{}')])
    t = Transport(BASE, session=session, retry=RetryPolicy(max_retries=1))
    t.sleep = lambda seconds: None
    assert t.request('GET', '/x').content == b'{}'
    session = FakeSession([requests.exceptions.ContentDecodingError('incorrect header check')])
    with pytest.raises(requests.exceptions.ContentDecodingError):
        Transport(BASE, session=session, retry=RetryPolicy(max_retries=3)).request('POST', '/x')


def test_total_timeout_is_a_requests_timeout_that_pickles():
    import pickle

    error = TotalTimeout('GET /x: no complete answer within total_timeout=2 s', total_timeout=2.0)
    assert isinstance(error, requests.Timeout) and not isinstance(error, requests.ConnectionError)
    assert not isinstance(error, RETRY_EXCEPTIONS)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.total_timeout) == (str(error), 2.0)


# Any header, any body: a wait is a sane number of seconds or nothing ------------------------------------------------

header_texts = st.one_of(st.text(), st.binary().map(lambda raw: raw.decode('latin-1')),
                         st.floats().map(repr), st.integers().map(str), st.sampled_from(HOSTILE_RETRY_AFTER))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10)


def assert_sane_wait(seconds):
    assert seconds is None or (isinstance(seconds, float) and 0.0 <= seconds <= MAX_RETRY_AFTER)


@settings(max_examples=300, deadline=None)
@given(header=header_texts, value=json_values)
def test_any_retry_after_is_a_sane_wait_or_none(header, value):
    if six.PY2 and isinstance(header, six.text_type):
        header = header.encode('latin-1', 'replace')  # Python 2's requests keeps header values as bytes
    body = json.dumps({'errors': [{'retry_after_seconds': value}]}).encode('utf-8')
    response = response_with(429, {'Retry-After': header}, body)
    assert_sane_wait(retry_after_seconds(response))
    wait = RetryPolicy().wait_after_response('GET', response, 0)
    assert wait is None or 0.0 <= wait <= 60.0


@settings(max_examples=300, deadline=None)
@given(header=st.one_of(st.text(), st.binary().map(lambda raw: raw.decode('latin-1')), st.integers().map(str)),
       body=st.binary(max_size=20))
def test_any_content_length_is_the_length_or_a_typed_error(header, body):
    if six.PY2:
        header = header.encode('latin-1', 'replace')
    session = FakeSession([response_with(200, {'Content-Length': header}, body)])
    try:
        response = Transport(BASE, session=session).request('GET', '/x')
    except requests.exceptions.InvalidHeader:
        pass  # not one number
    except requests.exceptions.ChunkedEncodingError:
        assert int(header.split(b',' if six.PY2 else ',')[0]) > len(body)
    else:
        assert response.content == body


@pytest.mark.parametrize('body', [b'{"errors": [{"retry_after_seconds": -0.0}]}',
                                  b'{"errors": [{"retry_after_seconds": -0}]}'])
def test_a_negative_zero_retry_after_seconds_reads_as_zero(body):
    seconds = retry_after_seconds(response_with(429, body=body))
    assert seconds == 0.0 and str(seconds) == '0.0'  # -0.0 == 0.0, but it prints "-0"
    error = patreon.exceptions.RateLimited(429, retry_after=seconds)
    assert 'retry after 0 s' in str(error) and '-0' not in str(error)


# A wall clock stepped back (NTP): waits and deadlines run on a monotonic clock, 2.7 too ---------------------------

STEPPED_CLOCK_CHILD = r'''
import sys
import time

real_time = time.time
step = [0.0]
time.time = lambda: real_time() + step[0]  # the wall clock, before the package is imported: NTP may step it

import requests
import patreon
from patreon import _deadline
from patreon.pacing import Pacer

api = patreon.API('at_Stepped3kT8pV1cX6bN9mQ4wE7rY2uI5oA0', base_url=sys.argv[1], timeout=patreon.Timeout(5, 5, 1),
                  retry=None, limits=patreon.Limits(rate=Pacer(1, 0.2)))
watch = _deadline.watch


def stepped_watch(*args):
    handle = watch(*args)
    step[0] -= 3600.0  # an hour back, once the attempt is under watch
    return handle


for _ in range(2):
    try:
        api.get_identity()
        sys.stdout.write('answered\n')
    except requests.Timeout as exc:
        sys.stdout.write(type(exc).__name__ + '\n')
    sys.stdout.flush()
    step[0] -= 3600.0  # an hour back between two paced calls
    _deadline.watch = stepped_watch
'''


def test_a_wall_clock_stepped_back_stretches_neither_a_paced_wait_nor_total_timeout():
    identity = json.dumps({'data': {'type': 'user', 'id': '7', 'attributes': {}}}).encode('ascii')
    with ScriptedServer([json_answer(200, identity), trickle(response_head(200, [('Content-Length', '400')]))]) \
            as server:
        env = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
        child = subprocess.Popen([sys.executable, '-c', STEPPED_CLOCK_CHILD, server.url], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env)
        timer = threading.Timer(30, child.kill)  # an hour's wait or a trickle past its bound would end here
        timer.start()
        try:
            out, err = child.communicate()
        finally:
            timer.cancel()
        # The paced call went at once, and the trickled answer was cut at total_timeout, not an hour later.
        assert out.decode('ascii').split() == ['answered', 'TotalTimeout'], err
        assert server.hung_up.is_set()


def test_the_clock_found_by_ctypes_is_monotonic_and_agrees_with_the_standard_library():
    clock, source = patreon._clock._find_monotonic()
    readings = [clock() for _ in range(1000)]
    assert readings == sorted(readings)
    assert source != 'time.time' and patreon._clock.source()[1]
    if sys.platform.startswith('linux') and hasattr(time, 'monotonic'):
        assert abs(clock() - time.monotonic()) < 1.0  # the same CLOCK_MONOTONIC, read two ways


# Authorization: the client's own, whatever ~/.netrc or the session says ------------------------------------------

@pytest.fixture
def netrc_for_loopback(tmpdir, monkeypatch):
    """A ~/.netrc (and $NETRC) with a password for 127.0.0.1, as a machine that logs in elsewhere may have."""
    path = tmpdir.join('.netrc')
    path.write('machine 127.0.0.1 login someone password netrc-password\n')
    os.chmod(str(path), 0o600)
    monkeypatch.setenv(str('HOME'), str(tmpdir))
    monkeypatch.setenv(str('NETRC'), str(path))
    return path


def test_an_entry_of_netrc_for_the_host_never_replaces_the_bearer_token(sb, netrc_for_loopback):
    # requests builds Basic auth from ~/.netrc when a call gives no auth, over the header the client set.
    assert requests.utils.get_netrc_auth(sb.url) == ('someone', 'netrc-password')  # the trap is armed
    api = patreon.API(sb.creator_token, base_url=sb.url, retry=None)

    assert api.get_identity().data().id() == sb.creator_user_id


def test_a_session_with_auth_of_its_own_still_sends_the_bearer_token(sb):
    session = requests.Session()
    session.auth = ('someone', 'session-password')
    api = patreon.API(sb.creator_token, base_url=sb.url, retry=None, session=session)

    assert api.get_identity().data().id() == sb.creator_user_id


def test_the_token_endpoint_gets_no_netrc_password_either(sb, netrc_for_loopback):
    sb.clear_log()
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)

    tokens = oauth.refresh_token(sb.issue_tokens()['refresh_token'])

    assert 'access_token' in tokens
    sent = [record.headers.get('Authorization') for record in list(sb.requests) if record.path.endswith('/token')]
    assert sent == [None]  # the client's credentials go in the form body, and nothing else is added


@pytest.mark.parametrize('url', ['127.0.0.1:8000', 'localhost:8000', 'www.patreon.com', 'http://', 'ftp://host',
                                 'http://user:pw-s3cret@', '', '/api', 'http://user:pw-s3cret@127.0.0.1:8000',
                                 'http://127.0.0.1:8000#frag', 'http://127.0.0.1:8000/?x=1', 'http://127.0.0.1:8000\n',
                                 ' http://localhost', 'http://[::1', 'http://127.0.0.1:99999', 'http://127.0.0.1:0',
                                 'http://127.0.0.1:port', 'http://local host', 'http://127.0.0.1:9/x?',
                                 'http://127.0.0.1:9/x#', 'http://h:80:80', 'http://[::1]x', u'http://h:\uff18\uff10',
                                 'http://h\x7f', u'http://h\u200b', 'http://h;x'])
def test_a_base_url_that_is_no_http_url_with_a_host_is_refused_when_the_client_is_made(url):
    # requests would refuse some only at the first call ("No connection adapters were found"), quoting the URL and
    # its password; a query or fragment would take the API's paths in (GET / answered as the identity).
    for make in (lambda: patreon.API('token', base_url=url), lambda: patreon.OAuth('id', 'secret', base_url=url),
                 lambda: setattr(Transport(), 'base_url', url)):
        with pytest.raises(InvalidArgument) as raised:
            make()
        assert str(raised.value) == 'base_url ' + BASE_URL_RULE  # the same whatever was given: never quoted
    with pytest.raises(InvalidArgument) as raised:
        with patreon.endpoint.override_default_base_url(url):
            pass
    assert str(raised.value) == 'the default base URL ' + BASE_URL_RULE
    with pytest.raises(InvalidArgument):
        patreon.API('token', base_url=8000)


@pytest.mark.parametrize('url', ['HTTPS://127.0.0.1:1/prefix/', 'http://[::1]:8000', 'http://localhost',
                                 'https://www.patreon.com', 'http://127.0.0.1:8000/api/', 'http://h:/',
                                 'http://[fe80::1%25eth0]:8000', u'http://b\u00fccher.example:65535/a%20b/',
                                 'http://LOCALHOST'])
def test_a_base_url_with_a_host_a_port_and_a_path_is_taken(url):
    assert Transport(url).base_url == url.rstrip('/')
    with patreon.endpoint.override_default_base_url(url) as override:
        assert override.url == url.rstrip('/')
