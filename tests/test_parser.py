"""patreon.jsonapi.parser: every method of every class, null and links-only relationships, O(1) lookups."""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections

import pytest

from helpers import load_fixture
from patreon.exceptions import MissingAttributeWarning
from patreon.jsonapi.parser import (JSONAPIParser, JSONAPIRelatedResource, JSONAPIRelationshipInfo,
                                    JSONAPIResource)

MEMBER_ID = '4b2e1c40-0000-4000-8000-000000000000'


@pytest.fixture
def member_doc():
    return JSONAPIParser(load_fixture('member.json'))


@pytest.fixture
def page_doc():
    return JSONAPIParser(load_fixture('campaign_members_page1.json'))


# JSONAPIParser

def test_json_data_is_the_very_dict_given():
    body = load_fixture('member.json')

    assert JSONAPIParser(body).json_data is body


def test_data_is_a_resource_for_a_single_resource_document(member_doc):
    member = member_doc.data()

    assert isinstance(member, JSONAPIResource)
    assert member.json_data is member_doc.json_data['data']
    assert member.document is member_doc
    assert member.id() == MEMBER_ID
    assert member.type() == 'member'


def test_data_is_a_list_of_resources_for_a_list_document(page_doc):
    members = page_doc.data()

    assert isinstance(members, list)
    assert [m.id() for m in members] == [item['id'] for item in page_doc.json_data['data']]
    for member, item in zip(members, page_doc.json_data['data']):
        assert isinstance(member, JSONAPIResource)
        assert member.json_data is item
        assert member.document is page_doc


def test_data_null_and_empty_list():
    assert JSONAPIParser({'data': None}).data() is None
    assert JSONAPIParser({'data': []}).data() == []
    assert JSONAPIParser({}).data() is None


def test_find_resource_by_type_and_id_searches_included(member_doc):
    tier = member_doc.find_resource_by_type_and_id('tier', '77002')

    assert isinstance(tier, JSONAPIResource)
    assert tier.json_data is member_doc.json_data['included'][1]
    assert tier.document is member_doc
    assert tier.attribute('title') == 'Patron'


def test_find_resource_by_type_and_id_searches_primary_data(member_doc, page_doc):
    assert member_doc.find_resource_by_type_and_id('member', MEMBER_ID).json_data is member_doc.json_data['data']
    second = page_doc.json_data['data'][1]
    assert page_doc.find_resource_by_type_and_id('member', second['id']).json_data is second


@pytest.mark.parametrize('resource_type, resource_id', [
    ('tier', '99999'),        # no such id
    ('user', '77002'),        # the id exists, under another type
    ('tier', None),
    ('tier', ['77002']),      # unhashable, from a malformed reference
])
def test_find_resource_by_type_and_id_returns_none_when_absent(member_doc, resource_type, resource_id):
    assert member_doc.find_resource_by_type_and_id(resource_type, resource_id) is None


def test_find_resource_by_type_and_id_accepts_a_numeric_id_for_a_string_id(member_doc):
    assert member_doc.find_resource_by_type_and_id('tier', 77002).json_data['id'] == '77002'


def test_first_of_duplicate_resources_wins():
    first = {'type': 'user', 'id': '1', 'attributes': {'n': 'first'}}
    second = {'type': 'user', 'id': '1', 'attributes': {'n': 'second'}}
    third = {'type': 'user', 'id': '1', 'attributes': {'n': 'third'}}

    assert JSONAPIParser({'data': first, 'included': [second]}).find_resource_by_type_and_id(
        'user', '1').json_data is first
    assert JSONAPIParser({'data': [], 'included': [second, third]}).find_resource_by_type_and_id(
        'user', '1').json_data is second


class CountingParser(JSONAPIParser):
    """Counts the index builds, which must happen once per document."""

    builds = 0

    def _build_index(self):
        CountingParser.builds += 1
        return super(CountingParser, self)._build_index()


def test_the_index_is_built_once_per_document(monkeypatch):
    monkeypatch.setattr(CountingParser, 'builds', 0)
    doc = CountingParser(load_fixture('campaign_members_page1.json'))

    for _ in range(3):
        for member in doc.data():
            member.relationship('user')
            member.relationship('currently_entitled_tiers')
            member.relationship('address')
            info = member.relationship_info('user')
            info.resource()
            info.resource_reference().resource()
        doc.find_resource_by_type_and_id('tier', '77001')
        doc.find_resource_by_type_and_id('user', 'missing')

    assert CountingParser.builds == 1
    # A second document has its own index.
    CountingParser(load_fixture('member.json')).find_resource_by_type_and_id('tier', '77002')
    assert CountingParser.builds == 2


def test_the_index_is_built_once_when_patched_on_the_instance(page_doc):
    calls = []
    build = page_doc._build_index

    def counting_build():
        calls.append(1)
        return build()

    page_doc._build_index = counting_build
    for _ in range(50):
        assert page_doc.find_resource_by_type_and_id('user', '7000100') is not None

    assert len(calls) == 1


# JSONAPIResource

def test_resource_attributes(member_doc):
    member = member_doc.data()

    assert member.attributes() is member_doc.json_data['data']['attributes']
    assert member.attribute('full_name') == 'Member 0'
    assert member.attribute('currently_entitled_amount_cents') == 1500
    assert member.attribute('is_gifted') is False
    with pytest.warns(MissingAttributeWarning, match='no_such_attribute'):
        assert member.attribute('no_such_attribute') is None


def test_resource_without_attributes_or_relationships():
    resource = JSONAPIParser({'data': {'type': 'user', 'id': '1'}}).data()

    assert resource.attributes() == {}
    assert resource.attribute('full_name') is None
    assert resource.relationships() == {}
    assert resource.relationship('campaign') is None
    assert resource.relationship_info('campaign') is None


def test_resource_relationships(member_doc):
    member = member_doc.data()

    assert member.relationships() is member_doc.json_data['data']['relationships']


def test_to_one_relationship_resolves_through_included(member_doc):
    user = member_doc.data().relationship('user')

    assert isinstance(user, JSONAPIResource)
    assert user.json_data is member_doc.json_data['included'][0]
    assert user.document is member_doc
    assert user.attribute('full_name') == 'User 0'


def test_to_many_relationship_is_a_list(page_doc):
    campaigns = JSONAPIParser(load_fixture('campaigns.json'))
    tiers = campaigns.data()[0].relationship('tiers')

    assert [t.attribute('title') for t in tiers] == ['Supporter', 'Patron']
    assert all(isinstance(t, JSONAPIResource) for t in tiers)
    assert page_doc.data()[0].relationship('currently_entitled_tiers')[0].id() == '77002'


def test_null_relationship_is_none(member_doc):
    assert member_doc.data().relationship('address') is None


def test_empty_to_many_relationship_is_an_empty_list():
    campaign = JSONAPIParser(load_fixture('campaigns.json')).data()[0]

    assert campaign.relationship('goals') == []


def test_links_only_relationship_is_none():
    doc = JSONAPIParser({'data': {'type': 'member', 'id': '1', 'relationships': {
        'campaign': {'links': {'related': 'https://www.patreon.com/api/oauth2/v2/campaigns/9'}}}}})

    assert doc.data().relationship('campaign') is None
    info = doc.data().relationship_info('campaign')
    assert isinstance(info, JSONAPIRelationshipInfo)
    assert info.resource() is None
    assert info.resource_reference() is None


def test_absent_relationship_is_none(member_doc):
    assert member_doc.data().relationship('campaign') is None
    assert member_doc.data().relationship_info('campaign') is None


def test_related_resource_not_in_the_document_is_none():
    doc = JSONAPIParser({
        'data': {'type': 'member', 'id': '1', 'relationships': {
            'user': {'data': {'type': 'user', 'id': 'not-included'}},
            'currently_entitled_tiers': {'data': [{'type': 'tier', 'id': 'missing'},
                                                  {'type': 'tier', 'id': '2'}]}}},
        'included': [{'type': 'tier', 'id': '2'}]})
    member = doc.data()

    assert member.relationship('user') is None
    assert member.relationship_info('user').resource_reference().resource() is None
    tiers = member.relationship('currently_entitled_tiers')
    assert tiers[0] is None
    assert tiers[1].json_data is doc.json_data['included'][0]


def test_resource_repr_names_type_and_id(member_doc):
    assert repr(member_doc.data()) == '<JSONAPIResource member:{}>'.format(MEMBER_ID)


# JSONAPIRelationshipInfo

def test_relationship_info_to_one(member_doc):
    info = member_doc.data().relationship_info('user')

    assert isinstance(info, JSONAPIRelationshipInfo)
    assert info.json_data is member_doc.json_data['data']['relationships']['user']
    assert info.document is member_doc
    assert info.resource().json_data is member_doc.json_data['included'][0]
    reference = info.resource_reference()
    assert isinstance(reference, JSONAPIRelatedResource)
    assert reference.json_data is info.json_data['data']
    assert reference.document is member_doc


def test_relationship_info_to_many(member_doc):
    info = member_doc.data().relationship_info('currently_entitled_tiers')

    assert [t.json_data for t in info.resource()] == [member_doc.json_data['included'][1]]
    references = info.resource_reference()
    assert isinstance(references, list)
    assert [(r.type(), r.id()) for r in references] == [('tier', '77002')]
    assert all(isinstance(r, JSONAPIRelatedResource) for r in references)


def test_relationship_info_null_and_empty(member_doc):
    null_info = member_doc.data().relationship_info('address')
    assert null_info.resource() is None
    assert null_info.resource_reference() is None

    empty = JSONAPIParser(load_fixture('campaigns.json')).data()[0].relationship_info('goals')
    assert empty.resource() == []
    assert empty.resource_reference() == []


# JSONAPIRelatedResource

def test_related_resource(member_doc):
    reference = member_doc.data().relationship_info('user').resource_reference()

    assert reference.type() == 'user'
    assert reference.id() == '7000100'
    assert reference.resource().json_data is member_doc.json_data['included'][0]


def test_related_resource_built_directly():
    doc = JSONAPIParser({'data': {'type': 'user', 'id': '5'}})
    reference = JSONAPIRelatedResource({'type': 'user', 'id': '5'}, doc)

    assert (reference.type(), reference.id()) == ('user', '5')
    assert reference.resource().json_data is doc.json_data['data']
    assert JSONAPIRelatedResource({'type': 'user', 'id': '6'}, doc).resource() is None


# Malformed documents never raise: what is missing or malformed reads as None ({} for the dict accessors).

@pytest.mark.parametrize('document', [
    None,
    [],
    'not a document',
    42,
    {'data': 'a string'},
    {'data': [None, 3, 'x']},
    {'data': {'type': 'user', 'id': ['unhashable']}, 'included': 'not a list'},
    {'data': {'type': 'user', 'id': '1', 'attributes': ['x'], 'relationships': 'y'}},
    {'data': {'type': 'user', 'id': '1', 'relationships': {
        'a': None, 'b': 'text', 'c': {'data': 'text'}, 'd': {'data': [None, 'x', {'id': {}}]},
        'e': {'data': {'type': 'user'}}, 'f': []}},
     'included': [None, 'x', {'type': 'user', 'id': {}}]},
])
def test_malformed_documents_never_raise(document):
    doc = JSONAPIParser(document)
    data = doc.data()
    resources = data if isinstance(data, list) else [data]
    doc.find_resource_by_type_and_id('user', '1')
    doc.find_resource_by_type_and_id('user', {})
    for resource in resources:
        if resource is None:
            continue
        resource.id()
        resource.type()
        repr(resource)
        assert isinstance(resource.attributes(), dict)
        assert isinstance(resource.relationships(), dict)
        resource.attribute('x')
        for name in ('a', 'b', 'c', 'd', 'e', 'f', 'absent'):
            resource.relationship(name)
            info = resource.relationship_info(name)
            if info is not None:
                info.resource()
                references = info.resource_reference()
                for reference in references if isinstance(references, list) else [references]:
                    if reference is not None:
                        reference.type()
                        reference.id()
                        reference.resource()


def test_malformed_relationships_read_as_none():
    doc = JSONAPIParser({'data': {'type': 'user', 'id': '1', 'relationships': {
        'text': {'data': 'text'}, 'no_type': {'data': {'id': '1'}}, 'bad_id': {'data': {'type': 'user', 'id': []}},
        'items': {'data': [None, 'x']}, 'not_a_dict': 'x'}}})
    user = doc.data()

    assert user.relationship('text') is None
    assert user.relationship('no_type') is None
    assert user.relationship('bad_id') is None
    assert user.relationship('items') == [None, None]
    assert user.relationship('not_a_dict') is None
    assert user.relationship_info('text').resource_reference() is None
    assert JSONAPIRelatedResource('not a dict', doc).resource() is None
    assert JSONAPIRelatedResource('not a dict', doc).id() is None
    assert JSONAPIRelatedResource({'type': 'user', 'id': '1'}, None).resource() is None


def test_resource_built_directly_on_non_dict():
    resource = JSONAPIResource(None, None)

    assert resource.id() is None
    assert resource.type() is None
    assert resource.attributes() == {}
    assert resource.relationships() == {}
    assert resource.relationship('user') is None
    assert resource.relationship_info('user') is None


# The fast path (well-formed documents) and the careful one (anything else) give the same answers. Each case below
# is a shape where reading the document as well-formed would answer differently, pinned to the careful answer.

@pytest.mark.parametrize('json_data', [None, [], ['type', 'id'], 'member', 7, 1.5, True])
def test_resource_whose_json_data_is_not_a_dict_reads_as_empty(json_data):
    doc = JSONAPIParser({'data': [json_data], 'included': [{'type': 'user', 'id': '1'}]})
    resource = doc.data()[0]

    assert resource.json_data is json_data
    assert (resource.id(), resource.type()) == (None, None)
    assert resource.attributes() == {} and resource.relationships() == {}
    assert resource.attribute('full_name') is None
    assert resource.relationship('user') is None
    assert resource.relationship_info('user') is None


@pytest.mark.filterwarnings('ignore::patreon.exceptions.MissingAttributeWarning')  # {}: read on purpose
@pytest.mark.parametrize('attributes', [None, [], ['full_name'], 'full_name', 3, False, {}])
def test_attributes_that_are_not_a_dict_read_as_none(attributes):
    resource = JSONAPIParser({'data': {'type': 'user', 'id': '1', 'attributes': attributes}}).data()

    assert resource.attributes() == {}
    assert resource.attribute('full_name') is None
    assert resource.attribute('0') is None


def test_an_unhashable_attribute_name_raises_type_error_whatever_the_attributes():
    # As with a dict's get: the name is the caller's mistake, not the document's.
    for attributes in ({'full_name': 'Ada'}, None, ['x']):
        resource = JSONAPIResource({'type': 'user', 'id': '1', 'attributes': attributes}, None)
        with pytest.raises(TypeError):
            resource.attribute(['full_name'])
        with pytest.raises(TypeError):
            resource.relationship({'name': 'user'})


def test_attribute_and_id_of_a_dict_subclass_read_as_of_a_dict():
    ordered = collections.OrderedDict([('type', 'user'), ('id', '1'),
                                       ('attributes', collections.OrderedDict([('full_name', 'Ada')]))])
    resource = JSONAPIParser({'data': ordered}).data()

    assert (resource.type(), resource.id(), resource.attribute('full_name')) == ('user', '1', 'Ada')


def test_a_resource_missing_type_or_id_is_indexed_under_none():
    doc = JSONAPIParser({
        'data': {'type': 'member', 'id': 'm', 'relationships': {
            'no_type': {'data': {'id': '1'}}, 'no_id': {'data': {'type': 'user'}},
            'typed': {'data': {'type': 'user', 'id': '1'}}}},
        'included': [{'id': '1', 'attributes': {'n': 'untyped'}}, {'type': 'user', 'attributes': {'n': 'no id'}}]})
    member = doc.data()

    assert member.relationship('no_type').json_data is doc.json_data['included'][0]
    assert member.relationship('no_id').json_data is doc.json_data['included'][1]
    assert member.relationship('typed') is None
    assert doc.find_resource_by_type_and_id(None, '1').attribute('n') == 'untyped'


def test_numeric_ids_match_as_the_index_compares_them():
    doc = JSONAPIParser({
        'data': {'type': 'member', 'id': 'm', 'relationships': {
            'int_for_text': {'data': {'type': 'tier', 'id': 1}},       # no tier 1: its text '1' is tried next
            'text_for_int': {'data': {'type': 'tier', 'id': '2'}},     # text is never tried as a number
            'int_for_int': {'data': {'type': 'tier', 'id': 2}},
            'float_for_int': {'data': {'type': 'tier', 'id': 2.0}},    # 2.0 == 2, as dict keys
            'float_for_text': {'data': {'type': 'tier', 'id': 1.0}},   # its text is '1.0', not '1'
            'bool_for_int': {'data': {'type': 'tier', 'id': True}},    # True == 1: not found as 1, then 'True'
            'many': {'data': [{'type': 'tier', 'id': 1}, {'type': 'tier', 'id': '2'}, {'type': 'tier', 'id': 2}]}}},
        'included': [{'type': 'tier', 'id': '1'}, {'type': 'tier', 'id': 2}]})
    member = doc.data()
    text_one, int_two = doc.json_data['included']

    assert member.relationship('int_for_text').json_data is text_one
    assert member.relationship('text_for_int') is None
    assert member.relationship('int_for_int').json_data is int_two
    assert member.relationship('float_for_int').json_data is int_two
    assert member.relationship('float_for_text') is None
    assert member.relationship('bool_for_int') is None
    assert [r and r.json_data for r in member.relationship('many')] == [text_one, None, int_two]
    assert member.relationship_info('int_for_text').resource_reference().resource().json_data is text_one


def test_to_many_data_with_items_that_are_not_references_resolves_them_to_none():
    doc = JSONAPIParser({
        'data': {'type': 'member', 'id': 'm', 'relationships': {'tiers': {'data': [
            None, 'x', 3, [], {}, {'type': 'tier'}, {'type': 'tier', 'id': ['2']}, {'type': ['tier'], 'id': '2'},
            {'type': 'tier', 'id': '2'}, {'type': 'tier', 'id': '2'}]}}},
        'included': [{'type': 'tier', 'id': '2'}]})
    member = doc.data()
    tier = doc.json_data['included'][0]

    tiers = member.relationship('tiers')
    assert isinstance(tiers, list) and len(tiers) == 10
    assert tiers[:8] == [None] * 8
    assert tiers[8].json_data is tier and tiers[9].json_data is tier and tiers[8] is not tiers[9]
    assert all(isinstance(t, JSONAPIResource) and t.document is doc for t in tiers[8:])
    assert [r and r.json_data for r in member.relationship_info('tiers').resource()] == [None] * 8 + [tier, tier]


@pytest.mark.parametrize('data', ['text', 3, 2.5, True, False, {'type': 'user', 'id': '9'}])
def test_relationship_data_that_names_nothing_resolves_to_none(data):
    doc = JSONAPIParser({'data': {'type': 'member', 'id': 'm', 'relationships': {'user': {'data': data}}},
                         'included': [{'type': 'user', 'id': '1'}]})

    assert doc.data().relationship('user') is None
    assert doc.data().relationship_info('user').resource() is None


@pytest.mark.parametrize('relationships', [None, [], 'user', 4, {'user': None}, {'user': 'x'}, {'user': []},
                                           {'user': {}}, {'user': {'links': {}}}, {'user': {'data': None}}])
def test_relationships_that_hold_no_reference_resolve_to_none(relationships):
    doc = JSONAPIParser({'data': {'type': 'member', 'id': 'm', 'relationships': relationships},
                         'included': [{'type': 'user', 'id': '1'}]})

    assert doc.data().relationship('user') is None


def test_duplicate_resources_first_wins_through_relationships_too():
    first = {'type': 'user', 'id': '1', 'attributes': {'n': 'first'}}
    doc = JSONAPIParser({
        'data': [{'type': 'member', 'id': 'm', 'relationships': {
            'user': {'data': {'type': 'user', 'id': '1'}},
            'users': {'data': [{'type': 'user', 'id': '1'}, {'type': 'user', 'id': 1}]}}}, first],
        'included': [{'type': 'user', 'id': '1', 'attributes': {'n': 'second'}},
                     {'type': 'user', 'id': 1, 'attributes': {'n': 'third, numeric'}},
                     {'type': 'user', 'id': 1, 'attributes': {'n': 'fourth, numeric'}}]})
    member = doc.data()[0]

    assert member.relationship('user').json_data is first
    assert [u.attribute('n') for u in member.relationship('users')] == ['first', 'third, numeric']


def test_a_resource_with_an_unhashable_id_is_skipped_and_the_others_indexed():
    doc = JSONAPIParser({
        'data': {'type': 'member', 'id': 'm', 'relationships': {
            'user': {'data': {'type': 'user', 'id': '1'}}, 'tier': {'data': {'type': 'tier', 'id': '2'}}}},
        'included': [{'type': 'user', 'id': {'x': 1}}, {'type': 'user', 'id': '1'}, {'type': ['tier'], 'id': '2'},
                     {'type': 'tier', 'id': '2'}]})
    member = doc.data()

    assert member.relationship('user').json_data is doc.json_data['included'][1]
    assert member.relationship('tier').json_data is doc.json_data['included'][3]


@pytest.mark.parametrize('document', [None, 'not a parser', {'data': {'type': 'user', 'id': '1'}}])
def test_a_resource_outside_a_parser_resolves_nothing_but_keeps_the_shape(document):
    resource = JSONAPIResource({'type': 'member', 'id': 'm', 'relationships': {
        'user': {'data': {'type': 'user', 'id': '1'}}, 'tiers': {'data': [{'type': 'user', 'id': '1'}, 'x']},
        'empty': {'data': []}, 'address': {'data': None}}}, document)

    assert resource.relationship('user') is None
    assert resource.relationship('tiers') == [None, None]
    assert resource.relationship('empty') == []
    assert resource.relationship('address') is None
    assert resource.relationship_info('tiers').resource() == [None, None]


def test_resolved_resources_are_new_objects_of_the_document_each_time(page_doc):
    member = page_doc.data()[0]
    first, second = member.relationship('user'), member.relationship('user')

    assert first is not second and first.json_data is second.json_data
    assert type(first) is JSONAPIResource and first.document is page_doc
    tiers = member.relationship('currently_entitled_tiers')
    assert tiers is not member.relationship('currently_entitled_tiers')
    tiers.append('mine')  # a caller's list is its own
    assert 'mine' not in member.relationship('currently_entitled_tiers')


def test_the_document_is_read_when_asked_not_when_wrapped():
    # Each accessor reads json_data at the time of the call: a resource reflects changes to its dict.
    raw = {'type': 'user', 'id': '1', 'attributes': {'full_name': 'Ada'}}
    resource = JSONAPIParser({'data': raw}).data()
    assert resource.attribute('full_name') == 'Ada'

    raw['attributes'] = {'full_name': 'Grace'}
    assert resource.attribute('full_name') == 'Grace'
    resource.json_data = None
    assert resource.attribute('full_name') is None and resource.id() is None
