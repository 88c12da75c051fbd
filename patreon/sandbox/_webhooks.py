"""Webhooks: registration state, signed delivery, the per-webhook queue and its replay.

A delivery is a ``POST`` of the exact body bytes with ``X-Patreon-Event`` and
``X-Patreon-Signature`` (hex HMAC-MD5 of the body keyed with the webhook's
secret), as Patreon sends them. Events reach a webhook through its queue: a
paused webhook only queues; an unpaused one sends the queue in order and stops
at the first failure (connection refused, timeout, non-2xx), keeping the rest
for later: the next event, or a ``PATCH`` with ``paused: false``, replays it.
Deliveries go to loopback addresses only, so a sandbox can never post to the
internet whatever URI a test registers.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import binascii
import hashlib
import hmac
import logging
import os
import socket
import threading
from collections import OrderedDict

import six
from six.moves import http_client
from six.moves.urllib.parse import urlsplit

from ..webhooks import ALL_TRIGGERS

logger = logging.getLogger(__name__)

#: Every webhook trigger (declared in patreon.webhooks).
TRIGGERS = ALL_TRIGGERS
USER_AGENT = 'Patreon-Sandbox-Webhooks/1.0'


def sign(secret, body):
    """Patreon's signature: hex HMAC-MD5 of the raw ``body`` bytes keyed with ``secret``."""
    return hmac.new(six.ensure_binary(secret), body, hashlib.md5).hexdigest()


def is_loopback(host):
    """Whether ``host`` (a URL's parsed host name) is this machine: the only place deliveries may go.

    Decided on the text alone, never by resolving a name: ``localhost``, an
    IPv4 literal in 127.0.0.0/8 or the IPv6 literal ``::1``. A name that only
    starts like one (``127.0.0.1.example.invalid``) is not.
    """
    if not isinstance(host, six.string_types) or not host:
        return False
    if host == 'localhost':
        return True
    try:
        host = str(host)  # inet_pton wants a native string; non-ASCII text is no address
        if ':' in host:
            return socket.inet_pton(socket.AF_INET6, host) == socket.inet_pton(socket.AF_INET6, '::1')
        # inet_pton takes only the four dotted decimals (not '127.1', not '0x7f.0.0.1').
        return socket.inet_pton(socket.AF_INET, host)[:1] == b'\x7f'
    except (socket.error, ValueError, UnicodeError, TypeError):  # TypeError: Python 2's answer to a NUL
        return False


class Delivery(object):
    """One delivery attempt: what was sent where, and what came of it.

    :ivar webhook_id: the webhook it was sent for; ``uri``: where; ``trigger``: e.g. ``'members:pledge:create'``.
    :ivar body: the bytes posted; ``headers``: a dict of the headers sent (``X-Patreon-Event``,
        ``X-Patreon-Signature``), so that a test can replay the delivery into its own client.
    :ivar status: the receiver's HTTP status (``None`` when it never answered); ``error``: what went wrong
        (``None`` on a 2xx).
    """

    def __init__(self, webhook_id, uri, trigger, headers, body):
        self.webhook_id = webhook_id
        self.uri = uri
        self.trigger = trigger
        self.headers = headers
        self.body = body
        self.status = None
        self.error = None

    @property
    def ok(self):
        """Whether the receiver took the delivery (a 2xx answer): ``[d for d in sb.deliveries if d.ok]``."""
        return self.error is None

    def __repr__(self):
        return '<Delivery %s to %s: %s>' % (self.trigger, self.uri, self.error or self.status)


class Webhook(object):
    """A registered webhook; ``queue`` holds ``(trigger, body)`` not delivered yet."""

    type = 'webhook'

    def __init__(self, webhook_id, campaign_id, client, uri, triggers, secret):
        self.id = webhook_id
        self.campaign_id = campaign_id
        self.client = client
        self.uri = uri
        self.triggers = list(triggers)
        self.secret = secret
        self.paused = False
        self.last_attempted_at = None
        self.num_consecutive_times_failed = 0
        self.queue = []
        self.deleted = False

    def __repr__(self):
        return '<Webhook %s %s>' % (self.id, self.uri)


class WebhookHub(object):
    """Every webhook of the sandbox, and the deliveries made to them.

    ``state_lock`` guards webhook state briefly; ``delivery_lock`` keeps
    deliveries in order and is held across network I/O, so routes never take it.
    """

    def __init__(self, clock, new_id=None, deliveries=None, timeout=5.0, ssl_context=None):
        self.clock = clock
        self.new_id = new_id
        self.deliveries = deliveries if deliveries is not None else []
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.webhooks = OrderedDict()
        self.state_lock = threading.RLock()
        self.delivery_lock = threading.RLock()

    def create(self, campaign_id, client, uri, triggers):
        secret = binascii.hexlify(os.urandom(24)).decode('ascii')
        with self.state_lock:
            webhook = Webhook(self.new_id(), campaign_id, client, uri, triggers, secret)
            self.webhooks[webhook.id] = webhook
        return webhook

    def delete(self, webhook):
        with self.state_lock:
            webhook.deleted = True
            del self.webhooks[webhook.id]

    def publish(self, campaign_id, events):
        """Queue ``[(trigger, body), ...]`` on every matching webhook, then deliver what can go."""
        with self.delivery_lock:
            with self.state_lock:
                targets = []
                for webhook in self.webhooks.values():
                    if webhook.campaign_id != campaign_id:
                        continue
                    wanted = [(trigger, body) for trigger, body in events if trigger in webhook.triggers]
                    webhook.queue.extend(wanted)
                    if wanted:
                        targets.append(webhook)
            for webhook in targets:
                self.flush(webhook)

    def flush(self, webhook):
        """Send ``webhook``'s queue in order until it is empty, paused or a delivery fails."""
        with self.delivery_lock:
            while True:
                with self.state_lock:
                    if webhook.paused or webhook.deleted or not webhook.queue:
                        return
                    trigger, body = webhook.queue[0]
                    uri, secret = webhook.uri, webhook.secret
                delivery = self._deliver(webhook.id, uri, secret, trigger, body)
                with self.state_lock:
                    webhook.last_attempted_at = self.clock()
                    if not delivery.ok:
                        webhook.num_consecutive_times_failed += 1
                        return
                    webhook.num_consecutive_times_failed = 0
                    webhook.queue.pop(0)

    def _deliver(self, webhook_id, uri, secret, trigger, body):
        headers = OrderedDict([
            ('Content-Type', 'application/json'),
            ('User-Agent', USER_AGENT),
            ('X-Patreon-Event', trigger),
            ('X-Patreon-Signature', sign(secret, body)),
        ])
        delivery = Delivery(webhook_id, uri, trigger, dict(headers), body)
        delivery.status, delivery.error = self._post(uri, headers, body)
        if delivery.error is None and not 200 <= delivery.status < 300:
            delivery.error = 'HTTP %d' % delivery.status
        if delivery.error:
            logger.info('webhook %s: delivery of %s to %s failed: %s', webhook_id, trigger, uri,
                        delivery.error)
        self.deliveries.append(delivery)
        return delivery

    def _post(self, uri, headers, body):
        """POST ``body`` to ``uri``: ``(status, None)``, or ``(None, error)`` when nobody answered."""
        parts = urlsplit(uri)
        if not is_loopback(parts.hostname or ''):
            return None, 'not delivered: the sandbox delivers webhooks to loopback addresses only'
        if parts.scheme == 'https':
            connection = http_client.HTTPSConnection(parts.hostname, parts.port, timeout=self.timeout,
                                                     context=self.ssl_context)
        else:
            connection = http_client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        path = (parts.path or '/') + ('?' + parts.query if parts.query else '')
        native = dict((six.ensure_str(k), six.ensure_str(v)) for k, v in headers.items())
        try:
            connection.request(str('POST'), six.ensure_str(path), body, native)
            response = connection.getresponse()
            response.read()
            return response.status, None
        except socket.timeout:
            return None, 'timed out after %s s' % self.timeout
        except (socket.error, http_client.HTTPException) as error:
            return None, '%s: %s' % (type(error).__name__, error)
        finally:
            connection.close()
