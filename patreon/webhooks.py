"""Receive Patreon's webhook deliveries: check the signature, read the event (a Flask view: docs/webhooks.md)."""
from __future__ import unicode_literals

import collections
import hashlib
import hmac
import json
import math

import six

from .exceptions import InvalidArgument, InvalidSignature, InvalidWebhook
from .jsonapi.parser import JSONAPIParser

__all__ = ['verify_signature', 'parse_webhook', 'WebhookEvent', 'InvalidSignature', 'InvalidWebhook', 'ALL_TRIGGERS',
           'MEMBERS_CREATE', 'MEMBERS_UPDATE', 'MEMBERS_DELETE', 'MEMBERS_PLEDGE_CREATE', 'MEMBERS_PLEDGE_UPDATE',
           'MEMBERS_PLEDGE_DELETE', 'POSTS_PUBLISH', 'POSTS_UPDATE', 'POSTS_DELETE']

MEMBERS_CREATE = 'members:create'
MEMBERS_UPDATE = 'members:update'
MEMBERS_DELETE = 'members:delete'
MEMBERS_PLEDGE_CREATE = 'members:pledge:create'
MEMBERS_PLEDGE_UPDATE = 'members:pledge:update'
MEMBERS_PLEDGE_DELETE = 'members:pledge:delete'
POSTS_PUBLISH = 'posts:publish'
POSTS_UPDATE = 'posts:update'
POSTS_DELETE = 'posts:delete'
ALL_TRIGGERS = (MEMBERS_CREATE, MEMBERS_UPDATE, MEMBERS_DELETE, MEMBERS_PLEDGE_CREATE, MEMBERS_PLEDGE_UPDATE,
                MEMBERS_PLEDGE_DELETE, POSTS_PUBLISH, POSTS_UPDATE, POSTS_DELETE)

_HEX_DIGITS = frozenset('0123456789abcdef')
# The resource type of each trigger's data, named by its first word ('members:...' -> 'member'). The event header
# is not signed: a body signed for one kind of resource must not be read as another's event.
_TRIGGER_TYPES = dict((trigger, trigger.split(':', 1)[0][:-1]) for trigger in ALL_TRIGGERS)

#: A verified delivery: ``trigger`` (e.g. ``'members:pledge:create'``) and its ``document``
#: (a :class:`~patreon.jsonapi.parser.JSONAPIParser`; ``document.data()`` is the member or post).
#:
#: Usage::
#:
#:     trigger, document = parse_webhook(body, signature, event_header, secret)
#:     member_id = document.data().id()  # for the members:* triggers
WebhookEvent = collections.namedtuple('WebhookEvent', ['trigger', 'document'])


def verify_signature(body, signature, secret):
    """Whether ``signature`` is the hex HMAC-MD5 of the raw ``body`` keyed with ``secret``.

    Compared case-insensitively and in constant time.  Never raises:
    ``False`` for a missing, empty or malformed signature or secret.

    :param body: the request body exactly as received (``bytes``; ``str`` is UTF-8 encoded).
    :param signature: the ``X-Patreon-Signature`` header.
    :param secret: the webhook's secret, or a list of secrets (during a rotation any one may match).
    """
    body = _as_bytes(body)
    signature = _as_text(signature)
    if body is None or not signature or len(signature) != 32:
        return False
    signature = signature.lower()
    if not _HEX_DIGITS.issuperset(signature):
        return False
    signature = signature.encode('ascii')
    secrets = secret if isinstance(secret, (list, tuple, set, frozenset)) else [secret]
    matched = False
    for candidate in secrets:
        key = _as_bytes(candidate)
        if not key:
            continue
        expected = hmac.new(key, body, hashlib.md5).hexdigest().encode('ascii')
        # Every secret is tried, so the time taken does not tell which one matched.
        matched = hmac.compare_digest(expected, signature) or matched
    return matched


def parse_webhook(body, signature, event, secret):
    """Verify a delivery and return its :class:`WebhookEvent`.

    :param body: the raw request body (verify the bytes received, never re-serialised JSON).
    :param signature: the ``X-Patreon-Signature`` header.
    :param event: the ``X-Patreon-Event`` header (the trigger).
    :param secret: the webhook's secret, or a list of them.
    :raises patreon.exceptions.InvalidSignature: no signature, or one that does not match.
    :raises patreon.exceptions.InvalidArgument: no usable secret (``None``, empty), or a ``body`` that is not the
        raw bytes or text (a parsed dict): this app's mistakes, not a forged delivery.
    :raises patreon.exceptions.InvalidWebhook: no event header, a trigger not in :data:`ALL_TRIGGERS`, a body
        that is not a JSON:API document whose ``data`` is a resource (an object with a ``type`` and an ``id``)
        of the trigger's type (``member`` for ``members:*``, ``post`` for ``posts:*``), or a body holding
        ``NaN``, ``Infinity`` or a number beyond a float (``1e400``).

    The signature does not cover the trigger, and deliveries repeat and arrive out of order: re-read the
    member's current state before granting or revoking.

    Usage::

        event = parse_webhook(body, headers['X-Patreon-Signature'], headers['X-Patreon-Event'], WEBHOOK_SECRET)
        if event.trigger == MEMBERS_PLEDGE_DELETE:
            revoke_access(event.document.data().id())
    """
    secrets = secret if isinstance(secret, (list, tuple, set, frozenset)) else [secret]
    if not any(_as_bytes(candidate) for candidate in secrets):
        # A setting left unset is this app's fault, not a forgery: it would answer every delivery 403 in silence.
        raise InvalidArgument('no webhook secret to check the delivery with (None, empty or not a string): set it to '
                              'the secret Patreon gave when the webhook was created')
    if _as_bytes(body) is None:
        raise InvalidArgument('body must be the raw request body (bytes, or text), not {}: the signature covers '
                              'the bytes received'.format(type(body).__name__))
    if not _as_text(signature):
        raise InvalidSignature('the delivery has no X-Patreon-Signature header')
    if not verify_signature(body, signature, secret):
        raise InvalidSignature('the X-Patreon-Signature of this delivery does not match its body')
    trigger = _as_text(event)
    if not trigger:
        raise InvalidWebhook('the delivery has no X-Patreon-Event header')
    if trigger not in _TRIGGER_TYPES:
        raise InvalidWebhook('the X-Patreon-Event {} is no trigger Patreon sends'.format(trigger))
    try:
        document = json.loads(_as_bytes(body).decode('utf-8'), parse_constant=_refuse_json_constant,
                              parse_float=_finite_float)
    except (ValueError, RuntimeError):  # RuntimeError: nested too deep (RecursionError, Python 2's too)
        raise InvalidWebhook('the body of this {} delivery is not JSON'.format(trigger))
    data = document.get('data') if isinstance(document, dict) else None
    # A resource has a type and an id: without them the handler would act on no one (revoke_access(None)).
    if not isinstance(data, dict) or not _is_name(data.get('type')) or not _is_name(data.get('id')):
        raise InvalidWebhook('the body of this {} delivery is not a JSON:API document with a resource'.format(
            trigger))
    if data['type'] != _TRIGGER_TYPES[trigger]:
        raise InvalidWebhook('the body of this {} delivery is about a resource of another type than a {}'.format(
            trigger, _TRIGGER_TYPES[trigger]))
    return WebhookEvent(trigger, JSONAPIParser(document))


def _is_name(value):
    return isinstance(value, six.string_types) and bool(value)


def _refuse_json_constant(name):
    raise ValueError('{} is not JSON'.format(name))  # NaN, Infinity: Python's json reads them, JSON has none


def _finite_float(text):
    value = float(text)
    if math.isinf(value):  # 1e400: valid JSON, but it would reach the handler as the Infinity refused above
        raise ValueError('a number beyond the range of a float')
    return value


def _as_bytes(value):
    if isinstance(value, six.text_type):
        return value.encode('utf-8')
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return None


def _as_text(value):
    if isinstance(value, bytes):
        value = value.decode('latin-1')
    return value.strip() if isinstance(value, six.text_type) else None
