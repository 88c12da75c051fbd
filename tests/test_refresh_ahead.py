"""Refresh before the call: a token near its ``expires_at`` is refreshed once, for every thread, before it is sent;
a refresh that fails there leaves the call to the old token and the 401 path.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import threading
import time

import pytest

import patreon
from patreon.exceptions import InvalidArgument
from patreon.tokens import MemoryTokenStore

from helpers import token_request_count

HOUR = 3600
DAY = 24 * HOUR


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=3, seed=15)


def client(sb, tokens, **kwargs):
    stored = []
    refresh = patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url),
                                    on_token_refresh=kwargs.pop('on_token_refresh', stored.append),
                                    margin=kwargs.pop('refresh_margin', patreon._refresh.DEFAULT_REFRESH_MARGIN))
    api = patreon.API(tokens['access_token'], base_url=sb.url, raise_errors=True, refresh=refresh,
                      refresh_token=tokens['refresh_token'], **kwargs)
    return api, stored


def tokens_sent(sb):
    return [record.headers.get('Authorization', '').split(' ', 1)[-1] for record in sb.requests
            if record.path.startswith('/api/oauth2/v2/')]


def test_a_token_near_its_expiry_is_refreshed_once_before_the_call(sb):
    tokens = sb.issue_tokens()
    api, stored = client(sb, tokens, expires_at=time.time() + 3 * DAY)
    sb.clear_log()

    assert api.get_identity().data().id() == sb.creator_user_id
    api.get_identity()

    assert token_request_count(sb) == 1
    assert len(stored) == 1 and api.access_token == stored[0]['access_token'] != tokens['access_token']
    assert tokens_sent(sb) == [api.access_token] * 2  # the old token was never sent
    assert api.expires_at == stored[0]['expires_at'] > time.time() + 20 * DAY


def test_8_threads_calling_with_a_token_near_its_expiry_cause_one_refresh(sb):
    tokens = sb.issue_tokens()
    api, stored = client(sb, tokens, expires_at=time.time() + HOUR)
    sb.clear_log()
    barrier, errors = threading.Barrier(8) if hasattr(threading, 'Barrier') else None, []

    def work():
        try:
            if barrier is not None:
                barrier.wait(30)
            api.get_identity()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert token_request_count(sb) == 1 and len(stored) == 1
    assert set(tokens_sent(sb)) == set([stored[0]['access_token']])


def test_a_token_far_from_its_expiry_or_of_unknown_expiry_is_not_refreshed(sb):
    for expires_at in (time.time() + 20 * DAY, None):
        api, stored = client(sb, sb.issue_tokens(), expires_at=expires_at)
        sb.clear_log()
        api.get_identity()
        assert token_request_count(sb) == 0 and stored == []


def test_a_zero_margin_leaves_refreshing_to_the_401(sb):
    api, stored = client(sb, sb.issue_tokens(), expires_at=time.time() + HOUR, refresh_margin=0)
    sb.clear_log()
    api.get_identity()
    assert token_request_count(sb) == 0


def test_a_refused_refresh_before_the_call_lets_the_call_go_with_the_old_token_and_is_not_asked_again(sb):
    tokens = sb.issue_tokens()
    api, stored = client(sb, dict(tokens, refresh_token='rt_not_from_this_sandbox'), expires_at=time.time() + HOUR)
    sb.clear_log()

    for _ in range(3):
        assert api.get_identity().data().id() == sb.creator_user_id

    assert token_request_count(sb) == 1
    assert stored == [] and tokens_sent(sb) == [tokens['access_token']] * 3


def test_a_token_endpoint_down_before_the_call_is_not_asked_again_at_every_call_but_later_is(sb):
    tokens = sb.issue_tokens()
    api, stored = client(sb, tokens, expires_at=time.time() + HOUR)
    now = [time.time()]
    api._tokens.clock = lambda: now[0]
    sb.clear_log()
    sb.inject_fault('token', 'server_error', count=1, status=503)

    for _ in range(3):
        api.get_identity()  # the old token still works
    assert token_request_count(sb) == 1 and stored == []

    now[0] += 61  # a minute later, the next call tries again
    api.get_identity()
    assert token_request_count(sb) == 2 and len(stored) == 1
    sb.clear_faults()


def test_a_store_near_its_expiry_is_refreshed_once_and_saved(sb):
    tokens = sb.issue_tokens()
    store = MemoryTokenStore(dict(tokens, expires_at=int(time.time()) + HOUR))
    api = patreon.API(None, base_url=sb.url, raise_errors=True, token_store=store,
                      refresh=patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)))
    other = patreon.API(None, base_url=sb.url, raise_errors=True, token_store=store,
                        refresh=patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)))
    sb.clear_log()

    api.get_identity()
    other.get_identity()  # reloads the store under its lock: the tokens api saved are fresh, no refresh

    assert token_request_count(sb) == 1
    assert store.load()['access_token'] == api.access_token == other.access_token != tokens['access_token']


def test_a_short_lived_token_is_not_refreshed_on_every_call(sb):
    # A margin longer than the tokens live: each refreshed token would be "near its expiry" at once.
    tokens = sb.issue_tokens(expires_in=2 * DAY)
    api, stored = client(sb, tokens, expires_at=time.time() + DAY)
    sb.clear_log()
    for _ in range(3):
        api.get_identity()
    assert token_request_count(sb) == 1


@pytest.mark.parametrize('name, value', [('expires_at', 'tomorrow'), ('expires_at', True),
                                         ('expires_at', float('nan')), ('refresh_margin', -1),
                                         ('refresh_margin', None), ('refresh_margin', 400 * DAY)])
def test_an_expiry_setting_that_cannot_work_is_refused(name, value):
    with pytest.raises(InvalidArgument):
        if name == 'refresh_margin':
            patreon.API('at_1', refresh=patreon.RefreshPolicy(patreon.OAuth('id', 'secret'), margin=value))
        else:
            patreon.API('at_1', **{name: value})
