"""Faults against the sandbox: 429 storms, 5xx bursts, HTML and cut bodies, resets, refused and slow servers.

Hostile servers (a scripted loopback server, tests/loopback.py): answers
trickled a byte at a time, compressed bodies cut short, absurd
``Retry-After`` and ``Content-Length`` values.

Waits are recorded, never slept: ``api.transport.sleep`` is replaced by a
recorder, so a test can assert that the client waited exactly what the
server asked, and still runs in milliseconds.  Durations are never asserted.

The property test at the end lets hypothesis choose a fault schedule for
``paginate`` over a campaign of a few thousand members: every member comes
out exactly once, or a typed error is raised -- never a short or duplicated
list.
"""
from __future__ import absolute_import, division, print_function, unicode_literals


import json
import sys
import threading
import zlib

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st

import patreon
from patreon import cli
from patreon.cli import EXIT_NETWORK, EXIT_RATE_LIMITED, EXIT_USAGE, main
from patreon.exceptions import InvalidResponse, PatreonError, RateLimited, ServerError, TotalTimeout

from helpers import closed_port
from loopback import THREAD_NAME, ScriptedServer, answer, cut, gzipped, json_answer, response_head, trickle
from reliability_report import examples, tally

MEMBERS = 'campaigns/{id}/members'
MEMBERS_IN_CAMPAIGN = 2500
BACKOFF_FACTOR = 0.5  # RetryPolicy's default: the n-th backoff is between half and all of 0.5 * 2**n seconds
TYPED_ERRORS = (PatreonError, requests.RequestException)


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=MEMBERS_IN_CAMPAIGN, seed=11)


@pytest.fixture(scope='module')
def all_member_ids(sb):
    """Every member id of the campaign in page order, read once without faults."""
    api = patreon.API(sb.creator_token, base_url=sb.url)
    ids = [member.id() for member in api.paginate(api.get_campaigns_by_id_members, sb.campaign_id,
                                                  page_size=1000)]
    assert len(ids) == len(set(ids)) == MEMBERS_IN_CAMPAIGN
    return ids


def fresh(sandbox):
    sandbox.clear_faults()
    sandbox.clear_log()


def client(sandbox, **kwargs):
    """An API on the sandbox whose waits are recorded in ``api.waits`` instead of slept."""
    api = patreon.API(sandbox.creator_token, base_url=sandbox.url, **kwargs)
    api.waits = []
    api.transport.sleep = api.waits.append
    return api


def inject(sandbox, route, kind, count=1, **options):
    sandbox.inject_fault(route, kind, count, **options)
    tally('faults', 'single faults', 'faults injected ({})'.format(kind), count)


def served(sandbox, suffix):
    return [record for record in sandbox.requests if record.path.endswith(suffix)]


def assert_backoff(waits):
    """Each wait is the policy's exponential backoff with jitter for its attempt."""
    for attempt, wait in enumerate(waits):
        base = min(20.0, BACKOFF_FACTOR * 2 ** attempt)
        assert base / 2 <= wait <= base


# 429 storms ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('retry_after', [0, 2, 7])
@pytest.mark.parametrize('header', [True, False], ids=['Retry-After header', 'body only'])
def test_a_429_storm_is_waited_out_exactly_as_asked(sb, retry_after, header):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=3))
    inject(sb, MEMBERS, 'rate_limit', 3, retry_after=retry_after, header=header)

    page = api.get_campaigns_by_id_members(sb.campaign_id, 10)

    assert len(page.data()) == 10
    assert api.waits == [float(retry_after)] * 3
    assert [r.status for r in served(sb, '/members')] == [429, 429, 429, 200]


@pytest.mark.parametrize('raise_errors', [True, False])
def test_a_429_storm_longer_than_max_retries_gives_up_with_rate_limited(sb, raise_errors):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=2), raise_errors=raise_errors)
    inject(sb, MEMBERS, 'rate_limit', 5, retry_after=4)

    with pytest.raises(RateLimited) as caught:
        result = api.get_campaigns_by_id_members(sb.campaign_id, 10)
        result.data()  # without raise_errors: the errors document, whose data() raises

    assert caught.value.retry_after == 4.0
    assert caught.value.status_code == 429
    assert api.waits == [4.0, 4.0]
    assert len(served(sb, '/members')) == 3  # the first try and max_retries more


def test_paginate_raises_rate_limited_when_the_storm_outlasts_the_retries(sb):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=1))
    inject(sb, MEMBERS, 'rate_limit', 2, retry_after=3, header=False)

    with pytest.raises(RateLimited) as caught:
        list(api.paginate(api.get_campaigns_by_id_members, sb.campaign_id, page_size=100))

    assert caught.value.retry_after == 3.0
    assert api.waits == [3.0]


def test_a_429_asking_longer_than_max_retry_wait_is_given_up_at_once(sb):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=3, max_retry_wait=60), raise_errors=True)
    inject(sb, MEMBERS, 'rate_limit', 1, retry_after=120)

    with pytest.raises(RateLimited) as caught:
        api.get_campaigns_by_id_members(sb.campaign_id, 10)

    assert caught.value.retry_after == 120.0
    assert api.waits == []
    assert len(served(sb, '/members')) == 1


def test_max_retries_zero_never_retries(sb):
    fresh(sb)
    api = client(sb, retry=None, raise_errors=True)
    inject(sb, MEMBERS, 'rate_limit', 1, retry_after=0)

    with pytest.raises(RateLimited):
        api.get_campaigns_by_id_members(sb.campaign_id, 10)
    assert api.waits == [] and len(served(sb, '/members')) == 1


# 5xx bursts and HTML bodies ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_a_5xx_burst_is_retried_with_backoff(sb, status):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=3))
    inject(sb, 'identity', 'server_error', 3, status=status)

    user = api.get_identity().data()

    assert user.id() == sb.creator_user_id
    assert len(api.waits) == 3
    assert_backoff(api.waits)
    assert [r.status for r in served(sb, '/identity')] == [status] * 3 + [200]


@pytest.mark.parametrize('raise_errors', [True, False])
@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_a_5xx_html_page_outlasting_the_retries_is_a_typed_error(sb, status, raise_errors):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=1), raise_errors=raise_errors)
    inject(sb, 'identity', 'server_error', 2, status=status)

    with pytest.raises((ServerError, InvalidResponse)) as caught:
        api.get_identity()

    assert caught.value.status_code == status
    assert len(api.waits) == 1


def test_a_5xx_on_post_is_not_retried(sb):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=3))
    inject(sb, 'webhooks', 'server_error', 1, status=503)

    with pytest.raises(TYPED_ERRORS):
        api.create_webhook(sb.campaign_id, 'http://127.0.0.1:9/hook', ['members:create'])

    assert api.waits == []
    assert [r.method for r in served(sb, '/webhooks')] == ['POST']


# Cut bodies, resets, refused connections ----------------------------------------------------------------------------

@pytest.mark.parametrize('kind', ['truncated', 'reset'])
def test_cut_bodies_and_resets_are_retried(sb, kind):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=3))
    inject(sb, 'identity', kind, 2)

    assert api.get_identity().data().id() == sb.creator_user_id
    assert len(api.waits) == 2
    assert_backoff(api.waits)
    assert len(served(sb, '/identity')) == 3


@pytest.mark.parametrize('kind', ['truncated', 'reset'])
def test_cut_bodies_and_resets_outlasting_the_retries_raise_a_requests_error(sb, kind):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=2))
    inject(sb, 'identity', kind, 3)

    with pytest.raises(requests.exceptions.ConnectionError if kind == 'reset' else requests.RequestException):
        api.get_identity()
    assert len(api.waits) == 2


@pytest.mark.parametrize('kind', ['truncated', 'reset'])
def test_a_cut_or_reset_post_is_not_retried(sb, kind):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=3))
    inject(sb, 'webhooks', kind, 1)

    with pytest.raises(requests.RequestException):
        api.create_webhook(sb.campaign_id, 'http://127.0.0.1:9/hook', ['members:create'])
    assert api.waits == []
    assert len(served(sb, '/webhooks')) == 1


def test_a_cut_token_answer_is_not_retried_and_says_nothing_of_the_tokens(sb):
    fresh(sb)
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)
    inject(sb, 'token', 'truncated', 1)

    with pytest.raises(requests.RequestException) as caught:
        oauth.refresh_token(sb.creator_refresh_token)

    assert len(served(sb, '/token')) == 1
    assert sb.creator_refresh_token not in repr(caught.value) + str(caught.value)
    assert sb.client_secret not in repr(caught.value) + str(caught.value)


def test_a_refused_connection_is_retried_then_raised():
    api = patreon.API('token', base_url='http://127.0.0.1:{}'.format(closed_port()),
                      retry=patreon.RetryPolicy(max_retries=2))
    waits = []
    api.transport.sleep = waits.append
    tally('faults', 'single faults', 'faults injected (refused)', 3)

    with pytest.raises(requests.exceptions.ConnectionError):
        api.get_identity()
    assert len(waits) == 2
    assert_backoff(waits)


# Slow servers -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('timeout', [0.2, (5.0, 0.2)], ids=['seconds', '(connect, read)'])
def test_a_server_slower_than_the_timeout_raises_timeout(sb, timeout):
    fresh(sb)
    api = client(sb, retry=patreon.RetryPolicy(max_retries=2), timeout=timeout)
    inject(sb, 'identity', 'delay', 3, seconds=2)  # one per possible attempt: retried or not, each is slow

    with pytest.raises(requests.Timeout):
        api.get_identity()


def test_a_slow_token_endpoint_raises_timeout(sb):
    fresh(sb)
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url, timeout=0.2)
    inject(sb, 'token', 'delay', 1, seconds=2)

    with pytest.raises(requests.Timeout):
        oauth.refresh_token('whatever')


def test_a_server_slower_than_usual_but_within_the_timeout_answers(sb):
    fresh(sb)
    api = client(sb, timeout=10)
    inject(sb, 'identity', 'delay', 1, seconds=0.05)

    assert api.get_identity().data().id() == sb.creator_user_id
    assert api.waits == []


# Hostile servers: answers trickled a byte at a time -------------------------------------------------------------------

IDENTITY = json.dumps({'data': {'type': 'user', 'id': '7', 'attributes': {'full_name': 'A. Patron'}}}).encode()
TOKENS = json.dumps({'access_token': 'new-access', 'refresh_token': 'new-refresh', 'expires_in': 2678400,
                     'token_type': 'Bearer', 'scope': 'identity'}).encode()
# Every read comes well within timeout=1 (a byte every 0.2 s); the answer as a whole never does.
TRICKLES = {
    'headers': lambda: trickle(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: '),
    'body': lambda: trickle(response_head(200, [('Content-Type', 'application/json'), ('Content-Length', '100000')])
                            + b'{"data": ', piece=b' '),
}
SESSIONS = {'ours': lambda: None, 'theirs': requests.Session}


def scripted_api(server, **kwargs):
    """An API on a scripted server whose waits are recorded in ``api.waits`` instead of slept."""
    api = patreon.API('a-token-of-no-account', base_url=server.url, **kwargs)
    api.waits = []
    api.transport.sleep = api.waits.append
    return api


def client_threads():
    return set(thread for thread in threading.enumerate() if thread.name != THREAD_NAME)


@pytest.mark.parametrize('session', sorted(SESSIONS))
@pytest.mark.parametrize('phase', sorted(TRICKLES))
def test_an_answer_trickled_a_byte_at_a_time_raises_total_timeout(phase, session):
    with ScriptedServer([TRICKLES[phase]()]) as server:
        api = scripted_api(server, retry=patreon.RetryPolicy(max_retries=3), timeout=patreon.Timeout(1, 1, total=1.5),
                           session=SESSIONS[session]())
        tally('faults', 'single faults', 'faults injected (trickle)')

        with pytest.raises(requests.Timeout) as caught:
            api.get_identity()

        assert isinstance(caught.value, TotalTimeout)
        assert 'total timeout, 1.5 s' in str(caught.value) and caught.value.total_timeout == 1.5
        assert server.hung_up.wait(30), 'the client never closed the connection'
        assert len(server.requests) == 1 and api.waits == []  # not retried, as a read timeout is not


def test_a_trickled_token_answer_raises_total_timeout():
    with ScriptedServer([TRICKLES['body']()]) as server:
        oauth = patreon.OAuth('client-id', 'client-secret', base_url=server.url, timeout=patreon.Timeout(1, 1,
                                                                                                         total=1.5))
        tally('faults', 'single faults', 'faults injected (trickle)')

        with pytest.raises(TotalTimeout):
            oauth.refresh_token('a-refresh-token')
        assert server.hung_up.wait(30)


def test_attempts_cut_at_the_deadline_leave_no_thread_behind():
    # A worker thread per request, abandoned at the deadline, would leave one thread per call here.
    before = client_threads()
    for phase in ['headers', 'body', 'headers']:
        with ScriptedServer([TRICKLES[phase]()]) as server:
            with pytest.raises(TotalTimeout):
                scripted_api(server, retry=None, timeout=patreon.Timeout(1, 1, total=1)).get_identity()
            assert server.hung_up.wait(30)
        tally('faults', 'single faults', 'faults injected (trickle)')
    new = client_threads() - before
    assert len(new) <= 1 and all(thread.daemon for thread in new)  # at most the one watchdog of the process


def test_a_server_within_total_timeout_answers():
    with ScriptedServer([json_answer(200, IDENTITY)]) as server:
        api = scripted_api(server, timeout=patreon.Timeout(5, 5, total=30))
        for _ in range(3):
            assert api.get_identity().data().id() == '7'
        assert len(server.requests) == 3 and api.waits == []


# Hostile servers: bodies cut short, whatever their encoding --------------------------------------------------------

ENCODINGS = {'identity': lambda data: data, 'gzip': gzipped, 'deflate': zlib.compress}


def encoded_answer(encoding, data, sent=None):
    """A script: ``data`` encoded, with the encoded length promised and only ``sent`` bytes of it sent."""
    body = ENCODINGS[encoding](data)
    headers = () if encoding == 'identity' else (('Content-Encoding', encoding),)
    return cut(200, body, len(body) if sent is None else sent, *headers)


def half(encoding, data):
    return len(ENCODINGS[encoding](data)) // 2


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_a_body_cut_short_is_retried_whatever_its_encoding(encoding):
    data = IDENTITY * 1  # the gzip of a short document is short: cut it within the deflate stream itself
    scripts = [encoded_answer(encoding, data, half(encoding, data)),
               encoded_answer(encoding, data, len(ENCODINGS[encoding](data)) - 3),  # only the gzip trailer missing
               encoded_answer(encoding, data)]
    with ScriptedServer(scripts) as server:
        api = scripted_api(server, retry=patreon.RetryPolicy(max_retries=2))
        tally('faults', 'single faults', 'faults injected (truncated, {})'.format(encoding), 2)

        assert api.get_identity().data().id() == '7'
        assert len(server.requests) == 3 and len(api.waits) == 2
        assert_backoff(api.waits)


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_a_body_cut_short_outlasting_the_retries_is_a_requests_error(encoding):
    with ScriptedServer([encoded_answer(encoding, IDENTITY, half(encoding, IDENTITY))]) as server:
        api = scripted_api(server, retry=patreon.RetryPolicy(max_retries=1))

        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            api.get_identity()
        assert len(server.requests) == 2


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_a_token_answer_cut_short_is_not_retried_whatever_its_encoding(encoding):
    with ScriptedServer([encoded_answer(encoding, TOKENS, half(encoding, TOKENS))]) as server:
        oauth = patreon.OAuth('client-id', 'client-secret', base_url=server.url)

        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            oauth.refresh_token('a-refresh-token')
        assert len(server.requests) == 1


def test_a_gzip_body_that_does_not_decode_is_retried():
    garbled = cut(200, b'this is not gzip at all', 23, ('Content-Encoding', 'gzip'))
    with ScriptedServer([garbled, encoded_answer('gzip', IDENTITY)]) as server:
        api = scripted_api(server, retry=patreon.RetryPolicy(max_retries=1))

        assert api.get_identity().data().id() == '7'
        assert len(server.requests) == 2 and len(api.waits) == 1


# Hostile servers: absurd Content-Length and Retry-After ------------------------------------------------------------

@pytest.mark.parametrize('lengths', [['abc'], ['-1'], ['+25'], ['2_5'], ['\xb2'], ['25, 26'], ['25', '26']],
                         ids=repr)
def test_a_content_length_that_is_not_one_number_is_a_typed_error(lengths):
    headers = [('Content-Type', 'application/json')] + [('Content-Length', value) for value in lengths]
    with ScriptedServer([answer(200, IDENTITY[:25], *headers)]) as server:
        with pytest.raises(requests.exceptions.InvalidHeader):
            scripted_api(server, retry=patreon.RetryPolicy(max_retries=2)).get_identity()
        assert len(server.requests) == 1


@pytest.mark.parametrize('lengths', [['{0}, {0}'], ['{0}', '{0}']], ids=['one header', 'two headers'])
def test_one_length_said_twice_is_that_length(lengths):
    headers = [('Content-Length', value.format(len(IDENTITY))) for value in lengths]
    with ScriptedServer([answer(200, IDENTITY, *headers)]) as server:
        assert scripted_api(server).get_identity().data().id() == '7'


def test_a_content_length_larger_than_any_body_is_a_cut_body():
    huge = answer(200, IDENTITY, ('Content-Length', '9' * 30))
    with ScriptedServer([huge, json_answer(200, IDENTITY)]) as server:
        api = scripted_api(server, retry=patreon.RetryPolicy(max_retries=1))
        assert api.get_identity().data().id() == '7'
        assert len(server.requests) == 2


THROTTLED_BODY = b'{"errors": [{"code_name": "RequestThrottled", "status": "429", "retry_after_seconds": %s}]}'
HOSTILE_WAITS = [('inf', b'Infinity'), ('nan', b'NaN'), ('-5', b'-5'), ('1e400', b'1e400'),
                 ('99999999999', b'1' + b'0' * 400), ('Fri, 31 Dec 9999 23:59:59 GMT', b'true'),
                 ('\xb2', b'"7"'), ('1, 2', b'[7]')]


@pytest.mark.parametrize('header, seconds', HOSTILE_WAITS, ids=[header for header, _ in HOSTILE_WAITS])
def test_an_absurd_retry_after_falls_back_to_the_backoff_and_is_reported_as_unknown(header, seconds):
    throttled = json_answer(429, THROTTLED_BODY % seconds, ('Retry-After', header))
    with ScriptedServer([throttled, throttled, json_answer(200, IDENTITY)]) as server:
        api = scripted_api(server, retry=patreon.RetryPolicy(max_retries=2))
        assert api.get_identity().data().id() == '7'
        assert len(api.waits) == 2
        assert_backoff(api.waits)  # neither inf, nan, 0 nor a negative wait

    with ScriptedServer([throttled]) as server:
        with pytest.raises(RateLimited) as caught:
            scripted_api(server, retry=patreon.RetryPolicy(max_retries=1), raise_errors=True).get_identity()
        assert caught.value.retry_after is None
        assert 'retry after' not in str(caught.value)


@pytest.mark.parametrize('header, seconds', HOSTILE_WAITS[:4], ids=[header for header, _ in HOSTILE_WAITS[:4]])
def test_the_command_line_reports_an_absurd_retry_after_without_a_traceback(capsys, header, seconds):
    throttled = json_answer(429, THROTTLED_BODY % seconds, ('Retry-After', header))
    with ScriptedServer([throttled]) as server:
        code = main(['--base-url', server.url, '--token=a-token-of-no-account', '--retries', '0', 'identity'],
                    environ={})
    out, err = capsys.readouterr()
    assert code == EXIT_RATE_LIMITED and out == ''
    assert err.startswith('patreon: error: 429') and err.count('\n') == 1
    assert 'Traceback' not in err and 'inf' not in err and 'nan' not in err


def test_the_command_line_reports_total_timeout_without_a_traceback(capsys, monkeypatch):
    # The command line keeps the default of 120 s: its client is made with a shorter one here.
    monkeypatch.setattr(cli._context, 'API', lambda *args, **kwargs: patreon.API(
        *args, **dict(kwargs, timeout=patreon.Timeout(kwargs['timeout'], kwargs['timeout'], total=1.5))))
    with ScriptedServer([TRICKLES['headers']()]) as server:
        code = main(['--base-url', server.url, '--token=a-token-of-no-account', '--timeout', '1', 'identity'],
                    environ={})
        assert server.hung_up.wait(30)
    out, err = capsys.readouterr()
    assert code == EXIT_NETWORK and out == '' and 'Traceback' not in err
    assert err == 'patreon: error: no complete answer from {} within 1.5 s\n'.format(server.url)


# paginate under random fault schedules ----------------------------------------------------------------------------

MAX_RETRIES = 2
MAX_RETRY_WAIT = 60


faults = st.one_of(
    st.tuples(st.just('rate_limit'), st.integers(1, 3),
              st.fixed_dictionaries({'retry_after': st.sampled_from([0, 1, 30, 120]), 'header': st.booleans()})),
    st.tuples(st.just('server_error'), st.integers(1, 3),
              st.fixed_dictionaries({'status': st.sampled_from([500, 502, 503, 504])})),
    st.tuples(st.just('truncated'), st.integers(1, 3), st.just({})),
    st.tuples(st.just('reset'), st.integers(1, 3), st.just({})),
    st.tuples(st.just('delay'), st.integers(1, 2), st.just({'seconds': 0.01})),
)
# page number (0 = the first request) -> faults armed on the members route just before that page is asked for
schedules = st.dictionaries(st.integers(0, 10), st.lists(faults, min_size=1, max_size=3), max_size=4)


def predict(schedule, pages):
    """What the client must do under ``schedule``: the page it fails on (None) and why, and the 429 waits.

    Faults are served first in, first out, one per request; ``delay`` answers
    normally; a request fails for good when it meets more faults than
    MAX_RETRIES, or a 429 asking longer than MAX_RETRY_WAIT.
    """
    queue = []
    waits = []
    for page in range(pages):
        for kind, count, options in schedule.get(page, []):
            queue.extend([(kind, options)] * count)
        attempt = 0
        while queue:
            kind, options = queue.pop(0)
            if kind == 'delay':
                break
            if kind == 'rate_limit' and options['retry_after'] > MAX_RETRY_WAIT:
                return page, kind, waits
            if attempt >= MAX_RETRIES:
                return page, kind, waits
            waits.append(float(options['retry_after']) if kind == 'rate_limit' else None)
            attempt += 1
    return None, None, waits


EXPECTED_ERRORS = {
    'rate_limit': RateLimited,
    'server_error': (ServerError, InvalidResponse),  # an HTML page: typed either way, with its status
    'truncated': requests.RequestException,
    'reset': requests.exceptions.ConnectionError,
}


def check_paginate_under_faults(sandbox, all_ids, schedule, page_size, raise_errors):
    fresh(sandbox)
    api = client(sandbox, retry=patreon.RetryPolicy(max_retries=MAX_RETRIES, max_retry_wait=MAX_RETRY_WAIT),
                 raise_errors=raise_errors)
    pages = -(-len(all_ids) // page_size)
    calls = []

    def members_page(*args, **kwargs):
        for kind, count, options in schedule.get(len(calls), []):
            sandbox.inject_fault(MEMBERS, kind, count, **options)
        calls.append(kwargs.get('cursor'))
        return api.get_campaigns_by_id_members(*args, **kwargs)

    failing_page, failing_kind, expected_waits = predict(schedule, pages)
    ids = []
    error = None
    try:
        for member in api.paginate(members_page, sandbox.campaign_id, page_size=page_size):
            ids.append(member.id())
    except TYPED_ERRORS as exc:
        error = exc

    injected = sum(count for page, armed in schedule.items() if page < len(calls) for _, count, _ in armed)
    tally('faults', 'paginate under random fault schedules', 'schedules tried')
    tally('faults', 'paginate under random fault schedules', 'faults injected', injected)
    tally('faults', 'paginate under random fault schedules', 'requests served', len(sandbox.requests))
    tally('faults', 'paginate under random fault schedules', 'members checked', len(ids))
    assert len(ids) == len(set(ids)), 'a member came out twice'
    if failing_page is None:
        assert error is None, 'no fault outlasted the retries, yet: {!r}'.format(error)
        assert ids == all_ids  # every member, once, in order: nothing lost
        tally('faults', 'paginate under random fault schedules', 'complete runs')
    else:
        assert isinstance(error, EXPECTED_ERRORS[failing_kind]), repr(error)
        assert ids == all_ids[:failing_page * page_size]  # what came before the failure, nothing more
        tally('faults', 'paginate under random fault schedules', 'typed errors raised')
    tally('faults', 'paginate under random fault schedules', 'members lost or repeated', 0)
    assert len(api.waits) == len(expected_waits)
    for wait, expected in zip(api.waits, expected_waits):
        if expected is not None:
            assert wait == expected  # a 429: exactly what the server asked


def paginate_settings(max_examples):
    return settings(max_examples=max_examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@paginate_settings(examples(25, 8))
@given(schedule=schedules, page_size=st.sampled_from([250, 500, 1000]), raise_errors=st.booleans())
def test_paginate_under_random_fault_schedules(sb, all_member_ids, schedule, page_size, raise_errors):
    check_paginate_under_faults(sb, all_member_ids, schedule, page_size, raise_errors)


@pytest.mark.soak
@paginate_settings(400)
@given(schedule=schedules, page_size=st.sampled_from([100, 250, 500, 1000]), raise_errors=st.booleans())
def test_paginate_under_random_fault_schedules_soak(sb, all_member_ids, schedule, page_size, raise_errors):
    check_paginate_under_faults(sb, all_member_ids, schedule, page_size, raise_errors)


def test_the_prediction_of_the_property_test_is_not_trivial():
    # One schedule per outcome, so that a predict() that always said "fine" would fail here.
    assert predict({}, 3) == (None, None, [])
    assert predict({1: [('reset', 3, {})]}, 3)[:2] == (1, 'reset')
    assert predict({0: [('rate_limit', 2, {'retry_after': 1})]}, 3) == (None, None, [1.0, 1.0])
    assert predict({0: [('rate_limit', 1, {'retry_after': 120})]}, 3)[:2] == (0, 'rate_limit')
    assert predict({0: [('delay', 1, {}), ('reset', 2, {})]}, 3) == (None, None, [None, None])


# The deadline holds after it fires: no socket yet, or a new one opened afterwards --------------------------------

def recorded(script, outcomes):
    """``script``, whose outcome on each connection ('hung up': the client left; 'gave up') goes to ``outcomes``."""
    def run(connection):
        outcome = script(connection)
        outcomes.put(outcome)
        return outcome
    return run


def outcomes_of(server, outcomes):
    # Every connection the server took has an outcome once its script ends (bounded by the trickle's limit).
    return sorted(outcomes.get(timeout=60) for _ in server.requests)


def test_an_adapter_that_retries_on_a_new_connection_is_still_cut_at_the_deadline():
    # The caller's adapter retries a failed read on a fresh socket: the deadline must cut those connections too.
    from six.moves import queue
    from urllib3.util.retry import Retry
    outcomes = queue.Queue()
    session = requests.Session()
    session.mount('http://', requests.adapters.HTTPAdapter(max_retries=Retry(total=5, read=5, connect=5)))
    # A status line trickled and never ended: cut short, it is a bad status line, which the adapter retries.
    with ScriptedServer([recorded(trickle(b'H', piece=b'T', limit=15), outcomes)]) as server:
        api = scripted_api(server, retry=None, timeout=patreon.Timeout(5, 5, total=0.5), session=session)
        tally('faults', 'single faults', 'faults injected (trickle)')

        with pytest.raises(TotalTimeout):
            api.get_identity()

        assert 1 <= len(server.requests) <= 6  # the adapter's own retries, at most
        assert set(outcomes_of(server, outcomes)) == set(['hung up'])  # the client cut every one, none ran its course


@pytest.mark.parametrize('session', sorted(SESSIONS))
def test_the_deadline_reaches_the_socket_through_the_connections_not_the_interpreters_frames(session, monkeypatch):
    # Frames and their locals changed in 3.13 (PEP 667) and differ on free-threaded builds: none is read.
    def no_frames(*args):
        raise AssertionError('the watchdog read another thread\'s frames')

    monkeypatch.setattr(sys, '_current_frames', no_frames)
    with ScriptedServer([TRICKLES['body']()]) as server:
        api = scripted_api(server, retry=None, timeout=patreon.Timeout(1, 1, total=0.5), session=SESSIONS[session]())
        tally('faults', 'single faults', 'faults injected (trickle)')
        with pytest.raises(TotalTimeout):
            api.get_identity()
        assert server.hung_up.wait(30), 'the client never closed the connection'


def test_an_attempt_with_no_socket_yet_at_the_deadline_is_cut_once_it_opens_one(monkeypatch):
    # The deadline passes while the name is being resolved: the connection opened afterwards is cut all the same.
    import socket
    import time
    from six.moves import queue
    outcomes = queue.Queue()
    resolve = socket.getaddrinfo
    attempt_thread = threading.current_thread()

    def slow_getaddrinfo(*args, **kwargs):
        if threading.current_thread() is attempt_thread:
            time.sleep(1.0)  # a slow DNS answer, longer than total_timeout
        return resolve(*args, **kwargs)

    with ScriptedServer([recorded(trickle(b'HTTP/1.1 200 OK\r\nX-Slow: ', limit=15), outcomes)]) as server:
        api = scripted_api(server, retry=None, timeout=patreon.Timeout(5, 5, total=0.5))
        tally('faults', 'single faults', 'faults injected (trickle)')
        monkeypatch.setattr(socket, 'getaddrinfo', slow_getaddrinfo)

        with pytest.raises(TotalTimeout):
            api.get_identity()

        monkeypatch.undo()
        assert len(server.requests) <= 1
        assert outcomes_of(server, outcomes) in ([], ['hung up'])


def test_a_body_that_stalls_past_the_read_timeout_is_a_read_timeout_not_retried():
    # requests reports it as a ConnectionError, which the retry policy would have retried max_retries times.
    stall = trickle(response_head(200, (('Content-Type', 'application/json'), ('Content-Length', '100'))) + b'{"da',
                    piece=b'')
    with ScriptedServer([stall]) as server:
        api = patreon.API('token', base_url=server.url, timeout=1, retry=patreon.RetryPolicy(max_retries=3))
        api.transport.sleep = lambda seconds: None
        with pytest.raises(requests.exceptions.ReadTimeout) as raised:
            api.get_identity()
    assert not isinstance(raised.value, requests.exceptions.ConnectionError)
    assert len(server.requests) == 1


def test_a_callers_session_that_streams_still_gets_whole_checked_bodies():
    body = json.dumps({'data': {'type': 'user', 'id': '1'}}).encode('ascii')
    session = requests.Session()
    session.stream = True  # the body would be read after the attempt, and the cut check would see 0 bytes
    with ScriptedServer([json_answer(200, body)]) as server:
        user = patreon.API('token', base_url=server.url, session=session, retry=None).get_identity().data()
    assert user.id() == '1'


def test_a_host_that_is_no_host_is_an_invalid_url_and_one_line_from_the_command_line(capsys):
    with pytest.raises(requests.exceptions.InvalidURL):
        patreon.API('token', base_url='http://a..b', retry=None).get_identity()
    code = main(['identity', '--base-url', 'http://a..b', '--token', 'tok-12345678'])
    err = capsys.readouterr().err
    # the command line refuses it where it is given, before anything is sent
    assert code == EXIT_USAGE and 'Traceback' not in err and len(err.strip().splitlines()) == 1
