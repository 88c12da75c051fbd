"""Fixtures shared by the suite's modules.

A module that talks to a sandbox names its world once, at module level::

    SANDBOX = dict(members=60, seed=3)      # the arguments of patreon.sandbox.Sandbox

and its tests take ``sb`` (or ``sandbox``, the same server): one sandbox per module, started on first use and
stopped after the module's last test. ``fresh`` is that sandbox with no fault scheduled and an empty request log.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest

# A module without SANDBOX gets a small world of its own.
DEFAULT_SANDBOX = {'members': 20, 'seed': 1}


@pytest.fixture(scope='module')
def sb(request):
    from patreon.sandbox import Sandbox  # here: modules that need no sandbox import none

    options = getattr(request.module, 'SANDBOX', DEFAULT_SANDBOX)
    with Sandbox(**options) as sandbox:
        yield sandbox


@pytest.fixture(scope='module')
def sandbox(sb):
    return sb


@pytest.fixture
def fresh(sb):
    sb.clear_faults()
    sb.clear_log()
    yield sb
    sb.clear_faults()
