"""Every Python code block of README.md runs, in order, against a local sandbox.

The blocks share one namespace, as a reader's session would; the names the
README says stand for "your values" are set from the sandbox, and the clients'
default ``base_url`` points at it, so the blocks run exactly as printed.
"""
import __future__
import io
import os
import re

import pytest

import patreon
from patreon import endpoint
from patreon.sandbox import Sandbox

from helpers import REPO_ROOT

try:
    import flask
except ImportError:  # Flask is a test dependency on Python 3.8+ only
    flask = None

BLOCK = re.compile(r'^```python\n(.*?)^```', re.S | re.M)


def readme_blocks():
    with io.open(os.path.join(REPO_ROOT, 'README.md'), encoding='utf-8') as handle:
        return BLOCK.findall(handle.read())


def runnable_blocks():
    # The Flask blocks need Flask; everything else runs on every interpreter.
    return [block for block in readme_blocks() if flask is not None or 'flask' not in block]


@pytest.fixture(scope='module')
def sandbox():
    with Sandbox(members=250, seed=11) as sb:
        yield sb


@pytest.fixture
def defaults_at_sandbox(sandbox):
    """Point clients left at the default ``base_url`` at the sandbox (what the pytest plugin does)."""
    with endpoint.override_default_base_url(sandbox.url) as override:
        yield
    assert override.refused == []  # no block reached for the real Patreon


def test_readme_has_the_sections_users_need():
    with io.open(os.path.join(REPO_ROOT, 'README.md'), encoding='utf-8') as handle:
        text = handle.read()
    for heading in ['## Quick start', '## Install', '## Calling the API', '### Walking responses',
                    '### Includes and fields', '## Pagination', '## Log in with Patreon', '## Errors',
                    '## Retries', '## Token refresh', '## Webhooks', '## Entitlements', '## The sandbox',
                    '## Testing your app', '## The command line', '## Changes from 0.5.1', '## Scopes',
                    '## Lives (early access)', '## Moving from 0.5.0 (API v1)']:
        assert heading in text
    assert 'make demo' in text and 'make test' in text
    assert len(readme_blocks()) >= 12


def test_every_block_runs(sandbox, defaults_at_sandbox, capsys):
    namespace = {'__name__': 'readme', 'access_token': sandbox.creator_token,
                 'refresh_token': sandbox.creator_refresh_token, 'campaign_id': sandbox.campaign_id,
                 'client_id': sandbox.client_id, 'client_secret': sandbox.client_secret,
                 'redirect_uri': sandbox.redirect_uri}
    for number, block in enumerate(runnable_blocks()):
        try:
            # print() as a function on Python 2 too, as a 2.7 reader's module would have it.
            code = compile(block, 'README.md block {}'.format(number + 1), 'exec',
                           __future__.print_function.compiler_flag, True)
            exec(code, namespace)
        except Exception as exc:  # pragma: no cover - the message says which block failed
            pytest.fail('README block {} raised {!r}:\n{}'.format(number + 1, exc, block))
    printed = capsys.readouterr().out
    assert '250 members' in printed
    assert '401 Unauthorized' in printed and '404 True' in printed
    if flask is not None:
        check_flask_app(namespace, sandbox)


def check_flask_app(namespace, sandbox):
    """Drive the README's Flask app: login, the sandbox's consent redirect, the callback, the webhook."""
    import hashlib
    import hmac

    import requests
    from six.moves.urllib.parse import urlsplit

    client = namespace['app'].test_client()
    to_patreon = client.get('/login')
    assert to_patreon.status_code == 302 and to_patreon.headers['Location'].startswith(sandbox.url)
    back = requests.get(to_patreon.headers['Location'], allow_redirects=False).headers['Location']
    callback = urlsplit(back)
    page = client.get(callback.path + '?' + callback.query)
    assert page.status_code == 200 and page.get_data(as_text=True).startswith('Hello, ')
    assert client.get(callback.path + '?' + callback.query).status_code == 403  # state used up

    api = patreon.API(sandbox.creator_token, base_url=sandbox.url)
    hook = api.create_webhook(sandbox.campaign_id, 'http://127.0.0.1:9/unused',
                                           ['members:pledge:create'])
    namespace['webhook_secret'] = hook.data().attribute('secret')
    body = b'{"data": {"type": "member", "id": "1", "attributes": {"full_name": "Ann"}}}'
    signature = hmac.new(namespace['webhook_secret'].encode('utf-8'), body, hashlib.md5).hexdigest()
    headers = {'X-Patreon-Event': 'members:pledge:create', 'X-Patreon-Signature': signature}
    assert client.post('/hooks/patreon', data=body, headers=headers).status_code == 204
    headers['X-Patreon-Signature'] = '0' * 32
    assert client.post('/hooks/patreon', data=body, headers=headers).status_code == 403
    api.delete_webhook(hook.data().id())


def command_lines():
    """The ``patreon ...`` lines of the README's command line section."""
    with io.open(os.path.join(REPO_ROOT, 'README.md'), encoding='utf-8') as handle:
        text = handle.read()
    section = text.split('## The command line', 1)[1].split('\n## ', 1)[0]
    block = re.search(r'```sh\n(.*?)```', section, re.S).group(1)
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
