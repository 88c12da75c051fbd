"""The policy objects: Timeout, RetryPolicy, Limits, RefreshPolicy."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pickle

import pytest

import patreon
from helpers import ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET
from patreon.exceptions import InvalidArgument
from patreon.pacing import Pacer, RequestBudget

SECRET_CALLBACK_WORD = 'cb-secret-9f3k'


def secret_callback(tokens):
    return SECRET_CALLBACK_WORD


def every_policy():
    return [patreon.Timeout(5, 30, total=60), patreon.RetryPolicy(max_retries=5, max_retry_wait=30),
            patreon.Limits(rate=(50, 2.0), token_rate=None, max_4xx_per_10_minutes=500),
            patreon.RefreshPolicy(patreon.OAuth(CLIENT_ID, CLIENT_SECRET), on_token_refresh=secret_callback, margin=0)]


def test_defaults_are_patreons_limits_and_the_documented_bounds():
    api = patreon.API(ACCESS_TOKEN)
    assert api.transport.timeout == patreon.Timeout(connect=30.0, read=30.0, total=120.0)
    assert api.transport.retry == patreon.RetryPolicy(max_retries=3, max_retry_wait=60.0)
    assert api.limits == patreon.Limits(rate=(100, 2.0), token_rate='auto', max_4xx_per_10_minutes=1500)
    assert api.oauth_client is None and api.refresh_token is None


def test_the_repr_names_every_setting_and_no_secret():
    reprs = [repr(policy) for policy in every_policy()]
    assert reprs[0] == 'patreon.Timeout(connect=5, read=30, total=60)'
    assert reprs[1] == 'patreon.RetryPolicy(max_retries=5, max_retry_wait=30, backoff_factor=0.5, backoff_max=20.0)'
    assert reprs[2] == 'patreon.Limits(rate=(50, 2.0), token_rate=None, max_4xx_per_10_minutes=500)'
    assert reprs[3] == 'patreon.RefreshPolicy(oauth_client=<OAuth>, on_token_refresh=<function>, margin=0)'
    assert not any(CLIENT_SECRET in text or SECRET_CALLBACK_WORD in text for text in reprs)


@pytest.mark.parametrize('index', range(4))
def test_a_policy_cannot_change_and_replace_makes_a_checked_copy(index):
    policy = every_policy()[index]
    name = policy._fields[-1]
    with pytest.raises(AttributeError):
        setattr(policy, name, 1)
    with pytest.raises(AttributeError):
        delattr(policy, name)
    with pytest.raises(InvalidArgument):
        policy.replace(**{name: -1})
    assert policy.replace() == policy and hash(policy.replace()) == hash(policy)


@pytest.mark.parametrize('index', range(3))
def test_a_policy_of_settings_pickles_to_an_equal_one(index):
    policy = every_policy()[index]
    assert pickle.loads(pickle.dumps(policy, 2)) == policy


def test_a_refresh_policy_is_never_pickled_with_its_client_secret():
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        with pytest.raises(TypeError) as raised:
            pickle.dumps(every_policy()[3], protocol)
        assert 'client secret' in str(raised.value) and CLIENT_SECRET not in str(raised.value)


@pytest.mark.parametrize('make', [
    lambda: patreon.Timeout(connect=0),
    lambda: patreon.Timeout(read=float('nan')),
    lambda: patreon.Timeout(total='60'),
    lambda: patreon.RetryPolicy(max_retries=-1),
    lambda: patreon.RetryPolicy(max_retry_wait=None),
    lambda: patreon.Limits(rate=(0, 2.0)),
    lambda: patreon.Limits(rate=100),
    lambda: patreon.Limits(token_rate=(100, 0)),
    lambda: patreon.Limits(max_4xx_per_10_minutes=0),
    lambda: patreon.Limits(max_4xx_per_10_minutes=True),
    lambda: patreon.RefreshPolicy(None),
    lambda: patreon.RefreshPolicy(object()),
    lambda: patreon.RefreshPolicy(patreon.OAuth(CLIENT_ID, CLIENT_SECRET), on_token_refresh='save'),
    lambda: patreon.RefreshPolicy(patreon.OAuth(CLIENT_ID, CLIENT_SECRET), margin=-1),
    lambda: patreon.API(ACCESS_TOKEN, retry='3'),
    lambda: patreon.API(ACCESS_TOKEN, timeout=[5, 30]),
    lambda: patreon.API(ACCESS_TOKEN, limits=(100, 2.0)),
    lambda: patreon.API(ACCESS_TOKEN, refresh=patreon.OAuth(CLIENT_ID, CLIENT_SECRET)),
    lambda: patreon.OAuth(CLIENT_ID, CLIENT_SECRET, limits=1500),
])
def test_a_setting_of_the_wrong_kind_is_refused_when_made(make):
    with pytest.raises(InvalidArgument) as raised:
        make()
    assert isinstance(raised.value, ValueError)


def test_one_policy_configures_many_clients():
    timeout, retry, limits = patreon.Timeout(total=10), patreon.RetryPolicy(max_retries=1), patreon.Limits(rate=None)
    refresh = patreon.RefreshPolicy(patreon.OAuth(CLIENT_ID, CLIENT_SECRET))
    clients = [patreon.API('token-{}'.format(n), timeout=timeout, retry=retry, limits=limits, refresh=refresh,
                           refresh_token='refresh-{}'.format(n)) for n in range(2)]
    assert all(api.transport.timeout is timeout and api.transport.retry is retry and api.limits is limits
               and api.oauth_client is refresh.oauth_client for api in clients)
    assert [api.refresh_token for api in clients] == ['refresh-0', 'refresh-1']
    oauth = patreon.OAuth(CLIENT_ID, CLIENT_SECRET, timeout=timeout, limits=patreon.Limits(max_4xx_per_10_minutes=7))
    assert oauth.transport.timeout is timeout and oauth.transport.budget.limit == 7


def test_the_shorthands_of_retry_and_timeout():
    assert patreon.API(ACCESS_TOKEN, retry=None).transport.retry.max_retries == 0
    assert patreon.API(ACCESS_TOKEN, retry=5).transport.retry == patreon.RetryPolicy(max_retries=5)
    assert patreon.API(ACCESS_TOKEN, timeout=10).transport.timeout == patreon.Timeout(10, 10, 120.0)
    assert patreon.API(ACCESS_TOKEN, timeout=(3, 7)).transport.timeout == patreon.Timeout(3, 7, 120.0)


def test_limits_none_turns_off_pacing_and_the_budget():
    api = patreon.API(ACCESS_TOKEN, limits=None)
    assert api.transport.pacer is None and api.transport.budget is None
    pacer, budget = Pacer(10, 1.0), RequestBudget(3)
    shared = patreon.API(ACCESS_TOKEN, limits=patreon.Limits(rate=pacer, max_4xx_per_10_minutes=budget))
    assert shared.transport.pacer is pacer and shared.transport.budget is budget


@pytest.mark.parametrize('make', [
    lambda: patreon.API(ACCESS_TOKEN, max_retrys=0),
    # The keywords of the unpublished development versions are policy objects now (CHANGELOG says which).
    lambda: patreon.API(ACCESS_TOKEN, max_retries=0),
    lambda: patreon.API(ACCESS_TOKEN, oauth_client=patreon.OAuth(CLIENT_ID, CLIENT_SECRET)),
    lambda: patreon.OAuth(CLIENT_ID, CLIENT_SECRET, max_retries=0),  # token requests never had retries
])
def test_an_unknown_keyword_is_a_type_error_as_python_makes_it(make):
    with pytest.raises(TypeError) as raised:
        make()
    assert 'unexpected keyword argument' in str(raised.value)
