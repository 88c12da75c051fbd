"""Figure 8: 8 processes sharing one OAuth client: the request rate a loopback server saw, against Patreon's limit.

Each process is a user of the same app (one OAuth client, a token set of its
own) and sends its requests as fast as its client lets it.  Alone, each
process paces itself: together they send 8 times the limit.  With one
``SQLiteStore`` as ``token_store=``, they wait their turns in one pace.  The
server (in the runner's process, on 127.0.0.1) stamps each request; the table
gives the most requests it saw in any window of the limit's length.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import bisect
import os
import subprocess
import sys
import threading
import time

from six.moves import BaseHTTPServer, socketserver

import benchlib

PROCESSES = 8
COUNT, RATE = 50, (100, 2.0)  # Patreon's documented limit per OAuth client
QUICK_COUNT, QUICK_RATE = 5, (10, 0.5)
IDENTITY = b'{"data": {"type": "user", "id": "1", "attributes": {}}}'


def child(url, store_path, name, count, requests, seconds):
    import patreon
    from six.moves.urllib.parse import urlsplit
    if urlsplit(url).hostname != '127.0.0.1':
        raise RuntimeError('refusing to load {}'.format(url))
    oauth = patreon.OAuth('bench-client', 'bench-secret', base_url=url)
    store = None
    token = 'at_bench_{}'.format(name)
    if store_path:
        from patreon.stores.sqlite import SQLiteStore
        store = SQLiteStore(store_path, name=name)
        store.save({'access_token': token})
        token = None
    api = patreon.API(token, base_url=url, refresh=patreon.RefreshPolicy(oauth), token_store=store,
                      limits=patreon.Limits(rate=(requests, seconds)), retry=None)
    sys.stdout.write('ready\n')
    sys.stdout.flush()
    sys.stdin.readline()
    for _ in range(count):
        if api.get_identity().data().id() != '1':
            raise RuntimeError('unexpected answer')
    benchlib.emit({'sent': count})


class _Handler(BaseHTTPServer.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        with self.server.lock:
            self.server.stamps.append(time.time())
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(IDENTITY)))
        self.end_headers()
        self.wfile.write(IDENTITY)

    def log_message(self, *args):
        pass


class _Server(socketserver.ThreadingMixIn, BaseHTTPServer.HTTPServer):
    daemon_threads = True


def run_processes(python, url, store_path, count, rate):
    """Start the 8 children, let them go at once, wait for all; the server's stamps are read by the caller."""
    argv = [python, os.path.join(benchlib.BENCH_DIR, 'fig8_shared.py'), '--url', url, '--count', str(count),
            '--requests', str(rate[0]), '--seconds', str(rate[1])] + (['--store', store_path] if store_path else [])
    children = [subprocess.Popen(argv + ['--name', str(index)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 cwd=benchlib.BENCH_DIR) for index in range(PROCESSES)]
    try:
        for process in children:
            if process.stdout.readline() != b'ready\n':
                raise benchlib.ChildFailed('a figure 8 child did not start')
        for process in children:
            process.stdin.write(b'go\n')
            process.stdin.flush()
        for process in children:
            process.communicate()
            if process.returncode != 0:
                raise benchlib.ChildFailed('a figure 8 child failed')
    finally:
        for process in children:
            if process.poll() is None:
                process.kill()
                process.wait()


def most_in_any_window(stamps, seconds):
    stamps = sorted(stamps)
    return max(bisect.bisect_left(stamps, start + seconds) - index for index, start in enumerate(stamps))


def measure(config):
    count, rate = (QUICK_COUNT, QUICK_RATE) if config.quick else (COUNT, RATE)
    python = config.pythons['ours']
    rows = []
    for label, store_path in (('each process alone (no shared store)', None),
                              ('one SQLiteStore for all', os.path.join(config.workdir, 'fig8.sqlite'))):
        server = _Server(('127.0.0.1', 0), _Handler)
        server.lock, server.stamps = threading.Lock(), []
        thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
        thread.daemon = True
        thread.start()
        try:
            run_processes(python, 'http://127.0.0.1:{}'.format(server.server_address[1]), store_path, count, rate)
        finally:
            server.shutdown()
            server.server_close()
        stamps = sorted(server.stamps)
        span = stamps[-1] - stamps[0]
        rows.append([label, PROCESSES, len(stamps), most_in_any_window(stamps, rate[1]),
                     '{} per {:g} s'.format(rate[0], rate[1]), '{:.0f}'.format(len(stamps) / span if span else 0)])
    shared_worst = rows[1][3]
    notes = [
        '{} processes, one OAuth client, a token set each, {} requests each, as fast as the client allows; the '
        'server stamps each request with the machine\'s clock. "Most in any window" is the most requests the server '
        'saw in any {:g} s.'.format(PROCESSES, count, rate[1]),
        'Alone, each process keeps to the limit by itself, so together they may send {} times it.'.format(PROCESSES),
    ]
    return {
        'number': 8, 'title': 'Eight processes sharing one OAuth client: the rate the server saw',
        'columns': ['pacing', 'processes', 'requests', 'most in any window', "Patreon's limit", 'requests/s'],
        'rows': rows, 'notes': notes,
        'goals': [{'goal': 'with a shared store, no window above the limit', 'value': str(shared_worst),
                   'met': shared_worst <= rate[0], 'why': 'the processes share one pace'}],
        'raw': {'rows': rows},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--url', required=True)
    parser.add_argument('--store')
    parser.add_argument('--name', required=True)
    parser.add_argument('--count', type=int, default=COUNT)
    parser.add_argument('--requests', type=int, default=RATE[0])
    parser.add_argument('--seconds', type=float, default=RATE[1])
    args = parser.parse_args(argv)
    child(args.url, args.store, args.name, args.count, args.requests, args.seconds)


if __name__ == '__main__':
    main()
