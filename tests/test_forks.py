"""After ``fork()``: a child of a process that used the client has connections, locks and slots of its own.

Real processes over real HTTP on loopback: a web app under gunicorn ``--preload`` whose client the master used
before forking its workers, and one client used across ``multiprocessing`` with the fork start method, forked while
another thread held its refresh lock, its token store's lock or a pacer slot. Every wait of the test is bounded, and
every process it starts is killed in a ``finally``.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading

import pytest
import requests
from six.moves import queue

import patreon
from patreon.pacing import Pacer
from patreon.sandbox import Sandbox
from patreon.tokens import FileTokenStore

from helpers import REPO_ROOT, refreshing_api, token_request_count
from loopback import ScriptedServer, answer, response_head, trickle

pytestmark = [
    pytest.mark.skipif(not hasattr(os, 'fork'), reason='this platform has no fork()'),
    # These tests fork on purpose while threads run (the sandbox's, a request's): 3.12+ warns of it, rightly, and
    # the warning is what the tests stand up to. Threads of the package itself are checked by thread name below.
    pytest.mark.filterwarnings('ignore:This process .* is multi-threaded, use of fork:DeprecationWarning'),
]

MEMBERS = 24
GUARD_SECONDS = 30  # only against a hung process: a passing run takes a fraction of it
TESTS_DIR = os.path.join(REPO_ROOT, 'tests')


@pytest.fixture(scope='module')
def sb():
    with Sandbox(members=MEMBERS, seed=25) as sandbox:
        yield sandbox


@pytest.fixture(scope='module')
def member_ids(sb):
    api = patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True)
    ids = [member.id() for member in api.paginate(api.get_campaigns_by_id_members, sb.campaign_id, page_size=100)]
    assert len(ids) == MEMBERS
    return ids


def _fork_context():
    get_context = getattr(multiprocessing, 'get_context', None)
    return get_context('fork') if get_context is not None else multiprocessing  # 2.7 always forks on POSIX


def _lines(stream, into):
    for line in iter(stream.readline, b''):
        into.put(line.decode('utf-8', 'replace'))
    into.put(None)


def _start_gunicorn(sb, warm_member, workers):
    """gunicorn ``--preload`` serving tests/fork_app.py on 127.0.0.1; ``(process, url)`` once every worker booted."""
    env = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + TESTS_DIR, PATREON_FORK_APP_URL=sb.url,
               PATREON_FORK_APP_TOKEN=sb.creator_token, PATREON_FORK_APP_WARM=warm_member)
    process = subprocess.Popen(
        [sys.executable, '-c', 'from gunicorn.app.wsgiapp import run; run()', '--preload', '--workers',
         str(workers), '--bind', '127.0.0.1:0', '--chdir', TESTS_DIR, '--log-level', 'info', 'fork_app:app'],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    lines = queue.Queue()
    reader = threading.Thread(target=_lines, args=(process.stdout, lines))
    reader.daemon = True
    reader.start()
    process.reader = reader  # _stop waits for it, then closes the pipe it reads
    url, booted, seen = None, 0, []
    while url is None or booted < workers:
        try:
            line = lines.get(timeout=GUARD_SECONDS)
        except queue.Empty:
            line = None
        assert line is not None, 'gunicorn did not start:\n' + ''.join(seen)
        seen.append(line)
        listening = re.search(r'Listening at: (http://127\.0\.0\.1:[0-9]+)', line)
        url = listening.group(1) if listening else url
        booted += 'Booting worker' in line
    return process, url


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        timer = threading.Timer(10, process.kill)
        timer.start()
        try:
            process.wait()
        finally:
            timer.cancel()
    # The reader ends at the pipe's end; the pipe, left to the collector, warned as an unclosed file (3.14+).
    process.reader.join(GUARD_SECONDS)
    process.stdout.close()


def test_a_preloaded_app_under_gunicorn_answers_every_request_with_its_own_member(sb, member_ids):
    workers, rounds = 4, 3
    process, url = _start_gunicorn(sb, member_ids[0], workers)
    try:
        answers = {}
        lock = threading.Lock()

        def ask(asked):
            try:
                response = requests.get('{}/member/{}'.format(url, asked), timeout=GUARD_SECONDS)
                answer = (response.status_code, response.text)
            except requests.RequestException as exc:
                answer = (None, type(exc).__name__)
            with lock:
                answers.setdefault(asked, []).append(answer)

        threads = [threading.Thread(target=ask, args=(asked,)) for _ in range(rounds) for asked in member_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(GUARD_SECONDS)
            assert not thread.is_alive()
    finally:
        _stop(process)
    wrong = dict((asked, got) for asked, got in answers.items() if got != [(200, asked)] * rounds)
    assert wrong == {}
    assert len(answers) == MEMBERS


_CLIENT = []


def _fetch(asked):
    return _CLIENT[0].get_members_by_id(asked).data().id()


def test_one_client_used_across_multiprocessing_with_fork_answers_every_call_with_its_own_member(sb, member_ids):
    _CLIENT[:] = [patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True, timeout=patreon.Timeout(total=20))]
    assert _fetch(member_ids[0]) == member_ids[0]  # the parent's connection is open when the pool forks
    pool = _fork_context().Pool(4)
    try:
        got = pool.map_async(_fetch, member_ids * 3, chunksize=1).get(GUARD_SECONDS)
    finally:
        pool.terminate()
        pool.join()
    assert got == member_ids * 3
    assert _fetch(member_ids[1]) == member_ids[1]  # and the parent goes on, on its own connection


def _in_child(work, outcome):
    try:
        outcome.put(('ok', work()))
    except BaseException as exc:  # reported to the test, whatever it is
        outcome.put(('error', '{}: {}'.format(type(exc).__name__, exc)))


def _forked_while_held(hold, release, work, wait_for_parent=False):
    """Fork while ``hold()`` (in a thread of the parent) is blocked holding its lock; what ``work()`` gave in the
    child, which must finish within the guard. ``release()`` lets the parent's thread go: at once when the child
    has to wait for it (``wait_for_parent``), else once the child is done."""
    held = threading.Event()
    parent = threading.Thread(target=hold, args=(held,))
    parent.daemon = True
    parent.start()
    assert held.wait(GUARD_SECONDS)
    outcome = _fork_context().Queue()
    child = _fork_context().Process(target=_in_child, args=(work, outcome))
    child.start()
    try:
        if wait_for_parent:
            release()
        child.join(GUARD_SECONDS)
        assert child.exitcode == 0, 'the child is still waiting: it inherited a lock nobody releases'
        return outcome.get(timeout=GUARD_SECONDS)
    finally:
        release()
        parent.join(GUARD_SECONDS)
        assert not parent.is_alive()
        if child.is_alive():
            child.terminate()
            child.join(GUARD_SECONDS)


class _Gate(object):
    """Blocks the parent process's calls of ``function`` until :meth:`open`; a forked child passes straight on."""

    def __init__(self, function):
        self.function = function
        self.parent = os.getpid()
        self.inside = None
        self.opened = threading.Event()

    def __call__(self, *args, **kwargs):
        if os.getpid() == self.parent and self.inside is not None:
            self.inside.set()
            assert self.opened.wait(GUARD_SECONDS)
        return self.function(*args, **kwargs)

    def hold(self, call):
        def run(held):
            self.inside = held
            try:
                call()
            except patreon.exceptions.PatreonError:
                pass  # the parent's own call may lose to the child's refresh: the test is about the child
        return run

    def open(self):
        self.opened.set()


@pytest.mark.parametrize('with_store', [False, True], ids=['no store', 'file store'])
def test_a_child_forked_during_a_refresh_refreshes_on_its_own(sb, tmpdir, with_store):
    sb.clear_log()
    store = FileTokenStore(str(tmpdir.join('tokens.json'))) if with_store else None
    if store is not None:
        tokens = sb.issue_tokens()
        store.save(tokens)
        sb.expire_access_token(tokens['access_token'])
        api = patreon.API(None, base_url=sb.url, raise_errors=True, token_store=store,
                          refresh=patreon.RefreshPolicy(patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)))
    else:
        api, _, _ = refreshing_api(sb, raise_errors=True)
    gate = _Gate(api.oauth_client.refresh_token)
    api.oauth_client.refresh_token = gate

    status, user = _forked_while_held(gate.hold(api.get_identity), gate.open, lambda: api.get_identity().data().id(),
                                      wait_for_parent=with_store)

    assert (status, user) == ('ok', sb.creator_user_id)
    # With a store, the child waited for the parent's refresh and took its tokens: one refresh for both.
    assert token_request_count(sb) == (1 if with_store else 2)


class _GatedSession(requests.Session):
    def __init__(self):
        super(_GatedSession, self).__init__()
        self.gate = _Gate(super(_GatedSession, self).request)

    def request(self, *args, **kwargs):
        return self.gate(*args, **kwargs)


@pytest.mark.parametrize('owned', [True, False], ids=['its session', "the caller's session"])
def test_a_child_forked_while_a_request_holds_the_only_pacer_slot_gets_a_slot(sb, owned):
    session = _GatedSession()
    api = patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True, limits=patreon.Limits(rate=Pacer(1, 0.001)),
                      session=None if owned else session)
    if owned:
        api.transport._session = session  # the client's own, gated
        api.transport._owns_session = True
    gate = session.gate

    status, user = _forked_while_held(gate.hold(api.get_identity), gate.open, lambda: api.get_identity().data().id())

    assert (status, user) == ('ok', sb.creator_user_id)


def _run_in_child(work):
    """What ``work()`` gave in a forked child, which must finish within the guard (killed in any case)."""
    outcome = _fork_context().Queue()
    child = _fork_context().Process(target=_in_child, args=(work, outcome))
    child.start()
    try:
        child.join(GUARD_SECONDS)
        assert child.exitcode == 0, 'the child did not finish'
        return outcome.get(timeout=GUARD_SECONDS)
    finally:
        if child.is_alive():
            child.terminate()
            child.join(GUARD_SECONDS)


@pytest.mark.parametrize('owned', [True, False], ids=['its session', "the caller's session"])
def test_total_timeout_still_cuts_a_trickled_answer_in_a_child(owned):
    identity = b'{"data": {"type": "user", "id": "7", "attributes": {}}}'
    headers = [('Content-Type', 'application/json'), ('Content-Length', str(len(identity)))]
    endless = [('Content-Type', 'application/json'), ('Content-Length', '100000')]  # outlasts the guard uncut
    with ScriptedServer([answer(200, identity, *headers), trickle(response_head(200, endless) + b'{"da')]) as server:
        api = patreon.API('at_Forked5kT8pV1cX6bN9mQ4wE7rY2uI5oA0', base_url=server.url, retry=None,
                          timeout=patreon.Timeout(total=0.5), limits=patreon.Limits(rate=None),
                          session=None if owned else requests.Session())
        assert api.get_identity().data().id() == '7'  # the parent's pools exist, and are followed, before the fork

        def call():
            try:
                api.get_identity()
            except requests.Timeout as exc:
                return type(exc).__name__

        assert _run_in_child(call) == ('ok', 'TotalTimeout')
        assert server.hung_up.wait(GUARD_SECONDS)


def _client_threads():
    return [thread.name for thread in threading.enumerate()
            if thread.name.startswith('patreon') and not thread.name.startswith('patreon-sandbox')]


def test_no_thread_of_the_package_outlives_a_call(sb):
    api = patreon.API(sb.creator_token, base_url=sb.url, raise_errors=True)
    for _ in range(2):
        api.get_identity()
        assert _client_threads() == []  # a fork() now copies no lock a thread of ours could hold


# Where os.register_at_fork is missing (2.7, 3.6), the first call in a child resets it; its other threads wait.
RESET_ONCE_WHILE_OTHERS_WAIT = r'''
import threading
from patreon import _forks

class Probe(object):
    def __init__(self):
        self.entered, self.release, self.resets = threading.Event(), threading.Event(), 0
    def _after_fork(self):
        self.resets += 1
        self.entered.set()
        assert self.release.wait(60)

probe = _forks.track(Probe())
_forks._HOOKED, _forks._pid = False, -1  # as in a child of fork() on an interpreter without the hook
seen = []
def use():
    _forks.check()
    seen.append(probe.release.is_set())  # what a thread of the child may do once check() returns
first = threading.Thread(target=use)
first.start()
assert probe.entered.wait(60)
others = [threading.Thread(target=use) for _ in range(3)]
for thread in others:
    thread.start()
for thread in others:
    thread.join(0.5)  # they wait for the reset; were they let through, they would be done by now
probe.release.set()
for thread in [first] + others:
    thread.join(60)
print("{} {}".format(probe.resets, seen))
'''


def test_the_threads_of_a_child_wait_for_its_one_reset_before_using_anything(tmpdir):
    output = subprocess.check_output([sys.executable, '-c', RESET_ONCE_WHILE_OTHERS_WAIT], cwd=str(tmpdir))

    assert output.decode('ascii').strip() == '1 [True, True, True, True]'
