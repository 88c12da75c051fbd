# -*- coding: utf-8 -*-
"""``paginate(..., prefetch=True)``: the next page is fetched while the caller works on this one.

What is proven here is order, not speed: the next page is asked for while the
caller still holds the one before (a fetch that waits for the caller would
never see it), never two ahead, errors in their place, and no thread left once
the iteration ends, is closed or is dropped.  Each wait is bounded.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import gc
import subprocess
import sys
import threading
import traceback
import weakref

import pytest
import requests

import patreon
import patreon._deadline as deadline_module
from patreon import _paging
from patreon.cli import EXIT_OK, main
from patreon.exceptions import InvalidArgument, ServerError, TotalTimeout
from patreon._paging import prefetched
from patreon.pagination import PREFETCH_THREAD_NAME

SANDBOX = dict(members=250, seed=24)
WATCHDOG_THREAD_NAME = 'patreon-total-timeout'  # the thread that bounds every attempt by Timeout.total
MEMBERS_ROUTE = 'campaigns/{id}/members'
#: The longest any wait of these tests may take: only a broken prefetch comes near it.
BOUND = 10


def prefetch_threads():
    return set(thread for thread in threading.enumerate() if thread.name == PREFETCH_THREAD_NAME)


def still_running(threads):
    """The threads of ``threads`` that do not end within :data:`BOUND` seconds."""
    for thread in threads:
        thread.join(BOUND)
    return [thread for thread in threads if thread.is_alive()]


class Source(object):
    """Items 1..``count`` taken one by one, recording what was taken; ``gates[n]`` holds item n until it is set."""

    def __init__(self, count, fail_at=None, gates=None):
        self.count = count
        self.fail_at = fail_at
        self.gates = gates or {}
        self.taken = []
        self.asked = dict((number, threading.Event()) for number in range(1, count + 2))

    def __iter__(self):
        for number in range(1, self.count + 1):
            self.asked[number].set()
            if number in self.gates:
                assert self.gates[number].wait(BOUND)
            if number == self.fail_at:
                raise_page_error(number)
            self.taken.append(number)
            yield number
        self.asked[self.count + 1].set()


def raise_page_error(number):
    raise ValueError('item {} failed'.format(number))


# The order of things -------------------------------------------------------------------------------------------

def test_the_next_item_is_asked_for_while_the_caller_holds_this_one():
    source = Source(3)
    items = prefetched(iter(source))

    assert next(items) == 1
    # The caller has not asked for item 2: only a fetch that runs meanwhile takes it.
    assert source.asked[2].wait(BOUND), 'item 2 was not asked for while the caller held item 1'
    assert list(items) == [2, 3]


def test_never_more_than_one_item_ahead():
    source = Source(5)
    items = prefetched(iter(source))
    before = prefetch_threads()

    for expected in range(1, 6):
        assert next(items) == expected
        assert still_running(prefetch_threads() - before) == []  # the one fetch ahead is done...
        assert source.taken == list(range(1, min(expected + 1, 5) + 1))  # ...and it took one item, no more
    with pytest.raises(StopIteration):
        next(items)


def test_every_item_comes_once_in_order():
    assert list(prefetched(iter(range(200)))) == list(range(200))
    assert list(prefetched([])) == []


def test_an_error_is_raised_in_its_place_after_every_item_before_it():
    source = Source(5, fail_at=3)
    items = prefetched(iter(source))
    before = prefetch_threads()

    assert next(items) == 1
    assert next(items) == 2
    assert source.asked[3].wait(BOUND) and still_running(prefetch_threads() - before) == []  # item 3 failed, then
    with pytest.raises(ValueError) as caught:
        next(items)

    assert str(caught.value) == 'item 3 failed'
    frames = [frame[2] for frame in traceback.extract_tb(caught.tb)]
    assert frames[-1] == 'raise_page_error'  # raised as it happened, its traceback kept
    with pytest.raises(StopIteration):
        next(items)
    assert source.taken == [1, 2] and not source.asked[4].is_set()  # nothing taken after the error


# The next request goes out before the caller gets the page ---------------------------------------------------

def test_the_caller_gets_the_item_once_the_next_items_request_is_out(monkeypatch):
    # With a head start longer than any test's wait, the caller gets item 1 only through item 2's signal: item 2 is
    # held until the caller has item 1, so that a signal that never came would fail item 2 after BOUND seconds.
    monkeypatch.setattr(_paging, '_HEAD_START', BOUND * 3)
    gate = threading.Event()

    def source():
        yield 1
        deadline_module._current.sent()  # what a request through the transport does once it is out
        if not gate.wait(BOUND):
            raise AssertionError('the caller did not get item 1 before item 2 was taken')
        yield 2

    items = prefetched(source())
    assert next(items) == 1
    gate.set()
    assert list(items) == [2]


def test_every_page_fetched_ahead_signals_when_its_request_is_out(fresh, api, monkeypatch):
    signals = []
    signal_when_sent = deadline_module.signal_when_sent

    def recording(callback):
        def sent():
            signals.append(threading.current_thread().name)
            callback()
        signal_when_sent(sent)
    monkeypatch.setattr(deadline_module, 'signal_when_sent', recording)

    assert len(member_ids(api, fresh.campaign_id, prefetch=True)) == 250

    assert signals == [PREFETCH_THREAD_NAME] * 7  # 250 members in pages of 40, each request from its fetch thread


# Threads --------------------------------------------------------------------------------------------------------

def test_no_thread_is_left_when_the_iteration_ends():
    before = prefetch_threads()

    assert list(prefetched(iter(Source(4)))) == [1, 2, 3, 4]

    assert prefetch_threads() - before == set()  # at once: the last fetch was waited for


def test_an_iteration_never_started_starts_no_thread():
    before = prefetch_threads()
    items = prefetched(iter(Source(2)))

    assert prefetch_threads() - before == set()
    items.close()


def test_closing_the_iteration_leaves_no_thread_once_the_fetch_in_flight_ends():
    gate = threading.Event()
    source = Source(4, gates={2: gate})
    before = prefetch_threads()
    items = prefetched(iter(source))

    assert next(items) == 1
    assert source.asked[2].wait(BOUND)
    items.close()  # returns at once: the fetch of item 2 is still waiting on its gate
    running = prefetch_threads() - before
    gate.set()

    assert len(running) == 1 and still_running(running) == []
    assert source.taken == [1, 2] and not source.asked[3].is_set()  # the fetch in flight ended; no other began


def test_an_abandoned_iteration_is_freed_and_leaves_no_thread():
    gate = threading.Event()
    source = Source(4, gates={2: gate})
    before = prefetch_threads()
    underlying = iter(source)
    items = prefetched(underlying)
    assert next(items) == 1
    assert source.asked[2].wait(BOUND)
    abandoned, underlying_ref = weakref.ref(items), weakref.ref(underlying)

    del items, underlying
    gc.collect()

    assert abandoned() is None  # the fetch in flight does not keep the caller's iteration alive
    running = prefetch_threads() - before
    gate.set()
    assert len(running) == 1 and still_running(running) == []
    gc.collect()
    assert underlying_ref() is None  # nor its own thread, once ended, the source
    assert not source.asked[3].is_set()
    assert not [thing for thing in gc.garbage if type(thing).__name__ == 'generator']  # Python 2: no uncollectable


EXIT_WITH_A_FETCH_IN_FLIGHT = """
import threading, time
from patreon._paging import prefetched
started = threading.Event()
def items():
    yield 1
    started.set()
    while True:  # a fetch still waiting on its socket when the process exits: Python 2 empties modules under it
        time.sleep(0.001)
pages = prefetched(items())
next(pages)
assert started.wait(10)
"""


def test_a_process_that_exits_with_a_fetch_in_flight_exits_quietly(tmpdir):
    process = subprocess.Popen([sys.executable, '-c', EXIT_WITH_A_FETCH_IN_FLIGHT], cwd=str(tmpdir),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()

    assert (process.returncode, err) == (0, b'')


# Through the client, over HTTP -------------------------------------------------------------------------------

@pytest.fixture
def api(fresh):
    return patreon.API(fresh.creator_token, base_url=fresh.url, retry=None)


def member_ids(api, campaign_id, **kwargs):
    return [member.id() for member in api.paginate(api.get_campaigns_by_id_members, campaign_id, page_size=40,
                                                   **kwargs)]


def test_paginate_with_prefetch_gives_what_it_gives_without_in_as_many_requests(fresh, api):
    plain = member_ids(api, fresh.campaign_id)
    requests_plain = len(fresh.requests)
    fresh.clear_log()

    prefetching = member_ids(api, fresh.campaign_id, prefetch=True)

    assert prefetching == plain and len(plain) == len(set(plain)) > 200
    assert len(fresh.requests) == requests_plain == 7  # 250 members in pages of 40: nothing fetched twice


def test_paginate_pages_with_prefetch_gives_the_same_pages(fresh, api):
    pages = [page.json_data for page in api.paginate_pages(api.get_campaigns_by_id_members, fresh.campaign_id,
                                                           page_size=100, prefetch=True)]

    assert [len(page['data']) for page in pages] == [100, 100, 50]


@pytest.mark.parametrize('prefetch', ['yes', 1, None])
def test_prefetch_must_be_a_boolean(api, prefetch):
    with pytest.raises(InvalidArgument):
        list(api.paginate(api.get_campaigns, page_size=10, prefetch=prefetch))


def failing_at(api, sandbox, page_number, kind, **options):
    """``get_campaigns_by_id_members`` whose ``page_number``-th request meets the sandbox fault ``kind``."""
    calls = []

    def members(campaign_id, page_size, cursor=None, **kwargs):
        calls.append(cursor)
        if len(calls) == page_number:
            sandbox.inject_fault(MEMBERS_ROUTE, kind, **options)
        return api.get_campaigns_by_id_members(campaign_id, page_size, cursor=cursor, **kwargs)
    return members


def test_a_failed_page_raises_after_every_member_before_it(fresh, api):
    seen = []
    with pytest.raises(ServerError):
        for member in api.paginate(failing_at(api, fresh, 3, 'server_error', status=503), fresh.campaign_id,
                                   page_size=40, prefetch=True):
            seen.append(member.id())

    assert seen == member_ids(api, fresh.campaign_id)[:80]


def test_total_timeout_bounds_a_prefetched_page_as_any_other(fresh):
    api = patreon.API(fresh.creator_token, base_url=fresh.url, retry=None, timeout=patreon.Timeout(total=0.5))
    seen = []
    with pytest.raises(requests.Timeout) as caught:
        for member in api.paginate(failing_at(api, fresh, 2, 'trickle', chunk=1, interval=0.1), fresh.campaign_id,
                                   page_size=40, prefetch=True):
            seen.append(member.id())

    assert isinstance(caught.value, TotalTimeout) and len(seen) == 40


def watchdog_threads():
    return [thread for thread in threading.enumerate() if thread.name == WATCHDOG_THREAD_NAME]


def test_one_watchdog_thread_serves_the_whole_walk_and_ends_with_it(fresh, api):
    # One per page would start and end a thread around every request, each time while the caller holds the GIL.
    seen = []
    for _ in api.paginate_pages(api.get_campaigns_by_id_members, fresh.campaign_id, page_size=40, prefetch=True):
        seen.append(watchdog_threads())

    assert len(seen) == 7 and all(len(threads) == 1 for threads in seen)
    assert all(threads[0] is seen[0][0] for threads in seen)  # the same thread from the first page to the last
    assert watchdog_threads() == []  # at once: the end of the walk waited for it


@pytest.mark.parametrize('how', ['closed', 'dropped'])
def test_a_walk_closed_or_dropped_leaves_no_watchdog_once_its_fetch_in_flight_ends(fresh, api, how):
    before = prefetch_threads()
    pages = api.paginate_pages(api.get_campaigns_by_id_members, fresh.campaign_id, page_size=40, prefetch=True)
    next(pages)
    fetching = prefetch_threads() - before
    watchdogs = watchdog_threads()
    assert len(watchdogs) == 1

    if how == 'closed':
        pages.close()
    else:
        del pages
        gc.collect()

    assert still_running(fetching) == [] and still_running(watchdogs) == []
    assert watchdog_threads() == []


# The command line --------------------------------------------------------------------------------------------

def test_the_command_line_export_prefetches(fresh, capsys, monkeypatch):
    used = []

    def recording(items):
        used.append(True)
        return prefetched(items)
    monkeypatch.setattr('patreon._paging.prefetched', recording)
    expected = member_ids(patreon.API(fresh.creator_token, base_url=fresh.url), fresh.campaign_id)

    code = main(['--base-url', fresh.url, '--token=' + fresh.creator_token, 'members', fresh.campaign_id,
                 '--format', 'jsonl', '--fields', 'full_name', '--page-size', '40', '--no-progress'], environ={})
    out = capsys.readouterr().out

    assert code == EXIT_OK and used == [True]
    assert [line.split('"id":"')[1].split('"')[0] for line in out.splitlines()] == expected


if sys.version_info[0] == 2:  # pragma: no cover - Python 2 only
    def test_python_2_waits_in_slices_so_that_ctrl_c_is_not_held_up():
        from patreon import _paging
        assert _paging._JOIN_SLICE is not None
