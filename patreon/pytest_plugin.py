"""pytest fixtures to test an app against a local Patreon: ``patreon_sandbox`` and ``patreon_api``.

Registered through the ``pytest11`` entry point: nothing to import or configure (``-p no:patreon.pytest_plugin``
turns it off). The guide "The sandbox and testing your app" (docs/sandbox.md) shows whole test files.

- ``patreon_sandbox``: a running :class:`patreon.sandbox.Sandbox`, stopped after the test; options through
  ``@pytest.mark.patreon_sandbox(members=50, seed=3)`` (any argument of ``Sandbox``) on a test, class or
  module, the seed of the others from ``--patreon-seed`` (0). While it is active, every ``patreon.API`` and
  ``patreon.OAuth`` left with the default ``base_url`` sends to it, ``PATREON_BASE_URL`` names it, and a
  request to the real Patreon raises :class:`~patreon.exceptions.RealPatreonBlocked` (and fails the test).
- ``patreon_api``: a :class:`patreon.API` on the sandbox creator's token.

Usage::

    def test_identity(patreon_api, patreon_sandbox):
        assert patreon_api.get_identity().data().id() == patreon_sandbox.creator_user_id
"""
from __future__ import absolute_import, unicode_literals

import contextlib
import os

import pytest

__all__ = ['patreon_sandbox', 'patreon_api', 'MARKER', 'DEFAULT_SEED']

MARKER = 'patreon_sandbox'
DEFAULT_SEED = 0
#: The setting where the documented apps read where Patreon is: the sandbox's URL during a test.
_BASE_URL_VARIABLE = str('PATREON_BASE_URL')


def pytest_addoption(parser):
    """Add ``--patreon-seed``: the seed of the sandboxes whose marker names none."""
    group = parser.getgroup('patreon', 'Patreon sandbox fixtures')
    group.addoption('--patreon-seed', type=int, default=None, dest='patreon_seed', metavar='SEED',
                    help='seed of the patreon_sandbox fixture\'s world, unless its marker gives one '
                         '(default {})'.format(DEFAULT_SEED))


def pytest_configure(config):
    """Register the marker, so that ``--strict-markers`` accepts it."""
    config.addinivalue_line('markers', '{}(**options): arguments of the Sandbox that the {} fixture starts, '
                                       'e.g. members=50, seed=3, rate_limit=True'.format(MARKER, MARKER))


def pytest_report_header(config):
    """Say which seed the unmarked tests' sandboxes use (to reproduce a run), and warn of an exported base URL."""
    seed = config.getoption('patreon_seed')
    if seed is None:
        lines = ['patreon sandbox seed: {} (the default; --patreon-seed SEED to change it)'.format(DEFAULT_SEED)]
    else:
        lines = ['patreon sandbox seed: {}'.format(seed)]
    if os.environ.get(_BASE_URL_VARIABLE):  # its value is not shown: a URL may carry credentials
        lines.append('patreon: ${0} is set; patreon_sandbox sets it to its sandbox during a test, but what was read '
                     'from it before (at import) keeps the exported URL: unset it for pytest'.format(
                         _BASE_URL_VARIABLE))
    return lines


def _sandbox_options(request):
    """The ``Sandbox`` arguments for the test of ``request``: markers (the closest wins), then ``--patreon-seed``.

    :raises pytest.fail.Exception: a marker has positional arguments.
    """
    options = {}
    for marker in reversed(list(request.node.iter_markers(MARKER))):  # farthest first, so the closest wins
        if marker.args:
            pytest.fail('@pytest.mark.{} takes keyword arguments only (members=..., seed=...), not {!r}'.format(
                MARKER, marker.args), pytrace=False)
        options.update(marker.kwargs)
    if 'seed' not in options:
        seed = request.config.getoption('patreon_seed')
        options['seed'] = DEFAULT_SEED if seed is None else seed
    return options


@pytest.fixture
def patreon_sandbox(request):
    """A running :class:`patreon.sandbox.Sandbox`, the default ``base_url`` of every client pointed at it.

    Stopped after the test.  The test can make events happen
    (``patreon_sandbox.pledge(tier_id)``), expire tokens and inject faults.
    Fails the test if any client tried to reach the real Patreon meanwhile.
    """
    # Imported here: the plugin loads in every pytest run of a project that installs patreon.
    from patreon import endpoint
    from patreon.sandbox import Sandbox

    sandbox = Sandbox(**_sandbox_options(request))
    with sandbox:
        with endpoint.override_default_base_url(sandbox.url) as override:
            with _environment_variable(_BASE_URL_VARIABLE, str(sandbox.url)):
                yield sandbox
    if override.refused:
        pytest.fail('the code under test tried to reach the real Patreon {} time(s) during the test: {}'.format(
            len(override.refused), override.refused[0]), pytrace=False)


@pytest.fixture
def patreon_api(patreon_sandbox):
    """A :class:`patreon.API` on the ``patreon_sandbox`` creator's token (every scope), closed after the test."""
    from patreon import API

    with API(patreon_sandbox.creator_token, base_url=patreon_sandbox.url) as api:
        yield api



@contextlib.contextmanager
def _environment_variable(name, value):
    """``os.environ[name] = value`` within the block; what it was (or its absence) after."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
