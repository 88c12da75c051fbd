"""Token stores, and one refresh across processes: real processes sharing a FileTokenStore against a loopback sandbox.

Each child process loads its client (reading the store), says ``ready``, and
sends its call only when the test says ``go`` to all of them: they all hold
the same expired token when they call, so each meets a 401.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import copy
import errno
import io
import json
import logging
import os
import pickle
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading

import pytest

import patreon
from patreon.exceptions import InvalidArgument, InvalidCredential, TokenStoreError
from patreon.tokens import REFUSED_KEY, FileTokenStore, MemoryTokenStore, TokenStore, digest

from helpers import REPO_ROOT, run_children_together, token_request_count

SECRET_ACCESS = 'at_Store7yQ2mZ9xW4vB6nK1pL3sD8fG5hJ0'
SECRET_REFRESH = 'rt_Store3kT8pV1cX6bN9mQ4wE7rY2uI5oA0'
GUARD_SECONDS = 100  # only against a hung child, under the 120 s bound of every test

CHILD = r'''
import sys
import patreon
from patreon.tokens import FileTokenStore

url, client_id, client_secret, path = sys.argv[1:5]
store = FileTokenStore(path)
api = patreon.API(None, base_url=url, raise_errors=True, token_store=store,
                  refresh=patreon.RefreshPolicy(patreon.OAuth(client_id, client_secret, base_url=url)))
sys.stdout.write('ready\n')
sys.stdout.flush()
sys.stdin.readline()
try:
    user = api.get_identity().data()
    sys.stdout.write('ok {} {}\n'.format(user.id(), api.access_token == store.load()['access_token']))
except patreon.exceptions.Unauthorized as error:
    refused = getattr(error.refresh_error, 'error', None) == 'invalid_grant'
    sys.stdout.write('unauthorized {}\n'.format('refused' if refused else 'other'))
'''


@pytest.fixture
def folder():
    path = tempfile.mkdtemp()
    yield path
    shutil.rmtree(path)


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=3, seed=14)


def run_together(sb, path, count):
    """Start ``count`` children on the store at ``path``; once all are ready, let them call at once."""
    outputs = run_children_together(CHILD, [sb.url, sb.client_id, sb.client_secret, path], count, GUARD_SECONDS)
    for out, err in outputs:
        assert SECRET_REFRESH.encode('ascii') not in out + err
    return [out.decode('utf-8').strip() for out, err in outputs]


# Across processes ---------------------------------------------------------------------------------------------------

def test_two_processes_meeting_a_401_at_once_refresh_once_and_both_use_the_new_token(sb, folder):
    tokens = sb.issue_tokens()
    path = os.path.join(folder, 'tokens.json')
    FileTokenStore(path).save(tokens)
    sb.expire_access_token(tokens['access_token'])
    before = token_request_count(sb)

    outcomes = run_together(sb, path, 2)

    assert token_request_count(sb) - before == 1
    assert outcomes == ['ok {} True'.format(sb.creator_user_id)] * 2
    saved = FileTokenStore(path).load()
    assert saved['access_token'] != tokens['access_token']
    assert saved['refresh_token'] != tokens['refresh_token']  # the rotated one, for the next refresh


def test_a_refused_refresh_token_is_never_sent_twice_across_processes(sb, folder):
    tokens = sb.issue_tokens()
    path = os.path.join(folder, 'tokens.json')
    FileTokenStore(path).save(dict(tokens, refresh_token='rt_never_issued_by_the_sandbox'))
    sb.expire_access_token(tokens['access_token'])
    before = token_request_count(sb)

    outcomes = run_together(sb, path, 3)  # loaded together: two of them learn the refusal from the store
    outcomes += run_together(sb, path, 1)  # started later: learns it when it loads the store

    assert token_request_count(sb) - before == 1
    assert outcomes == ['unauthorized refused'] * 4
    assert FileTokenStore(path).load()[REFUSED_KEY] == digest('rt_never_issued_by_the_sandbox')


def test_a_store_with_tokens_saved_by_another_process_is_used_without_a_refresh(sb, folder):
    path = os.path.join(folder, 'tokens.json')
    old, new = sb.issue_tokens(), sb.issue_tokens()
    FileTokenStore(path).save(old)
    api = patreon.API(None, base_url=sb.url, raise_errors=True, token_store=FileTokenStore(path),
                      refresh=patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)))
    sb.expire_access_token(old['access_token'])
    FileTokenStore(path).save(new)  # another process refreshed meanwhile
    before = token_request_count(sb)

    assert api.get_identity().data().id() == sb.creator_user_id
    assert token_request_count(sb) == before
    assert api.access_token == new['access_token']


SAVER = r'''
import json, sys
from patreon.tokens import FileTokenStore
FileTokenStore(sys.argv[1]).save(json.loads(sys.stdin.read()))
'''


def save_in_another_process(path, tokens):
    """Save ``tokens`` to the store at ``path`` from a process of its own (as an app's other worker or login does)."""
    env = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    child = subprocess.Popen([sys.executable, '-c', SAVER, path], stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env)
    timer = threading.Timer(GUARD_SECONDS, child.kill)
    timer.start()
    try:
        _, err = child.communicate(json.dumps(tokens).encode('utf-8'))
    finally:
        timer.cancel()
    assert child.returncode == 0, err


def store_client(sb, store, **kwargs):
    refresh = patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url),
                                    on_token_refresh=kwargs.pop('on_token_refresh', None))
    return patreon.API(None, base_url=sb.url, raise_errors=True, token_store=store, refresh=refresh, **kwargs)


def test_tokens_taken_over_from_the_store_that_turn_out_expired_are_refreshed(sb, folder):
    path = os.path.join(folder, 'tokens.json')
    mine, theirs = sb.issue_tokens(), sb.issue_tokens()
    FileTokenStore(path).save(mine)
    api = store_client(sb, FileTokenStore(path))
    save_in_another_process(path, theirs)  # another process's login; its token expires before this client calls
    sb.expire_access_token(mine['access_token'])
    sb.expire_access_token(theirs['access_token'])
    before = token_request_count(sb)

    # Taken over, refused: an expired token, not a missing scope; one refresh of it, and the call succeeds.
    assert api.get_identity().data().id() == sb.creator_user_id
    assert token_request_count(sb) - before == 1
    assert api.access_token not in (mine['access_token'], theirs['access_token'])
    assert FileTokenStore(path).load()['access_token'] == api.access_token
    assert api.get_identity().data().id() == sb.creator_user_id
    assert token_request_count(sb) - before == 1


def test_after_a_refused_refresh_a_new_login_saved_by_another_process_reaches_the_client(sb, folder):
    path = os.path.join(folder, 'tokens.json')
    dead = sb.issue_tokens()
    FileTokenStore(path).save(dict(dead, refresh_token='rt_never_issued_by_the_sandbox'))
    sb.expire_access_token(dead['access_token'])
    api = store_client(sb, FileTokenStore(path))
    with pytest.raises(patreon.exceptions.Unauthorized) as raised:
        api.get_identity()
    assert raised.value.refresh_error.error == 'invalid_grant'

    login = sb.issue_tokens()
    save_in_another_process(path, login)  # the user logs in again, in another worker

    assert api.get_identity().data().id() == sb.creator_user_id  # no restart
    assert api.access_token == login['access_token']


class FullDisk(FileTokenStore):
    """A file store whose next ``failures`` saves fail as a full disk does."""

    failures = 1

    def save(self, tokens):
        if self.failures:
            self.failures -= 1
            raise OSError(errno.ENOSPC, 'No space left on device')
        super(FullDisk, self).save(tokens)


def test_a_refresh_the_store_cannot_save_reaches_on_token_refresh_and_is_saved_at_the_next_call(sb, folder, caplog):
    path = os.path.join(folder, 'tokens.json')
    tokens = sb.issue_tokens()
    FileTokenStore(path).save(tokens)
    sb.expire_access_token(tokens['access_token'])
    refreshed = []
    api = store_client(sb, FullDisk(path), on_token_refresh=refreshed.append)

    with pytest.raises(TokenStoreError) as raised:
        api.get_identity()

    assert [new['access_token'] for new in refreshed] == [api.access_token] != [tokens['access_token']]
    assert 'ENOSPC' in repr(raised.value) or '[Errno {}]'.format(errno.ENOSPC) in str(raised.value)
    assert api.access_token not in str(raised.value) and api.refresh_token not in str(raised.value)
    assert FileTokenStore(path).load()['access_token'] == tokens['access_token']  # not saved yet...
    assert api.get_identity().data().id() == sb.creator_user_id
    saved = FileTokenStore(path).load()  # ...saved by the next call, the single-use refresh token with it
    assert (saved['access_token'], saved['refresh_token']) == (api.access_token, api.refresh_token)
    sb.expire_access_token(api.access_token)
    assert run_together(sb, path, 1) == ['ok {} True'.format(sb.creator_user_id)]  # no invalid_grant elsewhere
    assert len(refreshed) == 1


def test_a_save_syncs_the_directory_after_the_rename(folder, monkeypatch):
    synced = []
    fsync = os.fsync

    def recording_fsync(handle):
        synced.append(stat.S_ISDIR(os.fstat(handle).st_mode))
        fsync(handle)

    monkeypatch.setattr(os, 'fsync', recording_fsync)
    FileTokenStore(os.path.join(folder, 'tokens.json')).save({'access_token': SECRET_ACCESS})
    assert synced == [False, True]  # the file's content, then the directory that holds the rename


# The stores ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('make', [lambda folder: MemoryTokenStore(),
                                  lambda folder: FileTokenStore(os.path.join(folder, 't.json'))])
def test_a_store_gives_back_what_was_saved_and_nothing_before(folder, make):
    store = make(folder)
    assert isinstance(store, TokenStore)
    assert store.load() is None
    store.save({'access_token': SECRET_ACCESS, 'refresh_token': SECRET_REFRESH, 'expires_at': 1700000000})
    with store.lock():
        with store.lock():  # re-entrant: a save under the lock takes it again
            assert store.load() == {'access_token': SECRET_ACCESS, 'refresh_token': SECRET_REFRESH,
                                    'expires_at': 1700000000}
    with pytest.raises(InvalidArgument):
        store.save({'refresh_token': SECRET_REFRESH})
    with pytest.raises(InvalidArgument):
        store.save([SECRET_ACCESS])


@pytest.mark.skipif(os.name == 'nt', reason='POSIX file modes')
def test_the_token_file_is_readable_by_its_owner_only_and_replaced_whole(folder):
    path = os.path.join(folder, 'tokens.json')
    old_umask = os.umask(0)
    try:
        store = FileTokenStore(path)
        store.save({'access_token': SECRET_ACCESS})
        store.save({'access_token': SECRET_ACCESS, 'refresh_token': SECRET_REFRESH})
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path + '.lock').st_mode) == 0o600
    assert sorted(os.listdir(folder)) == ['tokens.json', 'tokens.json.lock']  # no temporary file left behind
    with open(path) as handle:
        assert json.load(handle)['refresh_token'] == SECRET_REFRESH


def test_the_file_lock_excludes_another_process(folder):
    path = os.path.join(folder, 'tokens.json')
    store = FileTokenStore(path)
    # The child says it is about to take the lock, takes it, then reports the token it finds in the store.
    script = ('import sys; from patreon.tokens import FileTokenStore\n'
              'store = FileTokenStore(sys.argv[1])\n'
              'sys.stdout.write("trying\\n"); sys.stdout.flush()\n'
              'with store.lock():\n    sys.stdout.write((store.load() or {}).get("access_token", "none"))\n')
    env = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    with store.lock():
        child = subprocess.Popen([sys.executable, '-c', script, path], stdout=subprocess.PIPE, env=env)
        timer = threading.Timer(GUARD_SECONDS, child.kill)
        timer.start()
        assert child.stdout.readline() == b'trying\n'
        store.save({'access_token': SECRET_ACCESS})  # while the child waits for the lock
    out, _ = child.communicate()
    timer.cancel()
    assert child.returncode == 0
    assert out.decode('ascii') == SECRET_ACCESS  # it read the store only once the lock was let go


def test_a_garbled_file_fails_closed_and_never_quotes_its_content(folder):
    path = os.path.join(folder, 'tokens.json')
    with open(path, 'w') as handle:
        handle.write('{"access_token": "%s"' % SECRET_ACCESS)
    with pytest.raises(TokenStoreError) as raised:
        FileTokenStore(path).load()
    assert SECRET_ACCESS not in str(raised.value)
    with open(path, 'w') as handle:
        handle.write('["%s"]' % SECRET_ACCESS)
    with pytest.raises(TokenStoreError) as raised:
        patreon.API(None, token_store=FileTokenStore(path))
    assert SECRET_ACCESS not in str(raised.value)
    with open(path, 'w') as handle:  # nested deeper than the decoder goes
        handle.write('{"access_token": "%s", "x": %s}' % (SECRET_ACCESS, '[' * 100000 + ']' * 100000))
    with pytest.raises(TokenStoreError) as raised:
        FileTokenStore(path).load()
    assert SECRET_ACCESS not in str(raised.value)


def test_an_empty_store_and_no_token_is_a_clear_error():
    with pytest.raises(InvalidCredential):
        patreon.API(None, token_store=MemoryTokenStore())
    with pytest.raises(InvalidArgument):
        patreon.API(SECRET_ACCESS, token_store=object())


def test_no_store_puts_a_token_in_its_repr_log_or_pickle(folder, caplog):
    caplog.set_level(logging.DEBUG)
    path = os.path.join(folder, 'tokens.json')
    tokens = {'access_token': SECRET_ACCESS, 'refresh_token': SECRET_REFRESH}
    memory, on_disk = MemoryTokenStore(tokens), FileTokenStore(path)
    on_disk.save(tokens)
    for store in (memory, on_disk):
        assert SECRET_ACCESS not in repr(store) and SECRET_REFRESH not in repr(store)
    with pytest.raises(TypeError):
        pickle.dumps(memory)
    with pytest.raises(TypeError):
        copy.deepcopy(memory)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(on_disk, protocol)
        assert SECRET_ACCESS.encode('ascii') not in data and SECRET_REFRESH.encode('ascii') not in data
        assert pickle.loads(data).load() == tokens  # the path travels, the tokens stay in the file
    api = patreon.API(None, token_store=memory)
    assert SECRET_ACCESS not in repr(api)
    assert SECRET_ACCESS not in caplog.text and SECRET_REFRESH not in caplog.text


# The token stores guide's recipe of a store in the application's database ------------------------------------------

def readme_sqlite_store():
    """The ``SQLiteTokenStore`` class exactly as docs/tokens.md prints it."""
    with io.open(os.path.join(REPO_ROOT, 'docs', 'tokens.md'), encoding='utf-8') as handle:
        blocks = re.findall(r'^```python\n(.*?)^```', handle.read(), re.S | re.M)
    block = [block for block in blocks if 'class SQLiteTokenStore' in block][0]
    namespace = {}
    exec(compile(block.split('\nstore = SQLiteTokenStore(')[0], 'docs/tokens.md', 'exec'), namespace)
    return namespace['SQLiteTokenStore']


def test_the_readme_sql_store_makes_clients_on_separate_connections_refresh_once(sb, folder):
    store_class = readme_sqlite_store()
    database = os.path.join(folder, 'app.db')
    tokens = sb.issue_tokens()
    store_class(database, '42').save(tokens)
    # One store (one connection at a time) per client: as separate processes would have.
    clients = [patreon.API(None, base_url=sb.url, raise_errors=True, token_store=store_class(database, '42'),
                           refresh=patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret,
                                                                       base_url=sb.url)))
               for _ in range(4)]
    assert store_class(database, '7').load() is None  # another user's row
    sb.expire_access_token(tokens['access_token'])
    before = token_request_count(sb)
    errors = []

    def call(api):
        try:
            api.get_identity()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(api,)) for api in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD_SECONDS)
    assert errors == []
    assert token_request_count(sb) - before == 1
    saved = store_class(database, '42').load()
    assert set(api.access_token for api in clients) == set([saved['access_token']])


def test_the_readme_sql_store_remembers_a_refused_refresh_token(sb, folder):
    store_class = readme_sqlite_store()
    database = os.path.join(folder, 'app.db')
    tokens = sb.issue_tokens()
    store_class(database, '42').save(dict(tokens, refresh_token='rt_unknown_to_the_sandbox'))
    first, second = [patreon.API(None, base_url=sb.url, raise_errors=True, token_store=store_class(database, '42'),
                                 refresh=patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret,
                                                                             base_url=sb.url)))
                     for _ in range(2)]
    sb.expire_access_token(tokens['access_token'])
    before = token_request_count(sb)
    for api in (first, second, first):
        with pytest.raises(patreon.exceptions.Unauthorized) as raised:
            api.get_identity()
        assert raised.value.refresh_error.error == 'invalid_grant'
    assert token_request_count(sb) - before == 1
