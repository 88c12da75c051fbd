"""Helpers shared by the test modules."""
import io
import json
import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO_ROOT, '..', 'shared', 'fixtures')


def fixture_bytes(name):
    with io.open(os.path.join(FIXTURES, name), 'rb') as handle:
        return handle.read()


def load_fixture(name):
    return json.loads(fixture_bytes(name).decode('utf-8'))
