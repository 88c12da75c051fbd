"""The half of the example apps that does not depend on the web framework: everything that talks to Patreon.

``flask_app.py`` and ``django_views.py`` are thin: they keep the OAuth ``state`` in their session, and hand requests
to a :class:`Portal`, which does "Log in with Patreon", the patrons-only check and the webhook receiver, the same way
for both. Configuration comes from ``PATREON_*`` settings (environment variables, ``app.config`` or Django settings):

==========================  ==========================================================================================
``PATREON_CLIENT_ID``       your app's client id (https://www.patreon.com/portal/registration/register-clients)
``PATREON_CLIENT_SECRET``   its client secret
``PATREON_REDIRECT_URI``    the callback URL registered for the client, e.g. ``http://localhost:8000/oauth/redirect``
``PATREON_CAMPAIGN_ID``     the campaign whose active patrons may see the patrons-only page
``PATREON_TIER_ID``         optional: they must also be entitled to this tier or a dearer one
``PATREON_WEBHOOK_SECRET``  the secret of your webhook; during a rotation, several separated by commas
``PATREON_BASE_URL``        optional: where Patreon is, e.g. the URL ``patreon sandbox`` prints
==========================  ==========================================================================================

Usage::

    portal = Portal(Settings.from_mapping(os.environ))
    state = patreon.oauth.make_state()        # keep it in the visitor's session
    redirect_to(portal.authorization_url(state))
    # the callback:
    user_id = portal.complete_login(session_state, request_query)
    # the patrons-only page:
    if portal.visitor(user_id).is_patron: ...
    # the webhook receiver:
    status, text = portal.receive_webhook(raw_body, signature_header, event_header)
"""
import collections
import hashlib
import logging
import threading

import patreon
import patreon.entitlements
import patreon.oauth
import patreon.scopes
import patreon.webhooks
from patreon.exceptions import InvalidSignature, InvalidWebhook, OAuthError, Unauthorized
from patreon.endpoint import DEFAULT_BASE_URL

logger = logging.getLogger(__name__)

SETTING_NAMES = ('PATREON_CLIENT_ID', 'PATREON_CLIENT_SECRET', 'PATREON_REDIRECT_URI', 'PATREON_CAMPAIGN_ID',
                 'PATREON_TIER_ID', 'PATREON_WEBHOOK_SECRET', 'PATREON_BASE_URL')
# `identity` lists the visitor's membership of your own campaign; `identity[email]` adds their email;
# `campaigns`: Patreon returns the identity's campaign includes (own and the membership's) only with it.
SCOPES = (patreon.scopes.IDENTITY, patreon.scopes.IDENTITY_EMAIL, patreon.scopes.CAMPAIGNS)
# What the patrons-only check reads: the membership's status and amounts, its campaign and entitled tiers, and
# the campaign's tiers with their prices (the gate is "this tier or a dearer one": tiers compare by price); and the
# visitor's own campaign, since the creator of the campaign has no membership of it.
VISITOR_INCLUDES = ['campaign', 'memberships', 'memberships.campaign', 'memberships.currently_entitled_tiers',
                    'memberships.campaign.tiers']
VISITOR_FIELDS = {'user': ['full_name', 'email'], 'member': patreon.entitlements.REQUIRED_FIELDS,
                  'tier': patreon.entitlements.TIER_FIELDS}

#: Who is looking at the page: ``member`` is their membership of your campaign (a JSONAPIResource) or ``None``;
#: ``is_creator``: the visitor is the creator of the campaign (who sees everything, and is no patron of their own).
Visitor = collections.namedtuple('Visitor', ['user_id', 'full_name', 'member', 'is_patron', 'is_creator'])


class LoginRefused(Exception):
    """The OAuth callback cannot log anyone in: a forged or stale ``state``, a refusal, a bad code."""


class NotLoggedIn(Exception):
    """No usable tokens for this visitor (never logged in, or the refresh token was revoked)."""


class Settings(object):
    """The ``PATREON_*`` settings of the apps.

    Usage::

        settings = Settings.from_mapping(os.environ)
    """

    def __init__(self, client_id, client_secret, redirect_uri, campaign_id, tier_id=None, webhook_secrets=(),
                 base_url=DEFAULT_BASE_URL):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        # Ids in the API's answers are strings: a number from the settings (PATREON_CAMPAIGN_ID = 12345) would
        # never equal one, and the creator and every patron would be refused.
        self.campaign_id = '{}'.format(campaign_id)
        self.tier_id = tier_id
        self.webhook_secrets = list(webhook_secrets)
        self.base_url = base_url

    @classmethod
    def from_mapping(cls, values):
        """Read the settings from a mapping of ``PATREON_*`` names (``os.environ``, ``app.config``, ...)."""
        missing = [name for name in SETTING_NAMES[:4] if not values.get(name)]
        if missing:
            raise KeyError('set {} (see examples/patron_portal.py)'.format(', '.join(missing)))
        secrets = values.get('PATREON_WEBHOOK_SECRET') or ''
        return cls(values['PATREON_CLIENT_ID'], values['PATREON_CLIENT_SECRET'], values['PATREON_REDIRECT_URI'],
                   values['PATREON_CAMPAIGN_ID'], tier_id=values.get('PATREON_TIER_ID') or None,
                   webhook_secrets=[secret.strip() for secret in secrets.split(',') if secret.strip()],
                   base_url=values.get('PATREON_BASE_URL') or DEFAULT_BASE_URL)


class TokenStore(object):
    """Each visitor's tokens, by Patreon user id.

    In memory, to keep the example short: keep them in your database (encrypted) instead. Never in the session
    cookie: whoever holds the refresh token is the visitor, for as long as Patreon honours it.
    """

    def __init__(self):
        self._tokens = {}
        self._lock = threading.Lock()

    def save(self, user_id, tokens):
        with self._lock:
            self._tokens[user_id] = {'access_token': tokens['access_token'],
                                     'refresh_token': tokens.get('refresh_token'),
                                     'expires_at': tokens.get('expires_at')}

    def get(self, user_id):
        with self._lock:
            tokens = self._tokens.get(user_id)
            return None if tokens is None else dict(tokens)

    def forget(self, user_id):
        with self._lock:
            self._tokens.pop(user_id, None)


class DeliveryLedger(object):
    """The webhook deliveries handled so far: Patreon delivers an event again when it doubts the first delivery.

    In memory here; in production, a table with a unique key, so that two workers cannot both claim a delivery.
    """

    def __init__(self):
        self._claimed = set()
        self._lock = threading.Lock()

    def claim(self, key):
        """Whether ``key`` is new; it is taken from now on."""
        with self._lock:
            if key in self._claimed:
                return False
            self._claimed.add(key)
            return True

    def release(self, key):
        """Give ``key`` back after failing to handle it, so that Patreon's next attempt is handled."""
        with self._lock:
            self._claimed.discard(key)


def delivery_key(trigger, body):
    """What identifies one delivery: its trigger and exact body (one change may fire two triggers with one body)."""
    return hashlib.sha256(trigger.encode('utf-8') + b'\n' + bytes(body)).hexdigest()


class Portal(object):
    """Log in with Patreon, check patrons, receive webhooks: what both example apps do.

    :ivar members: what the webhooks said about each member of the campaign, by member id.
    :ivar posts: the titles of the campaign's posts the webhooks announced, by post id.
    :ivar handled: ``(trigger, resource id)`` of each delivery handled, in order.
    """

    def __init__(self, settings, tokens=None, ledger=None):
        self.settings = settings
        self.tokens = tokens or TokenStore()
        self.ledger = ledger or DeliveryLedger()
        # One client for the whole app: it keeps its connections to Patreon open between requests.
        self.oauth = patreon.OAuth(settings.client_id, settings.client_secret, base_url=settings.base_url,
                                   raise_errors=True)
        self.members = {}
        self.posts = {}
        self.handled = []
        self._lock = threading.Lock()
        self._handlers = {
            patreon.webhooks.MEMBERS_CREATE: self._remember_member,
            patreon.webhooks.MEMBERS_UPDATE: self._remember_member,
            patreon.webhooks.MEMBERS_PLEDGE_CREATE: self._remember_member,
            patreon.webhooks.MEMBERS_PLEDGE_UPDATE: self._remember_member,
            # A cancelled pledge: a former patron, entitled to the end of the period paid for (members:update
            # follows when it ends); remembered like any change.
            patreon.webhooks.MEMBERS_PLEDGE_DELETE: self._remember_member,
            patreon.webhooks.MEMBERS_DELETE: self._forget_member,
            patreon.webhooks.POSTS_PUBLISH: self._remember_post,
            patreon.webhooks.POSTS_UPDATE: self._remember_post,
            patreon.webhooks.POSTS_DELETE: self._forget_post,
        }

    # Log in with Patreon

    def authorization_url(self, state):
        """Where to send the visitor to log in; ``state`` (:func:`patreon.oauth.make_state`) is in their session."""
        return self.oauth.get_authorization_url(self.settings.redirect_uri, scopes=SCOPES, state=state)

    def complete_login(self, expected_state, query):
        """Finish the login at the callback and return the visitor's Patreon user id.

        :param expected_state: the ``state`` kept in the session (taken out of it: it is good for one callback).
        :param query: the callback's query parameters (a mapping).
        :raises LoginRefused: for a state that does not match, a refusal by the visitor, or a bad code.
        """
        if not patreon.oauth.check_state(expected_state, query.get('state')):
            raise LoginRefused('this login was not started here (the state does not match)')
        if query.get('error'):
            raise LoginRefused('Patreon did not log you in: {}'.format(query.get('error')))
        if not query.get('code'):
            raise LoginRefused('the callback carries no code')
        try:
            tokens = self.oauth.get_tokens(query['code'], self.settings.redirect_uri)
        except OAuthError as exc:
            raise LoginRefused('Patreon refused the code: {}'.format(exc.error))
        with patreon.API(tokens['access_token'], base_url=self.settings.base_url, raise_errors=True) as api:
            user = api.get_identity(fields={'user': ['full_name']}).data()
        self.tokens.save(user.id(), tokens)
        logger.info('user %s logged in', user.id())
        return user.id()

    def api_for(self, user_id):
        """An API client with the visitor's tokens, which refreshes them (and stores the new ones) when they expire."""
        tokens = self.tokens.get(user_id)
        if tokens is None:
            raise NotLoggedIn(user_id)
        refresh = patreon.RefreshPolicy(self.oauth, on_token_refresh=lambda new_tokens: self.tokens.save(user_id,
                                                                                                          new_tokens))
        return patreon.API(tokens['access_token'], base_url=self.settings.base_url, raise_errors=True,
                           refresh=refresh, refresh_token=tokens['refresh_token'])

    # The patrons-only page

    def visitor(self, user_id):
        """Who the visitor is now, and whether they are an active patron of the campaign (of the tier or a dearer one).

        :raises NotLoggedIn: no tokens, or Patreon no longer accepts them (nor their refresh).
        """
        try:
            with self.api_for(user_id) as api:
                user = api.get_identity(includes=VISITOR_INCLUDES, fields=VISITOR_FIELDS).data()
        except Unauthorized:
            self.tokens.forget(user_id)
            raise NotLoggedIn(user_id)
        member = self._membership(user)
        # A patron of a dearer tier reads the page too: Patreon lists only the tier pledged to, so compare prices.
        is_patron = member is not None and patreon.entitlements.is_active_patron(member,
                                                                                min_tier=self.settings.tier_id)
        own_campaign = user.relationship('campaign')
        is_creator = own_campaign is not None and own_campaign.id() == self.settings.campaign_id
        return Visitor(user.id(), user.attribute('full_name'), member, is_patron, is_creator)

    def _membership(self, user):
        for member in user.relationship('memberships') or []:
            campaign = member.relationship('campaign') if member is not None else None
            if campaign is not None and campaign.id() == self.settings.campaign_id:
                return member
        return None

    # The webhook receiver

    def receive_webhook(self, body, signature, event):
        """Verify and handle one delivery; returns the ``(status, text)`` to answer with.

        403 for a bad signature, 400 for a delivery that cannot be read, 200 for one handled before, 204 once
        handled. An error while handling propagates (a 500: Patreon delivers the event again later).

        :param body: the raw request body, exactly as received: the signature is over these bytes.
        """
        try:
            delivery = patreon.webhooks.parse_webhook(body, signature, event, self.settings.webhook_secrets)
        except InvalidSignature:
            logger.warning('webhook delivery with a bad signature refused')
            return 403, 'bad signature'
        except InvalidWebhook as exc:
            return 400, str(exc)
        key = delivery_key(delivery.trigger, body)
        if not self.ledger.claim(key):
            return 200, 'already handled'
        try:
            self._handle(delivery.trigger, delivery.document.data())
        except Exception:
            self.ledger.release(key)
            raise
        return 204, ''

    def _handle(self, trigger, resource):
        handler = self._handlers.get(trigger)
        if handler is None:
            logger.info('webhook trigger %s ignored', trigger)
            return
        with self._lock:
            handler(resource)
            self.handled.append((trigger, resource.id()))

    def _remember_member(self, member):
        user = member.relationship('user')
        self.members[member.id()] = {
            'user_id': user.id() if user is not None else None,
            'full_name': member.attribute('full_name'),
            'email': member.attribute('email'),
            'patron_status': member.attribute('patron_status'),
            'is_active_patron': patreon.entitlements.is_active_patron(member),
            'tier_ids': sorted(patreon.entitlements.entitled_tier_ids(member)),
        }

    def _forget_member(self, member):
        self.members.pop(member.id(), None)

    def _remember_post(self, post):
        self.posts[post.id()] = post.attribute('title')

    def _forget_post(self, post):
        self.posts.pop(post.id(), None)
