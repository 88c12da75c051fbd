"""Figure 5: how many requests per second the sandbox serves for a page of 1,000 members.

The sandbox runs in its own process, as in figure 3; the client is the
cheapest there is: one keep-alive ``http.client`` connection sending the
first page's GET (the query of figure 3) again and again and reading each
body, without parsing it.  What the sandbox takes per page is the part of
figure 3's per-page times that no client can save.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os

import benchlib
from fig3_http import first_page_url
from results import megabytes, milliseconds
from sandbox_server import SandboxProcess, client_parser

MEMBERS, PAGE_SIZE, SECONDS, WARMUP = 20000, 1000, 4.0, 3
QUICK_MEMBERS, QUICK_PAGE_SIZE, QUICK_SECONDS, QUICK_WARMUP = 30, 10, 0.2, 1


def child(url, token, campaign_id, page_size, seconds, warmup, ca_file):
    from six.moves import http_client
    from six.moves.urllib.parse import urlsplit

    target = urlsplit(first_page_url(url, campaign_id, page_size))
    if target.hostname != '127.0.0.1':
        raise RuntimeError('refusing to load {}'.format(target.hostname))
    if target.scheme == 'https':
        import ssl
        connection = http_client.HTTPSConnection(target.hostname, target.port,
                                                 context=ssl.create_default_context(cafile=ca_file))
    else:
        connection = http_client.HTTPConnection(target.hostname, target.port)
    path = target.path + '?' + target.query
    headers = {'Authorization': 'Bearer ' + token}
    samples, size = [], 0
    budget = benchlib.Budget(warmup=warmup, min_runs=5, max_runs=100000, seconds=seconds)
    for timed in budget.runs():
        started = benchlib.clock()
        connection.request('GET', path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = benchlib.clock() - started
        if response.status != 200:
            raise RuntimeError('the sandbox answered {}'.format(response.status))
        size = len(body)
        if timed:
            samples.append(elapsed)
    connection.close()
    return {'samples': samples, 'bytes': size}


def measure(config):
    members, page_size, seconds, warmup = (QUICK_MEMBERS, QUICK_PAGE_SIZE, QUICK_SECONDS, QUICK_WARMUP) \
        if config.quick else (MEMBERS, PAGE_SIZE, SECONDS, WARMUP)
    python = config.pythons['ours']
    measured = []
    for protocol in ('HTTP', 'HTTPS'):
        ca_file = os.path.join(config.workdir, 'throughput-ca.pem') if protocol == 'HTTPS' else None
        with SandboxProcess(python, members, ca_file=ca_file) as sandbox:
            args = sandbox.client_args() + ['--page-size', page_size, '--seconds', seconds, '--warmup', warmup]
            outcome = benchlib.run_child(python, 'fig5_throughput.py', args + (['--ca-file', ca_file] if ca_file
                                                                                else []))
        measured.append((protocol, outcome))
    return tabulate(measured, page_size, seconds)


def tabulate(measured, page_size, seconds):
    rows = []
    for protocol, outcome in measured:
        stats = benchlib.summarize(outcome['samples'])
        total = sum(outcome['samples'])
        rows.append([protocol, '{:,}'.format(page_size), megabytes(outcome['bytes']),
                     '{:.1f}'.format(len(outcome['samples']) / total), milliseconds(stats),
                     '{:.1f}'.format(outcome['bytes'] * len(outcome['samples']) / total / 1e6), stats['runs']])
    notes = [
        'One keep-alive connection (`http.client`), the same GET over and over for {:.0f} s after a warm-up; bodies '
        'are read, not parsed. Requests per second = requests ÷ the time spent in them; time per request in ms: '
        'median (min–max).'.format(seconds),
        'The sandbox is a threaded standard-library HTTP server in its own process (Python, one request at a time '
        'here); it is a test double, not a fast server. Figure 3\'s per-page times minus these are what the '
        'clients themselves cost.',
    ]
    return {
        'number': 5, 'title': 'Sandbox throughput for a page of 1,000 members',
        'columns': ['protocol', 'members per page', 'body', 'requests/s', 'time per request (ms)', 'MB/s', 'requests'],
        'rows': rows, 'notes': notes, 'goals': [], 'raw': dict(measured),
    }


def main(argv=None):
    parser = client_parser(__doc__.split('\n')[0])
    parser.add_argument('--page-size', type=int, default=PAGE_SIZE)
    parser.add_argument('--seconds', type=float, default=SECONDS)
    parser.add_argument('--warmup', type=int, default=WARMUP)
    parser.add_argument('--ca-file', help='the CA to trust over HTTPS')
    args = parser.parse_args(argv)
    benchlib.emit(child(args.url, args.token, args.campaign, args.page_size, args.seconds, args.warmup, args.ca_file))


if __name__ == '__main__':
    main()
