"""A client of a running sandbox's control endpoint (see :mod:`.control`), from any process on this machine.

Standard library only, like the rest of the sandbox.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import re

import six
from six.moves import http_client
from six.moves.urllib.parse import urlsplit

from .._sandbox_actions import ACTIONS, CONTROL_PREFIX, KEY_VARIABLE, URL_VARIABLE
from ._control import KEY_HEADER
from ._messages import JSON_TYPE, dump_json
from ._webhooks import is_loopback

#: The largest answer :class:`SandboxControl` reads (bytes).
MAX_ANSWER = 1024 * 1024
#: A key no longer than this is not masked in a refusal's text (it would garble the words it is part of).
_MASKED_FROM = 8
# What a header value carries as sent: printable ASCII without blanks (a key is never quoted in a message).
_KEY_TEXT = re.compile('^[\x21-\x7e]+$')


def _checked_key(key):
    """The key as header text, blanks around it dropped; ValueError (never showing it) when no header carries it."""
    if isinstance(key, bytes):
        try:
            key = key.decode('ascii')
        except UnicodeError:
            raise ValueError('the control key holds bytes outside ASCII, which no sandbox key does')
    if not isinstance(key, six.text_type):
        raise ValueError('the control key must be a string, not %s' % type(key).__name__)
    key = key.strip()
    if not _KEY_TEXT.match(key):
        raise ValueError('the control key is empty, or holds a blank, control or non-ASCII character, '
                         'which no sandbox key does')
    return key


class SandboxControlError(ValueError):
    """The control endpoint refused a request: ``status`` (400, 403, 404...) and its ``message``."""

    def __init__(self, status, message):
        ValueError.__init__(self, '%s (HTTP %s)' % (message, status))
        self.status = status
        self.message = message


class SandboxControl(object):
    """A client of a running sandbox's control endpoint, from any process on the same machine.

    ``url`` is the sandbox's URL (``http://127.0.0.1:8000``), ``key`` its
    control key (``sb.control_key``, printed by ``patreon sandbox``). Methods
    return the answer's ``data``; a refusal raises :class:`SandboxControlError`
    (a ``ValueError``, whose text never shows the key, even when a process that is
    no sandbox echoes it), a sandbox that does not answer ``socket.error``. A key
    no header can carry (a blank, control or non-ASCII character) is a ``ValueError``
    before anything is sent, without the key in its message.
    """

    def __init__(self, url, key, timeout=30.0):
        parts = urlsplit(url)
        if parts.scheme not in ('http', 'https') or not is_loopback(parts.hostname):
            raise ValueError('url must be the http(s) URL of a sandbox on this machine, not %r' % (url,))
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.key = _checked_key(key)
        self.timeout = timeout

    def __repr__(self):
        return '<SandboxControl %s://%s:%s>' % (self.scheme, self.host, self.port)  # never the key

    @classmethod
    def from_environment(cls, environ, url=None, key=None):
        """A client of the sandbox that ``url`` and ``key`` name, else ``PATREON_SANDBOX_URL`` and ``_KEY``.

        ValueError naming the missing variable when neither says.
        """
        url = url or environ.get(URL_VARIABLE)
        key = key or environ.get(KEY_VARIABLE)
        for value, variable in ((url, URL_VARIABLE), (key, KEY_VARIABLE)):
            if not value:
                raise ValueError('no sandbox to control: set %s (printed by `patreon sandbox`)' % variable)
        return cls(url, key)

    def request(self, method, action, body=None):
        """Send one control request; the answer's ``data``."""
        connection_class = http_client.HTTPSConnection if self.scheme == 'https' else http_client.HTTPConnection
        connection = connection_class(self.host, self.port, timeout=self.timeout)
        headers = {str(KEY_HEADER): six.ensure_str(self.key)}
        payload = None
        if body is not None:
            try:
                payload = dump_json(body)
            except (TypeError, ValueError):  # bytes on Python 3, a set, NaN...: values JSON cannot carry
                raise ValueError('the %s request holds a value JSON cannot carry: ids and texts are strings' % action)
            headers[str('Content-Type')] = str(JSON_TYPE)
        try:
            connection.request(str(method), str(CONTROL_PREFIX + action), payload, headers)
            answer = connection.getresponse()
            raw = answer.read(MAX_ANSWER + 1)
        finally:
            connection.close()
        try:
            document = json.loads(raw.decode('utf-8'))
        except (ValueError, UnicodeError, RuntimeError):  # RuntimeError: nested too deep to decode
            raise SandboxControlError(answer.status, 'the answer is not JSON: is %s a Patreon sandbox?'
                                      % self.host)
        if answer.status != 200 or not isinstance(document, dict) or 'data' not in document:
            message = document.get('error') if isinstance(document, dict) else None
            # A process that is no sandbox may answer anything, the key it was sent included.
            if not isinstance(message, six.string_types) or not message:
                message = 'unexpected answer'
            elif len(self.key) >= _MASKED_FROM:
                message = message.replace(self.key, '***')
            raise SandboxControlError(answer.status, message)
        return document['data']

    def _run(self, name, *values):
        """The ``data`` of the answer to the action ``name`` (patreon._sandbox_actions.ACTIONS).

        ``values`` are those of its declared body, in order: the body is made of the declaration, so a method
        cannot send a name the sandbox does not read; an optional one that is ``None`` is left out.
        """
        action = ACTIONS[name]
        if len(values) != len(action.body):  # a method out of step with the declaration: a bug, said at once
            raise TypeError('%s takes %s, not %d values' % (name, ', '.join(action.body) or 'nothing', len(values)))
        body = dict((key.rstrip('?'), value) for key, value in zip(action.body, values)
                    if value is not None or not key.endswith('?'))
        return self.request(action.method, action.path, body if action.method == 'POST' else None)

    def _item(self, name, *values):
        """The declared ``answer`` item of the action's ``data``."""
        data, item = self._run(name, *values), ACTIONS[name].answer
        # A server that is no sandbox may answer 200 with any JSON: a refusal, not a KeyError or TypeError.
        if not isinstance(data, dict) or item not in data:
            raise SandboxControlError(200, 'the answer has no %s: is %s a Patreon sandbox?' % (item, self.host))
        return data[item]

    def overview(self):
        """``{'url', 'campaign_id', 'creator_user_id', 'tiers': [{'id', 'title', 'amount_cents'}], ...}``."""
        return self._run('overview')

    def users(self):
        """The users to log in as (see :func:`~patreon.sandbox._logins.login_users`)."""
        return self._run('users')

    def log_in_as(self, user_id):
        """Make ``user_id`` approve the next authorization requests that name nobody."""
        self._run('log_in_as', user_id)

    def pledge(self, tier_id, user_id=None, kind='monthly'):
        """A pledge to ``tier_id`` (a new user unless ``user_id``); ``kind``: monthly, annual, gift, free_trial.

        Returns the member id; the sandbox delivers the webhooks.
        """
        return self._item('pledge', tier_id, user_id, kind)

    def update_pledge(self, member_id, tier_id):
        """An active patron moves to another paid tier."""
        self._run('update_pledge', member_id, tier_id)

    def cancel_pledge(self, member_id):
        """The patron cancels: a former patron at once, still entitled until :meth:`end_period` if it was active."""
        self._run('cancel_pledge', member_id)

    def end_period(self, member_id):
        """A cancelled patron's paid period (or a declined one's payment retries) ends: entitled to nothing."""
        self._run('end_period', member_id)

    def publish_post(self, title, is_public=True, content=None, tier_ids=None):
        """The creator publishes a post; returns its id."""
        return self._item('publish_post', title, is_public, content, _tier_id_list(tier_ids))

    def expire_tokens(self, user_id=None):
        """Expire every access token (of ``user_id`` only, when given); returns how many."""
        return self._item('expire_tokens', user_id)

    def inject_fault(self, route, kind, count=1, **options):
        """Arm a fault, as :meth:`Sandbox.inject_fault <patreon.sandbox.Sandbox.inject_fault>` does."""
        return self._run('inject_fault', route, kind, count, options)

    def clear_faults(self):
        """Forget every fault armed and not yet served."""
        self._run('clear_faults')

def fault_options(pairs):
    """``NAME=VALUE`` texts (a command line's ``--option``) as fault options; VALUE is JSON when it parses.

    ValueError for a text without ``=`` or with an empty name.
    """
    options = {}
    for pair in pairs:
        name, equals, value = pair.partition('=')
        if not equals or not name.strip():
            raise ValueError('a fault option is NAME=VALUE, not %r' % (pair,))
        try:
            options[name.strip()] = json.loads(value)
        except ValueError:
            options[name.strip()] = value
    return options


def _tier_id_list(tier_ids):
    # One id given as a string is that id, not its characters (list('6346425') sent seven tier ids).
    if tier_ids is None or isinstance(tier_ids, (list, tuple)):
        return tier_ids if tier_ids is None else list(tier_ids)
    return [tier_ids]  # anything else is one id, which the endpoint judges
