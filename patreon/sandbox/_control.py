"""Drive a running sandbox from another process: the HTTP control endpoint and :class:`SandboxControl`.

The endpoint lives under ``/sandbox/`` on the sandbox's own port. It answers
only requests that come from a loopback address, carry the sandbox's control
key in the ``X-Sandbox-Control-Key`` header, and no ``Origin`` (a web page's
script): an app under test, which knows the API's tokens but not this key,
cannot make a pledge by accident, nor can a page it opens in a browser.
Injected faults, rate limits and the request log (``sb.requests``) leave it alone.

Every request and answer body is JSON; answers are ``{"data": ...}`` or
``{"error": "..."}`` with 400 (bad arguments), 403 (not allowed), 404 (no
such action), 405 or 415. The actions (request, body, the key of the answer's ``data``) are declared in
:data:`patreon._sandbox_actions.ACTIONS`; docs/sandbox.md lists them (a test keeps the two in step).

Its Python client is :class:`~patreon.sandbox._control_client.SandboxControl`.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import hmac
import json
import logging
from collections import OrderedDict

import six

from .._sandbox_actions import ACTIONS, CONTROL_PREFIX, KEY_VARIABLE, URL_VARIABLE  # noqa: F401 (found here too)
from ._logins import login_lines
from ._messages import JSON_TYPE, json_response
from ._webhooks import is_loopback

logger = logging.getLogger(__name__)

#: The request header that carries the control key.
KEY_HEADER = 'X-Sandbox-Control-Key'


class ControlRefused(Exception):
    """A control request refused: ``status`` and why."""

    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status = status
        self.message = message


def _error(status, message):
    return json_response(status, OrderedDict([('error', message)]), content_type=JSON_TYPE)


def _string_field(body, name, required=True):
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, six.string_types) or not value:
        raise ControlRefused(400, '%s must be a non-empty string' % name)
    return value


class ControlEndpoint(object):
    """Serves ``/sandbox/...`` for one :class:`~patreon.sandbox.Sandbox`."""

    def __init__(self, sandbox, key):
        self.sandbox = sandbox
        self.key = key
        # (method, path) -> the endpoint's method of the same name as the action (patreon._sandbox_actions).
        self.actions = dict(((action.method, action.path), getattr(self, action.name)) for action in ACTIONS.values())

    def handle(self, request):
        """The answer to a request whose path starts with :data:`CONTROL_PREFIX` (or is ``/sandbox``)."""
        try:
            self._allowed(request)
            name = request.path[len(CONTROL_PREFIX):].strip('/') if request.path != '/sandbox' else ''
            methods = [method for method, known in self.actions if known == name]
            if not methods:
                # The module is private: the message names what a user can read, the command's own help.
                raise ControlRefused(404, 'no control action %r; `patreon sandbox-control --help` lists them' % name)
            action = self.actions.get((request.method, name))
            if action is None:
                raise ControlRefused(405, 'use %s for %s' % (', '.join(sorted(methods)), request.path))
            data = action(self._body(request))
        except ControlRefused as refusal:
            return _error(refusal.status, refusal.message)
        except ValueError as error:  # the sandbox's own refusal: an unknown id, an active patron...
            return _error(400, '%s' % error)
        except Exception:  # a sandbox bug: say so rather than hang up
            logger.exception('sandbox: control request %s %s failed', request.method, request.path)
            return _error(500, 'the sandbox failed to carry this out (a bug: see its log)')
        return json_response(200, OrderedDict([('data', data)]), content_type=JSON_TYPE)

    def _allowed(self, request):
        if not is_loopback(getattr(request, 'client_address', None)):
            raise ControlRefused(403, 'the control endpoint answers loopback addresses only')
        if 'Origin' in request.headers:
            raise ControlRefused(403, 'the control endpoint does not answer web pages (the request has an Origin)')
        given = request.headers.get(KEY_HEADER)
        if not given or not hmac.compare_digest(six.ensure_binary(given), six.ensure_binary(self.key)):
            raise ControlRefused(403, 'the %s header is missing or wrong' % KEY_HEADER)

    @staticmethod
    def _body(request):
        if request.method != 'POST':
            return {}
        content_type = request.headers.get('Content-Type', '').split(';')[0].strip().lower()
        if content_type != JSON_TYPE:
            raise ControlRefused(415, 'send a JSON object as application/json')
        try:
            body = json.loads(request.body.decode('utf-8')) if request.body else {}
        except (ValueError, UnicodeError, RuntimeError):  # RuntimeError: nested too deep to decode
            raise ControlRefused(400, 'the body is not JSON')
        if not isinstance(body, dict):
            raise ControlRefused(400, 'the body must be a JSON object')
        return body

    # -- actions -----------------------------------------------------------------------------------

    def overview(self, body):
        sandbox = self.sandbox
        world = sandbox.world
        tiers = [OrderedDict([('id', tier.id), ('title', tier.title), ('amount_cents', tier.amount_cents)])
                 for tier in (world.tiers[tier_id] for tier_id in sandbox.tier_ids)]
        return OrderedDict([
            ('url', sandbox.url),
            ('campaign_id', sandbox.campaign_id),
            ('creator_user_id', sandbox.creator_user_id),
            ('tiers', tiers),
            ('client_id', sandbox.client_id),
            ('redirect_uris', list(sandbox.client.redirect_uris)),
            ('login_user_id', sandbox.logins.user_id),
        ])

    def users(self, body):
        return self.sandbox.login_users()

    def log_in_as(self, body):
        self.sandbox.log_in_as(_string_field(body, 'user_id'))
        return OrderedDict([('user_id', self.sandbox.logins.user_id)])

    def pledge(self, body):
        kind = _string_field(body, 'kind', required=False) or 'monthly'
        member_id = self.sandbox.pledge(_string_field(body, 'tier_id'), _string_field(body, 'user_id', required=False),
                                        kind)
        return OrderedDict([('member_id', member_id)])

    def update_pledge(self, body):
        member_id = _string_field(body, 'member_id')
        self.sandbox.update_pledge(member_id, _string_field(body, 'tier_id'))
        return OrderedDict([('member_id', member_id)])

    def cancel_pledge(self, body):
        return self._to_member(body, self.sandbox.cancel_pledge)

    def end_period(self, body):
        return self._to_member(body, self.sandbox.end_period)

    @staticmethod
    def _to_member(body, event):
        member_id = _string_field(body, 'member_id')
        event(member_id)
        return OrderedDict([('member_id', member_id)])

    def publish_post(self, body):
        is_public = body.get('is_public', True)
        tier_ids = body.get('tier_ids')
        if not isinstance(is_public, bool):
            raise ControlRefused(400, 'is_public must be true or false')
        if tier_ids is not None and not (isinstance(tier_ids, list)
                                         and all(isinstance(t, six.string_types) for t in tier_ids)):
            raise ControlRefused(400, 'tier_ids must be a list of tier ids')
        post_id = self.sandbox.publish_post(_string_field(body, 'title'), is_public,
                                            _string_field(body, 'content', required=False), tier_ids)
        return OrderedDict([('post_id', post_id)])

    def expire_tokens(self, body):
        user_id = _string_field(body, 'user_id', required=False)
        return OrderedDict([('expired', self.sandbox.expire_tokens(user_id))])

    def inject_fault(self, body):
        count, options = body.get('count', 1), body.get('options') or {}
        if isinstance(count, bool) or not isinstance(count, six.integer_types):
            raise ControlRefused(400, 'count must be a whole number')
        if not isinstance(options, dict):
            raise ControlRefused(400, 'options must be an object')
        route, kind = _string_field(body, 'route'), _string_field(body, 'kind')
        fault = self.sandbox.faults.arm(route, kind, count, dict((str(k), v) for k, v in options.items()))
        return OrderedDict([('route', fault.route), ('kind', fault.kind), ('count', count),
                            ('options', fault.options)])

    def clear_faults(self, body):
        self.sandbox.clear_faults()
        return OrderedDict([('cleared', True)])


def control_lines(sandbox):
    """What ``patreon sandbox`` prints about driving it: the endpoint, the variables to export, who can log in."""
    lines = [
        '  control endpoint:    %s (header %s)' % (sandbox.control_url, KEY_HEADER),
        'Drive it from another shell (patreon sandbox-control ...) after:',
        '  export %s=%s' % (URL_VARIABLE, sandbox.url),
        '  export %s=%s' % (KEY_VARIABLE, sandbox.control_key),
        'Users to log in as (sandbox-control log-in-as USER_ID, or sandbox_user=USER_ID on /oauth2/authorize):',
    ]
    return lines + login_lines(sandbox.login_users())
