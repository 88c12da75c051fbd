"""The sandbox's Lives routes: ``POST lives``, ``GET``/``PATCH``/``DELETE lives/{id}``, with Patreon's scopes.

Reading needs ``campaigns.lives``, writing ``w:campaigns.lives``; a live is
its campaign's creator's. A ``PATCH`` moves a live only along
``pre_live`` -> ``live`` -> ``live_ended`` (400 otherwise); a ``DELETE``
answers 204. :class:`LiveRoutes` is mixed into the application.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from collections import OrderedDict

from ._documents import Renderer, request_data
from ._errors import APIError
from ._lives import LiveError, lives_of
from ._messages import Response, json_response
from ._resources import SELF_PATHS


class LiveRoutes(object):
    """Handlers of the Lives routes, for :class:`~.routes.Application` (its lock, world and helpers)."""

    def _own_live(self, token, live_id):
        live = lives_of(self.world).lives.get(live_id)
        if live is None:
            raise APIError.not_found('There is no live with id %s.' % live_id)
        if self.world.campaigns[live.campaign_id].creator_id != token.user_id:
            raise APIError.forbidden('This live does not belong to the user of the access token.')
        return live

    def _live_document(self, token, live, request=None, status=200):
        view = self._view(token)
        renderer = Renderer(view, all_fields=True) if request is None else self._renderer(request, view, 'live')
        links = OrderedDict([('self', view.api_url(SELF_PATHS[live.type] % live.id))])
        return json_response(status, renderer.document(live, links=links))

    def get_live(self, request, live_id, route):
        token = self._authenticate(request, route)
        with self.lock:
            return self._live_document(token, self._own_live(token, live_id), request)

    def create_live(self, request, _, route):
        token = self._authenticate(request, route)
        attributes = _live_attributes(request, None)
        if 'state' not in attributes:
            raise APIError.bad_request('attributes.state is required.')
        with self.lock:
            campaign_id = self.world.users[token.user_id].campaign_id
            if campaign_id is None:
                raise APIError.forbidden('Only a creator can create a live.')
            try:
                live = lives_of(self.world).create(
                    campaign_id, attributes['state'], attributes.get('title'), attributes.get('description'),
                    attributes.get('scheduled_for'), attributes.get('live_access_rule_ids') or [])
            except LiveError as error:
                raise APIError.bad_request('%s' % error)
            return self._live_document(token, live, status=201)

    def update_live(self, request, live_id, route):
        token = self._authenticate(request, route)
        attributes = _live_attributes(request, live_id)
        if 'state' not in attributes:
            raise APIError.bad_request('attributes.state is required.')
        with self.lock:
            live = self._own_live(token, live_id)
            try:
                lives_of(self.world).transition(live, attributes['state'])
            except LiveError as error:
                raise APIError.bad_request('%s' % error, 'InvalidStateTransition')
            return self._live_document(token, live)

    def delete_live(self, request, live_id, route):
        token = self._authenticate(request, route)
        with self.lock:
            lives_of(self.world).delete(self._own_live(token, live_id))
        return Response(204)


def _live_attributes(request, live_id):
    """``data.attributes`` of a request body of type ``live`` (its ``data.id`` that of the URL); 400 otherwise."""
    data = request_data(request, 'live')
    if live_id is not None and '%s' % data.get('id', live_id) != live_id:
        raise APIError.bad_request('data.id does not match the live of the URL.')
    attributes = data.get('attributes')
    if not isinstance(attributes, dict):
        raise APIError.bad_request('data.attributes must be an object.')
    return attributes
