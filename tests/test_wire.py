"""The client over real HTTP, against the local sandbox: keep-alive, retries, timeouts, OAuth, refresh, webhooks."""
import logging

import pytest
import requests
from six.moves.urllib.parse import parse_qs, urlsplit

import patreon
from patreon import webhooks
from patreon.exceptions import NotFound, OAuthError, RateLimited, Unauthorized
from patreon.oauth import check_state, make_state

from helpers import closed_port, refreshing_api, token_request_count


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=60, seed=3)


@pytest.fixture(autouse=True)
def clean_sandbox(sandbox):
    sandbox.clear_faults()
    yield
    sandbox.clear_faults()


def creator_api(sandbox, **kwargs):
    api = patreon.API(sandbox.creator_token, base_url=sandbox.url, **kwargs)
    api.transport.sleep = lambda seconds: None
    return api


def test_one_connection_serves_many_requests(sandbox, caplog):
    api = creator_api(sandbox)
    with caplog.at_level(logging.DEBUG, logger='urllib3.connectionpool'):
        for _ in range(5):
            assert api.get_identity().data().id() == sandbox.creator_user_id
    opened = [r for r in caplog.records if 'Starting new HTTP' in r.getMessage()]
    assert len(opened) == 1


def test_every_page_of_a_campaign_exactly_once(sandbox):
    api = creator_api(sandbox)
    members = list(api.paginate(api.get_campaigns_by_id_members, sandbox.campaign_id, page_size=7,
                                includes=['user'], fields={'member': ['full_name'], 'user': ['full_name']}))
    ids = [m.id() for m in members]
    total = api.get_campaigns_by_id_members(sandbox.campaign_id, 1).json_data['meta']['pagination']['total']
    assert len(ids) == len(set(ids)) == total == 60
    assert all(m.relationship('user').attribute('full_name') for m in members)


def test_a_429_is_waited_out_as_asked_then_retried(sandbox):
    api = creator_api(sandbox)
    waits = []
    api.transport.sleep = waits.append
    sandbox.inject_fault('identity', 'rate_limit', count=2, retry_after=3)
    assert api.get_identity().data().id() == sandbox.creator_user_id
    assert waits == [3.0, 3.0]


def test_a_429_longer_than_the_cap_gives_up_at_once(sandbox):
    api = creator_api(sandbox, raise_errors=True, retry=patreon.RetryPolicy(max_retry_wait=10))
    sandbox.inject_fault('identity', 'rate_limit', count=1, retry_after=120)
    with pytest.raises(RateLimited) as raised:
        api.get_identity()
    assert raised.value.retry_after == 120 and raised.value.status_code == 429
    assert raised.value.request_id


def test_5xx_with_html_bodies_are_retried(sandbox):
    api = creator_api(sandbox)
    sandbox.inject_fault('campaigns', 'server_error', count=3, status=502)
    assert api.get_campaigns(5).data()[0].id() == sandbox.campaign_id


def test_a_reset_connection_is_retried(sandbox):
    api = creator_api(sandbox)
    sandbox.inject_fault('identity', 'reset', count=1)
    assert api.get_identity().data().id() == sandbox.creator_user_id


def test_a_truncated_body_is_retried(sandbox):
    api = creator_api(sandbox)
    sandbox.inject_fault('identity', 'truncated', count=1)
    assert api.get_identity().data().id() == sandbox.creator_user_id


def test_a_slow_server_hits_the_timeout(sandbox):
    api = creator_api(sandbox, timeout=0.2)
    sandbox.inject_fault('identity', 'delay', count=1, seconds=1.5)
    with pytest.raises(requests.Timeout):
        api.get_identity()


def test_a_refused_connection_raises_after_retries():
    api = patreon.API('token', base_url='http://127.0.0.1:{}'.format(closed_port()),
                      retry=patreon.RetryPolicy(max_retries=2))
    waits = []
    api.transport.sleep = waits.append
    with pytest.raises(requests.ConnectionError):
        api.get_identity()
    assert len(waits) == 2


def test_writes_are_never_retried(sandbox):
    api = creator_api(sandbox)
    sandbox.inject_fault('webhooks', 'server_error', count=1, status=503)
    before = len(sandbox.requests)
    with pytest.raises(ValueError):  # the HTML body of the 503 is not JSON
        api.create_webhook(sandbox.campaign_id, 'http://127.0.0.1:9/hook', [webhooks.POSTS_PUBLISH])
    assert len(sandbox.requests) - before == 1


def test_oauth_login_journey(sandbox):
    oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url)
    state = make_state()
    url = oauth.get_authorization_url(sandbox.redirect_uri, scopes=['identity', 'identity.memberships'],
                                      state=state)
    answer = requests.get(url, allow_redirects=False)
    assert answer.status_code == 302
    location = urlsplit(answer.headers['Location'])
    query = parse_qs(location.query)
    assert answer.headers['Location'].startswith(sandbox.redirect_uri)
    assert check_state(state, query['state'][0])
    tokens = oauth.get_tokens(query['code'][0], sandbox.redirect_uri)
    assert tokens['token_type'] == 'Bearer' and tokens['expires_at'] > tokens['expires_in']
    api = patreon.API(tokens['access_token'], base_url=sandbox.url)
    user = api.get_identity(includes=['memberships']).data()
    assert user.id() == sandbox.patron_user_id and user.relationship('memberships')
    # A code is single use.
    assert oauth.get_tokens(query['code'][0], sandbox.redirect_uri) == {'error': 'invalid_grant'}
    with pytest.raises(OAuthError) as raised:
        patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url,
                      raise_errors=True).get_tokens(query['code'][0], sandbox.redirect_uri)
    assert raised.value.error == 'invalid_grant'


def test_refresh_rotates_and_the_old_refresh_token_stops_working(sandbox):
    oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url)
    first = sandbox.issue_tokens()
    second = oauth.refresh_token(first['refresh_token'])
    assert second['access_token'] != first['access_token'] and second['refresh_token'] != first['refresh_token']
    assert oauth.refresh_token(first['refresh_token']).get('error') == 'invalid_grant'


def test_an_expired_token_is_refreshed_once_and_the_request_retried(sandbox):
    api, tokens, stored = refreshing_api(sandbox)
    before = token_request_count(sandbox)
    assert api.get_identity().data().id() == sandbox.creator_user_id
    assert token_request_count(sandbox) - before == 1
    assert len(stored) == 1 and api.access_token == stored[0]['access_token'] != tokens['access_token']
    assert api.refresh_token == stored[0]['refresh_token'] != tokens['refresh_token']
    assert api.get_identity().data().id() == sandbox.creator_user_id
    assert len(stored) == 1


def test_a_failed_refresh_surfaces_the_401_and_never_loops(sandbox):
    api, tokens, stored = refreshing_api(sandbox, refresh_token='not-a-refresh-token', raise_errors=True)
    before = token_request_count(sandbox)
    for _ in range(3):
        with pytest.raises(Unauthorized):
            api.get_identity()
    assert token_request_count(sandbox) - before == 1 and stored == []


def test_without_refresh_a_401_is_the_errors_document(sandbox):
    api = patreon.API('unknown-token', base_url=sandbox.url)
    answer = api.get_identity()
    assert answer['errors'][0]['status'] == '401'
    with pytest.raises(Unauthorized) as raised:
        answer.data()
    assert str(raised.value).startswith('401 ')


def test_webhook_writes_and_a_signed_delivery(sandbox):
    api = creator_api(sandbox, raise_errors=True)
    hook = api.create_webhook(sandbox.campaign_id, 'http://127.0.0.1:9/hook', [webhooks.MEMBERS_PLEDGE_CREATE])
    created = hook.data()
    secret = created.attribute('secret')
    assert secret and created.attribute('paused') is False
    updated = api.update_webhook(created.id(), paused=True).data()
    assert updated.attribute('paused') is True
    listed = [w.id() for w in api.paginate(api.get_webhooks, page_size=10)]
    assert created.id() in listed
    sandbox.pledge(sandbox.tier_ids[1])
    assert not [d for d in sandbox.deliveries if d.webhook_id == created.id()]  # paused: queued
    assert api.delete_webhook(created.id()) is None
    with pytest.raises(NotFound):
        api.get_webhooks_by_id(created.id())


def test_posts_routes(sandbox):
    api = creator_api(sandbox, raise_errors=True)
    posts = list(api.paginate(api.get_campaigns_by_id_posts, sandbox.campaign_id, page_size=10,
                              fields={'post': ['title']}))
    assert posts and all(p.attribute('title') for p in posts)
    one = api.get_posts_by_id(posts[0].id(), includes=['campaign']).data()
    assert one.relationship('campaign').id() == sandbox.campaign_id


def test_a_refresh_answered_with_an_html_page_surfaces_the_401_and_may_be_tried_again(sandbox):
    api, tokens, stored = refreshing_api(sandbox)
    sandbox.inject_fault('token', 'server_error', count=1, status=503)
    answer = api.get_identity()
    assert answer['errors'][0]['status'] == '401' and stored == []
    # The page said nothing of the refresh token, so the next 401 refreshes for real.
    assert api.get_identity().data().id() == sandbox.creator_user_id
    assert len(stored) == 1
