"""Stores shared by processes (patreon.stores): SQLite for one machine, a real Redis for many.

Every guarantee is measured over real processes: children started with
``subprocess`` share a store with the test, and what the server saw (the
sandbox's token requests, a loopback server's stamps) is counted, never timed.
The Redis tests start their own redis-server on a loopback port.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

import patreon
from patreon.exceptions import RequestBudgetExceeded, TokenStoreError
from patreon.stores.sqlite import SQLiteStore

from helpers import REPO_ROOT, run_children_together, start_child, token_request_count
from shared_servers import RedisServer
from test_pacing import StampingServer, most_in_any_window

GUARD_SECONDS = 60  # only against a hung child: a passing run takes a fraction of it
SECRET = 'at_Shared9kT2pV7cX4bN1mQ8wE5rY3uI6oA0'

# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=3, seed=23)

# Makes the store a child names on its command line: sqlite:<path> or redis:<url>.
MAKE_STORE = r'''
import sys
def make_store(spec, **kwargs):
    kind, where = spec.split(':', 1)
    if kind == 'sqlite':
        from patreon.stores.sqlite import SQLiteStore
        return SQLiteStore(where, **kwargs)
    from patreon.stores.redis import RedisStore
    return RedisStore(where, **kwargs)
'''

REFRESHER = MAKE_STORE + r'''
import patreon
url, client_id, client_secret, spec = sys.argv[1:5]
store = make_store(spec)
api = patreon.API(None, base_url=url, raise_errors=True, token_store=store,
                  refresh=patreon.RefreshPolicy(patreon.OAuth(client_id, client_secret, base_url=url)))
sys.stdout.write('ready\n')
sys.stdout.flush()
sys.stdin.readline()
user = api.get_identity().data()
sys.stdout.write('ok {} {}\n'.format(user.id(), api.access_token == store.load()['access_token']))
'''

CALLER = MAKE_STORE + r'''
import patreon
url, spec, count, rate, token_rate = sys.argv[1:6]
rate = tuple(float(part) if '.' in part else int(part) for part in rate.split('/'))
token_rate = None if token_rate == '-' else tuple(float(p) if '.' in p else int(p) for p in token_rate.split('/'))
api = patreon.API(None, base_url=url, token_store=make_store(spec), limits=patreon.Limits(rate, token_rate),
                  retry=None)
sys.stdout.write('ready\n')
sys.stdout.flush()
sys.stdin.readline()
for _ in range(int(count)):
    api.get_identity()
sys.stdout.write('done\n')
'''

HOLDER = MAKE_STORE + r'''
spec = sys.argv[1]
store = make_store(spec, **({'lock_lease': 0.5} if spec.startswith('redis') else {}))
with store.lock():
    sys.stdout.write('locked\n')
    sys.stdout.flush()
    sys.stdin.readline()  # held until killed
'''

BUDGET = MAKE_STORE + r'''
import patreon
url, spec = sys.argv[1:3]
api = patreon.API('at_budget_child', base_url=url, token_store=make_store(spec),
                  limits=patreon.Limits(max_4xx_per_10_minutes=5))
try:
    api.get_identity()
    sys.stdout.write('sent\n')
except patreon.exceptions.RequestBudgetExceeded:
    sys.stdout.write('exceeded\n')
'''


@pytest.fixture
def folder():
    path = tempfile.mkdtemp()
    yield path
    shutil.rmtree(path)


@pytest.fixture(params=['sqlite', 'redis'])
def spec(request, folder):
    """Where the processes of a test share their store: a SQLite file, or a Redis server started for the test."""
    if request.param == 'sqlite':
        yield 'sqlite:' + os.path.join(folder, 'patreon.sqlite')
        return
    pytest.importorskip('redis', reason='redis-py is not installed (pip install patreon[redis])')
    with RedisServer() as server:
        yield 'redis:' + server.url


def make_store(spec, **kwargs):
    kind, where = spec.split(':', 1)
    if kind == 'sqlite':
        return SQLiteStore(where, **kwargs)
    from patreon.stores.redis import RedisStore
    return RedisStore(where, **kwargs)


def run_together(script, args, count):
    """Children of ``script`` let go at once (see helpers.run_children_together); what each printed."""
    return [out.decode('utf-8').strip() for out, _ in run_children_together(script, args, count, GUARD_SECONDS)]


# Tokens: one refresh for every process --------------------------------------------------------------------------

def test_four_processes_meeting_a_401_at_once_refresh_once(sb, spec):
    tokens = sb.issue_tokens()
    make_store(spec).save(tokens)
    sb.expire_access_token(tokens['access_token'])
    before = token_request_count(sb)

    outcomes = run_together(REFRESHER, [sb.url, sb.client_id, sb.client_secret, spec], 4)

    assert token_request_count(sb) - before == 1
    assert outcomes == ['ok {} True'.format(sb.creator_user_id)] * 4
    assert make_store(spec).load()['refresh_token'] != tokens['refresh_token']


def test_a_holder_killed_while_holding_the_lock_does_not_keep_it(spec):
    holder = start_child(HOLDER, spec)
    timer = threading.Timer(GUARD_SECONDS, holder.kill)
    timer.start()
    try:
        assert holder.stdout.readline() == b'locked\n', holder.stderr.read()
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        store = make_store(spec)
        with store.lock():  # the OS frees a dead holder's file lock; Redis lets its lease run out
            store.save({'access_token': 'at_after_the_holder_died'})
    finally:
        timer.cancel()
        holder.stdout.close()
        holder.stderr.close()
        holder.stdin.close()
    assert make_store(spec).load()['access_token'] == 'at_after_the_holder_died'


def test_a_garbled_record_fails_closed_without_quoting_it(spec):
    store = make_store(spec)
    if spec.startswith('sqlite'):
        store.run(lambda db: db.execute('INSERT INTO tokens (name, data) VALUES (?, ?)', ('default', SECRET + '{')),
                  write=True)
    else:
        store.client.set(store._tokens_key, SECRET + '{')
    with pytest.raises(TokenStoreError) as caught:
        store.load()
    assert SECRET not in str(caught.value)
    with pytest.raises(TokenStoreError):
        patreon.API(None, token_store=store)


def test_no_store_shows_or_pickles_its_tokens(spec):
    store = make_store(spec)
    store.save({'access_token': SECRET})
    assert SECRET not in repr(store)
    with pytest.raises(TypeError):
        pickle.dumps(store)


# Pace and budget: every process together ---------------------------------------------------------------------------

@pytest.mark.parametrize('rate, token_rate', [('10/0.25', '-'), ('1000/1.0', '6/0.25')])
def test_three_processes_together_stay_under_the_limit_at_the_server(spec, rate, token_rate):
    make_store(spec).save({'access_token': 'at_paced'})
    with StampingServer(time.time) as server:
        outcomes = run_together(CALLER, [server.url, spec, '8', rate, token_rate], 3)
        stamps = server.stamps
    assert outcomes == ['done'] * 3
    assert len(stamps) == 24  # nothing dropped
    requests, seconds = (token_rate if token_rate != '-' else rate).split('/')
    assert most_in_any_window(stamps, float(seconds)) <= int(requests)


def test_the_4xx_budget_is_one_for_every_process(spec):
    store = make_store(spec)
    with StampingServer(time.time, status=404) as server:
        api = patreon.API('at_budget', base_url=server.url, token_store=store,
                          limits=patreon.Limits(max_4xx_per_10_minutes=5))
        for _ in range(5):
            api.get_identity()
        with pytest.raises(RequestBudgetExceeded):
            api.get_identity()
        child = start_child(BUDGET, server.url, spec)
        out, err = child.communicate()
        sent = len(server.stamps)
    assert out.decode('ascii').strip() == 'exceeded', err
    assert sent == 5  # nothing else reached the server


# Only where they are asked for --------------------------------------------------------------------------------------

def test_import_patreon_imports_neither_sqlite3_nor_redis():
    script = ('import sys, patreon; api = patreon.API("at_x");'
              'print(sorted(m for m in ("sqlite3", "_sqlite3", "redis") if m in sys.modules))')
    # Without coverage's variables: measuring a subprocess (make test) loads sqlite3, coverage's own data file.
    env = dict((name, value) for name, value in os.environ.items() if not name.startswith('COVERAGE_'))
    env['PYTHONPATH'] = REPO_ROOT + os.pathsep + os.environ.get('PYTHONPATH', '')
    out = subprocess.check_output([sys.executable, '-c', script], env=env)
    assert out.decode('ascii').strip() == '[]'


# Redis away, restarted, or not Redis at all -------------------------------------------------------------------------

@pytest.fixture
def redis_server():
    pytest.importorskip('redis', reason='redis-py is not installed (pip install patreon[redis])')
    with RedisServer() as server:
        yield server


def test_tokens_refreshed_while_redis_is_down_are_kept_and_saved_once_it_is_back(sb, redis_server):
    from patreon.stores.redis import RedisStore

    class StoppedAtSave(RedisStore):
        """Redis goes away after the lock is taken and the token endpoint answered, before the save."""

        stopped = False

        def save(self, tokens):
            if not self.stopped:
                self.stopped = True
                redis_server.stop()
            return super(StoppedAtSave, self).save(tokens)

    tokens = sb.issue_tokens()
    RedisStore(redis_server.url).save(tokens)
    store = StoppedAtSave(redis_server.url)
    api = patreon.API(None, base_url=sb.url, raise_errors=True, token_store=store,
                      refresh=patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)),
                      limits=patreon.Limits(rate=None, max_4xx_per_10_minutes=None))
    sb.expire_access_token(tokens['access_token'])

    with pytest.raises(TokenStoreError) as caught:
        api.get_identity()
    assert tokens['refresh_token'] not in str(caught.value)
    refreshed = api.access_token
    assert refreshed != tokens['access_token']  # the process kept the only live token
    assert store.load()['access_token'] == refreshed

    assert redis_server.start()  # the same port, and (no persistence) an empty data set
    with store.lock():  # the kept tokens are written first
        pass
    assert RedisStore(redis_server.url).load()['access_token'] == refreshed
    assert api.get_identity().data().id() == sb.creator_user_id


def test_a_redis_that_is_down_is_a_typed_error_and_a_restart_is_picked_up(redis_server):
    from patreon.stores.redis import RedisStore
    store = RedisStore(redis_server.url)
    store.save({'access_token': 'at_restart'})
    with StampingServer(time.time) as server:
        api = patreon.API(None, base_url=server.url, token_store=store)
        api.get_identity()
        redis_server.stop()
        with pytest.raises(TokenStoreError):
            api.get_identity()  # the shared pacer cannot be asked: nothing is sent unpaced
        sent_while_down = len(server.stamps)
        assert redis_server.start()
        api.get_identity()
        assert len(server.stamps) == sent_while_down + 1
    assert sent_while_down == 1


def test_a_server_that_answers_garbage_is_a_typed_error():
    pytest.importorskip('redis', reason='redis-py is not installed (pip install patreon[redis])')
    from patreon.stores.redis import RedisStore
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    listener.listen(4)

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
            except (socket.error, OSError):
                return
            connection.recv(65536)
            connection.sendall(b'HTTP/1.1 400 Not Redis\r\n\r\n')
            connection.close()

    thread = threading.Thread(target=serve)
    thread.daemon = True
    thread.start()
    try:
        store = RedisStore('redis://127.0.0.1:{}/0'.format(listener.getsockname()[1]))
        for use in (store.load, lambda: store.save({'access_token': SECRET}),
                    lambda: store.shared_pacer('http://x', 'client', (10, 1.0)).acquire()):
            with pytest.raises(TokenStoreError) as caught:
                use()
            assert SECRET not in str(caught.value)
    finally:
        listener.close()


def test_a_shared_store_paces_per_token_too_by_default_and_other_clients_opt_in(folder):
    store = SQLiteStore(os.path.join(folder, 'patreon.sqlite'))
    store.save({'access_token': 'at_default_pace'})
    chain = patreon.API(None, token_store=store).transport.pacer
    assert [(pacer.requests, pacer.seconds) for pacer in chain.pacers] == [(100, 60.0), (100, 2.0)]
    assert patreon.API(None, token_store=store, limits=patreon.Limits(rate=None)).transport.pacer is None
    assert patreon.API('at_alone').transport.pacer.seconds == 2.0
    chain = patreon.API('at_alone', limits=patreon.Limits(token_rate=(100, 60.0))).transport.pacer
    assert [(pacer.requests, pacer.seconds) for pacer in chain.pacers] == [(100, 60.0), (100, 2.0)]


def test_the_per_token_pace_outlives_a_refresh_it_is_the_token_sets(spec):
    # Patreon does not reset a token's count when it is refreshed: the clients before and after a refresh (two
    # access tokens of one token set) wait in one pace.
    store = make_store(spec)
    store.save({'access_token': 'at_before_the_refresh'})
    with StampingServer(time.time) as server:
        before = patreon.API(None, base_url=server.url, token_store=store, limits=patreon.Limits(rate=(1000, 1.0),
                                                                                                 token_rate=(3, 0.3)))
        store.save({'access_token': 'at_after_the_refresh'})
        after = patreon.API(None, base_url=server.url, token_store=make_store(spec),
                            limits=patreon.Limits(rate=(1000, 1.0), token_rate=(3, 0.3)))
        assert before.access_token != after.access_token
        for _ in range(6):
            before.get_identity()
            after.get_identity()
        stamps = server.stamps
    assert len(stamps) == 12
    assert most_in_any_window(stamps, 0.3) <= 3


# SQLite: one connection per process ----------------------------------------------------------------------------

def counting_connects(monkeypatch):
    """Every connection patreon.stores.sqlite opens from now on, in a list."""
    import sqlite3

    opened = []

    def connect(*args, **kwargs):
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    real_connect = sqlite3.connect
    monkeypatch.setattr(patreon.stores.sqlite.sqlite3, 'connect', connect)
    return opened


def test_the_threads_of_a_process_share_one_connection_and_leave_none_unclosed(folder, monkeypatch):
    # A prefetching client takes the store's pacer on a new thread each page: a connection per thread outlived it,
    # unclosed (a ResourceWarning from 3.13 on), after opening and preparing the file again.
    opened = counting_connects(monkeypatch)
    store = SQLiteStore(os.path.join(folder, 'patreon.sqlite'))
    pacer = store.shared_pacer('http://127.0.0.1:1', 'client', (1000, 60.0))

    def take_and_give_back():
        pacer.acquire()
        pacer.release()

    threads = [threading.Thread(target=take_and_give_back) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD_SECONDS)
    store.save({'access_token': SECRET})

    assert len(opened) == 1 and store.load() == {'access_token': SECRET}
    store.close()
    with pytest.raises(Exception) as closed:  # closed, not left to the collector
        opened[0].execute('SELECT 1')
    assert 'closed' in str(closed.value)
    assert store.load() == {'access_token': SECRET} and len(opened) == 2  # used again: a new one
    store.close()
    store.close()


def test_a_store_dropped_without_close_closes_its_connection(folder, monkeypatch):
    opened = counting_connects(monkeypatch)
    store = SQLiteStore(os.path.join(folder, 'patreon.sqlite'))
    store.save({'access_token': SECRET})
    del store
    import gc
    gc.collect()

    with pytest.raises(Exception) as closed:
        opened[0].execute('SELECT 1')
    assert 'closed' in str(closed.value)


FORKED_CHILD_USES_THE_STORE = r'''
import os, sys
from patreon.stores.sqlite import SQLiteStore
store = SQLiteStore(sys.argv[1])
store.save({'access_token': 'at_parent'})
pid = os.fork()
if pid == 0:
    store.save({'access_token': 'at_child'})  # its own connection: the parent's is never touched here
    os._exit(0 if store.load() == {'access_token': 'at_child'} else 1)
_, status = os.waitpid(pid, 0)
store.close()
sys.stdout.write('{} {}\n'.format(status, store.load()['access_token']))
'''


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='fork() is POSIX')
def test_a_child_of_fork_opens_its_own_connection_and_the_parent_keeps_working(folder):
    path = os.path.join(folder, 'patreon.sqlite')
    strict = ['-W', 'error::ResourceWarning'] if sys.version_info >= (3,) else []  # 2.7 has no such category
    output = subprocess.check_output([sys.executable] + strict + ['-c', FORKED_CHILD_USES_THE_STORE, path],
                                     stderr=subprocess.STDOUT)

    assert output.decode('utf-8').split() == ['0', 'at_child']


def test_a_transaction_inside_a_transaction_is_an_error_not_a_wait_on_itself(folder):
    store = SQLiteStore(os.path.join(folder, 'patreon.sqlite'))
    outcome = []

    def nested():
        try:
            store.run(lambda db: store.load())
        except TokenStoreError as error:
            outcome.append(str(error))

    thread = threading.Thread(target=nested)
    thread.daemon = True
    thread.start()
    thread.join(GUARD_SECONDS)

    assert not thread.is_alive() and len(outcome) == 1 and 'transaction' in outcome[0]
    store.close()



DROPPED_IN_A_CYCLE = r'''
import gc, sys
from patreon.stores.sqlite import SQLiteStore
for _ in range(20):
    store = SQLiteStore(sys.argv[1])
    store.save({'access_token': 'at_cycle'})
    store.cycle = store  # only the collector frees it, finalizing what it holds in any order
    del store
    gc.collect()
'''


def test_a_store_dropped_in_a_reference_cycle_leaves_no_connection_unclosed(folder):
    # Only the collector frees it; a connection it finalizes unclosed warns (3.13+), and it may do so before a __del__.
    strict = ['-W', 'error::ResourceWarning'] if sys.version_info >= (3,) else []  # 2.7 has no such category
    process = subprocess.Popen([sys.executable] + strict + ['-c', DROPPED_IN_A_CYCLE,
                                                            os.path.join(folder, 'patreon.sqlite')],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()

    assert (process.returncode, err) == (0, b'')  # an unclosed connection is reported on stderr ("ignored")
