"""The app's name in every request's User-Agent: ``user_agent=`` on API and OAuth, a session's own, and the CLI."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest
import requests
import responses

import patreon
from helpers import ACCESS_TOKEN, API_URL, CLIENT_ID, CLIENT_SECRET, TOKEN_URL, http_fixture  # noqa: F401
from patreon.cli import main
from patreon.exceptions import InvalidArgument
from patreon.sandbox import Sandbox
from patreon._credentials import check_user_agent
from patreon.utils import app_user_agent, user_agent_string

APP = 'MyCampaignName - Sync App'


@pytest.fixture(scope='module')
def sb():
    with Sandbox(members=3) as sandbox:
        yield sandbox


def last_user_agent(sandbox, path):
    return [record.headers.get('User-Agent') for record in sandbox.requests if record.path.endswith(path)][-1]


def test_the_apps_name_comes_first_then_the_packages():
    assert app_user_agent(APP) == '{} ({})'.format(APP, user_agent_string())
    assert app_user_agent(None) == user_agent_string()  # 0.5.1's header when the app names nothing
    assert user_agent_string().startswith('Patreon-Python, version 0.6.0, platform ')
    composed = app_user_agent(APP)
    assert app_user_agent(composed) == composed  # the package is never named twice


def test_a_session_user_agent_is_kept_and_requests_default_is_not():
    session = requests.Session()
    assert app_user_agent(None, session) == user_agent_string()  # python-requests/x.y is no app's name
    session.headers['User-Agent'] = APP
    assert app_user_agent(None, session) == '{} ({})'.format(APP, user_agent_string())
    assert app_user_agent('Other App', session).startswith('Other App (')  # the argument outranks the session


@pytest.mark.parametrize('value', ['', '   ', 'App\r\nX-Injected: 1', 'App\x00', 'Caf\u00e9 Sync', 'Tab\there', 7,
                                   b'\xff', ['App']])
def test_a_user_agent_that_cannot_be_sent_is_refused(value):
    with pytest.raises(InvalidArgument):
        check_user_agent(value)
    with pytest.raises(InvalidArgument):
        patreon.API(ACCESS_TOKEN, user_agent=value)
    with pytest.raises(InvalidArgument):
        patreon.OAuth(CLIENT_ID, CLIENT_SECRET, user_agent=value)


def test_user_agent_is_checked_and_stripped():
    assert check_user_agent(b' Lunar Sync ') == 'Lunar Sync' and check_user_agent(None) is None
    assert check_user_agent('Lunar Sync\n') == 'Lunar Sync'  # read from a file: the line's end is no part of it


def test_api_and_oauth_send_the_apps_name(http):
    http.add(responses.GET, API_URL + 'identity', json={'data': {'type': 'user', 'id': '1'}})
    http.add(responses.POST, TOKEN_URL, json={'access_token': 'at_new_0123456789', 'refresh_token': 'rt_0123456'})
    patreon.API(ACCESS_TOKEN, user_agent=APP).get_identity()
    patreon.OAuth(CLIENT_ID, CLIENT_SECRET, user_agent=APP).refresh_token('rt_old_0123456789')
    expected = '{} ({})'.format(APP, user_agent_string())
    assert [call.request.headers['User-Agent'] for call in http.calls] == [expected, expected]


def test_a_session_the_app_passes_in_keeps_its_user_agent(sb):
    session = requests.Session()
    session.headers['User-Agent'] = APP
    api = patreon.API(sb.creator_token, base_url=sb.url, session=session, raise_errors=True)
    api.get_identity()
    oauth = patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url, session=session)
    oauth.refresh_token(sb.issue_tokens()['refresh_token'])
    expected = '{} ({})'.format(APP, user_agent_string())
    assert last_user_agent(sb, '/identity') == expected and last_user_agent(sb, '/token') == expected
    session.close()


def test_without_a_name_the_package_alone_is_sent(sb):
    patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True).get_identity()
    assert last_user_agent(sb, '/identity') == user_agent_string()


@pytest.mark.parametrize('args,environ,expected', [
    (['--user-agent', APP], {}, APP),
    ([], {'PATREON_USER_AGENT': APP}, APP),
    (['--user-agent', 'From Option'], {'PATREON_USER_AGENT': APP}, 'From Option'),
    ([], {'PATREON_USER_AGENT': ''}, None),  # an empty variable is an unset one
])
def test_the_command_line_sends_the_apps_name(sb, capsys, args, environ, expected):
    environ = dict(environ, PATREON_ACCESS_TOKEN=sb.creator_token)
    assert main(['--base-url', sb.url] + args + ['identity', '--fields', 'full_name'], environ=environ) == 0
    capsys.readouterr()
    sent = last_user_agent(sb, '/identity')
    assert sent == (user_agent_string() if expected is None else '{} ({})'.format(expected, user_agent_string()))


def test_the_command_line_refuses_a_user_agent_that_cannot_be_sent(sb, capsys):
    code = main(['--base-url', sb.url, 'identity', '--user-agent', ' '],
                environ={'PATREON_ACCESS_TOKEN': 'at_0123456789'})
    err = capsys.readouterr()[1]
    assert code == 2 and '--user-agent' in err
