# -*- coding: utf-8 -*-
"""``patreon sandbox`` with an app's redirect URIs, a login page and a control key, and ``patreon sandbox-control``
driving a running sandbox: every action over real HTTP against a Sandbox on 127.0.0.1, every failure one line."""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading

import pytest
import requests
import six

import patreon
from patreon.cli import (EXIT_FAILURE, EXIT_FORBIDDEN, EXIT_NETWORK, EXIT_NOT_FOUND, EXIT_OK, EXIT_SERVER,
                         EXIT_USAGE, _context, _sandbox_command, _sandbox_control_command, main)
from patreon._sandbox_actions import ACTIONS
from patreon.sandbox import SandboxControl, SandboxControlError, _control
from patreon.sandbox._events import PLEDGE_KINDS

from canned import CannedServer

APP_CALLBACK = 'http://localhost:5000/oauth/redirect'
KEY = 'cli-test-control-key-0123456789'
JSON = {str('Content-Type'): str('application/json')}


def run(capsys, args, environ=None):
    code = main(list(args), environ={} if environ is None else environ)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err, code, expected_code, *fragments):
    assert code == expected_code, err
    assert err.startswith('patreon: error: ') and err.count('\n') == 1 and err.endswith('\n'), err
    assert 'Traceback' not in err
    for fragment in fragments:
        assert fragment in err, err


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=200, seed=13, redirect_uris=[APP_CALLBACK], control_key=KEY)


@pytest.fixture
def environ(sb):
    sb.clear_faults()
    yield {'PATREON_SANDBOX_URL': sb.url, 'PATREON_SANDBOX_KEY': KEY}
    sb.clear_faults()
    sb.log_in_as(sb.patron_user_id)


def drive(capsys, environ, *args):
    return run(capsys, ['sandbox-control'] + list(args), environ)


def serve(capsys, monkeypatch, args, during, environ=None):
    """Run ``patreon sandbox ARGS``; ``during(banner)`` runs while it serves; returns (status, banner, stderr)."""
    seen = {}

    def use_then_interrupt():
        seen['banner'] = capsys.readouterr()[0]
        during(seen['banner'])
        raise KeyboardInterrupt

    monkeypatch.setattr(_sandbox_command, 'wait_for_interrupt', use_then_interrupt)
    code, _, err = run(capsys, ['sandbox', '--members', '60', '--seed', '4'] + list(args), environ)
    return code, seen.get('banner'), err


def banner_value(banner, label):
    return re.search(r'{}:?\s+(\S+)'.format(label), banner).group(1)


def exported(banner):
    return dict(re.findall(r'export (PATREON_SANDBOX_\w+)=(\S+)', banner))


def authorize(banner, redirect_uri):
    oauth = patreon.OAuth(banner_value(banner, 'OAuth client id'), banner_value(banner, 'OAuth client secret'),
                          base_url=banner_value(banner, 'listening on'))
    url = oauth.get_authorization_url(redirect_uri, scopes=['identity'], state='s1')
    return requests.get(url, allow_redirects=False, timeout=10)


# --- patreon sandbox: redirect URIs, login page, control key, banner -----------------------------------------------


def test_the_apps_redirect_uris_in_both_loopback_forms_are_accepted_and_printed(capsys, monkeypatch):
    other = 'http://127.0.0.1:5001/login/done'
    answers = {}

    def during(banner):
        for uri in (APP_CALLBACK, 'http://127.0.0.1:5000/oauth/redirect', other, 'http://localhost:5001/login/done',
                    'http://localhost:5000/elsewhere'):
            answers[uri] = authorize(banner, uri)

    code, banner, err = serve(capsys, monkeypatch, ['--redirect-uri', APP_CALLBACK, '--redirect-uri', other], during)
    assert (code, err) == (EXIT_OK, 'sandbox stopped\n')
    for uri in (APP_CALLBACK, 'http://127.0.0.1:5000/oauth/redirect', other, 'http://localhost:5001/login/done'):
        assert answers[uri].status_code == 302 and answers[uri].headers['Location'].startswith(uri + '?')
        assert re.search(r'^ {2}OAuth redirect URI: {2}' + re.escape(uri) + '$|^ {23}' + re.escape(uri) + '$',
                         banner, re.M), uri
    assert answers['http://localhost:5000/elsewhere'].status_code == 400  # only those given
    assert 'http://localhost:8000/oauth/redirect' not in banner  # the default is replaced, not added to


def test_without_redirect_uri_the_default_one_is_printed_in_both_forms(capsys, monkeypatch):
    code, banner, _ = serve(capsys, monkeypatch, [], lambda banner: None)
    assert code == EXIT_OK
    assert 'OAuth redirect URI:  http://localhost:8000/oauth/redirect\n' in banner
    assert ' ' * 23 + 'http://127.0.0.1:8000/oauth/redirect\n' in banner


def test_the_login_page_lists_the_users_to_log_in_as(capsys, monkeypatch):
    pages = []
    code, banner, _ = serve(capsys, monkeypatch, ['--redirect-uri', APP_CALLBACK, '--login-page'],
                            lambda banner: pages.append(authorize(banner, APP_CALLBACK)))
    assert code == EXIT_OK and pages[0].status_code == 200
    for role in ('creator', 'patron of Producer', 'former patron', 'non-patron'):
        assert role in pages[0].text
    code, _, _ = serve(capsys, monkeypatch, ['--redirect-uri', APP_CALLBACK],
                       lambda banner: pages.append(authorize(banner, APP_CALLBACK)))
    assert pages[1].status_code == 302  # without it, the authorize step approves at once


def test_the_banner_says_how_to_drive_the_sandbox_and_who_to_log_in_as(capsys, monkeypatch):
    answers = {}

    def during(banner):
        variables = exported(banner)
        answers['users'] = SandboxControl(variables['PATREON_SANDBOX_URL'], variables['PATREON_SANDBOX_KEY']).users()

    code, banner, _ = serve(capsys, monkeypatch, [], during)
    assert code == EXIT_OK
    assert 'control endpoint:    http://127.0.0.1:' in banner and 'X-Sandbox-Control-Key' in banner
    for user in answers['users']:
        assert re.search(r'^  {} +{}  '.format(re.escape(user['role']), user['user_id']), banner, re.M)
    assert banner.index('Users to log in as') < banner.index('Try:') < banner.index('Press Ctrl-C to stop.')
    assert banner.rstrip('\n').endswith('Press Ctrl-C to stop.')  # a reader waiting for it has everything
    for title, dollars in (('Free', '$0.00'), ('Supporter', '$3.00'), ('Executive Producer', '$50.00')):
        assert re.search(r'^ +(tiers: +)?\d+ +{}/month  {}$'.format(re.escape(dollars), title), banner, re.M)


def test_sandbox_banner_lists_every_redirect_uri_and_the_control_lines(sb):
    banner = '\n'.join(_sandbox_command.sandbox_banner(sb))
    for uri in sb.client.redirect_uris:
        assert uri in banner
    for line in _control.control_lines(sb):
        assert line in banner


@pytest.mark.parametrize('source', ['option', 'environment'])
def test_the_control_key_is_taken_from_the_option_else_the_environment(capsys, monkeypatch, source):
    answers = {}

    def during(banner):
        url = exported(banner)['PATREON_SANDBOX_URL']
        answers['overview'] = SandboxControl(url, KEY).overview()
        answers['refusal'] = pytest.raises(SandboxControlError, SandboxControl(url, KEY + 'x').users).value

    if source == 'option':
        args, environ = ['--control-key', KEY], {'PATREON_SANDBOX_KEY': 'another-key-in-the-environment'}
    else:
        args, environ = [], {'PATREON_SANDBOX_KEY': KEY}
    code, banner, _ = serve(capsys, monkeypatch, args, during, environ)
    assert code == EXIT_OK and exported(banner)['PATREON_SANDBOX_KEY'] == KEY  # printed on purpose
    assert answers['overview']['campaign_id'] and answers['refusal'].status == 403


def test_without_a_control_key_a_random_one_is_made(capsys, monkeypatch):
    keys = []
    for _ in range(2):
        code, banner, _ = serve(capsys, monkeypatch, [], lambda banner: None)
        keys.append(exported(banner)['PATREON_SANDBOX_KEY'])
    assert code == EXIT_OK and keys[0] != keys[1] and len(keys[0]) >= 32


@pytest.mark.parametrize('uri, fragment', [
    ('http://localhost:5000/cb#top', 'fragment'),
    ('ftp://localhost/cb', 'not an http'),
    ('/oauth/callback', 'not an http'),
    ('http://localhost:99999/cb', 'no valid host and port'),
    ('http://[::1/cb', 'no valid host and port'),
    ('http://local host/cb', 'not an http'),
    ('http://localhost/c\x1b[2Jb', '\\x1b[2J'),
    ('http://user:hunter2-password@localhost/cb', 'user or password'),
])
def test_a_bad_redirect_uri_is_a_usage_error(capsys, uri, fragment):
    code, out, err = run(capsys, ['sandbox', '--redirect-uri', 'http://localhost:5000/ok', '--redirect-uri', uri])
    assert_one_line_error(err, code, EXIT_USAGE, '--redirect-uri', fragment)
    assert out == '' and 'hunter2' not in err and '\x1b' not in err


@pytest.mark.parametrize('key, fragment', [('short', 'at least 8'), ('key with\nnewline-0123', 'control character'),
                                           ('cl\u00e9-de-contr\u00f4le-0123', 'outside printable ASCII'),
                                           ('   ', 'empty')])
@pytest.mark.parametrize('where', ['option', 'environment'])
def test_a_control_key_that_cannot_be_used_is_a_usage_error_that_does_not_show_it(capsys, key, fragment, where):
    if where == 'option':
        code, out, err = run(capsys, ['sandbox', '--members', '3', '--control-key=' + key])
        if not key.strip():
            fragment = 'empty'
    else:
        code, out, err = run(capsys, ['sandbox', '--members', '3'], {'PATREON_SANDBOX_KEY': key})
    if where == 'environment' and not key.strip():
        # a blank variable is no key at all: the sandbox would start with a random one; here it cannot listen
        return
    assert_one_line_error(err, code, EXIT_USAGE, fragment)
    assert out == '' and (len(key.strip()) < 4 or key.strip() not in err)
    if where == 'environment':
        assert '$PATREON_SANDBOX_KEY' in err


# --- patreon sandbox-control: every action ------------------------------------------------------------------------


def test_users_lists_who_to_log_in_as(capsys, sb, environ):
    code, out, err = drive(capsys, environ, 'users')
    assert (code, err) == (EXIT_OK, '')
    users = sb.login_users()
    assert out.splitlines() == _control.login_lines(users)
    assert [user['role'] for user in users][:2] == ['creator', 'free member']
    # Each line names the user's tier, which a manual test of a tier gate picks by.
    for user, line in zip(users, out.splitlines()):
        assert line.endswith('tier {} ({})'.format(user['tier_id'], user['tier_title']) if user.get('tier_title')
                             else user['full_name']), line


def test_overview_lists_the_campaign_tiers_and_redirect_uris(capsys, sb, environ):
    code, out, _ = drive(capsys, environ, 'overview')
    assert code == EXIT_OK
    assert 'campaign id:     {}\n'.format(sb.campaign_id) in out
    for uri in sb.client.redirect_uris:
        assert 'redirect URI:    {}\n'.format(uri) in out
    for tier_id in sb.tier_ids:
        tier = sb.world.tiers[tier_id]
        assert 'tier {}  {} cents  {}\n'.format(tier.id, tier.amount_cents, tier.title) in out


def test_log_in_as_picks_who_approves_the_next_login(capsys, sb, environ):
    former = [user for user in sb.login_users() if user['role'] == 'former patron'][0]['user_id']
    code, out, _ = drive(capsys, environ, 'log-in-as', former)
    assert code == EXIT_OK and former in out
    assert sb.logins.user_id == former
    code, _, err = drive(capsys, environ, 'log-in-as', '999999999')
    assert_one_line_error(err, code, EXIT_FAILURE, 'the sandbox refused', "'999999999'", 'HTTP 400')
    assert sb.logins.user_id == former


@pytest.mark.parametrize('kind', PLEDGE_KINDS)
def test_pledge_prints_the_new_members_id(capsys, sb, environ, kind):
    tier_id = sb.tier_ids[3]
    code, out, err = drive(capsys, environ, 'pledge', tier_id, '--kind', kind)
    assert (code, err) == (EXIT_OK, '')
    member = sb.world.members[out.strip()]
    assert out.count('\n') == 1 and member.tier_id == tier_id and member.patron_status == 'active_patron'
    assert (member.cadence == 12) == (kind == 'annual') and member.is_gifted == (kind == 'gift')
    assert member.is_free_trial == (kind == 'free_trial')


def test_pledge_update_and_cancel(capsys, sb, environ):
    visitor = [user for user in sb.login_users() if user['role'] == 'non-patron'][0]['user_id']
    code, out, _ = drive(capsys, environ, 'pledge', sb.tier_ids[1], '--user', visitor)
    member_id = out.strip()
    assert code == EXIT_OK and sb.world.members[member_id].user_id == visitor
    code, out, _ = drive(capsys, environ, 'update-pledge', member_id, sb.tier_ids[4])
    assert code == EXIT_OK and sb.world.members[member_id].tier_id == sb.tier_ids[4] and member_id in out
    code, out, _ = drive(capsys, environ, 'cancel-pledge', member_id)
    member = sb.world.members[member_id]
    assert code == EXIT_OK and (member.patron_status, member.entitled) == ('former_patron', True)
    code, _, err = drive(capsys, environ, 'cancel-pledge', member_id)  # a former patron cancels nothing
    assert_one_line_error(err, code, EXIT_FAILURE, 'the sandbox refused')
    code, out, _ = drive(capsys, environ, 'end-period', member_id)
    member = sb.world.members[member_id]
    assert code == EXIT_OK and member_id in out and (member.patron_status, member.entitled) == ('former_patron', False)
    code, _, err = drive(capsys, environ, 'end-period', member_id)  # nothing entitled is left to end
    assert_one_line_error(err, code, EXIT_FAILURE, 'the sandbox refused', 'no period to end')
    code, _, err = drive(capsys, environ, 'pledge', 'no-such-tier')
    assert_one_line_error(err, code, EXIT_FAILURE, 'the sandbox refused', 'no-such-tier')


def test_publish_post(capsys, sb, environ):
    code, out, _ = drive(capsys, environ, 'publish-post', 'Studio notes \u00e9t\u00e9', '--private', '--tier',
                         sb.tier_ids[3], '--tier', sb.tier_ids[4], '--content', '<p>Hi</p>')
    post = sb.world.posts[out.strip()]
    assert code == EXIT_OK and post.title == 'Studio notes \u00e9t\u00e9' and post.content == '<p>Hi</p>'
    assert post.is_public is False and list(post.tier_ids) == [sb.tier_ids[3], sb.tier_ids[4]]
    code, out, _ = drive(capsys, environ, 'publish-post', 'Open letter')
    assert code == EXIT_OK and sb.world.posts[out.strip()].is_public is True


def test_expire_tokens_prints_how_many_and_the_tokens_answer_401(capsys, sb, environ):
    tokens = sb.issue_tokens(sb.patron_user_id)
    code, out, _ = drive(capsys, environ, 'expire-tokens', '--user', sb.patron_user_id)
    assert code == EXIT_OK and int(out) >= 1
    answer = requests.get(sb.url + '/api/oauth2/v2/identity', timeout=10,
                          headers={'Authorization': 'Bearer ' + tokens['access_token']})
    assert answer.status_code == 401
    code, out, _ = drive(capsys, environ, 'expire-tokens')
    assert code == EXIT_OK and re.match(r'^\d+\n$', out)


def test_fault_and_clear_faults(capsys, sb, environ):
    api = patreon.API(sb.issue_tokens(sb.creator_user_id)['access_token'], base_url=sb.url, retry=None)
    code, out, _ = drive(capsys, environ, 'fault', 'identity', 'json_server_error', '--count', '2',
                         '--option', 'status=503')
    assert code == EXIT_OK and out == 'json_server_error armed on identity for the next 2 requests\n'
    with pytest.raises(patreon.exceptions.ServerError) as raised:
        api.get_identity().data()
    assert raised.value.status_code == 503
    code, out, _ = drive(capsys, environ, 'clear-faults')
    assert code == EXIT_OK and out == 'faults cleared\n'
    assert api.get_identity().data().id() == sb.creator_user_id
    code, _, err = drive(capsys, environ, 'fault', 'identity', 'rate_limit', '--option', 'colour=blue')
    assert_one_line_error(err, code, EXIT_FAILURE, 'the sandbox refused', 'colour')
    code, _, err = drive(capsys, environ, 'fault', 'nowhere', 'rate_limit')
    assert_one_line_error(err, code, EXIT_FAILURE, 'unknown route')


@pytest.mark.parametrize('options, fragment', [
    (['rate_limit', '--option', 'retry_after=soon'], 'retry_after must be a number of seconds'),
    (['rate_limit', '--option', 'retry_after=-1'], 'retry_after must be a number of seconds'),
    (['rate_limit', '--option', 'header=yes'], 'header must be true or false'),
    (['delay', '--option', 'seconds="2"'], 'seconds must be a number of seconds'),
    (['delay', '--option', 'seconds=100000'], 'seconds must be a number of seconds >= 0 and at most 600'),
])
def test_a_fault_the_sandbox_could_not_serve_is_refused_when_armed(capsys, sb, environ, options, fragment):
    code, _, err = drive(capsys, environ, 'fault', 'identity', *options)
    assert_one_line_error(err, code, EXIT_FAILURE, 'the sandbox refused', fragment)
    answer = requests.get(sb.url + '/api/oauth2/v2/identity', timeout=10,
                          headers={'Authorization': 'Bearer ' + sb.issue_tokens()['access_token']})
    assert answer.status_code == 200  # nothing armed: the next request is answered, not dropped


def test_a_fault_option_that_is_not_finite_is_refused_by_the_endpoint_too(sb, environ):
    headers = {_control.KEY_HEADER: KEY, 'Content-Type': 'application/json'}
    for options in ('{"seconds": NaN}', '{"seconds": Infinity}'):
        answer = requests.post(sb.url + '/sandbox/faults', headers=headers, timeout=10,
                               data='{"route": "identity", "kind": "delay", "options": %s}' % options)
        assert answer.status_code == 400 and 'seconds' in answer.json()['error']


@pytest.mark.parametrize('args, fragment', [
    (['fault', 'identity', 'delay', '--option', 'seconds=1e400'], 'not a finite number'),
    (['fault', 'identity', 'delay', '--option', 'seconds=NaN'], 'not a finite number'),
    (['fault', 'identity', 'delay', '--option', 'x=[' + '[' * 5000], 'at most 200'),
    (['fault', 'identity', 'delay', '--option', 'seconds'], 'NAME=VALUE'),
    (['fault', 'identity', 'delay', '--option', '=1'], 'NAME=VALUE'),
    (['fault', 'identity', 'delay', '--count', '0'], 'from 1 to'),
    (['pledge', '1', '--kind', 'weekly'], 'invalid choice'),
    (['pledge', ' '], 'not an id'),
    (['cancel-pledge', '1\n2'], 'not an id'),
    (['end-period', ' '], 'not an id'),
    (['log-in-as', '9' * 101], 'not an id'),
    (['users', '--sandbox-url', 'http://example.org'], 'not on this machine'),
    (['users', '--sandbox-url', 'http://127.0.0.1.example.invalid:8000'], 'not on this machine'),
    (['users', '--sandbox-url', 'ftp://127.0.0.1'], 'not an http'),
    (['users', '--sandbox-url', 'http://k:hunter2-password@127.0.0.1:1'], 'user or password'),
    (['users', '--key', 'a\x1bb-0123456789'], 'control character'),
    (['explode'], 'invalid choice'),
    ([], 'an action is required'),
])
def test_bad_arguments_are_one_line_usage_errors(capsys, environ, args, fragment):
    code, out, err = drive(capsys, environ, *args)
    if not args and 'too few arguments' in err:  # Python 2's argparse says it its way
        fragment = 'too few arguments'
    assert_one_line_error(err, code, EXIT_USAGE, fragment)
    assert out == '' and 'hunter2' not in err and '\x1b' not in err


def test_options_go_before_the_action_or_after_it(capsys, sb):
    for args in (['--sandbox-url', sb.url, '--key', KEY, 'users'], ['users', '--sandbox-url', sb.url, '--key=' + KEY],
                 ['--sandbox-url', sb.url + '/', 'users', '--key', KEY]):
        code, out, err = drive(capsys, {}, *args)
        assert (code, err) == (EXIT_OK, '') and 'creator' in out
    code, out, _ = drive(capsys, {'PATREON_SANDBOX_URL': 'http://127.0.0.1:1', 'PATREON_SANDBOX_KEY': 'wrong-key'},
                         '--sandbox-url', sb.url, '--key', KEY, 'users')
    assert code == EXIT_OK  # the options win over the environment


# --- patreon sandbox-control: failures ------------------------------------------------------------------------------


@pytest.mark.parametrize('environ, variable', [({}, 'PATREON_SANDBOX_URL'),
                                               ({'PATREON_SANDBOX_KEY': KEY}, 'PATREON_SANDBOX_URL'),
                                               ({'PATREON_SANDBOX_URL': 'http://127.0.0.1:1'}, 'PATREON_SANDBOX_KEY'),
                                               ({'PATREON_SANDBOX_URL': '', 'PATREON_SANDBOX_KEY': KEY},
                                                'PATREON_SANDBOX_URL')])
def test_no_sandbox_named_is_a_usage_error_naming_the_variable(capsys, environ, variable):
    code, out, err = drive(capsys, environ, 'users')
    assert_one_line_error(err, code, EXIT_USAGE, '$' + variable, '`patreon sandbox` prints it')
    assert out == '' and KEY not in err


@pytest.mark.parametrize('name, value, fragment', [
    ('PATREON_SANDBOX_URL', 'http://example.org:8000', 'not on this machine'),
    ('PATREON_SANDBOX_URL', 'http://u:hunter2-password@127.0.0.1:8000', 'user or password'),
    ('PATREON_SANDBOX_URL', 'localhost:8000', 'not an http'),
    ('PATREON_SANDBOX_URL', 'http://\u4f8b\u3048.jp:8000', 'not on this machine'),
    ('PATREON_SANDBOX_KEY', 'key\r\nX-Injected: 1', 'control character'),
    ('PATREON_SANDBOX_KEY', 'cl\u00e9-hunter2-password', 'outside printable ASCII'),
])
def test_a_bad_variable_is_a_usage_error_naming_it_without_its_secret(capsys, name, value, fragment):
    environ = {'PATREON_SANDBOX_URL': 'http://127.0.0.1:1', 'PATREON_SANDBOX_KEY': KEY}
    environ[name] = value
    code, out, err = drive(capsys, environ, 'users')
    assert_one_line_error(err, code, EXIT_USAGE, '$' + name, fragment)
    assert 'hunter2' not in err and 'Injected' not in err and KEY not in err


def test_a_wrong_key_is_forbidden_and_not_shown(capsys, sb):
    wrong = 'the-wrong-control-key-0123456789'
    code, out, err = drive(capsys, {'PATREON_SANDBOX_URL': sb.url, 'PATREON_SANDBOX_KEY': wrong}, 'users')
    assert_one_line_error(err, code, EXIT_FORBIDDEN, 'the sandbox refused', 'X-Sandbox-Control-Key', 'HTTP 403')
    assert wrong not in err and KEY not in err and out == ''


def free_port():
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_no_sandbox_answering_is_a_network_error(capsys):
    url = 'http://127.0.0.1:{}'.format(free_port())
    code, out, err = drive(capsys, {'PATREON_SANDBOX_URL': url, 'PATREON_SANDBOX_KEY': KEY}, 'users')
    assert_one_line_error(err, code, EXIT_NETWORK, 'no sandbox answering at {}'.format(url))
    assert KEY not in err


def test_a_server_that_hangs_up_or_never_answers_is_a_network_error(capsys):
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(5)
    url = 'http://127.0.0.1:{}'.format(listener.getsockname()[1])
    environ = {'PATREON_SANDBOX_URL': url, 'PATREON_SANDBOX_KEY': KEY}

    def hang_up_once():
        connection = listener.accept()[0]
        connection.recv(65536)
        connection.close()

    thread = threading.Thread(target=hang_up_once)
    thread.start()
    try:
        code, _, err = drive(capsys, environ, 'users')
        thread.join()
        assert_one_line_error(err, code, EXIT_NETWORK, 'no sandbox answering at ' + url)
        # Nobody accepts any more: the request waits in the backlog until --timeout.
        code, _, err = run(capsys, ['--timeout', '0.2', 'sandbox-control', 'users'], environ)
        assert_one_line_error(err, code, EXIT_NETWORK, 'no answer from the sandbox at {} within 0.2 s'.format(url))
    finally:
        listener.close()


@pytest.mark.parametrize('status, body, expected, fragment', [
    (200, b'<html>not a sandbox</html>', EXIT_SERVER, 'is 127.0.0.1 a Patreon sandbox?'),
    (200, b'{"data": []}', EXIT_SERVER, 'member_id'),
    (200, b'{"data": {"member_id": 7}}', EXIT_SERVER, 'member_id'),
    (200, b'{"nothing": 1}', EXIT_SERVER, 'unexpected answer'),
    (404, b'{"error": "no control action"}', EXIT_NOT_FOUND, 'no control action (HTTP 404)'),
    (404, b'<html>Not Found</html>', EXIT_NOT_FOUND, 'not JSON'),
    (500, b'{"error": "the sandbox failed"}', EXIT_SERVER, 'the sandbox failed (HTTP 500)'),
    (400, '{"error": "no member \u00e9\u4e00"}'.encode('utf-8'), EXIT_FAILURE, 'no member \u00e9\u4e00 (HTTP 400)'),
    (400, b'{"error": "bad \\u001b[2J key ' + KEY.encode('ascii') + b'"}', EXIT_FAILURE, 'bad \\x1b[2J key ***'),
])
def test_answers_no_sandbox_sends_are_one_line_failures(capsys, status, body, expected, fragment):
    with CannedServer([(status, JSON, body)]) as server:
        code, out, err = drive(capsys, {'PATREON_SANDBOX_URL': server.url, 'PATREON_SANDBOX_KEY': KEY},
                               'pledge', '3')
    assert_one_line_error(err, code, expected, fragment)
    assert out == '' and KEY not in err and '\x1b' not in err


@pytest.mark.parametrize('action, body', [
    (['users'], b'{"data": {"role": "creator"}}'),
    (['users'], b'{"data": [{"role": "creator", "user_id": 1, "full_name": "x"}]}'),
    (['users'], b'{"data": ["creator"]}'),
    (['overview'], b'{"data": {"tiers": [{"id": "1"}]}}'),
    (['overview'], b'{"data": "campaign"}'),
    (['publish-post', 'T'], b'{"data": {"post_id": null}}'),
    (['expire-tokens'], b'{"data": {"expired": "3"}}'),
    (['expire-tokens'], b'{"data": {"expired": true}}'),
    (['fault', '*', 'reset'], b'{"data": null}'),
])
def test_a_malformed_answer_to_any_action_is_patreon_failing_not_a_traceback(capsys, action, body):
    with CannedServer([(200, JSON, body)]) as server:
        code, out, err = drive(capsys, {'PATREON_SANDBOX_URL': server.url, 'PATREON_SANDBOX_KEY': KEY}, *action)
    assert_one_line_error(err, code, EXIT_SERVER, 'Patreon sandbox')
    assert out == ''


def test_what_the_control_client_sends(capsys):
    with CannedServer([(200, JSON, b'{"data": {"kind": "rate_limit", "route": "*", "count": 3}}')]) as server:
        code, _, _ = drive(capsys, {'PATREON_SANDBOX_URL': server.url, 'PATREON_SANDBOX_KEY': KEY}, 'fault', '*',
                           'rate_limit', '--count', '3', '--option', 'retry_after=0', '--option', 'header=false',
                           '--option', 'note=soon')
        method, path, headers, body = server.requests[0]
    assert (code, method, path) == (EXIT_OK, 'POST', '/sandbox/faults')
    assert dict((name.lower(), value) for name, value in headers.items())['x-sandbox-control-key'] == KEY
    assert json.loads(body.decode('utf-8')) == {'route': '*', 'kind': 'rate_limit', 'count': 3,
                                                'options': {'retry_after': 0, 'header': False, 'note': 'soon'}}


@pytest.mark.parametrize('status, expected', [(200, EXIT_SERVER), (400, EXIT_FAILURE), (401, EXIT_FAILURE),
                                              (403, EXIT_FORBIDDEN), (404, EXIT_NOT_FOUND), (405, EXIT_FAILURE),
                                              (415, EXIT_FAILURE), (500, EXIT_SERVER), (503, EXIT_SERVER)])
def test_refusal_exit_statuses(status, expected):
    assert _sandbox_control_command.refusal_exit_status(status) == expected


@pytest.mark.parametrize('args', [['sandbox', '--key', 'secret-key-given-to-the-wrong-command'],
                                  ['sandbox', '--token', 'secret-key-given-to-the-wrong-command', 'x'],
                                  ['sandbox-control', 'users', '--keyy=secret-key-given-to-the-wrong-command'],
                                  ['sandbox-control', '--ke', 'secret-key-given-to-the-wrong-command', 'x'],
                                  ['identity', '--control-key=secret-key-given-to-the-wrong-command']])
def test_a_secret_option_misplaced_is_not_shown_in_the_usage_error(capsys, args):
    code, out, err = run(capsys, args)
    assert_one_line_error(err, code, EXIT_USAGE)
    assert 'secret-key-given' not in err


def test_help_lists_the_actions_and_options(capsys):
    code, out, _ = run(capsys, ['--help'])
    assert code == EXIT_OK and 'sandbox-control' in out
    code, out, _ = run(capsys, ['sandbox-control', '--help'])
    text = ' '.join(out.split())
    assert code == EXIT_OK and '$PATREON_SANDBOX_URL' in text and '$PATREON_SANDBOX_KEY' in text
    for action in ACTIONS.values():
        assert action.command in text
    code, out, _ = run(capsys, ['sandbox', '--help'])
    text = ' '.join(out.split())
    assert code == EXIT_OK and all(option in text for option in ('--redirect-uri', '--login-page', '--control-key'))
    code, out, _ = run(capsys, ['sandbox-control', 'fault', '--help'])
    assert code == EXIT_OK and 'NAME=VALUE' in out and '--count' in out


def test_the_variable_names_are_the_sandboxs():
    assert (_context.SANDBOX_URL_VARIABLE, _context.SANDBOX_KEY_VARIABLE) == (_control.URL_VARIABLE,
                                                                           _control.KEY_VARIABLE)
    assert _sandbox_control_command.PLEDGE_KINDS == PLEDGE_KINDS


# --- The manual test of the sandbox's guide runs as written ----------------------------------------------------------


def readme_walkthrough():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with io.open(os.path.join(root, 'docs', 'sandbox.md'), encoding='utf-8') as handle:
        text = handle.read()
    return text.split('### Driving a running sandbox', 1)[1].split('\n## ', 1)[0]


def readme_commands(text):
    """Every ``patreon ...`` command the text shows (in a code block or in backticks), as argument lists."""
    found = re.findall(r'^ *(patreon (?:[^\n\\]|\\\n)+)', text, re.M) + re.findall(r'`(patreon [^`]+)`', text)
    ordered = sorted(set(found), key=text.index)
    arguments = []
    for command in ordered:
        command = command.split(' #', 1)[0].replace('\\\n', ' ')
        parts = shlex.split(command.encode('utf-8') if six.PY2 else command)
        arguments.append([part.decode('utf-8') if isinstance(part, bytes) else part for part in parts[1:]])
    return arguments


def test_every_command_of_the_readmes_manual_test_runs(capsys, monkeypatch):
    commands = readme_commands(readme_walkthrough())
    started = [command for command in commands if command[0] == 'sandbox']
    driving = [command for command in commands if command[0] != 'sandbox']
    assert len(started) == 1 and len(driving) >= 10
    assert set(command[0] for command in driving) == set(['sandbox-control', '--base-url'])
    done = set(command[1] for command in driving if command[0] == 'sandbox-control')
    assert done >= set(['users', 'log-in-as', 'pledge', 'cancel-pledge', 'end-period', 'publish-post',
                        'expire-tokens', 'fault', 'clear-faults', '--help'])
    results = []

    def during(banner):
        variables = exported(banner)
        variables['PATREON_ACCESS_TOKEN'] = banner_value(banner, 'creator token')
        control_client = SandboxControl(variables['PATREON_SANDBOX_URL'], variables['PATREON_SANDBOX_KEY'])
        tiers = control_client.overview()['tiers']
        users = dict((user['role'], user['user_id']) for user in control_client.users())
        values = {'TIER_ID': tiers[3]['id'], 'USER_ID': users['former patron'],
                  'CAMPAIGN_ID': banner_value(banner, 'campaign id'),
                  '$PATREON_SANDBOX_URL': variables['PATREON_SANDBOX_URL'],
                  'http://127.0.0.1:5000/hooks/patreon': receiver.url + '/hooks/patreon'}
        for command in driving:
            args = [values.get(argument, argument) for argument in command]
            code, out, err = run(capsys, args, variables)
            results.append((args, code, err))
            if args[:2] == ['sandbox-control', 'pledge']:
                values['MEMBER_ID'] = out.strip()
        page = authorize(banner, APP_CALLBACK)
        results.append(('the login page', page.status_code, page.text))

    with CannedServer([(200, JSON, b'{}')]) as receiver:
        code, banner, _ = serve(capsys, monkeypatch, started[0][1:], during)
        events = [dict((name.lower(), value) for name, value in headers.items()).get('x-patreon-event')
                  for _, path, headers, _ in receiver.requests if path == '/hooks/patreon']
    assert code == EXIT_OK
    for args, status, err in results:
        assert status in (EXIT_OK, 200), (args, err)
        assert not any(placeholder in args for placeholder in ('TIER_ID', 'MEMBER_ID', 'USER_ID', 'CAMPAIGN_ID'))
    assert 'former patron' in results[-1][2]  # --login-page, as the manual test says
    assert events == ['members:pledge:create', 'members:pledge:delete']


def test_the_readmes_curl_request_is_the_one_the_endpoint_answers(sb):
    text = readme_walkthrough()
    curl = re.search(r"^curl .*?(?=\n```)", text, re.M | re.S).group(0).replace('\\\n', ' ')
    body = json.loads(re.search(r"-d '([^']+)'", curl).group(1).replace('TIER_ID', sb.tier_ids[2]))
    path = re.search(r'"\$PATREON_SANDBOX_URL(/sandbox/[\w-]+)"', curl).group(1)
    headers = dict(re.findall(r'-H "?\'?([\w-]+): ([^"\']+)', curl))
    headers = dict((name, KEY if value == '$PATREON_SANDBOX_KEY' else value) for name, value in headers.items())
    answer = requests.post(sb.url + path, data=json.dumps(body), headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    member = sb.world.members[answer.json()['data']['member_id']]
    assert member.is_gifted and member.tier_id == sb.tier_ids[2]


def member_attributes(banner, member_id):
    """A member's status and gift flag, as the API shows them to the creator the banner names."""
    answer = requests.get('{}/api/oauth2/v2/members/{}'.format(banner_value(banner, 'listening on'), member_id),
                          params={'fields[member]': 'patron_status,is_gifted'}, timeout=10,
                          headers={'Authorization': 'Bearer ' + banner_value(banner, 'creator token')})
    assert answer.status_code == 200, answer.text
    return answer.json()['data']['attributes']


def test_a_sandbox_process_driven_from_another_process(tmpdir):
    """What the README's manual test does: `patreon sandbox` in one shell, `patreon sandbox-control` in another."""
    environ = dict(os.environ)
    for name in ('PATREON_ACCESS_TOKEN', 'PATREON_SANDBOX_URL', 'PATREON_SANDBOX_KEY'):
        environ.pop(name, None)
    command = [sys.executable, '-m', 'patreon']
    server = subprocess.Popen(command + ['sandbox', '--members', '40', '--redirect-uri', APP_CALLBACK],
                              cwd=str(tmpdir), env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        lines = []
        while not lines or 'Ctrl-C' not in lines[-1]:
            line = server.stdout.readline().decode('utf-8')
            assert line, 'the sandbox ended before printing its banner'
            lines.append(line)
        banner = ''.join(lines)
        environ.update(exported(banner))
        tier_id = re.search(r'^ +(?:tiers: +)?(\d+) +\$20\.00/month  Producer$', banner, re.M).group(1)
        driver = subprocess.Popen(command + ['sandbox-control', 'pledge', tier_id, '--kind', 'gift'],
                                  cwd=str(tmpdir), env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = driver.communicate()
        assert (driver.returncode, err) == (EXIT_OK, b'')
        member_id = out.decode('utf-8').strip()
        assert member_attributes(banner, member_id) == {'patron_status': 'active_patron', 'is_gifted': True}
        driver = subprocess.Popen(command + ['sandbox-control', 'cancel-pledge', member_id], cwd=str(tmpdir),
                                  env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = driver.communicate()
        assert (driver.returncode, err) == (EXIT_OK, b'') and member_id in out.decode('utf-8')
        assert member_attributes(banner, member_id)['patron_status'] == 'former_patron'
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate()
    assert server.returncode == EXIT_OK
