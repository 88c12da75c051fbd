"""The :class:`Sandbox`: a local, faithful Patreon API v2 + OAuth server for tests and demos."""
from __future__ import absolute_import, division, print_function, unicode_literals

import atexit
import logging
import os
import threading
import weakref

from . import _events
from ._control import CONTROL_PREFIX, ControlEndpoint
from ._data import generate_world
from ._faults import FaultInjector, RateLimiter
from ._http_limits import IDLE_TIMEOUT, MAX_BODY, check_idle_timeout
from ._logins import Logins, check_redirect_uri, login_users, redirect_uri_forms
from ._oauth import OAuthServer, random_token
from ._resources import ALL_SCOPES
from ._routes import ROUTE_NAMES, Application
from ._server import RecordList, SandboxHTTPServer
from ._webhooks import WebhookHub

logger = logging.getLogger(__name__)

#: Seconds :meth:`Sandbox.stop` (and the interpreter's exit) waits at most for the threads serving its connections,
#: which end as soon as their sockets are shut down: only a machine under heavy load takes more than a moment.
EXIT_WAIT = 10.0

DEFAULT_REDIRECT_URI = 'http://localhost:8000/oauth/redirect'


class Sandbox(object):
    """A Patreon of your own on ``127.0.0.1``: API v2, OAuth, webhooks, from a seeded world.

    The world (a creator, their campaign, tiers, benefits, posts and ``members`` members, of every kind Patreon
    has) is generated from ``seed``: the same seed answers the same bytes. Its arguments, its users, events,
    faults and control endpoint (driven by ``SandboxControl(sb.url, sb.control_key)``) are in the guide
    "The sandbox and testing your app" (docs/_sandbox.md).
    """

    def __init__(self, members=100, seed=0, host='127.0.0.1', port=0, token_ttl=2678400,
                 rate_limit=False, ssl_context=None, posts=25, epoch=None, webhook_timeout=5.0,
                 redirect_uris=None, login_page=False, control_key=None, idle_timeout=IDLE_TIMEOUT,
                 max_body=MAX_BODY):
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        self.idle_timeout = check_idle_timeout(idle_timeout)
        self.max_body = max_body
        uris = [DEFAULT_REDIRECT_URI] if redirect_uris is None else [check_redirect_uri(uri) for uri in redirect_uris]
        if not uris:
            raise ValueError('redirect_uris needs at least one URI')
        self.world = generate_world(seed=seed, members=members, posts=posts, epoch=epoch)
        self.lock = threading.RLock()
        self.requests = RecordList()
        self.deliveries = RecordList()
        self.faults = FaultInjector(ROUTE_NAMES)
        self.rate_limiter = None
        if not isinstance(rate_limit, (tuple, list)):
            _flag(rate_limit, 'rate_limit', ' or a (limit, period) pair')
        if rate_limit:
            limit, period = (100, 2.0) if rate_limit is True else rate_limit
            self.rate_limiter = RateLimiter(limit, period)
        self.hub = WebhookHub(self.world.now, lambda: self.world.new_id('webhook'), self.deliveries,
                              timeout=webhook_timeout)
        self.oauth = OAuthServer(token_ttl)
        client_id = 'sandbox-%032x' % self.world.rng.getrandbits(128)
        self.client = self.oauth.register_client('Sandbox App', self.creator_user_id, self.campaign_id,
                                                 [], client_id=client_id)
        for uri in uris:
            self.register_redirect_uri(uri)
        self.other_client = self.oauth.register_client(
            'Sandbox Analytics', self.creator_user_id, self.campaign_id, [DEFAULT_REDIRECT_URI],
            client_id='sandbox-%032x' % self.world.rng.getrandbits(128))
        tokens = self.issue_tokens()
        self.creator_token = tokens['access_token']
        self.creator_refresh_token = tokens['refresh_token']
        self.logins = Logins(self.world, self.world.patron_user_id, page=_flag(login_page, 'login_page'))
        self.control_key = control_key or random_token(24)
        self.control = ControlEndpoint(self, self.control_key)
        self.application = Application(self)
        self._server = None
        self._thread = None

    def __repr__(self):
        where = self.url if self._server else 'stopped'
        return '<Sandbox %s campaign=%s>' % (where, self.campaign_id)

    # -- life cycle ------------------------------------------------------------------------

    def start(self):
        """Listen and serve in a background thread; returns the sandbox."""
        if self._server is None:
            self._server = SandboxHTTPServer((self.host, self.port), self.application, self.requests,
                                             self.ssl_context, idle_timeout=self.idle_timeout,
                                             max_body=self.max_body, unlogged_prefixes=[CONTROL_PREFIX])
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={'poll_interval': 0.05}, name='patreon-sandbox')
            self._thread.daemon = True
            self._thread.start()
            self._started_in = os.getpid()
            _running.add(self)
            logger.info('Patreon sandbox listening on %s', self.url)
        return self

    def stop(self):
        """Stop serving, drop open connections and close the listening socket."""
        self._stop()

    def _stop(self):
        """:meth:`stop`; the server stopped (``None`` when none was running)."""
        server, self._server = self._server, None
        thread, self._thread = self._thread, None
        _running.discard(self)
        if server is not None and thread is not None:  # started together in start()
            server.shutdown()
            serving = server.close_connections()
            server.server_close()
            thread.join()
            # The threads of the connections just shut down end at once: waited for, none outlives stop() (one
            # that met the end of the process would fail on a module gone None, on Python 2).
            server.join_connections(serving, EXIT_WAIT)
        return server

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        """``http://127.0.0.1:<port>`` (``https://`` with an ssl_context), no trailing slash."""
        if self._server is None:
            raise RuntimeError('the sandbox is not running: call start() first')
        host, port = self._server.server_address[:2]
        return '%s://%s:%d' % ('https' if self.ssl_context else 'http', host, port)

    # -- who is who ------------------------------------------------------------------------

    @property
    def campaign_id(self):
        """The id of the creator's campaign, e.g. ``api.get_campaigns_by_id_members(sb.campaign_id, 100)``."""
        return self.world.main_campaign_id

    @property
    def creator_user_id(self):
        """The id of the user ``creator_token`` belongs to (what ``get_identity()`` returns for it)."""
        return self.world.creator_user_id

    @property
    def patron_user_id(self):
        """The id of an active, paying patron: the user who approves ``/oauth2/authorize`` by default."""
        return self.world.patron_user_id

    @property
    def tier_ids(self):
        """The campaign's tiers, cheapest first; the first is the free tier."""
        return list(self.world.campaigns[self.campaign_id].tier_ids)

    @property
    def client_id(self):
        """The registered OAuth client's id: ``patreon.OAuth(sb.client_id, sb.client_secret, base_url=sb.url)``."""
        return self.client.id

    @property
    def client_secret(self):
        """The registered OAuth client's secret."""
        return self.client.secret

    @property
    def redirect_uri(self):
        """The redirect URI registered for the client; ``/oauth2/authorize`` redirects there with the code."""
        return self.client.redirect_uris[0]

    @property
    def clients(self):
        """Every registered OAuth client by id (the main one, ``client``, and ``other_client``)."""
        return dict(self.oauth.clients)

    def register_redirect_uri(self, uri):
        """Allow ``uri`` as a redirect URI of the main client (e.g. your app's callback).

        A URI on ``localhost`` also allows the same on ``127.0.0.1``, and the other way round.
        """
        for form in redirect_uri_forms(check_redirect_uri(uri)):
            if form not in self.client.redirect_uris:
                self.client.redirect_uris.append(form)

    # -- logging in ------------------------------------------------------------------------

    def login_users(self):
        """Users to log in as: the creator, an active patron of each tier, a gift, an annual pledge,
        a free trial, a declined and a former patron, a non-patron (those the world has).

        A list of dicts with ``role``, ``user_id``, ``full_name``, ``member_id``,
        ``tier_id``, ``tier_title``::

            roles = dict((user['role'], user['user_id']) for user in sb.login_users())
            sb.log_in_as(roles['former patron'])
        """
        with self.lock:
            return login_users(self.world)

    def log_in_as(self, user_id):
        """Make ``user_id`` approve the authorization requests that name no ``sandbox_user``.

        An app under test builds its own authorize URL: this picks who logs in through it.
        ValueError for an unknown user.
        """
        with self.lock:
            self.logins.log_in_as(user_id)

    @property
    def control_url(self):
        """The control endpoint: ``SandboxControl(sb.url, sb.control_key)`` drives it (see ``control.py``)."""
        return self.url + CONTROL_PREFIX

    # -- tokens ----------------------------------------------------------------------------

    def issue_tokens(self, user_id=None, scopes=None, expires_in=None, client_id=None):
        """Tokens for any user (the creator by default) with ``scopes`` (all by default).

        Returns the token endpoint's answer: ``access_token``, ``refresh_token``,
        ``expires_in``, ``scope``, ``token_type``, ``version``.
        """
        user_id = user_id or self.creator_user_id
        if user_id not in self.world.users:
            raise ValueError('no user %r in the sandbox' % (user_id,))
        scopes = list(ALL_SCOPES if scopes is None else scopes)
        unknown = [scope for scope in scopes if scope not in ALL_SCOPES]
        if unknown:
            raise ValueError('unknown scope(s): %s' % ', '.join(unknown))
        client_id = client_id or self.client.id
        if client_id not in self.oauth.clients:
            raise ValueError('no OAuth client %r in the sandbox' % (client_id,))
        return self.oauth.issue(user_id, client_id, scopes, expires_in)

    def expire_access_token(self, token):
        """Make ``token`` expired now: its next use answers 401."""
        try:
            self.oauth.expire(token)
        except KeyError:
            raise ValueError('unknown access token')

    def expire_tokens(self, user_id=None):
        """Expire every access token (of ``user_id`` only, when given): their next use answers 401.

        Refresh tokens stay good, so an app that refreshes after a 401 recovers. Returns how many expired.
        """
        if user_id is not None and user_id not in self.world.users:
            raise ValueError('no user %r in the sandbox' % (user_id,))
        return self.oauth.expire_tokens(user_id)

    # -- events ----------------------------------------------------------------------------

    def _happen(self, event, *args, **kwargs):
        """Run an event under the world lock, then deliver its webhooks outside it."""
        with self.lock:
            record, triggers = event(self.world, *args, **kwargs)
            base_url = self.url if self._server else 'http://127.0.0.1'
            body = _events.webhook_body(self.world, base_url, record)
        self.hub.publish(record.campaign_id, [(trigger, body) for trigger in triggers])
        return record

    def pledge(self, tier_id, user_id=None, kind='monthly'):
        """A patron pledges to ``tier_id`` (a new user unless ``user_id``); returns the member id.

        ``kind``: ``'monthly'``, ``'annual'`` (``pledge_cadence`` 12, a year's amount),
        ``'gift'`` (the tier with 0 cents, ``is_gifted``) or ``'free_trial'``.
        Fires ``members:create`` for a new membership and ``members:pledge:create``.
        """
        return self._happen(_events.pledge, tier_id, user_id, kind).id

    def update_pledge(self, member_id, tier_id):
        """An active patron changes tier (``members:pledge:update``, ``members:update``)."""
        self._happen(_events.update_pledge, member_id, tier_id)

    def cancel_pledge(self, member_id):
        """A patron cancels and becomes a former patron at once (``members:pledge:delete``).

        An active patron stays entitled to the tier and amount until :meth:`end_period`, as Patreon keeps
        a cancelled patron entitled to the end of the period paid for; a declined patron loses them at once.
        """
        self._happen(_events.cancel_pledge, member_id)

    def end_period(self, member_id):
        """End what Patreon still entitles a patron who no longer pays (``members:update``).

        A cancelled patron's paid period, or a declined patron's payment retries, runs out: the member is
        entitled to no tier and 0 cents. ValueError for an active patron or one entitled to nothing::

            sb.cancel_pledge(member_id)   # former_patron, still entitled
            sb.end_period(member_id)      # former_patron, entitled to nothing
        """
        self._happen(_events.end_period, member_id)

    def publish_post(self, title, is_public=True, content=None, tier_ids=None):
        """The creator publishes a post (``posts:publish``); returns the post id."""
        return self._happen(_events.publish_post, self.campaign_id, title, _flag(is_public, 'is_public'), content,
                            tier_ids).id

    def update_post(self, post_id, title=None, content=None):
        """The creator edits a post (``posts:update``)."""
        self._happen(_events.update_post, post_id, title, content)

    def delete_post(self, post_id):
        """The creator deletes a post (``posts:delete``)."""
        self._happen(_events.delete_post, post_id)

    # -- faults and logs -------------------------------------------------------------------

    def inject_fault(self, route, kind, count=1, **options):
        """Make the next ``count`` requests to ``route`` misbehave (see ``patreon-sandbox`` docs).

        ``route`` is a route pattern (``'campaigns/{id}/members'``, ``'identity'``,
        ``'token'``, ``'authorize'``) or ``'*'``; ``kind`` is ``'rate_limit'``
        (options ``retry_after``, ``header``), ``'server_error'`` (``status``),
        ``'truncated'``, ``'reset'``, ``'delay'`` (``seconds``) or ``'stall'`` (a list route answers
        the page asked for with a new next cursor that points back at that page, as Patreon has been
        seen to do; other routes answer normally). What else the live service has been seen to answer:
        ``'unauthorized_html'`` (a 401 as an HTML page), ``'json_server_error'`` (``status``: a load
        balancer's ``{"message": ...}`` without ``errors``), ``'maintenance'`` (200 with an HTML
        page), ``'trickle'`` (the real answer, ``chunk`` bytes every ``interval`` seconds).
        ValueError for an unknown route, kind or option.
        """
        self.faults.add(route, kind, count, **options)

    def clear_faults(self):
        """Forget every fault injected and not yet served: ``sb.clear_faults()`` between tests."""
        self.faults.clear()

    def clear_log(self):
        """Forget the requests served and the webhook deliveries made so far."""
        self.requests.clear()
        self.deliveries.clear()

    @property
    def webhook_ssl_context(self):
        """The ``ssl.SSLContext`` used to deliver to ``https://`` receivers (None: default checks)."""
        return self.hub.ssl_context

    @webhook_ssl_context.setter
    def webhook_ssl_context(self, context):
        self.hub.ssl_context = context


def _flag(value, name, alternative=''):
    """``value`` if it is True or False; ValueError otherwise (``bool('false')`` is True: it would do the opposite)."""
    if not isinstance(value, bool):
        raise ValueError('%s must be True or False%s, not %s' % (name, alternative, type(value).__name__))
    return value


# The sandboxes started and not stopped. At exit they are stopped before the interpreter tears its modules down:
# a server thread that outlived them would fail on a module global gone None ("'NoneType' object has no attribute
# 'debug'" on Python 2).
_running = weakref.WeakSet()  # type: weakref.WeakSet


@atexit.register
def _stop_at_exit():
    for sandbox in list(_running):
        if sandbox._started_in != os.getpid():
            continue  # a child after fork(): its server thread stayed in the parent, and shutdown() would wait for it
        sandbox._stop()
