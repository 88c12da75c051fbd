"""Every Python code block of README.md and of the documentation site (docs/**/*.md) runs alone, in a fresh
interpreter, against a local sandbox.

A reader pastes one snippet into a new interpreter: each block gets a process of its own, with nothing defined but
the names the README says stand for "your values" (``access_token``, ``campaign_id``, ...), set from the sandbox.
The snippets are printed as a reader runs them against Patreon: the harness alone points the clients' default
``base_url`` at the sandbox (from ``PATREON_BASE_URL``, which the Flask recipe also reads as its app's setting),
so a snippet never shows a ``base_url`` a reader would not write. Unknown field names are errors there, so no
snippet teaches a typo.

Blocks that use Flask run where Flask is installed; every other block runs on every interpreter. A block that cannot
run alone (a whole test file, a shell session, an answer shown) is fenced as ``py``, ``sh`` or ``text``, not
``python``: ``py`` blocks are test files, which tests/test_pytest_plugin.py runs.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from six.moves.urllib.parse import urlsplit

from patreon.sandbox import Sandbox

from helpers import REPO_ROOT, doc_pages, doc_text
from shared_servers import RedisServer

try:
    import flask
except ImportError:  # Flask is a test dependency on Python 3.8+ only
    flask = None

BLOCK = re.compile(r'^```python\n(.*?)^```', re.S | re.M)
FENCED = re.compile(r'^```.*?^```', re.S | re.M)  # any code block: its comment lines are no headings
HEADING = re.compile(r'^(#{1,3} .*)$', re.M)

# The process a block runs in: the harness's set-up, then the block alone in a namespace of "your values", then
# (for the apps) the test's own check of what the block made, in the same namespace.
RUNNER = r'''
import io
import json
import os
import sys
import warnings


def point_defaults_at(url):
    # The harness's doing, not the snippet's: clients made without base_url talk to the sandbox (what the pytest
    # plugin does), and a request to the real Patreon raises. A snippet that misspells a field fails.
    from patreon import endpoint
    from patreon.exceptions import UnknownFieldWarning
    override = endpoint.override_default_base_url(url)
    override.__enter__()
    warnings.simplefilter('error', UnknownFieldWarning)
    return override  # kept until the process ends: a context manager collected would end the override


def run(path, name, namespace):
    with io.open(path, encoding='utf-8') as handle:
        source = handle.read()
    # As a pasted block runs: no __future__ flag of this harness's own, so print() is a statement on 2.7 unless the
    # block imports print_function itself (test_every_block_that_prints_imports_print_function).
    exec(compile(source, name, 'exec', 0, True), namespace)


OVERRIDE = point_defaults_at(os.environ['PATREON_BASE_URL'])
namespace = dict(json.loads(os.environ['README_VALUES']), __name__='__main__')
run(sys.argv[1], sys.argv[2], namespace)
if len(sys.argv) > 3:
    run(sys.argv[3], 'the check of ' + sys.argv[2], namespace)
'''

# What a login through the README's Flask app must give: the patron is let in, the creator is welcomed to their
# own campaign (not asked to become a patron), and Flask's session cookie holds the user id, never a token.
CHECK_LOGIN = r'''
from __future__ import print_function

import json
import os

import requests
from six.moves.urllib.parse import parse_qs, urlsplit

check = json.loads(os.environ['README_CHECK'])


def log_in_as(user_id):
    client = app.test_client()
    to_patreon = client.get('/login')
    assert to_patreon.status_code == 302, to_patreon.status_code
    assert to_patreon.headers['Location'].startswith(os.environ['PATREON_BASE_URL'])
    back = requests.get(to_patreon.headers['Location'] + '&sandbox_user=' + user_id,
                        allow_redirects=False).headers['Location']
    callback = urlsplit(back)
    landed = client.get(callback.path + '?' + callback.query)
    assert landed.status_code == 302 and landed.headers['Location'].endswith('/patrons'), landed.status_code
    assert client.get(callback.path + '?' + callback.query).status_code == 403  # the state is used up
    cookie = [header for header in landed.headers.getlist('Set-Cookie') if header.startswith('session=')][-1]
    session = app.session_interface.get_signing_serializer(app).loads(cookie.split(';')[0][len('session='):])
    assert set(session) == {'patreon_user_id'}, sorted(session)
    assert all(token not in cookie for token in TOKENS[user_id].values() if isinstance(token, str))
    page = client.get('/patrons')
    return page.status_code, page.get_data(as_text=True)


def decline(error='access_denied'):
    # The person says no on Patreon's page: the callback has an error and no code, and the app answers it.
    client = app.test_client()
    state = parse_qs(urlsplit(client.get('/login').headers['Location']).query)['state'][0]
    answer = client.get('/oauth/redirect?error={}&state={}'.format(error, state))
    return answer.status_code, client.get('/patrons').status_code  # not logged in: sent to log in


assert decline() == (403, 302)
assert decline('invalid_scope') == (400, 302)  # this app's request at fault, not the person
assert PATREON_BASE_URL == os.environ['PATREON_BASE_URL']  # the app's setting, read as the README says
assert log_in_as(check['patron_user_id']) == (200, 'Thank you for your support, {}!'.format(check['patron_name']))
status, text = log_in_as(check['creator_user_id'])
assert status == 200 and text.startswith('Welcome home'), (status, text)
assert app.test_client().get('/patrons').status_code == 302  # nobody logged in: sent to log in
GOLD_TIER_ID = check['gate_tier_id']  # the page for this tier and dearer ones
for user_id in (check['gate_user_id'], check['dearer_user_id']):
    assert log_in_as(user_id)[0] == 200, user_id
assert log_in_as(check['cheaper_user_id']) == (403, 'Become a patron to see this page.')
print('login checked')
'''

# The README's webhook receiver: a signed delivery is handled, a forged one is a 403, one it cannot read a 400.
CHECK_WEBHOOK = r'''
from __future__ import print_function

import hashlib
import hmac


def deliver(body, event='members:pledge:create', signature=None):
    headers = {'X-Patreon-Signature': signature or hmac.new(webhook_secret.encode('utf-8'), body,
                                                            hashlib.md5).hexdigest()}
    if event:
        headers['X-Patreon-Event'] = event
    return app.test_client().post('/hooks/patreon', data=body, headers=headers).status_code


member = b'{"data": {"type": "member", "id": "1", "attributes": {"full_name": "Ann"}}}'
assert deliver(member) == 204
assert deliver(member, signature='0' * 32) == 403
assert deliver(member, event=None) == 400
assert deliver(b'{"data": "not a resource"}') == 400
assert deliver(b'not json') == 400
print('webhook checked')
'''

# The README's login: a patron's code lets in, a non-patron's does not (the codes come from the sandbox's consent
# page, as a browser gets them).
CHECK_GATE = r'''
from __future__ import print_function

import json
import os

import requests
from six.moves.urllib.parse import parse_qs, urlsplit

check = json.loads(os.environ['README_CHECK'])


def code_of(user_id):
    consent = oauth.get_authorization_url(redirect_uri, scopes=['identity', 'identity.memberships', 'campaigns'],
                                          state='s')
    back = requests.get(consent + '&sandbox_user=' + user_id, allow_redirects=False).headers['Location']
    return parse_qs(urlsplit(back).query)['code'][0]


assert lets_in(code_of(check['patron_user_id'])) is True
assert lets_in(code_of(check['nonpatron_user_id'])) is False
assert lets_in(code_of(check['former_user_id'])) is False
print('gate checked')
'''

# A distinctive line of a block -> (what its output must hold, the check run after it). Every key must match
# a block (test_the_checked_blocks_are_in_the_documents), so that rewording a snippet cannot drop its check.
CHECKS = {
    "print(len(names), 'members')": ('250 members', None),
    "resp = patreon.API('expired-token').get_identity()": ('401 Unauthorized', None),
    "api.get_members_by_id('00000000-0000-0000-0000-000000000000')": ('404 True', None),
    "strict = patreon.API(access_token, strict_fields=True)": ('True\nrefused: fields[user]', None),
    "print(len(page.data()), 'members on the first page')": ('100 members on the first page', None),
    "print(user.attribute('email'))  # None: not asked for": ('None\nTrue', None),
    "@app.route('/oauth/redirect')": ('login checked', CHECK_LOGIN),
    "@app.route('/hooks/patreon', methods=['POST'])": ('webhook checked', CHECK_WEBHOOK),
    'def lets_in(code):': ('gate checked', CHECK_GATE),
    # the same on 2.7 as on 3: no set([u'...']) or [u'...'] printed
    "print(' '.join(sorted(needed)))": ('campaigns.members campaigns.members.address campaigns.members[email]\n',
                                        None),
    "print(' '.join(sorted(api.scopes)))": ('campaigns identity\n', None),
}


# The files whose Python blocks run: the README and every page of the documentation site.
DOCUMENTS = ['README.md'] + doc_pages()


def readme_text():
    return doc_text('README.md')


def document_blocks(name):
    """``[(section heading, block)]`` of every Python block of ``name``, in order."""
    text = doc_text(name)
    fenced = [(match.start(), match.end()) for match in FENCED.finditer(text)]
    headings = [(match.start(), match.group(1)) for match in HEADING.finditer(text)
                if not any(start < match.start() < end for start, end in fenced)]
    blocks = []
    for match in BLOCK.finditer(text):
        heading = ([title for start, title in headings if start < match.start()] or [name])[-1]
        blocks.append((heading.lstrip('# '), match.group(1)))
    return blocks


def uses_flask(block):
    return re.search(r'^import flask', block, re.M) is not None


BLOCKS = [(name, number + 1, section, block) for name in DOCUMENTS
          for number, (section, block) in enumerate(document_blocks(name))]


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=250, seed=11)


def your_values(sandbox):
    return {'access_token': sandbox.creator_token, 'refresh_token': sandbox.creator_refresh_token,
            'campaign_id': sandbox.campaign_id, 'client_id': sandbox.client_id,
            'client_secret': sandbox.client_secret, 'redirect_uri': sandbox.redirect_uri,
            'webhook_secret': 'whsec-of-the-readme'}


def check_values(sandbox):
    import patreon

    api = patreon.API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True)
    patron = api.get_members_by_id(patron_member_id(api, sandbox), fields={'member': ['full_name']}).data()
    roles = dict((user['role'], user) for user in sandbox.login_users())
    return {'patron_user_id': sandbox.patron_user_id, 'creator_user_id': sandbox.creator_user_id,
            'nonpatron_user_id': roles['non-patron']['user_id'], 'former_user_id': roles['former patron']['user_id'],
            'patron_name': patron.attribute('full_name'),
            # the gate on the middle tier: a dearer tier opens it, a cheaper one does not
            'gate_tier_id': roles['patron of Patron']['tier_id'],
            'gate_user_id': roles['patron of Patron']['user_id'],
            'dearer_user_id': roles['patron of Producer']['user_id'],
            'cheaper_user_id': roles['patron of Supporter']['user_id']}


def patron_member_id(api, sandbox):
    for member in api.paginate(api.get_campaigns_by_id_members, sandbox.campaign_id, page_size=500,
                               includes=['user']):
        if member.relationship('user').id() == sandbox.patron_user_id:
            return member.id()
    raise AssertionError('the sandbox patron is no member')  # pragma: no cover


def run_alone(code, name, environ, check=None, tmpdir=None):
    """Run ``code`` in a fresh interpreter through :data:`RUNNER`; return ``(status, stdout, stderr)``."""
    paths = []
    for number, text in enumerate([code] + ([check] if check else [])):
        path = os.path.join(str(tmpdir), 'part{}.py'.format(number))
        with io.open(path, 'w', encoding='utf-8') as handle:
            handle.write(text)
        paths.append(path)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([REPO_ROOT] + [
        entry for entry in os.environ.get('PYTHONPATH', '').split(os.pathsep) if entry]), **environ)
    command = [sys.executable, '-c', RUNNER, paths[0], name] + paths[1:]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(tmpdir))
    out, err = process.communicate()
    return process.returncode, out.decode('utf-8', 'replace'), err.decode('utf-8', 'replace')


def test_the_readme_is_what_a_newcomer_needs():
    text = readme_text()
    for heading in ['## Try it', '## Install', '## Examples', '### Log in with Patreon, and let patrons in',
                    '### Every member of a campaign', '## Documentation']:
        assert '\n' + heading + '\n' in text
    assert 'make demo' in text and 'make test' in text and 'make docs' in text
    readme_blocks = [block for name, _, _, block in BLOCKS if name == 'README.md']
    assert [block for block in readme_blocks if 'paginate(' in block]
    assert [block for block in readme_blocks if 'is_active_patron(member)' in block]  # the login, with its gate
    assert len(text.splitlines()) <= 115  # a screen or two: the detail is in the guides


def test_the_guides_have_the_sections_users_need():
    for name, headings in [
            ('docs/quickstart.md', ['## Calling the API', '### Walking responses',
                                    '### Includes and fields', '## Lives (early access)']),
            ('docs/oauth.md', ['## A login in Flask', '## Scopes']),
            ('docs/pagination.md', ['## Pagination', '## Exports']),
            ('docs/errors.md', []), ('docs/limits.md', ['## Timeouts', '## Retries', '## Pacing', '## The 4xx budget']),
            ('docs/tokens.md', ['## Token refresh', '## Several processes: token stores']),
            ('docs/webhooks.md', []), ('docs/entitlements.md', []),
            ('docs/sandbox.md', ['## The sandbox: a local Patreon for your tests', '## Testing your app']),
            ('docs/cli.md', []), ('docs/migrating.md', ['## Changes from 0.5.1', '## Moving from 0.5.0 (API v1)'])]:
        text = doc_text(name)
        for heading in headings:
            assert '\n' + heading + '\n' in text, (name, heading)
        if name != 'docs/cli.md':  # whose shell commands run in test_every_command_of_the_cli_section_runs
            assert [block for page, _, _, block in BLOCKS if page == name], name  # each guide shows code that runs
    assert len(BLOCKS) >= 35


def test_every_block_that_prints_imports_print_function():
    # Pasted into Python 2.7 without it, print('a', 'b') prints a tuple: ('a', 'b').
    printing = [(name, number) for name, number, _, block in BLOCKS if re.search(r'\bprint\(', block)]
    assert len(printing) >= 20
    assert [(name, number) for name, number, _, block in BLOCKS if re.search(r'\bprint\(', block)
            and not block.startswith('from __future__ import print_function\n')] == []


def test_the_checked_blocks_are_in_the_documents():
    for line in CHECKS:
        assert [number for _, number, _, block in BLOCKS if line in block], line


@pytest.mark.parametrize('name, number, section, block', [
    pytest.param(name, number, section, block,
                 id='{}-block{:02d}-{}'.format(name.replace('docs/', ''), number, section.split(' (')[0]))
    for name, number, section, block in BLOCKS
    if flask is not None or not uses_flask(block)])  # the Flask blocks where Flask is installed
def test_each_block_runs_alone_in_a_fresh_interpreter(name, number, section, block, sandbox, tmpdir):
    if 'RedisStore' not in block:
        run_block(name, number, section, block, sandbox, tmpdir, {})
        return
    pytest.importorskip('redis', reason='redis-py is not installed (pip install patreon[redis])')
    with RedisServer() as server:  # the block reads REDIS_URL, as an app reads its settings
        run_block(name, number, section, block, sandbox, tmpdir, {'REDIS_URL': server.url})


def run_block(name, number, section, block, sandbox, tmpdir, extra):
    expected, check = next(((output, code) for line, (output, code) in CHECKS.items() if line in block),
                           (None, None))
    environ = dict(extra, PATREON_BASE_URL=sandbox.url, README_VALUES=json.dumps(your_values(sandbox)))
    if check in (CHECK_LOGIN, CHECK_GATE):
        environ['README_CHECK'] = json.dumps(check_values(sandbox))
    where = '{} block {} ({})'.format(name, number, section)
    status, out, err = run_alone(block, where, environ, check, tmpdir)
    assert status == 0, '{} failed:\n{}\n{}'.format(where, block, err)
    if expected is not None:
        assert expected in out, out


def test_a_block_that_needs_what_it_does_not_import_fails(sandbox, tmpdir):
    # The harness itself: nothing leaks into a block's namespace but "your values".
    environ = {'PATREON_BASE_URL': sandbox.url, 'README_VALUES': json.dumps(your_values(sandbox))}
    assert run_alone('print(access_token[:3])', 'ok', environ, tmpdir=tmpdir)[0] == 0
    # Python 2.7 runs the block as pasted: print is a statement there unless the block imports print_function.
    status, out, _ = run_alone("print('a', 'b')", 'several arguments', environ, tmpdir=tmpdir)
    assert status == 0 and out == ("a b\n" if sys.version_info[0] > 2 else "('a', 'b')\n")
    status, out, _ = run_alone("from __future__ import print_function\n\nprint('a', 'b')", 'the import', environ,
                               tmpdir=tmpdir)
    assert status == 0 and out == 'a b\n'
    status, _, err = run_alone('api = patreon.API(access_token)', 'no import', environ, tmpdir=tmpdir)
    assert status != 0 and "NameError" in err
    status, _, err = run_alone("import patreon\npatreon.API(access_token).get_identity(fields={'user': ['nme']})",
                               'typo', environ, tmpdir=tmpdir)
    assert status != 0 and 'UnknownFieldWarning' in err


def test_submodules_are_reachable_after_import_patreon_alone(tmpdir):
    code = ('from __future__ import print_function\nimport sys\nimport patreon\n'
            "loaded = sorted(name for name in ('patreon.webhooks', 'patreon.entitlements') "
            'if name in sys.modules)\n'
            'print(loaded if sys.version_info >= (3, 7) else [])\n'
            'print(patreon.webhooks.parse_webhook.__name__, patreon.schemas.schema_for_type.__name__,\n'
            '      patreon.entitlements.MissingFieldError.__name__, patreon.exceptions.InvalidWebhook.__name__)\n'
            'try:\n    patreon.nothing_of_that_name\nexcept AttributeError:\n    print("AttributeError")\n')
    path = os.path.join(str(tmpdir), 'fresh.py')
    with io.open(path, 'w', encoding='utf-8') as handle:
        handle.write(code)
    env = dict(os.environ, PYTHONPATH=REPO_ROOT)
    out = subprocess.check_output([sys.executable, path], env=env, cwd=str(tmpdir)).decode('utf-8').split('\n')
    # Loaded on first use where the interpreter can defer them, so that `import patreon` stays fast.
    assert out[:3] == ['[]', 'parse_webhook schema_for_type MissingFieldError InvalidWebhook', 'AttributeError']


def test_submodules_are_attributes_of_the_package():
    import importlib

    import patreon

    for name in ('webhooks', 'schemas', 'entitlements', 'exceptions'):
        assert getattr(patreon, name) is importlib.import_module('patreon.' + name)
    with pytest.raises(AttributeError):
        patreon.nothing_of_that_name  # noqa: B018 - the attribute access is the test


def make_commands(target):
    """The commands ``make TARGET`` would run, as make prints them without running them."""
    env = dict(os.environ, MAKEFLAGS='')
    return subprocess.check_output(['make', '-n', '-B', '-C', REPO_ROOT, target], env=env).decode('utf-8')


def test_make_demo_installs_the_package_alone():
    commands = make_commands('demo')
    installs = [line for line in commands.splitlines() if 'pip install' in line]
    assert installs and all('.demo-venv' in line for line in installs), commands
    for line in installs:
        words = line.split('pip install', 1)[1].split()
        assert [word for word in words if not word.startswith('-')] == ['.'], line  # the package, nothing else
    assert 'dev-requirements' not in commands and '.demo-venv/bin/patreon demo' in commands
    text = ' '.join(readme_text().split('## Try it', 1)[1].split('\n## ', 1)[0].split())
    assert '.demo-venv' in text and 'about 3 minutes' in text


def test_make_demo_reinstalls_the_package_only_when_a_file_of_it_changed(tmpdir):
    root = str(tmpdir)
    shutil.copy(os.path.join(REPO_ROOT, 'Makefile'), root)
    sources = ['setup.py', 'setup.cfg', 'pyproject.toml', 'MANIFEST.in', 'patreon/__init__.py', 'patreon/py.typed',
               'patreon/cli/__init__.py', 'patreon/cli/__init__.pyi']
    for name in sources + ['patreon/__pycache__/__init__.cpython-311.pyc']:
        if not os.path.isdir(os.path.dirname(os.path.join(root, name))):
            os.makedirs(os.path.dirname(os.path.join(root, name)))
        io.open(os.path.join(root, name), 'w').close()

    def dated(when, *names):
        for name in names:
            os.utime(os.path.join(root, name), (when, when))

    def installs():
        env = dict(os.environ, MAKEFLAGS='')
        commands = subprocess.check_output(['make', '-n', '-C', root, 'demo'], env=env).decode('utf-8')
        assert '.demo-venv/bin/patreon demo' in commands
        return [line.split('pip install', 1)[1].split() for line in commands.splitlines() if 'pip install' in line]

    assert installs() == [['.'], ['--quiet', '--force-reinstall', '--no-deps', '.']]  # a fresh clone
    os.makedirs(os.path.join(root, '.demo-venv'))
    io.open(os.path.join(root, '.demo-venv', '.created'), 'w').close()
    io.open(os.path.join(root, '.demo-venv', '.installed'), 'w').close()
    everything = sources + ['patreon', 'patreon/cli', 'patreon/__pycache__']
    dated(1000000000, *everything)
    dated(1000000100, '.demo-venv/.created', '.demo-venv/.installed')
    assert installs() == []  # nothing changed: no pip at all
    dated(1000000200, 'patreon/__pycache__/__init__.cpython-311.pyc', 'patreon/__pycache__')
    assert installs() == []  # compiled files are not the package's sources
    for changed in ('patreon/cli/__init__.pyi', 'patreon/py.typed', 'patreon/cli', 'setup.cfg'):
        dated(1000000200, changed)  # a file edited, or one added to or removed from a directory
        assert installs()[-1:] == [['--quiet', '--force-reinstall', '--no-deps', '.']], changed
        assert installs()[:-1] == ([['.']] if changed == 'setup.cfg' else []), changed
        dated(1000000000, changed)


def test_the_manual_test_opens_the_host_its_redirect_uri_comes_back_to():
    # the session cookie (the login's state) is the opened host's: on another host the callback answers 403
    section = doc_text('docs/sandbox.md').split('### Driving a running sandbox', 1)[1].split('\n## ', 1)[0]
    redirect_uri = re.search(r'patreon sandbox .*--redirect-uri (\S+)', section).group(1)
    opened = re.search(r'Open the\s+address `flask run` prints, `([^`]+)`', section).group(1)
    assert urlsplit(opened).netloc == urlsplit(redirect_uri).netloc == '127.0.0.1:5000'  # what `flask run` prints
    assert opened.startswith('http://') and redirect_uri.startswith('http://')


def test_the_install_section_tells_the_truth_about_the_index():
    import patreon

    text = ' '.join(readme_text().split('## Install', 1)[1].split('\n## ', 1)[0].split())

    assert 'pip install patreon` gets the old `patreon` 0.5.0' in text
    assert 'pip install .' in text and '({})'.format(patreon.__version__) in text
    assert 'published under the same name, `patreon`' in text


def command_lines():
    """The ``patreon ...`` lines of the first shell block of the command line's page."""
    block = re.search(r'```sh\n(.*?)```', doc_text('docs/cli.md'), re.S).group(1)
    return [line.split('#', 1)[0].split('>', 1)[0].split() for line in block.splitlines()
            if line.startswith('patreon ')]


def test_every_command_of_the_cli_section_runs(sandbox, capsys):
    from patreon import cli

    lines = command_lines()
    assert len(lines) >= 6
    for words in lines:
        if words[1] == 'sandbox':
            continue  # serves in the foreground until Ctrl-C: test_cli.py runs it
        argv = [sandbox.campaign_id if word == 'CAMPAIGN_ID' else word for word in words[1:]]
        if words[1] == 'demo':  # its own sandbox; smaller than the default, which test_demo.py runs
            argv += ['--members', '200']
        elif words[1] == 'sandbox-control':  # drives a sandbox of its own: the others' data stays as it was
            with Sandbox(members=20, seed=4) as driven:
                argv = [driven.tier_ids[2] if word == 'TIER_ID' else word for word in words[2:]]
                status = cli.main(['sandbox-control'] + argv, environ={'PATREON_SANDBOX_URL': driven.url,
                                                                      'PATREON_SANDBOX_KEY': driven.control_key})
            assert status == 0, (words, capsys.readouterr())
            continue
        else:
            argv += ['--base-url', sandbox.url]
        status = cli.main(argv,
                          environ={'PATREON_ACCESS_TOKEN': sandbox.creator_token})
        assert status == 0, (words, capsys.readouterr())
    assert 'full_name' in capsys.readouterr().out  # the members CSV's header
