"""JSON:API rendering with Patreon v2's rules: sparse fieldsets and explicit includes.

- a resource carries only ``type`` and ``id`` unless ``fields[<type>]`` names
  attributes (unknown names are ignored);
- ``relationships`` appear only for relationships that ``include`` asked for,
  dotted paths included (``memberships.campaign``), and ``included`` lists each
  related resource once;
- an include that the type does not have is a :class:`DocumentError` (a 400).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import re
from collections import OrderedDict

from ._errors import APIError
from ._resources import RELATED_PATHS, RESOURCE_TYPES

_FIELDS_KEY = re.compile(r'^fields\[([^\]]+)\]$')


class DocumentError(ValueError):
    """A request asked for something the document cannot have (answered with a 400)."""


def parse_include(value, type_name):
    """Turn ``'user,campaign.tiers'`` into a tree ``{'user': {}, 'campaign': {'tiers': {}}}``.

    Every step must be a relationship of the type reached so far.
    """
    tree = OrderedDict()  # type: OrderedDict
    for path in (value or '').split(','):
        path = path.strip()
        if not path:
            continue
        node, current = tree, type_name
        for name in path.split('.'):
            relationship = RESOURCE_TYPES[current].relationships.get(name)
            if relationship is None:
                raise DocumentError("include '%s' is not valid: type '%s' has no relationship '%s'."
                                    % (path, current, name))
            node = node.setdefault(name, OrderedDict())
            current = relationship.target
    return tree


def parse_fields(params):
    """``{'member': ['full_name', 'email']}`` from the ``fields[<type>]`` query parameters."""
    fields = {}  # type: dict
    for name, value in params:
        match = _FIELDS_KEY.match(name)
        if match:
            names = fields.setdefault(match.group(1), [])
            names.extend(part.strip() for part in value.split(',') if part.strip())
    return fields


class _Node(object):
    """A resource on its way into the document, with the relationships it must show."""

    __slots__ = ('record', 'relationships')

    def __init__(self, record):
        self.record = record
        self.relationships = OrderedDict()


class Renderer(object):
    """Renders records for one request: ``fields`` per type, an ``include`` tree, a :class:`View`.

    With ``all_fields=True`` every attribute of every resource is shown (webhook
    bodies, webhook create/update answers).
    """

    def __init__(self, view, fields=None, include=None, all_fields=False):
        self.view = view
        self.fields = fields or {}
        self.include = include or OrderedDict()
        self.all_fields = all_fields

    def document(self, primary, many=False, meta=None, links=None):
        """The whole document for ``primary`` (a record, or a list when ``many``)."""
        records = primary if many else [primary]
        nodes = OrderedDict()  # type: OrderedDict
        primary_keys = []
        for record in records:
            key = (record.type, record.id)
            primary_keys.append(key)
            nodes.setdefault(key, _Node(record))
        walked = set()  # type: set
        for record in records:
            self._walk(nodes[(record.type, record.id)], self.include, nodes, walked)
        data = [self._resource(nodes[key]) for key in primary_keys]
        document = OrderedDict([('data', data if many else data[0])])
        if self.include:
            primaries = set(primary_keys)
            document['included'] = [self._resource(node) for key, node in nodes.items()
                                    if key not in primaries]
        if meta is not None:
            document['meta'] = meta
        if links is not None:
            document['links'] = links
        return document

    def _walk(self, node, tree, nodes, walked):
        record = node.record
        relationships = RESOURCE_TYPES[record.type].relationships
        for name, subtree in tree.items():
            if name not in node.relationships:
                node.relationships[name] = self._resolve(relationships[name], record)
            value = node.relationships[name]
            related = value if relationships[name].many else ([value] if value is not None else [])
            for target in related:
                key = (target.type, target.id)
                target_node = nodes.setdefault(key, _Node(target))
                if subtree and (key, id(subtree)) not in walked:
                    walked.add((key, id(subtree)))
                    self._walk(target_node, subtree, nodes, walked)

    def _resolve(self, relationship, record):
        if relationship.target == 'campaign' and not self.view.sees_campaigns():
            return [] if relationship.many else None
        return relationship.resolve(record, self.view)

    def _resource(self, node):
        record = node.record
        resource = OrderedDict([('type', record.type), ('id', record.id)])
        names = self.fields.get(record.type)
        if self.all_fields or names is not None:
            attributes = RESOURCE_TYPES[record.type].attributes(record, self.view)
            if not self.all_fields:
                wanted = set(names or ())
                attributes = OrderedDict((k, v) for k, v in attributes.items() if k in wanted)
            resource['attributes'] = attributes
        if node.relationships:
            definitions = RESOURCE_TYPES[record.type].relationships
            resource['relationships'] = OrderedDict(
                (name, self._relationship(definitions[name], value))
                for name, value in node.relationships.items())
        return resource

    def _relationship(self, definition, value):
        if definition.many:
            return OrderedDict([('data', [_identifier(target) for target in value])])
        if value is None:
            return OrderedDict([('data', None)])
        relationship = OrderedDict([('data', _identifier(value))])
        if definition.target in RELATED_PATHS:
            url = self.view.api_url(RELATED_PATHS[definition.target] % value.id)
            relationship['links'] = OrderedDict([('related', url)])
        return relationship


def _identifier(record):
    return OrderedDict([('type', record.type), ('id', record.id)])


def request_data(request, resource_type):
    """``data`` of a JSON:API request body whose type is ``resource_type``; :class:`APIError` 400 otherwise."""
    try:
        document = json.loads(request.body.decode('utf-8'))
    except (ValueError, RuntimeError):  # RuntimeError: nested too deep to decode (RecursionError on Python 3)
        raise APIError.bad_request('The request body must be a JSON:API document.')
    data = document.get('data') if isinstance(document, dict) else None
    if not isinstance(data, dict) or data.get('type') != resource_type:
        raise APIError.bad_request("The request body needs data of type '{}'.".format(resource_type))
    return data
