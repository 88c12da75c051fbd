"""Caching layers: an answer a cache serves whole is whole; a body cut on the wire is still an error.

A Flask site calls ``requests_cache.install_cache()`` at start-up; others pass ``session=CachedSession()`` or a
CacheControl session. A cached answer's raw stream has read nothing (``tell()`` is 0), which the check for cut
bodies must not take for a cut body; a body cut on the wire (and stored so by a cache, as urllib3 1.26 lets it
through) must still be refused, on the first call and on the next. With the real packages: requests-cache and
CacheControl have releases for every interpreter the package supports, so they are imported, never skipped.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
from email.utils import formatdate

import pytest
import requests
import requests_cache
from cachecontrol import CacheControl

import patreon
from patreon.sandbox import Sandbox

from helpers import ACCESS_TOKEN
from loopback import ScriptedServer, answer, cut, gzipped

DOCUMENT = {'data': {'type': 'user', 'id': '42', 'attributes': {'full_name': 'Ann'}}}
BODY = json.dumps(DOCUMENT).encode('utf-8')
FOR_A_WHILE = ('Cache-Control', 'max-age=300')  # CacheControl stores only what the answer allows it to


def dated():
    return ('Date', formatdate(usegmt=True))  # CacheControl reckons max-age from it


def cached_session():
    return requests_cache.CachedSession(backend='memory')


def cache_control_session():
    return CacheControl(requests.Session())


SESSIONS = [cached_session, cache_control_session]


@pytest.fixture(scope='module')
def sandbox():
    with Sandbox(members=6, seed=20) as sb:
        yield sb


def member_ids(page):
    return [member.id() for member in page.data()]


def test_a_cache_installed_at_start_up_serves_the_second_visit_whole(sandbox):
    requests_cache.install_cache(backend='memory')
    try:
        api = patreon.API(sandbox.creator_token, base_url=sandbox.url)
        first = api.get_campaigns_by_id_members(sandbox.campaign_id, 4)
        sent = len(sandbox.requests)
        second = api.get_campaigns_by_id_members(sandbox.campaign_id, 4)
        third = api.get_campaigns_by_id_members(sandbox.campaign_id, 4)
    finally:
        requests_cache.uninstall_cache()

    assert len(sandbox.requests) == sent  # the second and third visits were served by the cache
    assert member_ids(first) == member_ids(second) == member_ids(third)
    assert len(member_ids(first)) == 4
    assert second.json_data == first.json_data


def test_a_cached_session_passed_as_session_serves_the_second_call_whole(sandbox):
    api = patreon.API(sandbox.creator_token, base_url=sandbox.url, session=cached_session())
    first = api.get_campaigns_by_id(sandbox.campaign_id, fields={'campaign': ['patron_count']})
    sent = len(sandbox.requests)
    second = api.get_campaigns_by_id(sandbox.campaign_id, fields={'campaign': ['patron_count']})

    assert len(sandbox.requests) == sent
    assert second.json_data == first.json_data
    assert second.data().attribute('patron_count') == first.data().attribute('patron_count')


@pytest.mark.parametrize('encoding', ['identity', 'gzip'])
@pytest.mark.parametrize('make_session', SESSIONS, ids=lambda make: make.__name__)
def test_an_answer_served_from_a_cache_is_whole_plain_or_compressed(make_session, encoding):
    body = gzipped(BODY) if encoding == 'gzip' else BODY
    headers = [('Content-Type', 'application/json'), ('Content-Length', str(len(body))), FOR_A_WHILE, dated()]
    if encoding == 'gzip':
        headers.append(('Content-Encoding', 'gzip'))
    with ScriptedServer([answer(200, body, *headers)]) as server:
        api = patreon.API(ACCESS_TOKEN, base_url=server.url, session=make_session(), retry=None)
        answers = [api.get_identity() for _ in range(3)]

    assert len(server.requests) == 1  # one from the server, two from the cache
    assert [page.json_data for page in answers] == [DOCUMENT] * 3


@pytest.mark.parametrize('make_session', SESSIONS, ids=lambda make: make.__name__)
def test_a_body_cut_on_the_wire_is_still_refused_through_a_cache_now_and_on_the_next_call(make_session):
    # urllib3 2 refuses the short body itself; urllib3 1.26 lets it through, and a cache may then store it.
    with ScriptedServer([cut(200, BODY, 12, FOR_A_WHILE, dated())]) as server:
        api = patreon.API(ACCESS_TOKEN, base_url=server.url, session=make_session(), retry=None)
        for _ in range(2):
            with pytest.raises(requests.exceptions.ChunkedEncodingError):
                api.get_identity()
