# -*- coding: utf-8 -*-
"""The ``patreon`` command line: read a campaign's data, manage its webhooks, try the sandbox.

Usage::

    $ export PATREON_ACCESS_TOKEN=...     # a creator access token (safer than --token: ps shows arguments)
    $ export PATREON_USER_AGENT='MyCampaignName - Sync App'   # your app's name, first in the User-Agent
    $ export PATREON_BASE_URL=http://127.0.0.1:5001   # a sandbox (as --base-url); unset, Patreon itself
    $ patreon identity
    $ patreon campaigns
    $ patreon members 1234567 --include currently_entitled_tiers -o members.csv
    $ patreon webhooks create --campaign 1234567 --uri https://example.org/hooks/patreon \\
          --trigger members:pledge:create
    $ patreon sandbox --members 2500 --redirect-uri http://localhost:5000/oauth/redirect   # a local Patreon
    $ patreon sandbox-control pledge TIER_ID --kind annual    # from another shell, while it runs
    $ patreon demo                       # the whole journey of an app, against an embedded sandbox

The commands that read accept ``--format table`` (aligned columns, control characters shown escaped; the
default on a terminal), ``jsonl`` (one JSON object per line, exact; the default otherwise) or ``csv`` (a
header line, then one line per resource; cells a spreadsheet would run as a formula get a leading ``'``
unless ``--raw-csv``); the output is always UTF-8.  ``-o FILE`` writes to a temporary file beside ``FILE``,
renamed to it once complete.  ``--fields`` picks the attributes (the column names are Patreon's),
``--include`` adds related resources as extra columns.

Exit status:

=====  ==========================================================================
0      success
1      another API error (e.g. 400), pagination that cannot go on, a demo step that failed,
       a sandbox that cannot listen, or a control request a sandbox refused (400)
2      usage error: bad arguments or environment, no access token, no sandbox to control
3      401 Unauthorized: the token is invalid or expired, or lacks the command's scope
       (whatever the body: an HTML page too)
4      403 Forbidden: the token may not see that resource (sandbox-control: a wrong control key)
5      404 Not Found (sandbox-control: an action the sandbox does not know)
6      429 Too Many Requests, still after the retries
7      network error: cannot connect (sandbox-control: no sandbox answering), timed out,
       connection cut
8      Patreon (or the sandbox) failed: a 5xx answer, or a successful answer that is not the
       document due (not JSON, no ``data``, no resource where one was asked for)
9      the output cannot be written (``-o FILE``: no such directory, disk full)
130    interrupted (Ctrl-C)
=====  ==========================================================================

An expected failure is one line on stderr (``patreon: error: 401 Unauthorized: ...``), never a
traceback, never the token or a sandbox's control key; a listing that fails after writing some rows says
how many of how many.

The package's modules, one concern each: :mod:`~patreon.cli._arguments` (the parser),
:mod:`~patreon.cli._option_types` (what each option accepts), :mod:`~patreon.cli._formats` (table, jsonl, csv),
:mod:`~patreon.cli._output_file` (``-o``), :mod:`~patreon.cli._views` (the columns of each resource type),
:mod:`~patreon.cli._context` (token and client), :mod:`~patreon.cli._api_commands` (the commands that call
Patreon), :mod:`~patreon.cli._sandbox_command`, :mod:`~patreon.cli._sandbox_control_command` (driving a running
sandbox), :mod:`~patreon.cli._demo_command`, :mod:`~patreon.cli._exit_status` (statuses and the line each failure
becomes), :mod:`~patreon.cli._runner` (``main``).  Console output shared with the demo lives in
:mod:`patreon.cli._console`.
"""
# No unicode_literals: on Python 2, `from <package> import *` takes only str names from __all__.
from __future__ import absolute_import, division, print_function

from ._exit_status import (EXIT_FAILURE, EXIT_FORBIDDEN, EXIT_INTERRUPTED, EXIT_NETWORK, EXIT_NOT_FOUND, EXIT_OK,
                          EXIT_OUTPUT, EXIT_RATE_LIMITED, EXIT_SERVER, EXIT_UNAUTHORIZED, EXIT_USAGE)
from ._runner import main

__all__ = ['main', 'EXIT_OK', 'EXIT_FAILURE', 'EXIT_USAGE', 'EXIT_UNAUTHORIZED', 'EXIT_FORBIDDEN', 'EXIT_NOT_FOUND',
           'EXIT_RATE_LIMITED', 'EXIT_NETWORK', 'EXIT_SERVER', 'EXIT_OUTPUT', 'EXIT_INTERRUPTED']
