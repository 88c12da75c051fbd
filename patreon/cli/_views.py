# -*- coding: utf-8 -*-
"""What each resource type looks like on the command line: its default fields, and the columns ``--include`` adds."""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
import operator

import six

from ..schemas import schema_for_type
from ._exit_status import UsageError
from ._formats import cell_text

__all__ = ['Column', 'Inclusion', 'Selection', 'ResourceView', 'USER_VIEW', 'CAMPAIGN_VIEW', 'MEMBER_VIEW',
           'POST_VIEW', 'WEBHOOK_VIEW']

_get = dict.get  # unbound: TypeError unless given a dict (see patreon.jsonapi.parser)
_ADDRESS_FIELDS = ['addressee', 'line_1', 'line_2', 'postal_code', 'city', 'state', 'country']

Column = collections.namedtuple('Column', ['name', 'read'])
#: What ``--include NAME`` adds: the ``fields`` of the related type to ask for, and the columns it fills.
Inclusion = collections.namedtuple('Inclusion', ['fields', 'columns'])


class Selection(object):
    """The query and the columns chosen by ``--fields`` and ``--include`` for one resource type."""

    def __init__(self, fields, includes, columns):
        self.fields = fields
        self.includes = includes
        self.columns = columns
        # The id and the attributes that open the columns (all of them but what --include adds) are read in one
        # step for each row of an export; the other columns by their own readers.
        names = []
        if columns and columns[0].read is _resource_id:
            for column in columns[1:]:
                name = getattr(column.read, 'attribute', None)
                if name is None:
                    break
                names.append(name)
        self._head = 1 + len(names) if columns and columns[0].read is _resource_id else 0
        self._attributes = _items_getter(names)
        self._others = [column.read for column in columns[self._head:]]

    @property
    def column_names(self):
        return [column.name for column in self.columns]

    def record(self, resource):
        """The resource as an ordered dict of column name to value."""
        return collections.OrderedDict(zip(self.column_names, self.values(resource)))

    def values(self, resource):
        """The resource's values, in the order of :attr:`column_names` (an export's rows: no dict per row)."""
        if self._head:
            try:
                data = resource.json_data
                values = [_get(data, 'id')]
                values.extend(self._attributes(_get(data, 'attributes')))
            except (TypeError, KeyError, AttributeError):  # not dicts, an attribute missing (it warns): one by one
                values = [column.read(resource) for column in self.columns[:self._head]]
        else:
            values = []
        values.extend([read(resource) for read in self._others])
        return values


class ResourceView(object):
    """How the command line shows a resource type: its default fields and what each ``--include`` adds."""

    def __init__(self, resource_type, default_fields, inclusions=None):
        self.resource_type = resource_type
        self.default_fields = default_fields
        self.inclusions = inclusions or {}
        attributes = schema_for_type(resource_type).Attributes
        self.known_fields = sorted(value for name, value in vars(attributes).items()
                                   if not name.startswith('_') and isinstance(value, six.string_types))

    def select(self, fields_option=None, include_option=None):
        """The :class:`Selection` for comma-separated ``--fields`` and ``--include`` values.

        :raises UsageError: a field or an include this type does not have.
        """
        names = self.default_fields if fields_option is None else _comma_list(fields_option)
        names = _unique([name for name in names if name != 'id'])  # the id is always the first column
        _check_known('{} field'.format(self.resource_type), names, self.known_fields)
        includes = _unique(_comma_list(include_option or ''))
        _check_known('include for {}'.format(self.resource_type), includes, sorted(self.inclusions))
        fields = {self.resource_type: names}
        columns = [Column('id', _resource_id)] + [Column(name, _attribute_reader(name)) for name in names]
        for include in includes:
            inclusion = self.inclusions[include]
            fields.update(inclusion.fields)
            columns.extend(inclusion.columns)
        return Selection(fields, includes, columns)


def _comma_list(text):
    return [name.strip() for name in text.split(',') if name.strip()]


def _unique(names):
    # A name given twice is one column: a CSV header naming a column twice is read wrong by most programs.
    seen = set()
    unique = []
    for name in names:
        if name not in seen:
            seen.add(name)
            unique.append(name)
    return unique


def _check_known(what, names, known):
    for name in names:
        if name not in known:
            raise UsageError("unknown {} '{}' (known: {})".format(what, name, ', '.join(known)))


def _resource_id(resource):
    return resource.id()


def _attribute_reader(name):
    def read(resource):
        return resource.attribute(name)
    read.attribute = name  # type: ignore[attr-defined]  # what Selection reads in one step with the others
    return read


def _items_getter(names):
    """``function(mapping)``: the list of ``mapping[name]`` for ``names``, in one call (KeyError for one missing)."""
    if not names:
        return lambda mapping: []
    if len(names) == 1:
        name = names[0]
        return lambda mapping: [mapping[name]]
    return operator.itemgetter(*names)


def _related_ids(relationship):
    """A reader of the related id (to-one) or ids (to-many)."""
    def read(resource):
        # What relationship_info(...).resource_reference() and id() read, from the raw objects: no object per
        # reference, as this runs for every row of an export. Read as well-formed first (dict.get raises
        # TypeError on what is no dict), then the careful way.
        try:
            data = _get(_get(_get(resource.json_data, 'relationships'), relationship), 'data')  # type: ignore[arg-type]
            if type(data) is list:
                return [_get(item, 'id') for item in data]
            return None if data is None else _get(data, 'id')
        except TypeError:
            return _careful_related_ids(resource, relationship)
    return read


def _careful_related_ids(resource, relationship):
    """What ``_related_ids(relationship)`` reads, whatever the shapes: what is no dict reads as missing."""
    info = resource.relationships().get(relationship)
    data = info.get('data') if isinstance(info, dict) else None
    if isinstance(data, list):
        return [item.get('id') if isinstance(item, dict) else None for item in data]
    return data.get('id') if isinstance(data, dict) else None


def _related_attribute(relationship, attribute):
    """A reader of an attribute of the related resources (to-many), as included in the document."""
    def read(resource):
        related = resource.relationship(relationship) or []
        # Each attribute read from the raw dicts; where one is missing (attribute() warns) or not a dict, through
        # attribute() for every resource.
        try:
            values = [_get(_get(item.json_data, 'attributes'), attribute)  # type: ignore[arg-type]
                      for item in related if item is not None]
        except TypeError:
            values = None
        if values is None or None in values:
            return [item.attribute(attribute) for item in related if item is not None]
        return values
    return read


def _address_text(member):
    address = member.relationship('address')
    if address is None:
        return None
    parts = [address.attribute(name) for name in _ADDRESS_FIELDS]
    return ', '.join(six.text_type(part) for part in parts if part)


def _pledge_history_text(member):
    events = member.relationship('pledge_history') or []
    return ['{} {} {} {}'.format(*[cell_text(event.attribute(name)) for name in
                                   ('date', 'type', 'amount_cents', 'tier_title')]).strip()
            for event in events if event is not None]


def _ids_inclusion(relationship, column):
    return Inclusion({}, [Column(column, _related_ids(relationship))])


def _titles_inclusion(relationship, related_type, prefix):
    return Inclusion({related_type: ['title']}, [Column(prefix + '_ids', _related_ids(relationship)),
                                                 Column(prefix + '_titles', _related_attribute(relationship, 'title'))])


USER_VIEW = ResourceView('user', ['full_name', 'email', 'url', 'is_creator', 'created'], {
    'campaign': _ids_inclusion('campaign', 'campaign_id'),
    'memberships': _ids_inclusion('memberships', 'membership_ids'),
})
CAMPAIGN_VIEW = ResourceView('campaign', ['creation_name', 'vanity', 'patron_count', 'url', 'created_at'], {
    'tiers': _titles_inclusion('tiers', 'tier', 'tier'),
    'benefits': _titles_inclusion('benefits', 'benefit', 'benefit'),
    'creator': _ids_inclusion('creator', 'creator_id'),
    'goals': _ids_inclusion('goals', 'goal_ids'),
})
MEMBER_VIEW = ResourceView('member', ['full_name', 'email', 'patron_status', 'currently_entitled_amount_cents',
                                      'campaign_lifetime_support_cents'], {
    'user': _ids_inclusion('user', 'user_id'),
    'campaign': _ids_inclusion('campaign', 'campaign_id'),
    'currently_entitled_tiers': _titles_inclusion('currently_entitled_tiers', 'tier', 'tier'),
    'address': Inclusion({'address': _ADDRESS_FIELDS}, [Column('address', _address_text)]),
    'pledge_history': Inclusion({'pledge-event': ['date', 'type', 'amount_cents', 'tier_title']},
                                [Column('pledge_history', _pledge_history_text)]),
})
POST_VIEW = ResourceView('post', ['title', 'published_at', 'is_public', 'is_paid', 'url'], {
    'user': _ids_inclusion('user', 'user_id'),
    'campaign': _ids_inclusion('campaign', 'campaign_id'),
})
WEBHOOK_VIEW = ResourceView('webhook', ['uri', 'triggers', 'paused', 'last_attempted_at',
                                        'num_consecutive_times_failed'], {
    'campaign': _ids_inclusion('campaign', 'campaign_id'),
    'client': _ids_inclusion('client', 'client_id'),
})
