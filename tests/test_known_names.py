"""Misspelt fields and includes: warned of (or refused in strict mode), checked against patreon.schemas."""
from __future__ import absolute_import, division, print_function, unicode_literals

import warnings

import pytest
import responses

import patreon
from patreon.exceptions import InvalidArgument, UnknownFieldError, UnknownFieldWarning
from patreon.jsonapi._known_names import check_names

from helpers import ACCESS_TOKEN, API_URL, http_fixture, load_fixture  # noqa: F401 (the fixture `http`)


def serve_identity(http):
    http.add(responses.GET, API_URL + 'identity', json=load_fixture('member.json'))


def unknown_field_warnings(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        call()
    return [w for w in caught if issubclass(w.category, UnknownFieldWarning)]


def test_a_misspelt_field_warns_naming_it_and_the_known_ones(http):
    serve_identity(http)
    api = patreon.API(ACCESS_TOKEN)
    found = unknown_field_warnings(lambda: api.get_identity(fields={'member': ['full_nme']}))
    assert len(found) == 1
    message = str(found[0].message)
    assert "'full_nme'" in message and 'fields[member]' in message
    assert 'full_name' in message and 'patron_status' in message  # the known names, to pick from
    assert issubclass(found[0].category, UserWarning)
    # It points at the caller's line, not at the library's internals.
    assert found[0].filename == __file__.replace('.pyc', '.py')
    assert 'fields%5Bmember%5D=full_nme' in http.calls[0].request.url  # still sent: Patreon may know it


def test_known_names_do_not_warn(http):
    serve_identity(http)
    api = patreon.API(ACCESS_TOKEN)
    assert unknown_field_warnings(lambda: api.get_identity(
        includes=['memberships.currently_entitled_tiers', 'memberships.campaign'],
        fields={'user': 'full_name,email', 'member': ['patron_status', 'currently_entitled_tiers'],
                'tier': [], 'pledge-event': ['amount_cents']})) == []


@pytest.mark.parametrize('includes, fields, name', [
    (['memberhsips'], None, "'memberhsips'"),
    (['memberships.currently_entitled_tier'], None, "'currently_entitled_tier'"),
    ('memberships,campain', None, "'campain'"),
    (None, {'membr': ['full_name']}, "'membr'"),
    (None, {'user': 'full_name,emial'}, "'emial'"),
    (None, {'tier': [b'titel']}, "'titel'"),
])
def test_every_kind_of_unknown_name_warns(http, includes, fields, name):
    serve_identity(http)
    api = patreon.API(ACCESS_TOKEN)
    found = unknown_field_warnings(lambda: api.get_identity(includes=includes, fields=fields))
    assert [name in str(w.message) for w in found] == [True]


def test_strict_fields_refuses_before_sending(http):
    api = patreon.API(ACCESS_TOKEN, strict_fields=True)
    with pytest.raises(UnknownFieldError) as raised:
        api.get_campaigns_by_id_members('12', 10, fields={'member': ['full_nme']})
    assert isinstance(raised.value, InvalidArgument) and isinstance(raised.value, ValueError)
    assert "'full_nme'" in str(raised.value) and 'full_name' in str(raised.value)
    assert len(http.calls) == 0  # nothing went out (the mock would fail on an unanswered call)


def test_the_warnings_filter_is_a_strict_mode_too(http):
    api = patreon.API(ACCESS_TOKEN)
    with warnings.catch_warnings():
        warnings.simplefilter('error', UnknownFieldWarning)
        with pytest.raises(UnknownFieldWarning):
            api.get_identity(includes=['memberhsips'])
    assert len(http.calls) == 0


def test_paginate_checks_too(http):
    http.add(responses.GET, API_URL + 'campaigns/12/members', json={'data': [], 'links': {}, 'meta': {}})
    api = patreon.API(ACCESS_TOKEN)
    found = unknown_field_warnings(lambda: list(api.paginate(api.get_campaigns_by_id_members, '12', page_size=5,
                                                             fields={'member': ['full_nme']})))
    assert len(found) == 1 and found[0].filename == __file__.replace('.pyc', '.py')


@pytest.mark.parametrize('includes, fields', [
    (None, ['full_name']),                      # fields must be a dict
    (None, {'member': [1]}),                    # names are strings
    (None, {1: ['full_name']}),                 # types are strings
    ({'user': 1}, None),                        # includes is a list or a string
    ([None], None),
])
def test_wrong_shapes_are_a_typed_error_in_either_mode(http, includes, fields):
    for strict in (False, True):
        with pytest.raises(InvalidArgument):
            patreon.API(ACCESS_TOKEN, strict_fields=strict).get_identity(includes=includes, fields=fields)
    assert len(http.calls) == 0


def test_check_names_alone():
    check_names(None, [])
    check_names('null', [('member', 'null')], strict=True)  # an empty list is sent as 'null': no name in it
    with pytest.raises(UnknownFieldError):
        check_names('user.campaign,tiers.nope', [], strict=True)


def test_the_first_name_of_an_include_path_is_checked_against_the_routes_type(http):
    # 'membership' for the user's 'memberships': the names to pick from are the user's, not every type's.
    serve_identity(http)
    api = patreon.API(ACCESS_TOKEN)
    found = unknown_field_warnings(lambda: api.get_identity(includes=['membership', 'memberships.campaign']))
    assert [str(warning.message) for warning in found] == [
        "includes names 'membership', which is not a relationship of user known to patreon.schemas "
        "(did you mean 'memberships'?); known: campaign, memberships"]
    found = unknown_field_warnings(lambda: api.get_identity(includes=['pledge_history']))  # a member's, not a user's
    assert len(found) == 1 and 'of user' in str(found[0].message)
    assert unknown_field_warnings(lambda: check_names('pledge_history', [])) == []  # no type: any type's name
    found = unknown_field_warnings(lambda: api.get_identity(includes=['memberships.campain']))
    assert len(found) == 1 and "'campain', which is not a relationship known" in str(found[0].message)


def test_a_misspelt_type_or_name_is_given_the_nearest_known_one():
    found = unknown_field_warnings(lambda: check_names('membrships.campain', [
        ('pledge_event', 'date'), ('member', 'full_nme,xyzzy')], returns='user'))
    said = [str(warning.message) for warning in found]
    assert "'pledge_event', which patreon.schemas does not know (did you mean 'pledge-event'?)" in said[0]
    assert "'full_nme', which is not a field of member known to patreon.schemas (did you mean 'full_name'?)" in said[1]
    assert "'xyzzy', which is not a field of member known to patreon.schemas; known:" in said[2]  # nothing near
    assert "(did you mean 'memberships'?)" in said[3] and "(did you mean 'campaign'?)" in said[4]


def test_a_huge_unknown_name_is_shown_cut_and_not_compared():
    found = unknown_field_warnings(lambda: check_names('a' * 200000, [('member', 'b' * 200000)], returns='user'))
    assert len(found) == 2 and all(len(str(warning.message)) < 1000 for warning in found)
    assert all('...' in str(warning.message) and 'did you mean' not in str(warning.message) for warning in found)
