"""What a running sandbox can be asked to do from another process, declared once.

The control endpoint's table (:mod:`patreon.sandbox._control`), its client
(:class:`patreon.sandbox.SandboxControl`) and ``patreon sandbox-control`` are made from :data:`ACTIONS`;
``tests/test_declarations.py`` fails when one of them, the :class:`~patreon.sandbox.Sandbox` method an action
runs, or docs/sandbox.md's table of requests disagrees with it. Light on purpose: the command line's parser reads
it without loading the sandbox.
"""
from __future__ import unicode_literals

import collections

#: Every control request's path starts with this.
CONTROL_PREFIX = '/sandbox/'
#: Where a command line finds a running sandbox: its URL and its control key (``patreon sandbox`` prints both).
URL_VARIABLE = 'PATREON_SANDBOX_URL'
KEY_VARIABLE = 'PATREON_SANDBOX_KEY'
#: How a pledge is paid: ``'monthly'``, ``'annual'`` (a year at once), ``'gift'`` (by someone else),
#: ``'free_trial'`` (nothing charged yet).
PLEDGE_KINDS = ('monthly', 'annual', 'gift', 'free_trial')

#: The faults a sandbox can inject (patreon.sandbox.Sandbox.inject_fault): kind -> {option: default}.
FAULT_KINDS = {  # type: dict
    'rate_limit': {'retry_after': 1, 'header': True},
    'server_error': {'status': 502},
    'truncated': {},
    'reset': {},
    'delay': {'seconds': 1.0},
    'stall': {},  # a list route answers the page asked for, with a new next cursor that points back at it
    # What the live service has been seen to answer (patreon-api-v2 "Behaviour seen in the field"):
    'unauthorized_html': {},  # 401 with an HTML page, not JSON:API
    'json_server_error': {'status': 503},  # a load balancer's JSON without errors: {"message": "..."}
    'maintenance': {},  # 200 with an HTML maintenance page
    'trickle': {'chunk': 1, 'interval': 0.2},  # the real answer, ``chunk`` bytes every ``interval`` seconds
}


class Action(collections.namedtuple('Action', 'name command method path body answer summary')):
    """One control action.

    - ``name``: the method of :class:`~patreon.sandbox.SandboxControl` (and of the endpoint) that runs it;
    - ``command``: the action of ``patreon sandbox-control``;
    - ``method``, ``path``: the request, ``path`` below :data:`CONTROL_PREFIX`;
    - ``body``: the names of the request body, ``?`` after those it may leave out (the client method's
      parameters, and those of the :class:`~patreon.sandbox.Sandbox` method of the same name, if any);
    - ``answer``: the key of the answer's ``data`` that the client returns (``None``: the whole ``data``);
    - ``summary``: one line for the help.
    """

    __slots__ = ()


ACTIONS = collections.OrderedDict((action.name, action) for action in (
    Action('overview', 'overview', 'GET', '', (), None, 'the campaign, its tiers, the redirect URIs, who logs in'),
    Action('users', 'users', 'GET', 'users', (), None, 'the users to log in as: role, user id, name'),
    Action('log_in_as', 'log-in-as', 'POST', 'log-in-as', ('user_id',), 'user_id',
           "who approves the app's next logins (those that name nobody)"),
    Action('pledge', 'pledge', 'POST', 'pledge', ('tier_id', 'user_id?', 'kind?'), 'member_id',
           "a new pledge to a tier; prints the member's id"),
    Action('update_pledge', 'update-pledge', 'POST', 'update-pledge', ('member_id', 'tier_id'), 'member_id',
           'an active patron moves to another paid tier'),
    Action('cancel_pledge', 'cancel-pledge', 'POST', 'cancel-pledge', ('member_id',), 'member_id',
           'the patron cancels: a former patron at once, still entitled to the end of the period paid for '
           '(end-period ends it)'),
    Action('end_period', 'end-period', 'POST', 'end-period', ('member_id',), 'member_id',
           "a cancelled patron's paid period (or a declined one's payment retries) ends: entitled to nothing"),
    Action('publish_post', 'publish-post', 'POST', 'publish-post', ('title', 'is_public?', 'content?', 'tier_ids?'),
           'post_id', "the creator publishes a post; prints the post's id"),
    Action('expire_tokens', 'expire-tokens', 'POST', 'expire-tokens', ('user_id?',), 'expired',
           "expire the access tokens (every user's, or one user's); prints how many"),
    Action('inject_fault', 'fault', 'POST', 'faults', ('route', 'kind', 'count?', 'options?'), None,
           'make the next requests to a route misbehave'),
    Action('clear_faults', 'clear-faults', 'DELETE', 'faults', (), 'cleared', 'forget every fault not yet served'),
))
