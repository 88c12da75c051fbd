"""Walk a JSON:API document: resources, their attributes and relationships.

Usage::

    doc = JSONAPIParser(json.loads(body))
    for member in doc.data():
        user = member.relationship('user')          # resolved through `included`
        print(member.attribute('full_name'), user and user.id())

Lookups by type and id go through an index built once per document, so
walking a page costs time proportional to its size.  The parser never raises
on a malformed document: what is missing or malformed reads as ``None``
(``{}`` for ``attributes()``/``relationships()``).
"""
# Speed: each accessor reads the document as well-formed first (dict.get raises TypeError on what is not a dict), and
# only then takes the careful path that reads what is malformed as missing; both give the same answers.
from __future__ import unicode_literals

import six

__all__ = ['JSONAPIParser', 'JSONAPIResource', 'JSONAPIRelationshipInfo', 'JSONAPIRelatedResource']


def _as_dict(value):
    return value if isinstance(value, dict) else {}


#: ``dict.get`` unbound: ``_get(value, key)`` raises ``TypeError`` unless ``value`` is a dict, so that one
#: call both checks the shape and reads it (the fast path of every accessor).
_get = dict.get
#: Makes a bare instance, its slots filled in by hand: cheaper than a call to ``__init__`` for every reference.
_new_resource = object.__new__


def _warn_missing_attribute(resource, name):
    # Imported here: the schema names are loaded only when an attribute is missing, not by `import patreon`.
    from ._known_names import warn_missing_attribute

    resource_type = resource.type()
    if isinstance(resource_type, six.string_types) and isinstance(name, six.string_types):
        warn_missing_attribute(resource_type, name)


class JSONAPIParser(object):
    """A JSON:API document, as the API returns it.

    :ivar json_data: the very dict given.
    """

    def __init__(self, json_data):
        self.json_data = json_data
        self._index = None

    def data(self):
        """The primary data: a :class:`JSONAPIResource`, a list of them, or ``None``."""
        try:
            data = _get(self.json_data, 'data')
        except TypeError:  # not a dict: no primary data
            return None
        return _wrap(data, self)

    def find_resource_by_type_and_id(self, type, id):
        """Return the resource of this ``type`` and ``id`` in ``data`` or ``included``, or ``None``."""
        found = self._lookup(type, id)
        return None if found is None else JSONAPIResource(found, self)

    def _lookup(self, resource_type, resource_id):
        index = self._index
        if index is None:
            index = self._index = self._build_index()
        try:
            by_id = index.get(resource_type)
            if by_id is None:
                return None
            found = by_id.get(resource_id)
        except TypeError:  # an unhashable type or id from a malformed reference
            return None
        if found is None and resource_id is not None and not isinstance(resource_id, six.string_types):
            found = by_id.get(six.text_type(resource_id))  # a number for a text id
        return found

    def _build_index(self):
        """``{type: {id: resource dict}}`` of ``data`` and ``included``; the first of two with one type and id."""
        document = _as_dict(self.json_data)
        primary = document.get('data')
        resources = primary if isinstance(primary, list) else [primary]
        included = document.get('included')
        if isinstance(included, list):
            resources = resources + included
        # By type, then id: a lookup then hashes the reference's own strings and builds no key tuple.
        index = {}
        # Reversed, so that the first of two resources with one key wins, as a scan would find it.
        for resource in reversed(resources):
            if isinstance(resource, dict):
                resource_type = _get(resource, 'type')
                try:
                    by_id = index[resource_type]
                except KeyError:
                    by_id = index[resource_type] = {}
                except TypeError:  # an unhashable type: no reference can name it
                    continue
                try:
                    by_id[_get(resource, 'id')] = resource
                except TypeError:  # an unhashable id, likewise
                    pass
        return index


class JSONAPIResource(object):
    """One resource object of a document.

    :ivar json_data: the resource's dict (``type``, ``id``, ``attributes``, ``relationships``).
    :ivar document: the :class:`JSONAPIParser` it belongs to, used to resolve relationships.
    """

    __slots__ = ('json_data', 'document')

    def __init__(self, json_data, document):
        self.json_data = json_data
        self.document = document

    def __repr__(self):
        text = '<JSONAPIResource {}:{}>'.format(self.type(), self.id())
        # Python 2's repr() must be bytes; escape what ASCII cannot hold.
        return text.encode('ascii', 'backslashreplace') if six.PY2 else text

    def id(self):
        """The resource's ``id`` (text, as Patreon sends it), or ``None``."""
        try:
            return _get(self.json_data, 'id')
        except TypeError:  # not a dict
            return None

    def type(self):
        """The resource's ``type``, e.g. ``'member'``, or ``None``."""
        try:
            return _get(self.json_data, 'type')
        except TypeError:  # not a dict
            return None

    def attributes(self):
        """All attributes returned (only those asked for with ``fields``); ``{}`` when none."""
        return _as_dict(_as_dict(self.json_data).get('attributes'))

    def attribute(self, name):
        """One attribute's value, or ``None`` when it was not returned.

        An attribute the resource's attributes lack was most likely not asked for (API v2 sends only the
        ``fields`` requested), or is misspelt: the first such read of each type and name in the process warns with
        :class:`~patreon.exceptions.MissingAttributeWarning`.

        Usage::

            member.attribute('patron_status')  # 'active_patron'
        """
        try:
            attributes = _get(self.json_data, 'attributes')
            value = _get(attributes, name)
        except TypeError:  # no attributes dict (or an unhashable name, which raises again here)
            return self.attributes().get(name)
        if value is None and name not in attributes:
            _warn_missing_attribute(self, name)
        return value

    def relationships(self):
        """The resource's relationship objects by name (raw dicts); ``{}`` when none."""
        return _as_dict(_as_dict(self.json_data).get('relationships'))

    def relationship(self, name):
        """The related resource, a list of them (to-many), or ``None``.

        ``None`` also for ``{"data": null}``, a relationship with only
        ``links``, and a related resource missing from the document.

        Usage::

            member = api.get_members_by_id(member_id, includes=['user', 'currently_entitled_tiers']).data()
            user = member.relationship('user')                       # a JSONAPIResource
            tiers = member.relationship('currently_entitled_tiers')  # a list of them
        """
        try:
            info = _get(_get(self.json_data, 'relationships'), name)
            if info is None:
                return None
            data = _get(info, 'data')
        except TypeError:  # something is not a dict: read it the careful way
            return _resolve(_as_dict(self.relationships().get(name)).get('data'), self.document)
        if data is None:
            return None
        # What _resolve does, inlined for the shapes of a well-formed document: this runs for every member.
        document = self.document
        if isinstance(document, JSONAPIParser):
            index = document._index
            if index is None:
                index = document._index = document._build_index()
            if isinstance(data, dict):
                return _find(index, data, document)
            if isinstance(data, list):
                return _find_all(index, data, document)
        return _resolve(data, document)

    def relationship_info(self, name):
        """The :class:`JSONAPIRelationshipInfo` of relationship ``name``, or ``None``."""
        info = self.relationships().get(name)
        return None if info is None else JSONAPIRelationshipInfo(info, self.document)


class JSONAPIRelationshipInfo(object):
    """A relationship object (``{"data": ..., "links": ...}``) of a resource."""

    __slots__ = ('json_data', 'document')

    def __init__(self, json_data, document):
        self.json_data = json_data
        self.document = document

    def resource(self):
        """Resolve the reference(s) through the document; see :meth:`JSONAPIResource.relationship`."""
        return _resolve(_as_dict(self.json_data).get('data'), self.document)

    def resource_reference(self):
        """The :class:`JSONAPIRelatedResource` (or a list of them); ``None`` for null or links only."""
        data = _as_dict(self.json_data).get('data')
        if isinstance(data, list):
            return [JSONAPIRelatedResource(item, self.document) for item in data]
        if isinstance(data, dict):
            return JSONAPIRelatedResource(data, self.document)
        return None


class JSONAPIRelatedResource(object):
    """A resource identifier (``{"type": ..., "id": ...}``) inside a relationship."""

    __slots__ = ('json_data', 'document')

    def __init__(self, json_data, document):
        self.json_data = json_data
        self.document = document

    def type(self):
        """The referenced resource's ``type``, or ``None``."""
        return _as_dict(self.json_data).get('type')

    def id(self):
        """The referenced resource's ``id``, or ``None``."""
        return _as_dict(self.json_data).get('id')

    def resource(self):
        """The full resource from the document, or ``None`` when it was not included."""
        return _resolve(self.json_data, self.document)


def _wrap(data, document):
    if isinstance(data, list):
        return [JSONAPIResource(item, document) for item in data]
    if data is None:
        return None
    return JSONAPIResource(data, document)


def _resolve(reference, document):
    """The resource(s) ``reference`` (a relationship's ``data``) names in ``document``, as ``relationship()`` says."""
    is_list = isinstance(reference, list)
    if not is_list and not isinstance(reference, dict):
        return None
    if not isinstance(document, JSONAPIParser):
        return [None] * len(reference) if is_list else None
    index = document._index
    if index is None:
        index = document._index = document._build_index()
    return _find_all(index, reference, document) if is_list else _find(index, reference, document)


def _find_all(index, references, document):
    resources = []
    for reference in references:  # a loop, not a comprehension: to-many lists are short, and this is cheaper
        resources.append(_find(index, reference, document))
    return resources


def _find(index, reference, document):
    """The :class:`JSONAPIResource` ``reference`` names in ``index``, or ``None`` (``_lookup`` inlined: a walk's hot
    path).
    """
    try:
        by_id = index.get(_get(reference, 'type'))
        if by_id is None:
            return None
        resource_id = _get(reference, 'id')
        found = by_id.get(resource_id)
    except TypeError:  # not a dict, or an unhashable type or id
        return None
    if found is None:
        if resource_id is None or isinstance(resource_id, six.string_types):
            return None
        found = by_id.get(six.text_type(resource_id))  # a number for a text id
        if found is None:
            return None
    resource = _new_resource(JSONAPIResource)  # JSONAPIResource(found, document) without the call to __init__
    resource.json_data = found
    resource.document = document
    return resource
