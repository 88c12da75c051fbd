"""Staying under Patreon's limits: the pacer measured at a loopback server on a fake clock, the 4xx budget tripping
and recovering, and the headers an error carries for Patreon support.

No assertion reads the wall clock: the server stamps each request with the fake clock the pacer waits on.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import bisect
import gc
import json
import threading
import time
import weakref

import pytest
import requests
import responses
from six.moves import BaseHTTPServer

import patreon
from patreon.exceptions import APIError, InvalidArgument, NotFound, PatreonError, RequestBudgetExceeded
from patreon import pacing
from patreon.pacing import Pacer, RequestBudget, shared_pacer
from patreon.sandbox import Sandbox

from helpers import ACCESS_TOKEN, API_URL, LoopbackServer, http_fixture, token_request_count  # noqa: F401 (`http`)

IDENTITY = json.dumps({'data': {'type': 'user', 'id': '1', 'attributes': {}}}).encode('ascii')


class FakeClock(object):
    """Seconds that move only when a waiting thread sleeps; safe across threads."""

    def __init__(self):
        self.now = 1000.0
        self.slept = 0.0
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            return self.now

    def sleep(self, seconds):
        with self._lock:
            self.now += seconds
            self.slept += seconds


class StampingHandler(BaseHTTPServer.BaseHTTPRequestHandler):
    """Answers identity (or the status the server is told), stamping each request with the fake clock."""

    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        server = self.server
        with server.lock:
            server.stamps.append(server.clock())
            status = server.status
        body = IDENTITY if status == 200 else json.dumps({'errors': [{'status': str(status)}]}).encode('ascii')
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class StampingServer(LoopbackServer):
    def __init__(self, clock, status=200):
        super(StampingServer, self).__init__(StampingHandler)
        self.server.clock = clock
        self.server.status = status
        self.server.stamps = []
        self.server.lock = threading.Lock()

    @property
    def stamps(self):
        return sorted(self.server.stamps)


def most_in_any_window(stamps, seconds):
    """The most requests the server saw in any window of ``seconds`` (windows start at a request: the worst)."""
    return max(bisect.bisect_left(stamps, start + seconds) - index for index, start in enumerate(stamps))


# The pacer --------------------------------------------------------------------------------------------------------

def test_250_requests_from_8_threads_never_exceed_the_rate_at_the_server():
    clock = FakeClock()
    pacer = Pacer(10, 2.0, clock=clock, sleep=clock.sleep)
    with StampingServer(clock) as server:
        api = patreon.API(ACCESS_TOKEN, base_url=server.url, limits=patreon.Limits(rate=pacer))
        errors = []

        def work(count):
            try:
                for _ in range(count):
                    assert api.get_identity().data().id() == '1'
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(32 if index < 2 else 31,)) for index in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(thread.is_alive() for thread in threads)
        api.close()

    assert errors == []
    stamps = server.stamps
    assert len(stamps) == 250  # nothing dropped
    assert most_in_any_window(stamps, 2.0) <= 10
    assert clock.now - 1000.0 >= 48.0  # the rate bound: 25 windows of 10 requests take at least 24 windows' time


def test_without_a_pacer_the_same_requests_come_at_once():
    # The measure above can see a burst: with rate_limit=None, all 40 land in one instant of the fake clock.
    clock = FakeClock()
    with StampingServer(clock) as server:
        api = patreon.API(ACCESS_TOKEN, base_url=server.url, limits=patreon.Limits(rate=None))
        assert api.transport.pacer is None
        for _ in range(40):
            api.get_identity()
        api.close()
    assert most_in_any_window(server.stamps, 2.0) == 40


def test_a_request_holds_its_slot_until_its_answer_is_in():
    clock = FakeClock()
    pacer = Pacer(2, 2.0, clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.acquire()
    released = []

    def third():
        pacer.acquire()
        released.append(clock())

    thread = threading.Thread(target=third)
    thread.start()
    clock.sleep(5.0)  # however long the first two take, they count until they end
    pacer.release()  # ended at 1005: its slot frees at 1007
    thread.join(30)
    assert released == [1007.0]


def test_clients_of_one_oauth_client_or_token_share_a_pacer():
    oauth = patreon.OAuth('client_1', 'secret_1')
    first = patreon.API('at_1', refresh=patreon.RefreshPolicy(oauth), refresh_token='rt_1')
    second = patreon.API('at_2', refresh=patreon.RefreshPolicy(oauth), refresh_token='rt_2')
    third = patreon.API('at_1')
    fourth = patreon.API('at_1')
    assert first.transport.pacer is second.transport.pacer
    assert third.transport.pacer is fourth.transport.pacer is not first.transport.pacer
    assert (first.transport.pacer.requests, first.transport.pacer.seconds) == (100, 2.0)  # Patreon's documented limit
    assert patreon.API('at_1', limits=patreon.Limits(rate=(5, 1))).transport.pacer is not third.transport.pacer
    assert 'at_1' not in repr(shared_pacer('https://www.patreon.com', 'at_1', (100, 2.0)))


@pytest.mark.parametrize('rate', [(0, 2.0), (10, 0), (10, -1), (1.5, 2.0), (True, 2.0), (10, float('nan')),
                                  (10, float('inf')), 100, '100/2', [100, 2.0], (1, 2, 3)])
def test_a_rate_that_cannot_be_kept_is_refused(rate):
    with pytest.raises(InvalidArgument):
        patreon.API(ACCESS_TOKEN, limits=patreon.Limits(rate=rate))


# The 4xx budget ---------------------------------------------------------------------------------------------------

def test_the_4xx_budget_trips_without_sending_and_frees_up_as_the_window_slides():
    clock = FakeClock()
    budget = RequestBudget(3, clock=clock)
    with StampingServer(clock, status=404) as server:
        api = patreon.API(ACCESS_TOKEN, base_url=server.url, raise_errors=True, limits=patreon.Limits(rate=None,
                                                                                                      max_4xx_per_10_minutes=budget))
        for _ in range(3):
            with pytest.raises(NotFound):
                api.get_identity()
            clock.sleep(100.0)

        with pytest.raises(RequestBudgetExceeded) as raised:
            api.get_identity()
        assert len(server.stamps) == 3  # not sent
        assert isinstance(raised.value, PatreonError) and not isinstance(raised.value, APIError)
        assert raised.value.retry_after == 300.0  # the first 4xx leaves the window 600 s after it came
        assert '300 s' in str(raised.value)

        clock.sleep(300.0)
        server.server.status = 200
        assert api.get_identity().data().id() == '1'  # freed up: sent again
        assert len(server.stamps) == 4
        api.close()


def test_the_budget_counts_4xx_only_and_is_shared_by_the_clients_of_one_server():
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, 'http://budget.test/api/oauth2/v2/identity', status=401, json={'errors': []})
        mock.add(responses.GET, 'http://budget.test/api/oauth2/v2/campaigns/1', status=500, json={'errors': []})
        first = patreon.API('at_1', base_url='http://budget.test', retry=None,
                            limits=patreon.Limits(max_4xx_per_10_minutes=2))
        second = patreon.API('at_2', base_url='http://budget.test', retry=None,
                             limits=patreon.Limits(max_4xx_per_10_minutes=2))
        for _ in range(3):
            first.get_campaigns_by_id(1)  # 5xx: not counted
        first.get_identity()
        second.get_identity()
        with pytest.raises(RequestBudgetExceeded):
            first.get_identity()
        with pytest.raises(RequestBudgetExceeded):
            second.get_campaigns_by_id(1)
        unlimited = patreon.API('at_3', base_url='http://budget.test',
                                limits=patreon.Limits(max_4xx_per_10_minutes=None))
        assert unlimited.transport.budget is None
        unlimited.get_identity()  # sent
        assert len(mock.calls) == 6


@pytest.mark.parametrize('limit', [0, -1, 1.5, True, '1500'])
def test_a_budget_that_cannot_be_kept_is_refused(limit):
    with pytest.raises(InvalidArgument):
        patreon.API(ACCESS_TOKEN, limits=patreon.Limits(max_4xx_per_10_minutes=limit))


# Headers for Patreon support ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('body', [json.dumps({'errors': [{'code_name': 'NotFound', 'status': '404'}]}), '<html>'])
def test_every_api_error_carries_the_headers_patreon_support_asks_for(http, body):
    http.add(responses.GET, API_URL + 'identity', status=404, body=body, headers={
        'x-patreon-uuid': '3f2b6c1e-8a4d-4e2f-9b1a-7c6d5e4f3a2b', 'x-patreon-sha': 'abc123',
        'cf-ray': 'Bearer {}-AMS'.format(ACCESS_TOKEN)})  # a server that echoes the token
    with pytest.raises(NotFound) as raised:
        patreon.API(ACCESS_TOKEN, raise_errors=True).get_identity()
    headers = raised.value.response_headers
    assert headers['x-patreon-uuid'] == '3f2b6c1e-8a4d-4e2f-9b1a-7c6d5e4f3a2b'
    assert headers['x-patreon-sha'] == 'abc123'
    assert ACCESS_TOKEN not in headers['cf-ray'] and headers['cf-ray'].startswith('Bearer ')


def test_an_error_without_those_headers_has_none(http):
    http.add(responses.GET, API_URL + 'identity', status=403, json={'errors': []})
    with pytest.raises(APIError) as raised:
        patreon.API(ACCESS_TOKEN, raise_errors=True).get_identity()
    assert raised.value.response_headers == {}


def test_clients_made_one_per_web_request_still_share_one_pace_and_one_count():
    first = patreon.API('at_per_request', base_url='http://per-request.test')
    pacer = weakref.ref(first.transport.pacer)
    del first
    gc.collect()
    assert pacer() is not None and patreon.API('at_per_request', base_url='http://per-request.test').transport.pacer \
        is pacer()
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, 'http://per-request.test/api/oauth2/v2/identity', status=404, json={'errors': []})
        for _ in range(2):
            patreon.API('at_per_request', base_url='http://per-request.test',
                        limits=patreon.Limits(max_4xx_per_10_minutes=2)).get_identity()
            gc.collect()
        with pytest.raises(RequestBudgetExceeded):
            patreon.API('at_per_request', base_url='http://per-request.test',
                        limits=patreon.Limits(max_4xx_per_10_minutes=2)).get_identity()
        assert len(mock.calls) == 2


def test_a_process_serving_many_tokens_forgets_idle_pacers_and_keeps_busy_ones():
    base = 'http://many-tokens.test'
    busy = shared_pacer(base, 'at_busy', (100, 2.0))
    busy.acquire()  # a request in flight
    try:
        idle = [shared_pacer(base, 'at_{}'.format(index), (100, 2.0)) for index in range(300)]
        held = [pacer for pacer in pacing._pacers.values() if pacer in idle]
        assert len(held) < 300  # the idle ones went as more came
        assert shared_pacer(base, 'at_busy', (100, 2.0)) is busy
    finally:
        busy.release()


# The 4xx budget over real HTTP: the token endpoint's answers, and calls in flight ----------------------------------

GUARD_SECONDS = 30  # only against a hung thread: a passing run never waits this long


def _fourxx_at(sandbox):
    return [record.path for record in sandbox.requests if 400 <= record.status < 500]


def test_the_token_endpoints_4xx_count_with_the_apis_for_the_same_host():
    with Sandbox(members=1, seed=41) as sb:
        api = patreon.API(sb.creator_token, base_url=sb.url, limits=patreon.Limits(rate=None, max_4xx_per_10_minutes=5))
        oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url,
                              limits=patreon.Limits(max_4xx_per_10_minutes=5))
        for index in range(2):
            assert api.get_members_by_id('no-such-member-{}'.format(index))['errors'][0]['status'] == '404'
        answers = []
        with pytest.raises(RequestBudgetExceeded):
            for index in range(10):  # a bot replaying bogus codes at the app's login callback
                answers.append(oauth.get_tokens('bogus-code-{:04d}'.format(index), sb.redirect_uri))
        assert [answer['error'] for answer in answers] == ['invalid_grant'] * 3
        assert len(_fourxx_at(sb)) == 5 and token_request_count(sb) == 3  # nothing sent past the limit
        with pytest.raises(RequestBudgetExceeded):
            api.get_identity()  # the token endpoint's 4xx count for the API too: same host, same edge block
        assert len(sb.requests) == 5


def test_concurrent_calls_near_the_limit_never_bring_more_4xx_than_it():
    limit, calls = 10, 25
    condition = threading.Condition()
    entered = [0]

    class GatheringSession(requests.Session):
        """Sends only once ``limit`` requests are in it: without counting calls in flight, all 25 would be."""

        def request(self, *args, **kwargs):
            deadline = time.time() + GUARD_SECONDS
            with condition:
                entered[0] += 1
                condition.notify_all()
                while entered[0] < limit:
                    assert time.time() < deadline, 'fewer than {} requests were let through'.format(limit)
                    condition.wait(1.0)
            return super(GatheringSession, self).request(*args, **kwargs)

    with Sandbox(members=1, seed=42) as sb:
        api = patreon.API(sb.creator_token, base_url=sb.url, session=GatheringSession(), raise_errors=True,
                          retry=None, limits=patreon.Limits(rate=None, max_4xx_per_10_minutes=limit))
        outcomes = [None] * calls

        def call(index):
            try:
                api.get_members_by_id('no-such-member-{}'.format(index))
            except (NotFound, RequestBudgetExceeded) as exc:
                outcomes[index] = type(exc).__name__

        threads = [threading.Thread(target=call, args=(index,)) for index in range(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(GUARD_SECONDS)
            assert not thread.is_alive()

        assert len(_fourxx_at(sb)) == limit == entered[0]
        assert sorted(outcomes) == ['NotFound'] * limit + ['RequestBudgetExceeded'] * (calls - limit)
