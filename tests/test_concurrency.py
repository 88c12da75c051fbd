"""Concurrency: one ``API`` shared by 16 threads; an expired token seen by all of them is refreshed once.

Threads are started together by an ``Event`` (``threading.Barrier`` is
Python 3 only).  Where the test needs an interleaving -- every thread holding
its 401 before the refresh answers -- it is forced with a ``Condition``, not
hoped for with sleeps.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys
import threading
import time

import pytest
import six

import patreon
from patreon.exceptions import OAuthError, Unauthorized
from patreon.sandbox import Sandbox

from helpers import refreshing_api, token_request_count
from reliability_report import tally

THREADS = 16
MEMBERS_IN_CAMPAIGN = 3000
GUARD_SECONDS = 100  # only against a deadlock, under the 120 s bound of every test: a loaded 2.7 took 40 s


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=MEMBERS_IN_CAMPAIGN, seed=23)


def run_together(work, count=THREADS):
    """Run ``work(index)`` in ``count`` threads released at once; return results and exceptions by index."""
    start = threading.Event()
    results = [None] * count
    errors = [None] * count

    def worker(index):
        start.wait()
        try:
            results[index] = work(index)
        except Exception as exc:  # reported by the test, whatever it is
            errors[index] = (exc, sys.exc_info()[2])

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.daemon = True
        thread.start()
    start.set()
    for thread in threads:
        thread.join(GUARD_SECONDS)
    assert not any(thread.is_alive() for thread in threads), 'a thread is stuck'
    failures = [error for error in errors if error is not None]
    if failures:
        exc, traceback = failures[0]
        six.reraise(type(exc), exc, traceback)
    return results


def test_16_threads_sharing_one_api_each_get_every_member_once(sb):
    sb.clear_faults()
    api = patreon.API(sb.creator_token, base_url=sb.url)

    def paginate(index):
        return [member.id() for member in api.paginate(api.get_campaigns_by_id_members, sb.campaign_id,
                                                       page_size=250 + 50 * index, includes=['user'])]

    results = run_together(paginate)

    expected = results[0]
    assert len(expected) == len(set(expected)) == MEMBERS_IN_CAMPAIGN
    for ids in results:
        assert ids == expected  # each thread: every member, once, in order, whatever the others did
    tally('concurrency', '16 threads paginating one shared API', 'threads', THREADS)
    tally('concurrency', '16 threads paginating one shared API', 'members checked', sum(map(len, results)))


def test_16_threads_under_a_429_storm_all_complete(sb):
    sb.clear_faults()
    api = patreon.API(sb.creator_token, base_url=sb.url, retry=patreon.RetryPolicy(max_retries=3))
    waits = []
    api.transport.sleep = waits.append
    sb.inject_fault('campaigns/{id}/members', 'rate_limit', 3, retry_after=0)  # <= max_retries: always absorbed

    results = run_together(lambda index: [member.id() for member in api.paginate(
        api.get_campaigns_by_id_members, sb.campaign_id, page_size=1000)])

    assert all(len(ids) == len(set(ids)) == MEMBERS_IN_CAMPAIGN for ids in results)
    assert waits == [0.0, 0.0, 0.0]
    tally('concurrency', '16 threads paginating under a 429 storm', 'members checked', sum(map(len, results)))


class HeldRefresh(object):
    """Holds the token refresh until every thread has received its 401, so that all of them race for it."""

    def __init__(self, api, threads):
        self.threads = threads
        self.unauthorized = 0
        self.condition = threading.Condition()
        request = api.transport.request
        refresh = api.oauth_client.refresh_token

        def counting_request(method, path, **kwargs):
            response = request(method, path, **kwargs)
            if response.status_code == 401:
                with self.condition:
                    self.unauthorized += 1
                    self.condition.notify_all()
            return response

        def held_refresh(*args, **kwargs):
            deadline = time.time() + GUARD_SECONDS
            with self.condition:
                while self.unauthorized < self.threads:
                    assert time.time() < deadline, 'only {} threads saw the 401'.format(self.unauthorized)
                    self.condition.wait(1.0)
            return refresh(*args, **kwargs)

        api.transport.request = counting_request
        api.oauth_client.refresh_token = held_refresh


@pytest.mark.parametrize('raise_errors', [False, True])
def test_an_expired_token_hit_by_16_threads_is_refreshed_once(sb, raise_errors):
    sb.clear_faults()
    sb.clear_log()
    api, tokens, refreshed = refreshing_api(sb, raise_errors=raise_errors)
    held = HeldRefresh(api, THREADS)

    identities = run_together(lambda index: api.get_identity().data().id())

    assert identities == [sb.creator_user_id] * THREADS
    assert held.unauthorized == THREADS  # every thread met the expired token...
    assert token_request_count(sb) == 1  # ...and one refresh served them all
    assert len(refreshed) == 1
    assert api.access_token == refreshed[0]['access_token'] != tokens['access_token']
    assert api.refresh_token == refreshed[0]['refresh_token']
    identity_requests = [r for r in sb.requests if r.path.endswith('/identity')]
    assert sorted(r.status for r in identity_requests) == [200] * THREADS + [401] * THREADS
    target = 'expired token hit by 16 threads at once'
    tally('concurrency', target, 'races run')
    tally('concurrency', target, 'threads that met the expired token', held.unauthorized)
    tally('concurrency', target, 'token refreshes (one per race)', token_request_count(sb))
    tally('concurrency', target, 'on_token_refresh calls (one per race)', len(refreshed))


def test_a_refused_refresh_raced_by_16_threads_is_asked_once_and_surfaces_the_401(sb):
    sb.clear_faults()
    sb.clear_log()
    api, _, refreshed = refreshing_api(sb, raise_errors=True, refresh_token='refresh-token-the-sandbox-never-issued')
    held = HeldRefresh(api, THREADS)

    def identity(index):
        with pytest.raises(Unauthorized) as raised:
            api.get_identity()
        return raised.value.refresh_error

    refresh_errors = run_together(identity)
    assert all(isinstance(error, OAuthError) and error.error == 'invalid_grant' for error in refresh_errors)
    assert held.unauthorized == THREADS
    assert token_request_count(sb) == 1
    assert refreshed == []
    with pytest.raises(Unauthorized):  # later 401s do not ask again with the refused refresh token
        api.get_identity()
    assert token_request_count(sb) == 1
    tally('concurrency', 'refused refresh raced by 16 threads', 'races run')
    tally('concurrency', 'refused refresh raced by 16 threads', 'token requests (one per race)',
          token_request_count(sb))


def test_a_401_no_refresh_can_fix_is_refreshed_once_for_16_threads_and_many_calls(sb):
    sb.clear_faults()
    sb.clear_log()
    # No 'campaigns' scope: every campaigns call is a 401.
    api, _, refreshed = refreshing_api(sb, scopes=['identity'], raise_errors=True)
    held = HeldRefresh(api, THREADS)
    calls_per_thread = 10

    def campaigns(index):
        reasons = []
        for _ in range(calls_per_thread):
            with pytest.raises(Unauthorized) as raised:
                api.get_campaigns(5)
            reasons.append(str(raised.value))
        return reasons

    results = run_together(campaigns)

    assert token_request_count(sb) == 1  # one refresh for the expired token; none for the token that lacks a scope
    assert len(refreshed) == 1 and api.access_token == refreshed[0]['access_token']
    assert held.unauthorized == THREADS * calls_per_thread + THREADS  # every call, and each first call's retry
    assert all('right after its refresh' in reason for reasons in results for reason in reasons)
    tally('concurrency', '401 no refresh can fix, 16 threads', 'calls', THREADS * calls_per_thread)
    tally('concurrency', '401 no refresh can fix, 16 threads', 'token refreshes (one in all)', token_request_count(sb))


def test_a_route_lacking_a_scope_refreshes_once_while_other_threads_prove_the_token_on_other_routes(sb):
    sb.clear_faults()
    sb.clear_log()
    # No 'campaigns' scope: every campaigns call is a 401. Two threads call identity (2xx) all along.
    api, tokens, refreshed = refreshing_api(sb, scopes=['identity'], raise_errors=True)
    proven = set()  # tokens identity answered 2xx to, once that call returned (and the client learnt from it)
    condition = threading.Condition()
    stop = threading.Event()
    used = threading.local()
    request = api.transport.request

    def gated_request(method, path, **kwargs):
        token = kwargs['headers']['Authorization'].split(' ', 1)[1]
        used.token = token
        response = request(method, path, **kwargs)
        if '/campaigns' in path and response.status_code == 401 and token != tokens['access_token']:
            # The retry right after a refresh: its 401 is judged only once identity has accepted the new token.
            deadline = time.time() + GUARD_SECONDS
            with condition:
                while token not in proven:
                    assert time.time() < deadline, 'identity never accepted the refreshed token'
                    condition.wait(1.0)
        return response

    def prove():
        while not stop.is_set():
            try:
                api.get_identity()
            except Unauthorized:
                continue  # the expired token, before the refresh
            with condition:
                proven.add(used.token)
                condition.notify_all()

    api.transport.request = gated_request
    provers = [threading.Thread(target=prove) for _ in range(2)]
    for thread in provers:
        thread.start()
    reasons = []
    try:
        for _ in range(10):
            with pytest.raises(Unauthorized) as raised:
                api.get_campaigns(5)
            reasons.append(str(raised.value))
    finally:
        stop.set()
        for thread in provers:
            thread.join(GUARD_SECONDS)
            assert not thread.is_alive()

    assert token_request_count(sb) == 1  # whatever the other threads did, one refresh in all
    assert len(refreshed) == 1 and api.access_token == refreshed[0]['access_token'] in proven
    assert all('right after its refresh' in reason for reason in reasons)
    tally('concurrency', 'route lacking a scope beside 2xx traffic', 'token refreshes (one in all)',
          token_request_count(sb))


# Soak (make soak) -------------------------------------------------------------------------------------------------

@pytest.mark.soak
def test_refresh_races_soak(sb):
    for round_number in range(50):
        test_an_expired_token_hit_by_16_threads_is_refreshed_once(sb, raise_errors=bool(round_number % 2))


@pytest.mark.soak
def test_32_threads_paginating_a_large_campaign_soak():
    with Sandbox(members=20000, seed=29) as large:
        api = patreon.API(large.creator_token, base_url=large.url)
        results = run_together(lambda index: [member.id() for member in api.paginate(
            api.get_campaigns_by_id_members, large.campaign_id, page_size=1000, includes=['user'])], count=32)
    assert all(ids == results[0] for ids in results)
    assert len(results[0]) == len(set(results[0])) == 20000
    tally('concurrency', '32 threads paginating 20,000 members (soak)', 'members checked', sum(map(len, results)))
