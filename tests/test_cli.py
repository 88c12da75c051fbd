# -*- coding: utf-8 -*-
"""The ``patreon`` command line, run through ``main([...])`` against a real sandbox on 127.0.0.1."""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import csv
import errno
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys

import pytest
import requests
import six

import patreon
from patreon import endpoint, exceptions
from patreon.cli import _console
from patreon.cli import (EXIT_FAILURE, EXIT_FORBIDDEN, EXIT_INTERRUPTED, EXIT_NETWORK, EXIT_NOT_FOUND, EXIT_OK,
                         EXIT_RATE_LIMITED, EXIT_SERVER, EXIT_UNAUTHORIZED, EXIT_USAGE, _api_commands, _arguments,
                         _exit_status, _formats, _sandbox_command, main)
from patreon.cli._formats import display_width
from patreon.cli._console import ConsoleWriter, Progress

from canned import CannedServer
from helpers import REPO_ROOT

BAD_TOKEN = '-not-a-valid-token-0123456789'  # starts like an option, as random tokens may


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=120, seed=11)


@pytest.fixture(scope='module')
def library_api(sandbox):
    with patreon.API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True) as api:
        yield api


@pytest.fixture(scope='module')
def members(sandbox, library_api):
    """The campaign's members as the library reads them: id -> full_name, and the total Patreon announces."""
    first = library_api.get_campaigns_by_id_members(sandbox.campaign_id, 1)
    names = dict((member.id(), member.attribute('full_name')) for member in library_api.paginate(
        library_api.get_campaigns_by_id_members, sandbox.campaign_id, page_size=1000,
        fields={'member': ['full_name']}))
    return names, first.json_data['meta']['pagination']['total']


def run(capsys, args, environ=None):
    code = main(list(args), environ={} if environ is None else environ)
    out, err = capsys.readouterr()
    return code, out, err


def connected(sb, *args):
    # `--token=VALUE`: a random token may start with '-', which argparse would take for an option
    return ['--base-url', sb.url, '--token=' + sb.creator_token] + list(args)


def jsonl(text):
    return [json.loads(line, object_pairs_hook=collections.OrderedDict) for line in text.splitlines()]


def parse_csv(text):
    if six.PY2:
        rows = csv.reader(io.BytesIO(text.encode('utf-8')))
        return [[cell.decode('utf-8') for cell in row] for row in rows]
    return list(csv.reader(io.StringIO(text, newline='')))


def assert_one_line_error(err, code, expected_code, *fragments):
    assert code == expected_code
    assert err.startswith('patreon: error: ')
    assert err.count('\n') == 1 and err.endswith('\n')
    assert 'Traceback' not in err
    for fragment in fragments:
        assert fragment in err


# --- Version, help, usage ------------------------------------------------------------------------------------------


def test_version(capsys):
    code, out, err = run(capsys, ['--version'])
    assert (code, out, err) == (EXIT_OK, 'patreon {}\n'.format(patreon.__version__), '')


def test_help_lists_the_commands_and_exit_statuses(capsys):
    code, out, _ = run(capsys, ['--help'])
    assert code == EXIT_OK
    for command in ('identity', 'campaigns', 'members', 'posts', 'webhooks', 'sandbox', 'demo'):
        assert command in out
    assert '3 unauthorized (401)' in ' '.join(out.split())


def test_no_command_is_a_usage_error(capsys):
    code, out, err = run(capsys, [])
    assert code == EXIT_USAGE and out == ''
    assert 'patreon' in err and ('command is required' in err or 'too few arguments' in err)


def test_webhooks_without_an_action_is_a_usage_error(capsys):
    code, _, err = run(capsys, ['webhooks'])
    assert code == EXIT_USAGE
    assert 'action is required' in err or 'too few arguments' in err


@pytest.mark.parametrize('args', [
    ['members'],
    ['members', '1', '--page-size', '0'],
    ['members', '1', '--page-size', 'many'],
    ['members', '1', '--format', 'xml'],
    ['identity', '--timeout', '0'],
    ['identity', '--timeout', 'soon'],
    ['identity', '--retries', '-1'],
    ['identity', '--base-url', 'ftp://example.org'],
    ['webhooks', 'create', '--campaign', '1', '--uri', 'http://127.0.0.1/x', '--trigger', 'members:explode'],
    ['webhooks', 'update', '1', '--paused', '--unpaused'],
])
def test_bad_arguments_are_usage_errors(capsys, args):
    code, out, err = run(capsys, args)
    assert code == EXIT_USAGE and out == ''
    assert 'error' in err and 'Traceback' not in err


# --- Reading -------------------------------------------------------------------------------------------------------


def test_identity_with_the_token_from_the_environment(capsys, sandbox):
    code, out, err = run(capsys, ['--base-url', sandbox.url, 'identity'],
                         environ={'PATREON_ACCESS_TOKEN': sandbox.creator_token})
    assert (code, err) == (EXIT_OK, '')
    [user] = jsonl(out)
    assert list(user) == ['id', 'full_name', 'email', 'url', 'is_creator', 'created']
    assert user['id'] == sandbox.creator_user_id and user['is_creator'] is True and user['full_name']


def test_without_base_url_the_command_line_follows_the_default_a_test_points_at_its_sandbox(capsys, sandbox):
    # argparse runs an option's type over its default: the default must stay the one clients follow
    with endpoint.override_default_base_url(sandbox.url) as override:
        code, out, err = run(capsys, ['identity'], environ={'PATREON_ACCESS_TOKEN': sandbox.creator_token})
    assert (code, err, override.refused) == (EXIT_OK, '', [])
    assert jsonl(out)[0]['id'] == sandbox.creator_user_id


def test_the_base_url_from_the_environment_when_no_option_gives_it(capsys, sandbox):
    # the README's manual test exports PATREON_BASE_URL: forgetting --base-url must not send the token elsewhere
    with endpoint.override_default_base_url('http://127.0.0.1:9') as override:  # the default: nothing listens
        code, out, err = run(capsys, ['identity'], environ={'PATREON_ACCESS_TOKEN': sandbox.creator_token,
                                                            'PATREON_BASE_URL': sandbox.url + '/'})
    assert (code, err, override.refused) == (EXIT_OK, '', [])
    assert jsonl(out)[0]['id'] == sandbox.creator_user_id


def test_the_base_url_option_wins_over_the_environment(capsys, sandbox):
    code, out, err = run(capsys, ['--base-url', sandbox.url, 'identity'],
                         environ={'PATREON_ACCESS_TOKEN': sandbox.creator_token,
                                  'PATREON_BASE_URL': 'http://127.0.0.1:9'})
    assert (code, err) == (EXIT_OK, '')


@pytest.mark.parametrize('value', ['ftp://example.org', 'http://user:pw@example.org', 'http://example.org/?a=1'])
def test_an_unusable_base_url_in_the_environment_is_a_usage_error_naming_the_variable(capsys, value):
    code, out, err = run(capsys, ['identity'], environ={'PATREON_ACCESS_TOKEN': BAD_TOKEN, 'PATREON_BASE_URL': value})
    assert (code, out) == (EXIT_USAGE, '')
    assert '$PATREON_BASE_URL' in err and 'pw' not in err and BAD_TOKEN not in err


def test_a_network_error_names_the_base_url_of_the_environment(capsys):
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    base_url = 'http://127.0.0.1:{}'.format(listener.getsockname()[1])
    listener.close()  # nothing listens there now: connections are refused
    code, _, err = run(capsys, ['--retries', '0', 'identity'],
                       environ={'PATREON_ACCESS_TOKEN': BAD_TOKEN, 'PATREON_BASE_URL': base_url})
    assert code == EXIT_NETWORK and 'cannot connect to ' + base_url in err


def test_the_token_from_os_environ_by_default(capsys, sandbox, monkeypatch):
    monkeypatch.setenv(str('PATREON_ACCESS_TOKEN'), str(sandbox.creator_token))
    assert main(['--base-url', sandbox.url, 'identity', '--fields', 'full_name']) == EXIT_OK
    assert jsonl(capsys.readouterr()[0])[0]['id'] == sandbox.creator_user_id


def test_connection_options_work_after_the_command_too(capsys, sandbox):
    code, out, _ = run(capsys, ['identity', '--base-url', sandbox.url, '--token=' + sandbox.creator_token,
                                '--timeout', '10', '--retries', '0'])
    assert code == EXIT_OK and jsonl(out)[0]['id'] == sandbox.creator_user_id


def test_identity_table_lists_name_value_lines_with_includes(capsys, sandbox):
    code, out, _ = run(capsys, connected(sandbox, 'identity', '--format', 'table', '--include', 'campaign'))
    assert code == EXIT_OK
    lines = dict(line.split(None, 1) for line in out.splitlines())
    assert lines['id'] == sandbox.creator_user_id
    assert lines['campaign_id'] == sandbox.campaign_id
    assert lines['is_creator'] == 'true'


def test_campaigns_csv_with_tiers(capsys, sandbox):
    code, out, _ = run(capsys, connected(sandbox, 'campaigns', '--format', 'csv', '--include', 'tiers,creator'))
    assert code == EXIT_OK
    header, row = parse_csv(out)
    assert header == ['id', 'creation_name', 'vanity', 'patron_count', 'url', 'created_at', 'tier_ids',
                      'tier_titles', 'creator_id']
    record = dict(zip(header, row))
    assert record['id'] == sandbox.campaign_id
    assert record['tier_ids'].split('; ') == sandbox.tier_ids
    assert record['creator_id'] == sandbox.creator_user_id
    assert int(record['patron_count']) > 0


def test_members_jsonl_reads_every_page(capsys, sandbox, members):
    names, total = members
    code, out, err = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--page-size', '25'))
    assert (code, err) == (EXIT_OK, '')
    records = jsonl(out)
    assert len(records) == total == len(names)
    assert dict((record['id'], record['full_name']) for record in records) == names
    assert list(records[0]) == ['id', 'full_name', 'email', 'patron_status', 'currently_entitled_amount_cents',
                                'campaign_lifetime_support_cents']


def test_members_csv_round_trips_non_ascii_names(capsys, sandbox, members):
    names, total = members
    assert any(ord(character) > 127 for name in names.values() for character in name)
    code, out, _ = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--format', 'csv',
                                         '--fields', 'full_name,patron_status'))
    assert code == EXIT_OK
    rows = parse_csv(out)
    assert rows[0] == ['id', 'full_name', 'patron_status']
    assert len(rows) == total + 1
    assert dict((row[0], row[1]) for row in rows[1:]) == names


def test_members_table_aligns_wide_characters(capsys, sandbox, members):
    names, total = members
    code, out, _ = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--format', 'table',
                                         '--fields', 'full_name,patron_status'))
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0].split() == ['id', 'full_name', 'patron_status'] and set(lines[1]) == set('- ')
    assert len(lines) == total + 2
    status_column = display_width(lines[0][:lines[0].index('patron_status')])
    for line in lines[2:]:
        member_id, rest = line.split(' ', 1)
        name = names[member_id]
        assert rest.strip().startswith(name)
        after_name = line.index(name) + len(name)
        status = line[after_name:].strip()
        if status:  # members who never pledged have no status
            assert display_width(line[:line.index(status, after_name)]) == status_column


def test_members_include_columns(capsys, sandbox, library_api):
    code, out, _ = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--fields',
                                         'full_name,patron_status', '--include',
                                         'currently_entitled_tiers,user,campaign'))
    assert code == EXIT_OK
    records = jsonl(out)
    assert list(records[0]) == ['id', 'full_name', 'patron_status', 'tier_ids', 'tier_titles', 'user_id',
                                'campaign_id']
    tier_titles = dict((tier.id(), tier.attribute('title')) for tier in library_api.get_campaigns(
        10, includes=['tiers'], fields={'tier': ['title']}).data()[0].relationship('tiers'))
    active = [record for record in records if record['patron_status'] == 'active_patron']
    assert active
    for record in active:
        assert record['tier_ids'] and record['tier_titles'] == [tier_titles[tier] for tier in record['tier_ids']]
    for record in records:
        assert record['user_id'] and record['campaign_id'] == sandbox.campaign_id
    one = library_api.get_members_by_id(active[0]['id'], includes=['user']).data()
    assert one.relationship_info('user').resource_reference().id() == active[0]['user_id']


def test_members_address_and_pledge_history_use_smaller_pages(capsys, sandbox):
    sandbox.clear_log()
    code, out, _ = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--fields', 'patron_status',
                                         '--include', 'address,pledge_history'))
    assert code == EXIT_OK
    records = jsonl(out)
    assert any(record['address'] for record in records)
    assert any(record['address'] is None for record in records)
    histories = [record['pledge_history'] for record in records if record['patron_status'] == 'active_patron']
    assert histories and all(history and 'pledge_start' in history[0] for history in histories)
    queries = [request.query for request in sandbox.requests if request.path.endswith('/members')]
    assert queries and all('page%5Bcount%5D=500' in query for query in queries)

    sandbox.clear_log()
    assert run(capsys, connected(sandbox, 'members', sandbox.campaign_id))[0] == EXIT_OK
    queries = [request.query for request in sandbox.requests if request.path.endswith('/members')]
    assert queries and all('page%5Bcount%5D=1000' in query for query in queries)


@pytest.mark.parametrize('option, value, message', [
    ('--fields', 'full_name,favourite_colour', "unknown member field 'favourite_colour'"),
    ('--include', 'user,friends', "unknown include for member 'friends'"),
])
def test_unknown_fields_and_includes_are_usage_errors(capsys, sandbox, option, value, message):
    sandbox.clear_log()
    code, out, err = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, option, value))
    assert_one_line_error(err, code, EXIT_USAGE, message)
    assert out == '' and not sandbox.requests


def test_id_in_fields_is_not_repeated(capsys, sandbox):
    code, out, _ = run(capsys, connected(sandbox, 'identity', '--fields', 'id,full_name'))
    assert code == EXIT_OK and list(jsonl(out)[0]) == ['id', 'full_name']


def test_posts(capsys, sandbox, library_api):
    posts = library_api.paginate(library_api.get_campaigns_by_id_posts, sandbox.campaign_id, page_size=100)
    expected = [post.id() for post in posts]
    code, out, _ = run(capsys, connected(sandbox, 'posts', sandbox.campaign_id, '--page-size', '10',
                                         '--format', 'csv', '--include', 'user'))
    assert code == EXIT_OK
    rows = parse_csv(out)
    assert rows[0] == ['id', 'title', 'published_at', 'is_public', 'is_paid', 'url', 'user_id']
    assert [row[0] for row in rows[1:]] == expected and len(expected) > 10
    assert set(row[3] for row in rows[1:]) == set(['true', 'false'])
    assert set(row[6] for row in rows[1:]) == set([sandbox.creator_user_id])


# --- Progress ------------------------------------------------------------------------------------------------------


def test_progress_lines_on_request(capsys, sandbox, members):
    total = members[1]
    code, out, err = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--page-size', '50',
                                           '--progress'))
    assert code == EXIT_OK and len(jsonl(out)) == total
    expected = ['members: {} of {}'.format(min(done, total), total) for done in range(50, total + 50, 50)]
    assert err.splitlines() == expected


def test_no_progress_when_asked_or_when_stderr_is_not_a_terminal(capsys, sandbox):
    for extra in (['--no-progress'], []):
        code, _, err = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--page-size', '50') + extra)
        assert (code, err) == (EXIT_OK, '')


def test_terminals_get_a_table_and_a_rewriting_progress_line(capsys, sandbox, members, monkeypatch):
    monkeypatch.setattr(_console, 'is_terminal', lambda stream: True)
    code, out, err = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--page-size', '100',
                                           '--fields', 'full_name'))
    total = members[1]
    assert code == EXIT_OK
    assert out.splitlines()[0].split() == ['id', 'full_name']
    assert err == '\rmembers: 100 of {0}\rmembers: {0} of {0}\n'.format(total)


# --- Webhooks ------------------------------------------------------------------------------------------------------


def test_webhooks_create_list_update_delete(capsys, sandbox):
    code, out, _ = run(capsys, connected(sandbox, 'webhooks', 'create', '--campaign', sandbox.campaign_id,
                                         '--uri', 'http://127.0.0.1:9/hooks', '--trigger', 'members:pledge:create',
                                         '--trigger', 'posts:publish'))
    assert code == EXIT_OK
    [created] = jsonl(out)
    assert list(created) == ['id', 'uri', 'triggers', 'paused', 'secret']
    assert created['triggers'] == ['members:pledge:create', 'posts:publish'] and created['secret']
    hook_id = created['id']
    try:
        code, out, _ = run(capsys, connected(sandbox, 'webhooks', 'list', '--include', 'campaign'))
        listed = dict((record['id'], record) for record in jsonl(out))
        assert code == EXIT_OK
        assert listed[hook_id]['uri'] == 'http://127.0.0.1:9/hooks'
        assert listed[hook_id]['campaign_id'] == sandbox.campaign_id
        assert 'secret' not in listed[hook_id]

        code, out, _ = run(capsys, connected(sandbox, 'webhooks', 'update', hook_id, '--paused'))
        assert code == EXIT_OK and jsonl(out)[0]['paused'] is True
        code, out, _ = run(capsys, connected(sandbox, 'webhooks', 'update', hook_id, '--unpaused', '--uri',
                                             'http://127.0.0.1:9/other', '--trigger', 'members:create',
                                             '--format', 'table'))
        assert code == EXIT_OK
        updated = dict(line.split(None, 1) for line in out.splitlines())
        assert updated == {'id': hook_id, 'uri': 'http://127.0.0.1:9/other', 'triggers': 'members:create',
                           'paused': 'false'}

        code, out, err = run(capsys, connected(sandbox, 'webhooks', 'update', hook_id))
        assert_one_line_error(err, code, EXIT_USAGE, 'nothing to update')
    finally:
        code, out, _ = run(capsys, connected(sandbox, 'webhooks', 'delete', hook_id))
    assert (code, out) == (EXIT_OK, 'deleted webhook {}\n'.format(hook_id))
    code, out, _ = run(capsys, connected(sandbox, 'webhooks', 'list'))
    assert hook_id not in [record['id'] for record in jsonl(out)]
    code, _, err = run(capsys, connected(sandbox, 'webhooks', 'delete', hook_id))
    assert_one_line_error(err, code, EXIT_NOT_FOUND, '404')


# --- Failures ------------------------------------------------------------------------------------------------------


def test_no_token(capsys, sandbox):
    code, out, err = run(capsys, ['--base-url', sandbox.url, 'identity'])
    assert_one_line_error(err, code, EXIT_USAGE, 'no access token: pass --token or set PATREON_ACCESS_TOKEN')
    assert out == ''


def test_bad_token(capsys, sandbox):
    code, out, err = run(capsys, ['--base-url', sandbox.url, '--token=' + BAD_TOKEN, 'members', sandbox.campaign_id])
    assert_one_line_error(err, code, EXIT_UNAUTHORIZED, '401 Unauthorized', "'campaigns.members' scope")
    assert out == '' and BAD_TOKEN not in err


def test_missing_scope(capsys, sandbox):
    token = sandbox.issue_tokens(scopes=['identity', 'campaigns'])['access_token']
    assert run(capsys, ['--base-url', sandbox.url, '--token=' + token, 'campaigns'])[0] == EXIT_OK
    code, out, err = run(capsys, ['--base-url', sandbox.url, '--token=' + token, 'members', sandbox.campaign_id])
    assert_one_line_error(err, code, EXIT_UNAUTHORIZED, '401', 'campaigns.members')
    assert out == '' and token not in err


def test_unknown_campaign(capsys, sandbox):
    code, out, err = run(capsys, connected(sandbox, 'members', '999999999'))
    assert_one_line_error(err, code, EXIT_NOT_FOUND, '404 Not Found')
    assert sandbox.creator_token not in err


def test_campaign_of_another_creator(capsys, sandbox):
    patron_token = sandbox.issue_tokens(user_id=sandbox.patron_user_id)['access_token']
    with patreon.API(patron_token, base_url=sandbox.url, raise_errors=True) as api:
        memberships = api.get_identity(includes=['memberships.campaign']).data().relationship('memberships')
    others = [member.relationship('campaign').id() for member in memberships
              if member.relationship('campaign').id() != sandbox.campaign_id]
    assert others
    code, _, err = run(capsys, connected(sandbox, 'members', others[0]))
    assert_one_line_error(err, code, EXIT_FORBIDDEN, '403')


def test_other_client_errors(capsys, sandbox):
    code, _, err = run(capsys, connected(sandbox, 'members', sandbox.campaign_id, '--page-size', '1000',
                                         '--include', 'pledge_history'))
    assert_one_line_error(err, code, EXIT_FAILURE, '400')


def test_unreachable_base_url(capsys):
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now: connections are refused
    base_url = 'http://127.0.0.1:{}'.format(port)
    code, out, err = run(capsys, ['--base-url', base_url, '--token=' + BAD_TOKEN, '--retries', '0', 'identity'])
    assert_one_line_error(err, code, EXIT_NETWORK, 'cannot connect to ' + base_url)
    assert out == '' and BAD_TOKEN not in err


def test_timeout(capsys, sandbox):
    sandbox.inject_fault('identity', 'delay', seconds=2)
    try:
        code, _, err = run(capsys, connected(sandbox, 'identity', '--timeout', '0.2', '--retries', '0'))
    finally:
        sandbox.clear_faults()
    assert_one_line_error(err, code, EXIT_NETWORK, 'no answer from {} within 0.2 s'.format(sandbox.url))


def test_connection_cut_short(capsys, sandbox):
    sandbox.inject_fault('identity', 'truncated')
    try:
        code, _, err = run(capsys, connected(sandbox, 'identity', '--retries', '0'))
    finally:
        sandbox.clear_faults()
    assert_one_line_error(err, code, EXIT_NETWORK, 'the connection to {} failed'.format(sandbox.url))


def test_rate_limited_beyond_what_is_worth_waiting(capsys, sandbox):
    sandbox.inject_fault('identity', 'rate_limit', retry_after=600)
    try:
        code, _, err = run(capsys, connected(sandbox, 'identity'))
    finally:
        sandbox.clear_faults()
    assert_one_line_error(err, code, EXIT_RATE_LIMITED, '429', 'retry after 600 s')


def test_server_error_page(capsys, sandbox):
    sandbox.inject_fault('identity', 'server_error', status=502)
    try:
        code, _, err = run(capsys, connected(sandbox, 'identity', '--retries', '0'))
    finally:
        sandbox.clear_faults()
    assert_one_line_error(err, code, EXIT_SERVER, '502', 'not JSON')


HTML = {'Content-Type': 'text/html; charset=utf-8'}
JSON_API = {'Content-Type': 'application/vnd.api+json'}


@pytest.mark.parametrize('body', [b'<html><body><h1>Your session has expired</h1></body></html>', b''])
def test_an_expired_token_answered_with_an_html_page_is_an_authorization_failure(capsys, body):
    # Seen in the field: a 401 as an HTML page. It is an expired token (exit 3), not Patreon failing (exit 8).
    with CannedServer([(401, HTML, body)]) as server:
        code, out, err = run(capsys, ['--base-url', server.url, '--token=' + BAD_TOKEN, 'identity'])
    assert_one_line_error(err, code, EXIT_UNAUTHORIZED, '401', "with the 'identity' scope?")
    assert out == '' and BAD_TOKEN not in err


@pytest.mark.parametrize('status, expected', [(403, EXIT_FORBIDDEN), (404, EXIT_NOT_FOUND), (429, EXIT_RATE_LIMITED),
                                              (400, EXIT_FAILURE), (503, EXIT_SERVER)])
def test_an_error_page_that_is_not_json_exits_with_its_status(capsys, status, expected):
    with CannedServer([(status, HTML, b'<html>Nope</html>')]) as server:
        code, _, err = run(capsys, ['--base-url', server.url, '--token=' + BAD_TOKEN, '--retries', '0', 'identity'])
    assert_one_line_error(err, code, expected, str(status))


@pytest.mark.parametrize('status, body, expected', [
    (503, b'{"message": "Service Unavailable"}', EXIT_SERVER),  # a load balancer's JSON, without errors
    (500, b'{}', EXIT_SERVER),
    (429, b'{"errors": []}', EXIT_RATE_LIMITED),
    (401, b'{"errors": []}', EXIT_UNAUTHORIZED),
])
def test_an_error_status_without_errors_is_an_error_of_its_status(capsys, status, body, expected):
    with CannedServer([(status, JSON_API, body)]) as server:
        code, out, err = run(capsys, ['--base-url', server.url, '--token=' + BAD_TOKEN, '--retries', '0',
                                      'campaigns'])
    assert_one_line_error(err, code, expected, str(status))
    assert out == ''


@pytest.mark.parametrize('body', [b'{"data": null}', b'{"data": []}', b'{"meta": {}}', b'[]', b''])
def test_an_answer_without_the_resource_asked_for_is_patreon_failing(capsys, body):
    # No traceback, and no empty record: exit 8 with one line.
    with CannedServer([(200, JSON_API, body)]) as server:
        code, out, err = run(capsys, ['--base-url', server.url, '--token=' + BAD_TOKEN, 'identity'])
    assert_one_line_error(err, code, EXIT_SERVER)
    assert out == ''


def test_a_page_without_data_is_patreon_failing_not_the_last_page(capsys):
    with CannedServer([(200, JSON_API, b'{"meta": {"pagination": {"total": 300}}}')]) as server:
        code, out, err = run(capsys, ['--base-url', server.url, '--token=' + BAD_TOKEN, 'members', '1',
                                      '--format', 'csv'])
    assert_one_line_error(err, code, EXIT_SERVER, 'JSON:API document')
    assert out.count('\n') <= 1  # at most the CSV header: no member was made up


def test_describe_failure_of_the_remaining_kinds():
    options = _arguments.build_parser().parse_args(['members', '1'])
    assert _exit_status.describe_failure(exceptions.ServerError(503, []), options) == (
        EXIT_SERVER, '503 Service Unavailable')
    assert _exit_status.describe_failure(exceptions.PaginationError('cursor repeats'), options) == (
        EXIT_FAILURE, 'cursor repeats')
    assert _exit_status.describe_failure(ValueError('a bug'), options) is None
    assert _exit_status.describe_failure(requests.ConnectionError('proxy said no'), options) == (
        EXIT_NETWORK, 'cannot connect to https://www.patreon.com (ConnectionError)')
    # A TotalTimeout that names no limit (its default) is still one line, not a TypeError of the format.
    assert _exit_status.describe_failure(exceptions.TotalTimeout('slow'), options) == (
        EXIT_NETWORK, 'no complete answer from https://www.patreon.com in time')
    assert _exit_status.describe_failure(exceptions.TotalTimeout('slow', 2.5), options) == (
        EXIT_NETWORK, 'no complete answer from https://www.patreon.com within 2.5 s')


def test_a_token_echoed_in_a_message_is_hidden(capsys):
    token = 'abcd+efgh/1234'
    body = json.dumps({'errors': [{'status': '400', 'code_name': 'ParameterInvalid',
                                   'detail': 'bad token {} here, or abcd%2Befgh%2F1234'.format(token)}]})
    with CannedServer([(400, JSON_API, body.encode('utf-8'))]) as server:
        code, out, err = run(capsys, ['--base-url', server.url, '--token', token, 'identity'])
    assert_one_line_error(err, code, EXIT_FAILURE, 'bad token *** here, or ***')
    assert 'efgh' not in err and out == ''


def test_ctrl_c_during_a_command(capsys, sandbox, monkeypatch):
    def interrupted(context):
        raise KeyboardInterrupt
    monkeypatch.setattr(_api_commands, 'command_identity', interrupted)
    code, _, err = run(capsys, connected(sandbox, 'identity'))
    assert (code, err) == (EXIT_INTERRUPTED, 'patreon: interrupted\n')


def test_bugs_keep_their_traceback(capsys, sandbox, monkeypatch):
    def broken(context):
        raise RuntimeError('a bug')
    monkeypatch.setattr(_api_commands, 'command_identity', broken)
    with pytest.raises(RuntimeError):
        main(connected(sandbox, 'identity'))


class ClosedPipe(object):
    """A stdout whose reader went away; ``fileno`` is a real descriptor when given."""

    encoding = 'utf-8'

    def __init__(self, fd=None):
        self.fd = fd

    def write(self, text):
        raise IOError(errno.EPIPE, 'Broken pipe')

    def flush(self):
        pass

    def fileno(self):
        if self.fd is None:
            raise io.UnsupportedOperation('fileno')
        return self.fd


def test_a_closed_pipe_ends_quietly(capsys, sandbox, monkeypatch):
    read_end, write_end = os.pipe()
    try:
        monkeypatch.setattr(sys, 'stdout', ClosedPipe(write_end))
        assert main(connected(sandbox, 'identity'), environ={}) == EXIT_OK
        # stdout now points at /dev/null: the pipe has no writer left, so reading it ends at once
        assert os.read(read_end, 10) == b''
    finally:
        os.close(read_end)
        os.close(write_end)
    monkeypatch.setattr(sys, 'stdout', ClosedPipe())
    assert main(connected(sandbox, 'identity'), environ={}) == EXIT_OK
    assert capsys.readouterr()[1] == ''


def test_other_os_errors_are_not_taken_for_a_closed_pipe(sandbox, monkeypatch):
    def disk_full(context):
        raise IOError(errno.ENOSPC, 'No space left on device')
    monkeypatch.setattr(_api_commands, 'command_identity', disk_full)
    with pytest.raises(IOError):
        main(connected(sandbox, 'identity'))


# --- The sandbox and demo commands ---------------------------------------------------------------------------------


def test_sandbox_command_serves_until_ctrl_c(capsys, monkeypatch):
    seen = {}

    def use_then_interrupt():
        banner = capsys.readouterr()[0]
        seen['url'] = re.search(r'listening on (\S+)', banner).group(1)
        token = re.search(r'creator token:\s+(\S+)', banner).group(1)
        assert re.search(r'campaign id:\s+\d+', banner) and 'OAuth client secret:' in banner
        assert 'OAuth redirect URI:  http' in banner and 'Ctrl-C' in banner
        seen['status'] = requests.get(seen['url'] + '/api/oauth2/v2/identity', timeout=10,
                                      headers={'Authorization': 'Bearer ' + token}).status_code
        raise KeyboardInterrupt

    monkeypatch.setattr(_sandbox_command, 'wait_for_interrupt', use_then_interrupt)
    code, _, err = run(capsys, ['sandbox', '--members', '30', '--seed', '5'])
    assert (code, err, seen['status']) == (EXIT_OK, 'sandbox stopped\n', 200)
    with pytest.raises(requests.ConnectionError):
        requests.get(seen['url'] + '/api/oauth2/v2/identity', timeout=10)


def test_sandbox_command_on_a_port_in_use(capsys):
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    try:
        code, out, err = run(capsys, ['sandbox', '--members', '10', '--port', str(port)])
    finally:
        listener.close()
    assert_one_line_error(err, code, EXIT_FAILURE, 'cannot listen on 127.0.0.1:{}: '.format(port))
    assert out == ''


def test_sandbox_banner(sandbox, capsys):
    banner = '\n'.join(_sandbox_command.sandbox_banner(sandbox))
    for value in (sandbox.url, sandbox.campaign_id, sandbox.creator_token, sandbox.creator_refresh_token,
                  sandbox.client_id, sandbox.client_secret, sandbox.redirect_uri):
        assert value in banner
    # What it says to try works as printed: the exports point the command at the sandbox, --base-url or not.
    tried = banner.split('Try:\n')[1].split('\n\n')[0].splitlines()
    environ = dict(line.split('export ', 1)[1].split('=', 1) for line in tried if line.lstrip().startswith('export '))
    assert environ['PATREON_BASE_URL'] == sandbox.url
    command = [line.split() for line in tried if not line.lstrip().startswith('export ')]
    assert command == [['patreon', 'members', sandbox.campaign_id]]
    code, out, err = run(capsys, command[0][1:], environ=environ)
    assert code == 0 and err == '' and len(out.splitlines()) >= 2
    # And an app's settings, as examples/flask_app.py reads them, each the sandbox's own.
    app_lines = banner.split('(examples/flask_app.py reads these):\n')[1].split('\n\n')[0].splitlines()
    settings = dict(pair.split('=', 1) for line in app_lines for pair in line.split()[1:])
    assert settings == {'PATREON_BASE_URL': sandbox.url, 'PATREON_CLIENT_ID': sandbox.client_id,
                        'PATREON_CLIENT_SECRET': sandbox.client_secret, 'PATREON_REDIRECT_URI': sandbox.redirect_uri,
                        'PATREON_CAMPAIGN_ID': sandbox.campaign_id}
    with open(os.path.join(REPO_ROOT, 'examples', 'patron_portal.py')) as portal:
        setting_names = portal.read().split('SETTING_NAMES = ')[1].split(')')[0]
    assert all("'{}'".format(name) in setting_names for name in settings)


def command_line(tmpdir, *args, **popen_options):
    environ = dict(os.environ)
    environ.pop('PATREON_ACCESS_TOKEN', None)
    return subprocess.Popen([sys.executable, '-m', 'patreon'] + list(args), cwd=str(tmpdir), env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen_options)


def sandbox_url_from_banner(process):
    """Read a ``patreon sandbox`` subprocess's banner to its end; the URL it listens on."""
    lines = []
    while not lines or 'Ctrl-C' not in lines[-1]:
        line = process.stdout.readline().decode('utf-8')
        assert line, 'the sandbox ended before printing its banner'
        lines.append(line)
    return re.search(r'listening on (\S+)', lines[0]).group(1)


def _inherited(dispositions):
    # What a parent leaves a child: `make test &` in a non-interactive shell starts it with SIGINT ignored.
    def preexec():
        for signum, disposition in dispositions.items():
            signal.signal(signum, disposition)
    return preexec


@pytest.mark.parametrize('sent, inherited', [
    (signal.SIGINT, {}),
    (signal.SIGINT, {signal.SIGINT: signal.SIG_IGN}),
    (signal.SIGTERM, {signal.SIGINT: signal.SIG_IGN}),
    (signal.SIGHUP, {}),
], ids=['sigint', 'sigint-inherited-ignored', 'sigterm', 'sighup'])
def test_sandbox_subprocess_stops_cleanly_on_a_stop_signal(tmpdir, sent, inherited):
    # The signal sent starts at its default unless the case inherits it otherwise: however the suite was started
    # (nohup ignores SIGHUP, a background job SIGINT), the case is the one its name says.
    dispositions = {sent: signal.SIG_DFL}
    dispositions.update(inherited)
    process = command_line(tmpdir, 'sandbox', '--members', '20', preexec_fn=_inherited(dispositions))
    try:
        url = sandbox_url_from_banner(process)
        assert requests.get(url + '/api/oauth2/v2/identity', timeout=10).status_code == 401
        process.send_signal(sent)
        out, err = process.communicate()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == EXIT_OK
    assert err.decode('utf-8') == 'sandbox stopped\n'


def test_a_sandbox_under_nohup_outlives_its_terminal(tmpdir):
    # SIGHUP inherited as ignored is nohup's request: the sandbox keeps serving, and SIGTERM still stops it.
    process = command_line(tmpdir, 'sandbox', '--members', '5', preexec_fn=_inherited({signal.SIGHUP: signal.SIG_IGN}))
    try:
        url = sandbox_url_from_banner(process)
        process.send_signal(signal.SIGHUP)
        # Served after the hang-up: the signal was ignored (a request, not a sleep, proves it was delivered first).
        assert requests.get(url + '/api/oauth2/v2/identity', timeout=10).status_code == 401
        assert process.poll() is None
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, err.decode('utf-8')) == (EXIT_OK, 'sandbox stopped\n')


def test_members_subprocess_writes_utf8_whatever_the_locale(tmpdir, sandbox, members):
    names, total = members
    process = command_line(tmpdir, '--base-url', sandbox.url, '--token=' + sandbox.creator_token, 'members',
                           sandbox.campaign_id, '--format', 'csv', '--fields', 'full_name')
    out, err = process.communicate()
    assert (process.returncode, err) == (EXIT_OK, b'')
    rows = parse_csv(out.decode('utf-8'))
    assert dict((row[0], row[1]) for row in rows[1:]) == names and len(rows) == total + 1


def test_demo_command(capsys, monkeypatch):
    code, out, _ = run(capsys, ['demo', '--members', '60', '--seed', '3'])
    assert code == EXIT_OK and '11/11 steps passed' in out
    import patreon.cli._demo
    monkeypatch.setattr(patreon.cli._demo, 'run_demo', lambda members, seed, out: False)
    assert run(capsys, ['demo'])[0] == EXIT_FAILURE


# --- Output building blocks ----------------------------------------------------------------------------------------


def test_cells():
    assert _formats.cell_text(None) == ''
    assert _formats.cell_text(True) == 'true' and _formats.cell_text(False) == 'false'
    assert _formats.cell_text(['a', 2, None]) == 'a; 2; '
    assert _formats.cell_text({'discord': None}) == '{"discord":null}'
    assert _formats.cell_text(1500) == '1500'
    assert _formats.json_text({'name': 'Zo\xeb'}) == '{"name":"Zo\xeb"}'


def test_a_cell_of_lists_nested_hundreds_deep_is_written_not_a_recursion_error():
    nested = json.loads('["a", ' + '[' * 700 + '"deep", 1' + ']' * 700 + ', ["x", ["y"]]]')  # as an answer is

    assert _formats.cell_text(nested) == 'a; deep; 1; x; y'
    assert _formats.cell_text(['a', ['b', ['c']], 'd']) == 'a; b; c; d'


def test_display_width():
    assert display_width('abc') == 3
    assert display_width('\u5c71\u7530') == 4
    assert display_width('e\u0301') == 1  # a combining accent takes no column
    if sys.maxunicode > 0xffff:  # a narrow Python 2 build sees an emoji as two surrogates
        assert display_width('\U0001f3a7') == 2


def test_formats_of_records():
    records = [collections.OrderedDict([('id', '1'), ('name', 'Zo\xeb, "Z"'), ('tiers', ['A', 'B'])]),
               collections.OrderedDict([('id', '22'), ('name', '\u5c71\u7530\nline'), ('tiers', [])])]
    columns = ['id', 'name', 'tiers']

    def written(output_format):
        stream = io.StringIO()
        assert _formats.write_records(iter(records), columns, output_format, ConsoleWriter(stream)) == 2
        return stream.getvalue()

    assert parse_csv(written('csv')) == [columns, ['1', 'Zo\xeb, "Z"', 'A; B'], ['22', '\u5c71\u7530\nline', '']]
    assert [json.loads(line) for line in written('jsonl').splitlines()] == [dict(record) for record in records]
    assert written('table').splitlines() == [
        'id  name        tiers',
        '--  ----------  -----',
        '1   Zo\xeb, "Z"    A; B',
        '22  \u5c71\u7530\\nline',  # the line break shown, not made
    ]


def test_empty_lists():
    for output_format, expected in (('jsonl', ''), ('csv', 'id\n'), ('table', 'id\n--\n')):
        stream = io.StringIO()
        assert _formats.write_records([], ['id'], output_format, ConsoleWriter(stream)) == 0
        assert stream.getvalue() == expected


def test_a_page_without_pagination_meta():
    class Page(object):
        json_data = {'data': {'type': 'user', 'id': '1'}}

        def data(self):
            return patreon.jsonapi.parser.JSONAPIParser(self.json_data).data()
    assert _api_commands._page_total(Page()) is None
    progress = Progress('users', ConsoleWriter(io.StringIO()), enabled=False)
    assert [[resource.id() for resource in resources]
            for resources in _api_commands._Listing([Page()], progress).pages_of_resources()] == [['1']]


# --- Text that has no encoding: a usage error in, U+FFFD out ------------------------------------------------------

def test_an_argument_that_is_not_text_in_the_locale_is_a_usage_error(tmpdir):
    # `patreon members $'\xff'`: Python 3 reads it as '\udcff', which no id holds and no URL can carry.
    process = command_line(tmpdir, '--base-url', 'http://127.0.0.1:9', '--token=' + BAD_TOKEN, 'members',
                           b'\xff')
    out, err = process.communicate()
    assert process.returncode == EXIT_USAGE and out == b''
    text = err.decode('utf-8')
    assert text.startswith('patreon: error: argument ') and text.count('\n') == 1 and 'Traceback' not in text


SURROGATE_USER = b'{"data": {"type": "user", "id": "1", "attributes": {"full_name": "\\ud800 x"}}}'
SURROGATE_MEMBERS = (b'{"data": [{"type": "member", "id": "1", "attributes": {"full_name": "\\udcff x"}}], '
                     b'"meta": {"pagination": {"cursors": {"next": null}, "total": 1}}}')


@pytest.mark.parametrize('body, args', [
    (SURROGATE_USER, ['identity', '--format', 'table']),
    (SURROGATE_MEMBERS, ['members', '1', '--format', 'csv', '--no-progress']),
])
def test_a_lone_surrogate_in_an_answer_is_written_as_a_replacement_character(capsys, body, args):
    with CannedServer([(200, JSON_API, body)]) as server:
        code, out, err = run(capsys, ['--base-url', server.url, '--token=' + BAD_TOKEN] + args)
    assert (code, err) == (EXIT_OK, '')
    assert '\ufffd x' in out and '\ud800' not in out and '\udcff' not in out


def test_jsonl_keeps_a_lone_surrogate_exact_as_its_escape(capsys):
    with CannedServer([(200, JSON_API, SURROGATE_USER)]) as server:
        code, out, err = run(capsys, ['--base-url', server.url, '--token=' + BAD_TOKEN, 'identity', '--format',
                                      'jsonl'])
    assert (code, err) == (EXIT_OK, '')
    assert '"\\ud800 x"' in out and json.loads(out)['full_name'] == '\ud800 x'
