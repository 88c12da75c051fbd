"""A local, faithful Patreon: API v2, OAuth and webhooks on 127.0.0.1, standard library only.

Test a Patreon integration without a creator account, tokens or a public URL::

    from patreon.sandbox import Sandbox

    with Sandbox(members=2500, seed=7) as sb:
        sb.url             # 'http://127.0.0.1:54321'
        sb.creator_token   # a creator access token with every scope
        sb.pledge(sb.tier_ids[1])  # a new patron: signed webhooks go to registered URIs

See ``Sandbox`` for everything else: OAuth client details, events, faults, users to log in as;
``SandboxControl(sb.url, sb.control_key)`` drives a running sandbox from another process.
"""
# No unicode_literals: on Python 2, `from <package> import *` takes only str names from __all__.
from __future__ import absolute_import, division, print_function

from ._control_client import SandboxControl, SandboxControlError
from ._faults import FAULT_KINDS
from ._resources import ALL_SCOPES
from ._sandbox import Sandbox
from ._server import RequestRecord
from ._webhooks import TRIGGERS, Delivery, sign

__all__ = ['Sandbox', 'SandboxControl', 'SandboxControlError', 'Delivery', 'RequestRecord', 'ALL_SCOPES', 'TRIGGERS',
           'FAULT_KINDS', 'sign']
