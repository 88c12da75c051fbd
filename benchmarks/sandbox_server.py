"""A :class:`patreon.sandbox.Sandbox` in a process of its own, so that its CPU is not the client's.

Run as a script (by :class:`SandboxProcess`, with the ``ours`` interpreter)::

    python sandbox_server.py --members 20000 [--ca-file /tmp/ca.pem]

it starts the sandbox, prints ``BENCH-RESULT {"url", "token", "campaign_id", ...}``
and serves until its standard input closes.  With ``--ca-file`` it serves
HTTPS with a certificate for 127.0.0.1 issued by a CA made for this run with
``trustme``, and writes that CA's certificate to the file for clients to trust.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import json
import os
import resource
import subprocess
import sys

import benchlib


class SandboxProcess(object):
    """Start ``sandbox_server.py`` with ``python`` and know where it listens.

    Usage::

        with SandboxProcess(python, members=20000) as sandbox:
            sandbox.url, sandbox.token, sandbox.campaign_id

    :param ca_file: serve HTTPS; the run's CA certificate is written there.
    """

    def __init__(self, python, members, ca_file=None, seed=0):
        self.argv = [python, os.path.join(benchlib.BENCH_DIR, 'sandbox_server.py'),
                     '--members', str(members), '--seed', str(seed)]
        if ca_file:
            self.argv += ['--ca-file', ca_file]
        self.ca_file = ca_file
        self.process = None
        self.info = None
        self.usage = None

    def __enter__(self):
        self.process = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        cwd=benchlib.BENCH_DIR)
        line = self.process.stdout.readline().decode('utf-8')
        if not line.startswith(benchlib.RESULT_MARKER):
            self.stop()
            raise benchlib.ChildFailed('the sandbox did not start: {!r}'.format(line))
        self.info = json.loads(line[len(benchlib.RESULT_MARKER):])
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        """Close the sandbox's standard input (it stops); return ``{'cpu_seconds', 'requests'}`` it served."""
        if self.process.stdin.closed:
            return self.usage
        self.process.stdin.close()
        try:
            output = self.process.stdout.read().decode('utf-8')
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            self.process.stdout.close()
        for line in output.splitlines():
            if line.startswith(benchlib.RESULT_MARKER):
                self.usage = json.loads(line[len(benchlib.RESULT_MARKER):])
        return self.usage

    @property
    def url(self):
        return self.info['url']

    @property
    def token(self):
        return self.info['token']

    @property
    def campaign_id(self):
        return self.info['campaign_id']

    @property
    def control_key(self):
        return self.info['control_key']

    def client_env(self):
        """Environment for a client: trust the run's CA (all of ``requests``' ways read it)."""
        return {'REQUESTS_CA_BUNDLE': self.ca_file} if self.ca_file else {}

    def client_args(self, control=False):
        """The options that hand a figure's child process this sandbox (see :func:`client_parser`)."""
        args = ['--url', self.url, '--token=' + self.token, '--campaign', self.campaign_id]
        return args + ['--control-key=' + self.control_key] if control else args


def client_parser(description, control=False):
    """A figure's child's argument parser, with the options of :meth:`SandboxProcess.client_args`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--url', required=True)
    parser.add_argument('--token', required=True)
    parser.add_argument('--campaign', required=True)
    if control:
        parser.add_argument('--control-key', required=True)
    return parser


def server_ssl_context(ca_file):
    """A server-side SSL context for 127.0.0.1, from a CA made now; the CA certificate goes to ``ca_file``."""
    import ssl

    import trustme

    authority = trustme.CA()
    authority.cert_pem.write_to_path(ca_file)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert('127.0.0.1').configure_cert(context)
    return context


def serve(members, seed, ca_file):
    from patreon.sandbox import Sandbox

    context = server_ssl_context(ca_file) if ca_file else None
    sandbox = Sandbox(members=members, seed=seed, ssl_context=context).start()
    try:
        benchlib.emit({'url': sandbox.url, 'token': sandbox.creator_token, 'campaign_id': sandbox.campaign_id,
                       'control_key': sandbox.control_key, 'identity': benchlib.describe_patreon()})
        sys.stdin.read()  # until the parent closes it
    finally:
        sandbox.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    benchlib.emit({'cpu_seconds': usage.ru_utime + usage.ru_stime, 'requests': len(sandbox.requests)})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--members', type=int, required=True)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--ca-file', help='serve HTTPS; write the CA certificate here')
    args = parser.parse_args(argv)
    serve(args.members, args.seed, args.ca_file)


if __name__ == '__main__':
    main()
