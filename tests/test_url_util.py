# -*- coding: utf-8 -*-
"""patreon.jsonapi.url_util: ``build_url`` and ``joined_or_null`` exactly as 0.5.1, plus plain strings as one value."""
from __future__ import absolute_import, division, print_function, unicode_literals

import pytest

from patreon.jsonapi.url_util import build_url, joined_or_null


@pytest.mark.parametrize('names, expected', [
    ([], 'null'),
    ((), 'null'),
    (['user'], 'user'),
    (['user', 'campaign'], 'user,campaign'),
    (('a', 'b', 'c'), 'a,b,c'),
    # A plain string is one already-joined value (0.5.1 joined its characters).
    ('full_name,email', 'full_name,email'),
    ('user', 'user'),
    ('', 'null'),
])
def test_joined_or_null(names, expected):
    assert joined_or_null(names) == expected


# The examples of the compatibility contract, exactly.
@pytest.mark.parametrize('path, includes, fields, expected', [
    ('https://patreon.com', None, {'mock': ['test']}, 'https://patreon.com?fields%5Bmock%5D=test'),
    ('https://patreon.com', ['mock', 'include'], None, 'https://patreon.com?include=mock%2Cinclude'),
    ('https://patreon.com?mock=this', ['example'], None, 'https://patreon.com?mock=this&include=example'),
])
def test_build_url_contract_examples(path, includes, fields, expected):
    assert build_url(path, includes=includes, fields=fields) == expected


@pytest.mark.parametrize('includes, fields', [
    (None, None),
    ([], None),
    (None, {}),
    ([], {}),
    ('', None),
])
def test_build_url_returns_the_path_unchanged_when_nothing_is_added(includes, fields):
    assert build_url('campaigns/12', includes=includes, fields=fields) == 'campaigns/12'
    assert build_url('campaigns?page%5Bcount%5D=10', includes, fields) == 'campaigns?page%5Bcount%5D=10'


def test_build_url_sorts_parameters_by_name():
    url = build_url('campaigns', includes=['tiers', 'creator'],
                    fields={'tier': ['title'], 'campaign': ['summary', 'vanity'], 'benefit': []})

    assert url == ('campaigns?fields%5Bbenefit%5D=null&fields%5Bcampaign%5D=summary%2Cvanity'
                   '&fields%5Btier%5D=title&include=tiers%2Ccreator')


def test_build_url_empty_field_list_is_null():
    assert build_url('identity', fields={'user': []}) == 'identity?fields%5Buser%5D=null'


def test_build_url_appends_with_ampersand_when_the_path_has_a_query():
    url = build_url('campaigns?page%5Bcount%5D=10', includes=['tiers'], fields={'tier': ['title']})

    assert url == 'campaigns?page%5Bcount%5D=10&fields%5Btier%5D=title&include=tiers'


def test_build_url_takes_plain_strings_as_single_values():
    url = build_url('members/1', includes='user', fields={'member': 'full_name,email', 'user': 'email'})

    assert url == 'members/1?fields%5Bmember%5D=full_name%2Cemail&fields%5Buser%5D=email&include=user'


def test_build_url_encodes_unicode_values_as_utf8():
    url = build_url('campaigns', includes=['caf\u00e9'], fields={'campaign': ['na\u00efve', '\u2603']})

    assert url == 'campaigns?fields%5Bcampaign%5D=na%C3%AFve%2C%E2%98%83&include=caf%C3%A9'


def test_build_url_accepts_a_tuple_of_includes():
    assert build_url('identity', includes=('memberships', 'campaign')) == \
        'identity?include=memberships%2Ccampaign'
