"""A real redis-server on a loopback port, for the shared-store tests.

Usage::

    with RedisServer() as server:      # pytest.skip where redis-server is not installed
        store = RedisStore(server.url)
        server.stop(); server.start()  # the same port and an empty data set
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from helpers import closed_port

_START_TRIES = 5


def redis_server_path():
    """The redis-server on PATH (or Debian's), or None."""
    for folder in os.environ.get('PATH', '').split(os.pathsep) + ['/usr/bin', '/usr/sbin']:
        candidate = os.path.join(folder, 'redis-server')
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


class RedisServer(object):
    """redis-server on 127.0.0.1, no persistence, in a temporary folder; stopped on exit whatever happened."""

    def __init__(self):
        self.binary = redis_server_path()
        if self.binary is None:
            pytest.skip('redis-server is not installed (Debian package redis-server; .ci/run installs it)')
        self.folder = tempfile.mkdtemp()
        self.process = None
        self.port = None

    @property
    def url(self):
        return 'redis://127.0.0.1:{}/0'.format(self.port)

    def __enter__(self):
        try:
            for _ in range(_START_TRIES):  # a port taken between the probe and the bind: another port
                if self.start(closed_port()):
                    return self
            raise RuntimeError('redis-server did not start')
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc_info):
        self.close()

    def start(self, port=None):
        """Start on ``port`` (the last one by default); True once it answers PING, False if it exited."""
        self.port = port or self.port
        self.process = subprocess.Popen(
            [self.binary, '--port', str(self.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
             '--dir', self.folder, '--protected-mode', 'yes'],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(500):
            if self.process.poll() is not None:
                self.process.stdout.close()
                return False
            if self._answers():
                return True
            time.sleep(0.01)  # waiting for a child process to listen: no other signal exists
        raise RuntimeError('redis-server did not answer')

    def _answers(self):
        try:
            connection = socket.create_connection(('127.0.0.1', self.port), timeout=1)
        except (socket.error, OSError):
            return False
        try:
            connection.sendall(b'PING\r\n')
            return connection.recv(16).startswith(b'+PONG')
        except (socket.error, OSError):
            return False
        finally:
            connection.close()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
            self.process.stdout.close()
        self.process = None

    def close(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
