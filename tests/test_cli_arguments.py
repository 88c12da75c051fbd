# -*- coding: utf-8 -*-
"""Every bad input of the command line is one line on stderr and a documented exit status, never a traceback:
options and the environment are checked where they are given, and a property test feeds the parser anything."""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import io
import os
import re
import shutil
import sys
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patreon
import patreon.cli._demo
import patreon.sandbox
from patreon.cli import EXIT_OK, EXIT_RATE_LIMITED, EXIT_USAGE, _context, _exit_status, _sandbox_command, main
from patreon.sandbox import Sandbox

from canned import CannedServer

TOKEN = 'argument-test-token-0123456789'
DOCUMENTED = set(code for code, _ in _exit_status.EXIT_STATUSES)


def run(capsys, args, environ=None):
    code = main(list(args), environ={} if environ is None else environ)
    out, err = capsys.readouterr()
    return code, out, err


def assert_usage_error(code, out, err, *fragments):
    assert code == EXIT_USAGE and out == ''
    assert err.startswith('patreon: error: ') and err.count('\n') == 1 and err.endswith('\n')
    for fragment in fragments:
        assert fragment in err


@pytest.mark.parametrize('args, fragment', [
    (['--timeout', 'inf', 'identity'], '--timeout'),
    (['--timeout', 'nan', 'identity'], '--timeout'),
    (['--timeout', '1e20', 'identity'], '--timeout'),
    (['--timeout', '1e400', 'identity'], '--timeout'),
    (['--timeout', '0.0000001', 'identity'], '--timeout'),
    (['--retries', '100000000000', 'identity'], '--retries'),
    (['--retries', '11', 'identity'], 'from 0 to 10'),
    (['members', '1', '--page-size', '1001'], '--page-size'),
    (['members', '1', '--page-size', '9' * 400], 'not a whole number'),
    (['sandbox', '--port', '70000'], 'from 0 to 65535'),
    (['sandbox', '--port', '-1'], '--port'),
    (['sandbox', '--members', '100000000000000'], '--members'),
    (['sandbox', '--seed', '9' * 30], '--seed'),
    (['demo', '--members', '100001'], '--members'),
    (['demo', '--seed', '1.5'], 'not a whole number'),
    (['--base-url', 'http://[::1', 'identity'], 'no valid host'),
    (['--base-url', 'http://example.org:99999', 'identity'], 'no valid host'),
    (['--base-url', 'http://example.org:', 'identity'], 'no valid host'),
    (['--base-url', 'http://a..b', 'identity'], 'no valid host'),
    (['--base-url', 'http://example.org/?x=1', 'identity'], 'query'),
    (['--base-url', 'http://exa mple.org', 'identity'], 'not an http'),
    (['members', '1', '--format', 'x\x1b[2J'], 'x\\x1b[2J'),
    (['members', '1', '--fields', 'full_name,\x1b]0;title\x07'], '\\x1b]0;title\\x07'),
    (['identity', '--timeout', '\x1b[31m'], '\\x1b[31m'),
])
def test_bad_options_are_one_line_usage_errors(capsys, args, fragment):
    code, out, err = run(capsys, ['--token=' + TOKEN] + args)
    assert_usage_error(code, out, err, fragment)
    assert '\x1b' not in err and '\x07' not in err


def test_a_url_with_credentials_is_refused_without_showing_them(capsys):
    code, out, err = run(capsys, ['--base-url', 'https://user:hunter2-password@example.org', 'identity'])
    assert_usage_error(code, out, err, 'user or password')
    assert 'hunter2' not in err


@pytest.mark.parametrize('token', ['\u20ac' + 'x' * 20, 'tok\u4e00en-0123456789', 'token\x1b[2J0123456789',
                                   'token\n0123456789', '   ', 'tok\udcffen0123456789'])
@pytest.mark.parametrize('where', ['option', 'environment'])
def test_tokens_that_cannot_be_sent_are_usage_errors(capsys, token, where):
    args = ['--base-url', 'http://127.0.0.1:9', 'identity']
    if where == 'option':
        code, out, err = run(capsys, ['--token=' + token] + args)
    else:
        code, out, err = run(capsys, args, environ={'PATREON_ACCESS_TOKEN': token})
    if token.strip() and '\udcff' in token and where == 'option':
        assert_usage_error(code, out, err, 'argument')  # not text in the locale's encoding
    else:
        assert_usage_error(code, out, err, 'token')
    assert token.strip() not in err or not token.strip()


@pytest.mark.parametrize('retry_after', ['inf', 'nan', '1e400', '-5', '99999999999999999999', '0x10',
                                         'Wed, 99 Foo 2026 99:99:99 GMT', '1,5', ''])
@pytest.mark.parametrize('retries', ['0', '1'])
def test_a_retry_after_the_client_cannot_use_is_a_rate_limit_line(capsys, retry_after, retries):
    headers = {str('Content-Type'): str('application/vnd.api+json'), str('Retry-After'): str(retry_after)}
    body = b'{"errors": [{"status": "429", "code_name": "RequestThrottled", "retry_after_seconds": "' + \
        retry_after.encode('utf-8') + b'"}]}'
    with CannedServer([(429, headers, body)]) as server:
        code, out, err = run(capsys, ['--base-url', server.url, '--token=' + TOKEN, '--retries', retries,
                                      '--timeout', '5', 'identity'])
    assert code == EXIT_RATE_LIMITED and out == ''
    assert err.startswith('patreon: error: 429') and err.count('\n') == 1


def test_help_texts(capsys):
    for command, expected in ((['members'], 'members per request'), (['posts'], 'posts per request'),
                              (['campaigns'], 'campaigns per request'), (['webhooks', 'list'], 'webhooks per request')):
        assert main(command + ['--help'], environ={}) == EXIT_OK
        assert expected in ' '.join(capsys.readouterr()[0].split())
    for command, description, defaults in ((['sandbox'], 'Run a local Patreon', ['(default: 1000)', '(default: 0)']),
                                           (['demo'], "Run an app's whole journey", ['(default: 2500)',
                                                                                     '(default: 7)'])):
        main(command + ['--help'], environ={})
        text = ' '.join(capsys.readouterr()[0].split())
        assert description in text and all(default in text for default in defaults)
        assert '(default: None)' not in text  # an option the command defaults itself says its default once
        if command == ['sandbox']:
            assert text.count('(default: ') == 5 and '(default: http://localhost:8000/oauth/redirect)' in text
    main(['identity', '--help'], environ={})
    text = ' '.join(capsys.readouterr()[0].split())
    assert 'By default it is read from the environment variable PATREON_ACCESS_TOKEN' in text


def test_usage_errors_are_one_line(capsys):
    code, out, err = run(capsys, ['members'])
    assert_usage_error(code, out, err, "(see 'patreon members --help')")
    assert 'usage:' not in err


# --- Property: whatever the arguments, a result, a usage error or a documented failure -------------------------

WORDS = ['identity', 'campaigns', 'members', 'posts', 'webhooks', 'list', 'create', 'update', 'delete', 'sandbox',
         'demo', '--token', '--base-url', '--timeout', '--retries', '--format', '-o', '--output', '--raw-csv',
         '--fields', '--include', '--page-size', '--progress', '--no-progress', '--members', '--port', '--seed',
         '--campaign', '--uri', '--trigger', '--paused', '--unpaused', '--help', '-h', '--version', 'csv', 'jsonl',
         'table', 'inf', 'nan', '1e20', '-1', '0', '1', '7', '70000', '0.01', 'full_name', 'email', 'user',
         'currently_entitled_tiers', 'pledge_history', 'http://127.0.0.1:1', 'ftp://x', 'http://[::1', 'out.csv',
         'members:pledge:create', '--token=\u20ac\u4e00', '--token=' + TOKEN, '\x1b[2J', '\udcff', 'x\ny', '--',
         '-', 'sandbox-control', 'overview', 'users', 'log-in-as', 'pledge', 'update-pledge', 'cancel-pledge',
         'end-period', 'publish-post', 'expire-tokens', 'fault', 'clear-faults', '--sandbox-url', '--key',
         '--control-key', '--redirect-uri', '--login-page', '--kind', '--user', '--count', '--option', '--private',
         '--tier', '--content', 'annual', 'gift', 'identity', '*', 'rate_limit', 'json_server_error', 'maintenance',
         'status=503', 'retry_after=0', 'SANDBOX_URL', 'CONTROL_KEY', 'TIER', 'MEMBER', 'USER']
TEXT = st.text(alphabet=st.characters(blacklist_categories=('Cs',), blacklist_characters='/\\'), max_size=10)
ARGUMENT = st.one_of(st.sampled_from(WORDS), TEXT)
CAMPAIGN = 'CAMPAIGN'  # the sandbox's campaign id, put in by the test
COMMANDS = [['identity'], ['campaigns'], ['members', CAMPAIGN], ['posts', CAMPAIGN], ['webhooks', 'list'],
            ['webhooks', 'create', '--campaign', CAMPAIGN, '--uri', 'http://127.0.0.1:9/hook', '--trigger',
             'members:pledge:create'], ['webhooks', 'update', '1', '--paused'], ['webhooks', 'delete', '1'],
            ['sandbox'], ['demo'], ['sandbox-control', 'overview'], ['sandbox-control', 'users'],
            ['sandbox-control', 'log-in-as', 'USER'], ['sandbox-control', 'pledge', 'TIER'],
            ['sandbox-control', 'update-pledge', 'MEMBER', 'TIER'], ['sandbox-control', 'cancel-pledge', 'MEMBER'],
            ['sandbox-control', 'end-period', 'MEMBER'],
            ['sandbox-control', 'publish-post', 'A title'], ['sandbox-control', 'expire-tokens'],
            ['sandbox-control', 'fault', 'identity', 'rate_limit'], ['sandbox-control', 'fault', '*', 'maintenance'],
            ['sandbox-control', 'clear-faults']]
# The placeholders a test replaces with the controlled sandbox's own values.
PLACEHOLDERS = ('SANDBOX_URL', 'CONTROL_KEY', 'TIER', 'MEMBER', 'USER')
VALUES = {
    '--format': ['csv', 'jsonl', 'table'], '--fields': ['full_name', 'email,full_name', 'title', 'id'],
    '--include': ['user', 'currently_entitled_tiers', 'pledge_history,address', 'tiers'],
    '--page-size': ['1', '2', '500', '1000', '1001'], '--timeout': ['5', '0.0001', 'inf', '1e20'],
    '--retries': ['0', '10', '11'], '--members': ['0', '3', '100001'], '--port': ['0', '65535', '70000'],
    '--seed': ['1', '-1', '9' * 25], '--base-url': ['http://127.0.0.1:9', 'http://[::1', 'https://u:p@h'],
    '--token': ['\u20ac\u4e00', TOKEN, ' '], '-o': ['out.csv', 'out.jsonl', 'missing/out.csv', '.'],
    '--sandbox-url': ['SANDBOX_URL', 'http://127.0.0.1:1', 'http://example.org', 'http://u:p@127.0.0.1'],
    '--key': ['CONTROL_KEY', 'wrong-control-key', '\u20ac\u4e00', ' '],
    '--control-key': ['CONTROL_KEY', 'short', 'a-long-enough-key', '\u20ac\u4e00'],
    '--redirect-uri': ['http://localhost:5000/cb', 'http://127.0.0.1/cb?x=1', 'http://x/#f', 'ftp://x', '/cb'],
    '--kind': ['monthly', 'annual', 'gift', 'free_trial', 'weekly'], '--user': ['USER', '0', ' '],
    '--count': ['1', '3', '0', '1000001'], '--option': ['status=503', 'retry_after=0', 'seconds=1e400', 'x'],
    '--tier': ['TIER', '1'], '--content': ['<p>hi</p>', ''],
}
FLAGS = ['--raw-csv', '--progress', '--no-progress', '--help', '--version', '--login-page', '--private']
CONNECTION = ['--base-url', '--retries', '--timeout', '--token']


def option(names, flags):
    """A list of one option among ``names`` with a value (mostly a sensible one), or of one of ``flags``."""
    return st.one_of(st.sampled_from(names).flatmap(lambda name: st.tuples(st.just(name), st.one_of(
        st.sampled_from(VALUES[name]), st.sampled_from(VALUES[name]), st.sampled_from(VALUES[name]),
        TEXT))).map(list), st.sampled_from(flags).map(lambda flag: [flag]))


COMMAND_LINE = st.tuples(st.lists(option(CONNECTION, ['--help']), max_size=2), st.sampled_from(COMMANDS),
                         st.lists(option(sorted(VALUES), FLAGS), max_size=3)).map(
    lambda parts: sum(parts[0], []) + parts[1] + sum(parts[2], []))
ARGUMENTS = st.one_of(COMMAND_LINE, COMMAND_LINE, st.lists(ARGUMENT, max_size=8))


class FakeSandbox(object):
    """Stands in for the sandbox of ``patreon sandbox`` (whose --members may ask for 100000)."""

    url = 'http://127.0.0.1:1'
    control_url = url + '/sandbox/'
    campaign_id = creator_user_id = client_id = '1'
    creator_token = creator_refresh_token = client_secret = 'fake-sandbox-credential'
    redirect_uri = 'http://127.0.0.1:1/callback'
    tier_ids = ['2']
    world = collections.namedtuple('World', 'tiers')({'2': collections.namedtuple('Tier', 'id title amount_cents')(
        '2', 'Supporter', 300)})

    def __init__(self, members, seed, port, redirect_uris=None, login_page=False, control_key=None):
        self.client = collections.namedtuple('Client', 'redirect_uris')(redirect_uris or [self.redirect_uri])
        self.control_key = control_key or 'fake-random-control-key'

    @staticmethod
    def login_users():
        return [{'role': 'creator', 'user_id': '1', 'full_name': 'Creator', 'member_id': None, 'tier_id': None,
                 'tier_title': None}]

    def start(self):
        return self

    def stop(self):
        pass


class Patched(object):
    """The network part faked: every client goes to one real sandbox, without retries; sandbox and demo faked."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.saved = []

    def __enter__(self):
        sandbox = self.sandbox

        def api(token, **options):
            options.update(base_url=sandbox.url, retry=None)
            return patreon.API(token, **options)

        def interrupted():
            raise KeyboardInterrupt

        for owner, name, value in ((_context, 'API', api), (_sandbox_command, 'wait_for_interrupt', interrupted),
                                   (patreon.sandbox, 'Sandbox', FakeSandbox),
                                   (patreon.cli._demo, 'run_demo', lambda members, seed, out: members % 2 == 0)):
            self.saved.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)
        return self

    def __exit__(self, *exc_info):
        for owner, name, value in reversed(self.saved):
            setattr(owner, name, value)


@pytest.fixture(scope='module')
def faked():
    with Sandbox(members=12, seed=3) as sandbox:
        with Patched(sandbox):
            yield sandbox


@pytest.fixture(scope='module')
def controlled():
    """The sandbox that ``patreon sandbox-control`` drives (the API commands' one keeps its tokens)."""
    with Sandbox(members=12, seed=4) as sandbox:
        yield sandbox


@settings(max_examples=300, deadline=None)
@given(arguments=ARGUMENTS, with_token=st.sampled_from([True, True, True, False]),
       with_sandbox=st.sampled_from([True, True, True, False]))
def test_any_arguments_end_in_a_result_a_usage_error_or_a_documented_failure(faked, controlled, arguments,
                                                                           with_token, with_sandbox):
    member = [user for user in controlled.login_users() if user['member_id']][-1]
    values = dict(zip(PLACEHOLDERS, (controlled.url, controlled.control_key, controlled.tier_ids[2],
                                     member['member_id'], member['user_id'])), CAMPAIGN=faked.campaign_id)
    arguments = [values.get(argument, argument) for argument in arguments]
    environ = {'PATREON_ACCESS_TOKEN': faked.creator_token} if with_token else {}
    if with_sandbox:
        environ.update(PATREON_SANDBOX_URL=controlled.url, PATREON_SANDBOX_KEY=controlled.control_key)
    directory = tempfile.mkdtemp()
    saved = os.getcwd(), sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    try:
        os.chdir(directory)  # where a relative -o FILE goes
        sys.stdout, sys.stderr = out, err
        code = main(arguments, environ=environ)  # a bug raises here, and fails the test
    finally:
        os.chdir(saved[0])
        sys.stdout, sys.stderr = saved[1], saved[2]
        leftovers = os.listdir(directory)
        shutil.rmtree(directory)
    assert code in DOCUMENTED
    errors = err.getvalue()
    assert 'Traceback' not in errors
    if code != EXIT_OK and errors:  # (the faked demo fails with its report only, on stdout)
        assert errors.startswith('patreon: ') and errors.count('\n') == 1, errors
    else:
        assert code == EXIT_OK or (code == _exit_status.EXIT_FAILURE and arguments.count('demo'))
    assert all(not name.endswith('.part') for name in leftovers)  # no temporary file left behind


def test_the_documented_exit_statuses_are_those_main_returns():
    import patreon.cli
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with io.open(os.path.join(root, 'docs', 'cli.md'), encoding='utf-8') as handle:
        page = handle.read()
    in_docs = set(int(code) for code in re.findall(r'^\| (\d+) \|', page, re.M))
    in_docstring = set(int(code) for code in re.findall(r'^(\d+) {2,}', patreon.cli.__doc__, re.M))
    assert in_docs == in_docstring == DOCUMENTED


@pytest.mark.parametrize('name', ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
def test_certificates_named_by_the_environment_that_do_not_exist_are_a_usage_error(capsys, monkeypatch, name):
    monkeypatch.setenv(name, '/nonexistent/ca-bundle.pem')
    code, out, err = run(capsys, ['--token=' + TOKEN, '--base-url', 'https://127.0.0.1:9', 'identity'])
    assert_usage_error(code, out, err, '$' + name, '/nonexistent/ca-bundle.pem')
