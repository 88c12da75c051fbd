"""The pytest plugin (patreon/pytest_plugin.py): fixtures patreon_sandbox and patreon_api, in pytest runs of their own.

Each test writes a small project (test files, an app) and runs pytest on it in this process, through pytest's own
``pytester`` fixture (``testdir`` on pytest 4.6, the last series for Python 2.7). The plugin is named with ``-p``:
the entry point loads it only where the package is installed, which test_entry_point_loads_the_plugin checks.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import os
import re
import subprocess
import sys
import textwrap

import pytest

# Imported before pytester changes directory: `python -m pytest` on Python 2 imports the package by a relative path.
import patreon.entitlements  # noqa: F401
import patreon.pytest_plugin  # noqa: F401
import patreon.sandbox  # noqa: F401
import patreon.webhooks  # noqa: F401
from patreon import endpoint

from helpers import REPO_ROOT, doc_pages

pytest_plugins = ['pytester']

try:
    import flask
except ImportError:  # Flask and Django are test dependencies on Python 3.8+ only
    flask = None
try:
    import django
except ImportError:
    django = None

EXAMPLES = os.path.join(REPO_ROOT, 'examples')

PLUGIN_ARGS = ('-p', 'patreon.pytest_plugin', '-p', 'no:cacheprovider', '--strict-markers')
OUTCOMES = ('passed', 'failed', 'errors', 'skipped')


@pytest.fixture
def project(request):
    """pytest's pytester (testdir before pytest 6.2): a directory to write a project in, and pytest to run there."""
    return request.getfixturevalue('pytester' if hasattr(pytest, 'Pytester') else 'testdir')  # Pytester: 6.2+


def run(project, *args):
    """Run pytest on the project with the plugin; returns the result and its outcomes, e.g. ``{'passed': 2}``."""
    result = project.runpytest(*(PLUGIN_ARGS + args))
    counts = dict(('errors' if name == 'error' else name, count) for name, count in result.parseoutcomes().items())
    return result, dict((name, counts[name]) for name in OUTCOMES if counts.get(name))


def write(project, **files):
    project.makepyfile(**dict((name, textwrap.dedent(text)) for name, text in files.items()))


def test_done_when_a_test_asks_for_patreon_api_and_nothing_else(project):
    write(project, test_x='''
        def test_x(patreon_api):
            assert patreon_api.get_identity().data().id()
    ''')
    result, outcomes = run(project)
    assert outcomes == {'passed': 1}, result.stdout.str()


def test_the_sandbox_runs_during_the_test_only_and_clients_follow_it(project):
    write(project, test_life='''
        import patreon
        from patreon.sandbox import Sandbox

        early = patreon.API('a-token-of-production')  # like a client an app creates when imported
        seen = []

        def test_during(patreon_sandbox, patreon_api):
            assert isinstance(patreon_sandbox, Sandbox)
            assert patreon_api.transport.base_url == patreon_sandbox.url
            assert patreon.API('t').transport.base_url == early.transport.base_url == patreon_sandbox.url
            oauth = patreon.OAuth(patreon_sandbox.client_id, patreon_sandbox.client_secret)
            assert oauth.get_authorization_url(patreon_sandbox.redirect_uri).startswith(patreon_sandbox.url)
            assert 'access_token' in oauth.refresh_token(patreon_sandbox.creator_refresh_token)
            seen.append(patreon_sandbox)

        def test_after():
            assert early.transport.base_url == 'https://www.patreon.com'
            try:
                seen[0].url
            except RuntimeError:
                pass  # stopped
            else:
                raise AssertionError('the sandbox still runs')
    ''')
    result, outcomes = run(project)
    assert outcomes == {'passed': 2}, result.stdout.str()
    assert endpoint.default_base_url() == 'https://www.patreon.com'


def test_a_marker_sets_the_sandbox_and_the_closest_marker_wins(project):
    write(project, test_marker='''
        import pytest
        from patreon.sandbox import Sandbox

        pytestmark = pytest.mark.patreon_sandbox(members=7, seed=1)

        def count(api, campaign_id):
            return sum(1 for _ in api.paginate(api.get_campaigns_by_id_members, campaign_id, page_size=100))

        def test_module_marker(patreon_sandbox, patreon_api):
            assert count(patreon_api, patreon_sandbox.campaign_id) == 7
            assert patreon_sandbox.client_id == Sandbox(members=7, seed=1).client_id

        @pytest.mark.patreon_sandbox(members=50, seed=3)
        def test_own_marker(patreon_sandbox, patreon_api):
            assert count(patreon_api, patreon_sandbox.campaign_id) == 50
            assert patreon_sandbox.client_id == Sandbox(members=50, seed=3).client_id
            assert patreon_sandbox.client_id != Sandbox(members=50, seed=4).client_id

        @pytest.mark.patreon_sandbox(rate_limit=(1, 60.0))
        def test_other_options_reach_the_sandbox(patreon_sandbox, patreon_api):
            assert patreon_sandbox.rate_limiter is not None
            assert count(patreon_api, patreon_sandbox.campaign_id) == 7  # members from the module's marker
    ''')
    result, outcomes = run(project)
    assert outcomes == {'passed': 3}, result.stdout.str()


def test_the_seed_option_sets_the_seed_of_unmarked_tests(project):
    write(project, test_seed='''
        import pytest
        from patreon.sandbox import Sandbox

        def test_unmarked(patreon_sandbox):
            assert patreon_sandbox.client_id == Sandbox(seed=5).client_id

        @pytest.mark.patreon_sandbox(seed=2)
        def test_marked(patreon_sandbox):
            assert patreon_sandbox.client_id == Sandbox(seed=2).client_id
    ''')
    result, outcomes = run(project, '--patreon-seed', '5')
    assert outcomes == {'passed': 2}, result.stdout.str()
    result.stdout.fnmatch_lines(['patreon sandbox seed: 5'])
    result, outcomes = run(project)
    assert outcomes == {'passed': 1, 'failed': 1}, result.stdout.str()  # unmarked: seed 0, not 5
    result.stdout.fnmatch_lines(['patreon sandbox seed: 0 (the default*'])  # the README: the header always says it


def test_an_exported_base_url_names_the_sandbox_during_a_test_and_the_header_says_it_is_set(project, monkeypatch):
    # the README's manual test has users export PATREON_BASE_URL, which its apps read as their setting
    monkeypatch.setenv(str('PATREON_BASE_URL'), str('http://127.0.0.1:9'))
    write(project, test_env='''
        import os

        def test_during(patreon_sandbox):
            assert os.environ['PATREON_BASE_URL'] == patreon_sandbox.url

        def test_after():
            assert os.environ['PATREON_BASE_URL'] == 'http://127.0.0.1:9'
    ''')
    result, outcomes = run(project)
    assert outcomes == {'passed': 2}, result.stdout.str()
    result.stdout.fnmatch_lines(['patreon: $PATREON_BASE_URL is set; *unset it for pytest'])
    assert '127.0.0.1:9' not in ''.join(line for line in result.stdout.lines if line.startswith('patreon'))
    monkeypatch.delenv(str('PATREON_BASE_URL'))
    write(project, test_env='''
        import os

        def test_during(patreon_sandbox):
            assert os.environ['PATREON_BASE_URL'] == patreon_sandbox.url

        def test_after():
            assert 'PATREON_BASE_URL' not in os.environ
    ''')
    result, outcomes = run(project)
    assert outcomes == {'passed': 2}, result.stdout.str()
    assert 'PATREON_BASE_URL' not in result.stdout.str()


def test_a_marker_with_positional_arguments_is_an_error_that_says_so(project):
    write(project, test_bad='''
        import pytest

        @pytest.mark.patreon_sandbox(50)
        def test_x(patreon_sandbox):
            pass
    ''')
    result, outcomes = run(project)
    assert outcomes == {'errors': 1}, result.stdout.str()
    result.stdout.fnmatch_lines(['*takes keyword arguments only*'])


def test_a_client_that_would_reach_patreon_fails_the_test_even_if_the_app_catches_the_error(project):
    write(project, test_escape='''
        import patreon

        def test_uncaught(patreon_sandbox):
            patreon.OAuth('id', 'secret', base_url='https://www.patreon.com').get_tokens('code', 'https://a.example/cb')

        def test_swallowed(patreon_sandbox):
            try:
                patreon.API('t', base_url='https://www.patreon.com').get_identity()
            except Exception:
                pass  # an app that shows "Patreon is unreachable" and goes on
    ''')
    result, outcomes = run(project)
    # Both fail at teardown; the first also in its call, with the RealPatreonBlocked it did not catch.
    assert outcomes == {'failed': 1, 'passed': 1, 'errors': 2}, result.stdout.str()
    text = result.stdout.str()
    assert 'RealPatreonBlocked' in text
    assert len(re.findall(r'tried to reach the real Patreon 1 time\(s\) during the test', text)) >= 2


def test_the_sandbox_can_be_driven_from_the_test(project):
    write(project, test_drive='''
        import pytest
        import patreon
        from patreon.exceptions import RateLimited, Unauthorized

        def test_events_tokens_and_faults(patreon_sandbox, patreon_api):
            member_id = patreon_sandbox.pledge(patreon_sandbox.tier_ids[1])
            assert patreon_api.get_members_by_id(member_id).data().id() == member_id

            token = patreon_sandbox.issue_tokens()['access_token']
            patreon_sandbox.expire_access_token(token)
            with pytest.raises(Unauthorized):
                patreon.API(token, raise_errors=True).get_identity()

            patreon_sandbox.inject_fault('identity', 'rate_limit', count=1, retry_after=30)
            with pytest.raises(RateLimited) as caught:
                patreon.API(patreon_sandbox.creator_token, raise_errors=True, retry=None).get_identity()
            assert caught.value.retry_after == 30
    ''')
    result, outcomes = run(project)
    assert outcomes == {'passed': 1}, result.stdout.str()


SCRIPT = '''
    """Prints how many members a campaign has."""
    import os
    import sys

    import patreon


    def main(argv):
        api = patreon.API(os.environ['PATREON_ACCESS_TOKEN'], raise_errors=True)
        members = api.paginate(api.get_campaigns_by_id_members, argv[0], page_size=100)
        print('{} members'.format(sum(1 for _ in members)))
        return 0


    if __name__ == '__main__':
        sys.exit(main(sys.argv[1:]))
'''


def test_a_script_is_tested_unchanged(project):
    write(project, count_members=SCRIPT, test_script='''
        import pytest

        import count_members

        @pytest.mark.patreon_sandbox(members=120)
        def test_counts_every_member(patreon_sandbox, monkeypatch, capsys):
            monkeypatch.setenv('PATREON_ACCESS_TOKEN', patreon_sandbox.creator_token)
            assert count_members.main([patreon_sandbox.campaign_id]) == 0
            assert capsys.readouterr().out == '120 members\\n'
    ''')
    project.syspathinsert()
    result, outcomes = run(project)
    assert outcomes == {'passed': 1}, result.stdout.str()


FLASK_APP = '''
    """Log in with Patreon, a page for patrons of a tier or more, and a webhook receiver."""
    import flask

    import patreon
    from patreon.entitlements import REQUIRED_FIELDS, is_active_patron
    from patreon.exceptions import InvalidWebhook
    from patreon.oauth import check_state, make_state
    from patreon.webhooks import parse_webhook


    def create_app(config):
        app = flask.Flask(__name__)
        app.config.update(config)
        oauth = patreon.OAuth(config['CLIENT_ID'], config['CLIENT_SECRET'])  # base_url left to its default
        app.pledges = []

        @app.route('/login')
        def login():
            flask.session['state'] = make_state()
            return flask.redirect(oauth.get_authorization_url(
                config['REDIRECT_URI'], scopes=['identity', 'identity.memberships', 'campaigns'],
                state=flask.session['state']))

        @app.route('/oauth/redirect')
        def oauth_redirect():
            if not check_state(flask.session.pop('state', None), flask.request.args.get('state')):
                flask.abort(403)
            tokens = oauth.get_tokens(flask.request.args.get('code'), config['REDIRECT_URI'])
            if 'error' in tokens:
                flask.abort(400)
            flask.session['access_token'] = tokens['access_token']
            return 'logged in'

        @app.route('/gold')
        def gold():
            api = patreon.API(flask.session['access_token'], raise_errors=True)
            user = api.get_identity(includes=['memberships', 'memberships.campaign',
                                              'memberships.currently_entitled_tiers'],
                                    fields={'member': REQUIRED_FIELDS}).data()
            for member in user.relationship('memberships') or []:
                if member.relationship('campaign').id() == config['CAMPAIGN_ID'] and is_active_patron(
                        member, min_amount_cents=config['GOLD_CENTS']):
                    return 'gold content'
            flask.abort(403)

        @app.route('/hooks/patreon', methods=['POST'])
        def hook():
            try:
                event = parse_webhook(flask.request.get_data(), flask.request.headers.get('X-Patreon-Signature'),
                                      flask.request.headers.get('X-Patreon-Event'), config['WEBHOOK_SECRET'])
            except InvalidWebhook:
                flask.abort(403)
            app.pledges.append(event.document.data().id())
            return '', 204

        return app
'''

FLASK_TESTS = '''
    from urllib.parse import urlsplit

    import pytest
    import requests

    from app import create_app


    @pytest.fixture
    def client(patreon_sandbox, patreon_api):
        hook = patreon_api.create_webhook(patreon_sandbox.campaign_id, 'http://127.0.0.1:9/hooks/patreon',
                                          ['members:pledge:create'])
        app = create_app({'CLIENT_ID': patreon_sandbox.client_id, 'CLIENT_SECRET': patreon_sandbox.client_secret,
                          'REDIRECT_URI': patreon_sandbox.redirect_uri, 'CAMPAIGN_ID': patreon_sandbox.campaign_id,
                          'GOLD_CENTS': 1, 'WEBHOOK_SECRET': hook.data().attribute('secret'),
                          'SECRET_KEY': 'test', 'TESTING': True})
        return app.test_client()


    def log_in(client, sandbox, user_id=None):
        authorize = client.get('/login').headers['Location']
        assert authorize.startswith(sandbox.url + '/oauth2/authorize?')
        if user_id:
            authorize += '&sandbox_user=' + user_id
        callback = urlsplit(requests.get(authorize, allow_redirects=False).headers['Location'])
        assert client.get(callback.path + '?' + callback.query).status_code == 200


    def test_a_patron_sees_the_gold_page(client, patreon_sandbox):
        log_in(client, patreon_sandbox)
        assert client.get('/gold').get_data(as_text=True) == 'gold content'


    def test_the_creator_is_not_a_patron(client, patreon_sandbox):
        log_in(client, patreon_sandbox, patreon_sandbox.creator_user_id)
        assert client.get('/gold').status_code == 403


    def test_a_new_pledge_reaches_the_webhook_and_a_forged_one_does_not(client, patreon_sandbox):
        member_id = patreon_sandbox.pledge(patreon_sandbox.tier_ids[1])
        delivery = patreon_sandbox.deliveries[-1]  # the receiver's URL answers nothing: replay it to the app
        headers = dict((name, value) for name, value in delivery.headers.items() if name.startswith('X-Patreon'))
        assert client.post('/hooks/patreon', data=delivery.body, headers=headers).status_code == 204
        assert client.application.pledges == [member_id]
        headers['X-Patreon-Signature'] = '0' * 32
        assert client.post('/hooks/patreon', data=delivery.body, headers=headers).status_code == 403
'''


if flask is not None:  # Flask is a test dependency on Python 3.8+ only: the test exists where it is installed
    def test_a_flask_app_is_tested_unchanged(project):
        write(project, app=FLASK_APP, test_app=FLASK_TESTS)
        project.syspathinsert()
        result, outcomes = run(project)
        assert outcomes == {'passed': 3}, result.stdout.str()


def readme_test_files():
    """``{file name: text}`` of the test files the documentation prints (``py`` blocks opening with ``# test_x.py``).

    README.md and every page of docs/: a ``py`` block is a whole test file, wherever it is printed.
    """
    files = {}
    for page in ['README.md'] + doc_pages():
        with io.open(os.path.join(REPO_ROOT, page), encoding='utf-8') as handle:
            text = handle.read()
        for block in re.findall(r'^```py\n(.*?)^```', text, re.S | re.M):
            name = re.match(r'# (test_\w+)\.py', block).group(1)
            assert name not in files, name  # one file per name
            files[name] = block
    return files


def test_the_readme_prints_the_test_files_it_promises():
    assert sorted(readme_test_files()) == [
        'test_django_app', 'test_export_members', 'test_field_behaviours', 'test_flask_app', 'test_identity',
        'test_identity_with_responses', 'test_identity_with_the_sandbox']


def test_every_test_file_of_the_readme_passes_as_printed(project, monkeypatch):
    runnable = dict((name, text) for name, text in readme_test_files().items()
                    if (flask is not None or 'flask' not in text) and (django is not None or 'django' not in text))
    monkeypatch.delenv('DJANGO_SETTINGS_MODULE', raising=False)
    project.makepyfile(**runnable)
    project.syspathinsert(EXAMPLES)
    result, outcomes = run(project)
    expected = 8 + (2 if flask is not None else 0) + (1 if django is not None else 0)
    assert outcomes == {'passed': expected}, result.stdout.str()


if flask is not None:
    def test_the_readme_flask_test_keeps_to_its_sandbox_with_a_base_url_exported(project, monkeypatch):
        monkeypatch.setenv(str('PATREON_BASE_URL'), str('http://127.0.0.1:9'))  # nothing listens there
        project.makepyfile(test_flask_app=readme_test_files()['test_flask_app'])
        project.syspathinsert(EXAMPLES)
        result, outcomes = run(project)
        assert outcomes == {'passed': 2}, result.stdout.str()


def test_importing_patreon_imports_neither_pytest_nor_the_plugin(tmpdir):
    script = ('import patreon, sys; '
              'print(sorted(set(["pytest", "_pytest", "patreon.pytest_plugin"]) & set(sys.modules)))')
    output = subprocess.check_output([sys.executable, '-c', script], cwd=str(tmpdir),
                                     env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert output.decode('ascii').strip() == '[]'


def test_setup_registers_the_plugin_under_its_module_name():
    with open(os.path.join(REPO_ROOT, 'setup.py')) as handle:
        text = handle.read()
    assert "'pytest11': ['patreon.pytest_plugin = patreon.pytest_plugin']" in text


if os.environ.get('PATREON_TEST_EXPECT_INSTALLED') == '1':  # make matrix: the package is installed, entry point too
    def test_the_entry_point_loads_the_plugin_with_nothing_named(project):  # pragma: no cover - make matrix
        write(project, test_x='''
            def test_x(patreon_api):
                assert patreon_api.get_identity().data().id()
        ''')
        result = project.runpytest_subprocess('-p', 'no:cacheprovider')
        assert result.ret == 0, result.stdout.str()
