# -*- coding: utf-8 -*-
"""``patreon demo``: an app's whole journey with Patreon, through the public API, against an embedded sandbox.

Nothing but 127.0.0.1 is reached; tokens and codes are printed masked.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import sys
import threading
import time

import requests
import six
from six.moves import BaseHTTPServer, queue, socketserver
from six.moves.urllib.parse import parse_qs, urlsplit

from .. import exceptions, webhooks
from ..api import API
from ..entitlements import REQUIRED_FIELDS, is_active_patron, monthly_amount_cents
from ..oauth import OAuth, check_state, make_state
from ..policies import RefreshPolicy
from ..sandbox._http_limits import IDLE_TIMEOUT, BadRequest, WholeRequestDeadline, read_body
from ..version import __version__
from ._console import ConsoleWriter, Progress, exception_text, printable

__all__ = ['run_demo']

#: What the demo app asks the patron for: who they are, their email, all their memberships, and (campaigns)
#: each membership's campaign, which Patreon leaves out without that scope.
PATRON_SCOPES = ['identity', 'identity[email]', 'identity.memberships', 'campaigns']
MEMBERS_PAGE_SIZE = 1000
#: Seconds to wait for a webhook delivery; the sandbox delivers before ``pledge()`` returns.
DELIVERY_TIMEOUT = 10
HTTP_TIMEOUT = 10

_MARKS = {'passed': ('\u2713', '[ok]'), 'failed': ('\u2717', '[FAILED]'), 'skipped': ('-', '-'),
          'ellipsis': ('\u2026', '...')}


class StepFailed(Exception):
    """A check of a step did not hold."""


def check(condition, message):
    """Fail the current step with ``message`` unless ``condition`` holds."""
    if not condition:
        raise StepFailed(message)


def raised(exception_class, function, *args):
    """The ``exception_class`` error that ``function(*args)`` raised, or ``None`` when it returned.

    The demo shows refusals (a spent code, an expired token): for it, raising is the success.
    """
    try:
        function(*args)
    except exception_class as exc:
        return exc
    return None


class Report(object):
    """The narrated report: numbered steps, details, and a mark (``[ok]``/``[FAILED]`` where a check mark can't go)."""

    def __init__(self, out):
        self.console = ConsoleWriter(out, encoding=None, errors='replace')
        fancy = self.console.can_encode(''.join(marks[0] for marks in _MARKS.values()))
        self.marks = dict((name, marks[0] if fancy else marks[1]) for name, marks in _MARKS.items())

    def line(self, text=''):
        self.console.line(printable(text))  # names and messages from an answer cannot drive the terminal
        self.console.flush()

    def step(self, number, title):
        self.line('{:>2}. {}'.format(number, title))

    def detail(self, text):
        self.line('      ' + text)

    def outcome(self, kind, text):
        self.line('    {} {}'.format(self.marks[kind], text))

    def mask(self, secret):
        """The first 4 characters of a token or code, then an ellipsis: enough to tell two apart."""
        return '{}{}'.format(six.text_type(secret or '')[:4], self.marks['ellipsis'])


class WebhookReceiver(object):
    """A threaded HTTP server on 127.0.0.1 that verifies webhook deliveries, answers 204 or 403, and keeps each."""

    path = '/hooks/patreon'

    def __init__(self, timeout=IDLE_TIMEOUT):
        self.secret = None
        #: Seconds a delivery may take to arrive whole (line, headers and body).
        self.timeout = timeout
        self.deliveries = queue.Queue()
        self._server = _ReceiverServer(('127.0.0.1', 0), _ReceiverHandler)
        self._server.receiver = self
        self._thread = threading.Thread(target=self._server.serve_forever, name='patreon-demo-receiver')
        self._thread.daemon = True

    @property
    def url(self):
        return 'http://127.0.0.1:{}{}'.format(self._server.server_address[1], self.path)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def receive(self, body, headers):
        """Verify one delivery; returns the HTTP status to answer."""
        signature = headers.get('X-Patreon-Signature')
        trigger = headers.get('X-Patreon-Event')
        try:
            event = webhooks.parse_webhook(body, signature, trigger, self.secret)
        except exceptions.InvalidWebhook as exc:
            self.deliveries.put(Received(body, signature, trigger, None, exception_text(exc)))
            return 403
        self.deliveries.put(Received(body, signature, trigger, event, None))
        return 204


#: One delivery as the receiver saw it: the raw body, its signature and trigger headers, and the verified
#: :class:`~patreon.webhooks.WebhookEvent` (``None`` with the ``error`` when it did not verify).
Received = collections.namedtuple('Received', ['body', 'signature', 'trigger', 'event', 'error'])


class _ReceiverServer(socketserver.ThreadingMixIn, BaseHTTPServer.HTTPServer):
    daemon_threads = True


class _ReceiverHandler(WholeRequestDeadline):

    def setup(self):
        # A delivery must arrive whole within the receiver's timeout: a client trickling bytes cannot hold a thread.
        self.timeout = self.server.receiver.timeout
        WholeRequestDeadline.setup(self)

    def do_POST(self):  # noqa: N802 (the name http.server looks for)
        try:
            body = read_body(self.headers, self.rfile)
        except BadRequest as error:
            self.send_error(error.status)
            return
        status = self.server.receiver.receive(body, self.headers)
        self.send_response(status)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):
        pass  # the report says what happened; a line per request would only clutter it


class Journey(object):
    """The steps of the demo, sharing what each learns; a step raises :class:`StepFailed` or returns its outcome."""

    def __init__(self, sandbox, report):
        self.sandbox = sandbox
        self.report = report
        self.oauth = OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url, raise_errors=True)
        self.creator_api = API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True)
        self.receiver = None
        self.webhook_id = None
        self.state = None
        self.authorization_url = None
        self.code = None
        self.returned_state = None
        self.tokens = None

    steps = [
        ('Build the authorization URL with a fresh state', 'build_authorization_url'),
        ("Follow the sandbox's redirect back to the app", 'follow_redirect'),
        ('Check the state', 'check_returned_state'),
        ('Exchange the code for tokens', 'exchange_code'),
        ("Read the patron's identity, memberships and entitlement", 'read_identity'),
        ("List the creator's campaigns", 'list_campaigns'),
        ('Page through every member, then summarise', 'summarise_members'),
        ('Create a webhook pointing at a local receiver', 'create_webhook'),
        ('Trigger a pledge and receive the signed delivery', 'receive_pledge'),
        ('Let the access token expire and refresh it automatically', 'refresh_expired_token'),
        ('Clean up: delete the webhook', 'delete_webhook'),
    ]

    def run(self):
        """Run the steps in order, up to the first that fails; returns how many passed."""
        passed = 0
        failed = False
        for number, (title, method_name) in enumerate(self.steps, 1):
            self.report.step(number, title)
            if failed:
                self.report.outcome('skipped', 'not run: an earlier step failed')
                continue
            try:
                outcome = getattr(self, method_name)()
            except StepFailed as exc:
                self.report.outcome('failed', exception_text(exc))
                failed = True
            except Exception as exc:  # a demo reports every failure rather than stopping at a traceback
                self.report.outcome('failed', '{}: {}'.format(type(exc).__name__, exception_text(exc)))
                failed = True
            else:
                self.report.outcome('passed', outcome)
                passed += 1
        return passed

    def close(self):
        """Delete the webhook if a failure left it behind, stop the receiver, close the clients."""
        try:
            if self.webhook_id is not None:
                self.creator_api.delete_webhook(self.webhook_id)
        except (exceptions.PatreonError, requests.RequestException):
            pass  # the sandbox goes away with the demo anyway
        finally:
            if self.receiver is not None:
                self.receiver.stop()
            self.creator_api.close()
            self.oauth.transport.close()

    # 1-4: "Log in with Patreon"

    def build_authorization_url(self):
        sandbox = self.sandbox
        self.state = make_state()
        self.authorization_url = self.oauth.get_authorization_url(sandbox.redirect_uri, scopes=PATRON_SCOPES,
                                                                  state=self.state)
        self.report.detail(self.authorization_url)
        query = parse_qs(urlsplit(self.authorization_url).query)
        check(query.get('state') == [self.state], 'the URL does not carry the state')
        check(query.get('client_id') == [sandbox.client_id], 'the URL does not carry the client id')
        check(query.get('scope') == [' '.join(PATRON_SCOPES)], 'the URL does not carry the scopes')
        return 'asks for {} with a {}-character state from make_state()'.format(
            ', '.join(PATRON_SCOPES), len(self.state))

    def follow_redirect(self):
        # The person's browser, not the app: it has a session (and cookies) of its own.
        with requests.Session() as browser:
            response = browser.get(self.authorization_url, allow_redirects=False, timeout=HTTP_TIMEOUT)
        location = response.headers.get('Location', '')
        check(response.status_code in (302, 303), 'the sandbox answered {} instead of a redirect'.format(
            response.status_code))
        check(location.startswith(self.sandbox.redirect_uri),
              'redirected to {} rather than the redirect URI'.format(location.split('?')[0]))
        query = parse_qs(urlsplit(location).query)
        self.code = (query.get('code') or [None])[0]
        self.returned_state = (query.get('state') or [None])[0]
        check(self.code, 'the redirect carries no code')
        self.report.detail('{} -> {}?code={}&state={}'.format(
            response.status_code, location.split('?')[0], self.report.mask(self.code),
            self.report.mask(self.returned_state)))
        return 'the patron approved; the redirect carries a code and the state'

    def check_returned_state(self):
        check(check_state(self.state, self.returned_state), 'the state that came back is not the one sent')
        check(not check_state(self.state, make_state()), 'a forged state was accepted')
        return 'check_state() accepts the state that came back and refuses a forged one'

    def exchange_code(self):
        self.tokens = tokens = self.oauth.get_tokens(self.code, self.sandbox.redirect_uri)
        granted = (tokens.get('scope') or '').split()
        expires_at = tokens.get('expires_at')
        check(tokens.get('access_token') and tokens.get('refresh_token'), 'the answer lacks a token')
        check(set(PATRON_SCOPES) <= set(granted), 'scopes granted: {}'.format(' '.join(granted)))
        check(isinstance(expires_at, int) and expires_at > time.time(), 'no expires_at in the future')
        self.report.detail('access token {}, refresh token {}'.format(
            self.report.mask(tokens['access_token']), self.report.mask(tokens['refresh_token'])))
        self.report.detail('scopes: {}; expires at {} (expires_at = {})'.format(
            ' '.join(granted), _utc(expires_at), expires_at))
        refusal = raised(exceptions.OAuthError, self.oauth.get_tokens, self.code, self.sandbox.redirect_uri)
        check(refusal is not None and refusal.error == 'invalid_grant', 'the code could be used twice')
        return 'get_tokens() gave tokens; the code is single-use (a second exchange: {})'.format(refusal.error)

    # 5-7: reading the API

    def read_identity(self):
        sandbox = self.sandbox
        with API(self.tokens['access_token'], base_url=sandbox.url, raise_errors=True) as patron_api:
            user = patron_api.get_identity(
                includes=['memberships', 'memberships.campaign', 'memberships.currently_entitled_tiers'],
                fields={'user': ['full_name', 'email'], 'member': REQUIRED_FIELDS,
                        'campaign': ['creation_name'], 'tier': ['title', 'amount_cents']}).data()
        check(user.id() == sandbox.patron_user_id, 'identity is user {}, not the patron who approved'.format(
            user.id()))
        self.report.detail('{} <{}>, user {}'.format(user.attribute('full_name'), user.attribute('email'),
                                                     user.id()))
        entitled_here = None
        for member in user.relationship('memberships') or []:
            campaign = member.relationship('campaign')
            tiers = [tier for tier in member.relationship('currently_entitled_tiers') or [] if tier is not None]
            active = is_active_patron(member)
            self.report.detail('member of "{}": {}, tiers: {}, {} -> is_active_patron: {}'.format(
                campaign.attribute('creation_name') if campaign else '?', member.attribute('patron_status'),
                ', '.join(tier.attribute('title') for tier in tiers) or 'none',
                _dollars(member.attribute('currently_entitled_amount_cents')), 'yes' if active else 'no'))
            if campaign is not None and campaign.id() == sandbox.campaign_id:
                entitled_here = active
        check(entitled_here is not None, "the patron's memberships do not include the sandbox campaign")
        check(entitled_here, 'the patron is not an active patron of the sandbox campaign')
        return 'an active, paying patron of the campaign: let them in'

    def list_campaigns(self):
        sandbox = self.sandbox
        campaigns = self.creator_api.get_campaigns(
            10, includes=['tiers'], fields={'campaign': ['creation_name', 'patron_count', 'url'],
                                            'tier': ['title', 'amount_cents']}).data()
        tier_ids = {}
        for campaign in campaigns:
            tiers = [tier for tier in campaign.relationship('tiers') or [] if tier is not None]
            self.report.detail('"{}" ({}), {} patrons, tiers: {}'.format(
                campaign.attribute('creation_name'), campaign.id(), campaign.attribute('patron_count'),
                ', '.join('{} {}'.format(tier.attribute('title'), _dollars(tier.attribute('amount_cents')))
                          for tier in tiers)))
            tier_ids[campaign.id()] = set(tier.id() for tier in tiers)
        found = tier_ids.get(sandbox.campaign_id)
        check(found is not None, 'campaign {} is not listed'.format(sandbox.campaign_id))
        check(found == set(sandbox.tier_ids), 'the campaign lists other tiers than the sandbox has')
        return '{} campaign(s); {} has its {} tiers'.format(len(campaigns), sandbox.campaign_id, len(found))

    def summarise_members(self):
        api = self.creator_api
        progress = Progress('members', self.report.console, prefix='      ')
        pages = api.paginate_pages(api.get_campaigns_by_id_members, self.sandbox.campaign_id,
                                   page_size=MEMBERS_PAGE_SIZE, includes=['currently_entitled_tiers'],
                                   fields={'member': REQUIRED_FIELDS, 'tier': ['title', 'amount_cents']})
        summary = MembersSummary()
        total = None
        for page in pages:
            total = page.json_data['meta']['pagination']['total']
            for member in page.data():
                summary.add(member)
            progress.update(summary.count, total)
        progress.finish()
        for line in summary.lines():
            self.report.detail(line)
        check(summary.count == total, 'read {} members, meta.pagination.total says {}'.format(summary.count, total))
        check(len(summary.ids) == summary.count, 'a member came twice')
        return 'every member read once: {} = meta.pagination.total'.format(summary.count)

    # 8-11: webhooks, token refresh, cleanup

    def create_webhook(self):
        self.receiver = WebhookReceiver().start()
        webhook = self.creator_api.create_webhook(self.sandbox.campaign_id, self.receiver.url,
                                                  [webhooks.MEMBERS_PLEDGE_CREATE]).data()
        self.webhook_id = webhook.id()
        self.receiver.secret = webhook.attribute('secret')
        check(self.receiver.secret, 'the answer carries no secret')
        check(webhook.attribute('triggers') == [webhooks.MEMBERS_PLEDGE_CREATE], 'other triggers registered')
        self.report.detail('webhook {} -> {} for {}, secret {}'.format(
            self.webhook_id, webhook.attribute('uri'), webhooks.MEMBERS_PLEDGE_CREATE,
            self.report.mask(self.receiver.secret)))
        return 'create_webhook() registered it; its secret signs the deliveries'

    def receive_pledge(self):
        tier_id = self.sandbox.tier_ids[min(2, len(self.sandbox.tier_ids) - 1)]
        member_id = self.sandbox.pledge(tier_id)
        self.report.detail('a new patron pledges to tier {}: member {}'.format(tier_id, member_id))
        try:
            received = self.receiver.deliveries.get(timeout=DELIVERY_TIMEOUT)
        except queue.Empty:
            raise StepFailed('no delivery within {} s'.format(DELIVERY_TIMEOUT))
        check(received.event is not None, 'the delivery did not verify: {}'.format(received.error))
        member = received.event.document.data()
        tiers = [tier for tier in member.relationship('currently_entitled_tiers') or [] if tier is not None]
        self.report.detail('received {}, signature {} verified: "{}", {} ({})'.format(
            received.trigger, self.report.mask(received.signature), member.attribute('full_name'),
            ', '.join(tier.attribute('title') or tier.id() for tier in tiers) or 'no tier',
            _dollars(member.attribute('currently_entitled_amount_cents'))))
        check(received.trigger == webhooks.MEMBERS_PLEDGE_CREATE, 'the trigger is {}'.format(received.trigger))
        check(member.id() == member_id, 'the delivery is about member {}'.format(member.id()))
        check(raised(exceptions.InvalidSignature, webhooks.parse_webhook, received.body + b' ', received.signature,
                     received.trigger, self.receiver.secret), 'a tampered body passed the signature check')
        return 'parse_webhook() verified the signature (and refuses the body altered by one byte)'

    def refresh_expired_token(self):
        sandbox = self.sandbox
        old_access, old_refresh = self.tokens['access_token'], self.tokens['refresh_token']
        sandbox.expire_access_token(old_access)
        with API(old_access, base_url=sandbox.url, raise_errors=True) as plain_api:
            rejected = raised(exceptions.Unauthorized, plain_api.get_identity)
        check(rejected, 'the expired token still works')
        self.report.detail('without refresh: {}'.format(exception_text(rejected)))
        refreshed = []  # type: list
        with API(old_access, base_url=sandbox.url, raise_errors=True, refresh_token=old_refresh,
                 refresh=RefreshPolicy(self.oauth, on_token_refresh=refreshed.append)) as api:
            user = api.get_identity(fields={'user': ['full_name']}).data()
            check(user.id() == sandbox.patron_user_id, 'the refreshed call read another user')
            check(len(refreshed) == 1, 'on_token_refresh was called {} times'.format(len(refreshed)))
            tokens = refreshed[0]
            check(tokens['refresh_token'] != old_refresh, 'the refresh token did not change')
            check(api.access_token == tokens['access_token'] != old_access, 'the client kept the old token')
        self.report.detail('with RefreshPolicy and refresh_token: get_identity() -> "{}"'.format(
            user.attribute('full_name')))
        self.report.detail('on_token_refresh got access token {} and refresh token {} (was {})'.format(
            self.report.mask(tokens['access_token']), self.report.mask(tokens['refresh_token']),
            self.report.mask(old_refresh)))
        reuse = raised(exceptions.OAuthError, self.oauth.refresh_token, old_refresh)
        check(reuse is not None and reuse.error == 'invalid_grant', 'the old refresh token still works')
        self.tokens = tokens
        return 'refreshed once, transparently; the old refresh token is spent ({})'.format(reuse.error)

    def delete_webhook(self):
        webhook_id = self.webhook_id
        check(self.creator_api.delete_webhook(webhook_id) is None, 'delete_webhook() returned a document')
        self.webhook_id = None
        remaining = [hook.id() for hook in self.creator_api.paginate(self.creator_api.get_webhooks, page_size=100)]
        check(webhook_id not in remaining, 'webhook {} is still listed'.format(webhook_id))
        return 'webhook {} deleted; {} webhook(s) left'.format(webhook_id, len(remaining))


class MembersSummary(object):
    """Counts over a campaign's members: active patrons per tier, revenue, declines, former, trials, gifts."""

    def __init__(self):
        self.count = 0
        self.ids = set()
        self.statuses = collections.Counter()  # type: collections.Counter
        self.active_per_tier = collections.OrderedDict()
        self.paying = 0
        self.monthly_revenue_cents = 0  # type: float
        self.free_trials = 0
        self.gifts = 0

    def add(self, member):
        self.count += 1
        self.ids.add(member.id())
        status = member.attribute('patron_status')
        self.statuses[status] += 1
        if status == 'active_patron':
            # By the month: an annual pledge's amount covers twelve of them.
            self.monthly_revenue_cents += monthly_amount_cents(member) or 0
            tiers = [tier for tier in member.relationship('currently_entitled_tiers') or [] if tier is not None]
            for tier in tiers or [None]:
                key = (tier.attribute('amount_cents'), tier.attribute('title')) if tier else (0, '(no tier)')
                self.active_per_tier[key] = self.active_per_tier.get(key, 0) + 1
            self.paying += 1 if is_active_patron(member) else 0
            self.free_trials += 1 if member.attribute('is_free_trial') else 0
            self.gifts += 1 if member.attribute('is_gifted') else 0

    def lines(self):
        lines = ['active patrons per tier:']
        for (amount, title), count in sorted(self.active_per_tier.items(), key=lambda item: item[0]):
            lines.append('  {:<22} {:>7} {:>9}/month'.format(title, count, _dollars(amount)))
        lines.append('monthly revenue: {} from {} active patrons ({} paying by is_active_patron)'.format(
            _dollars(self.monthly_revenue_cents), self.statuses['active_patron'], self.paying))
        lines.append('declined: {}, former: {}, never pledged: {}, free trials: {}, gifts: {}'.format(
            self.statuses['declined_patron'], self.statuses['former_patron'], self.statuses[None],
            self.free_trials, self.gifts))
        return lines


def run_demo(members=2500, seed=7, out=None):
    """Run the journey against a fresh sandbox, report it on ``out``, and say whether every step passed.

    :param members: members of the sandbox's campaign (the default takes a few seconds).
    :param seed: the sandbox's seed: the same seed, the same data.
    :param out: a text stream (default ``sys.stdout``).
    :returns: ``True`` when every step checked out.
    """
    from ..sandbox import Sandbox

    report = Report(sys.stdout if out is None else out)
    started = time.time()
    report.line('patreon {} demo: an app\'s journey against a local Patreon sandbox'.format(__version__))
    with Sandbox(members=members, seed=seed) as sandbox:
        report.line('sandbox at {} with {} members (seed {}), up in {:.1f} s'.format(
            sandbox.url, members, seed, time.time() - started))
        report.line()
        journey = Journey(sandbox, report)
        try:
            passed = journey.run()
        finally:
            journey.close()
    total = len(Journey.steps)
    report.line()
    report.line('{} {}/{} steps passed in {:.1f} s'.format(
        report.marks['passed' if passed == total else 'failed'], passed, total, time.time() - started))
    return passed == total


def _dollars(cents):
    return '${:,.2f}'.format((cents or 0) / 100.0)


def _utc(epoch_seconds):
    return time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(epoch_seconds))
