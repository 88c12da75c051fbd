# -*- coding: utf-8 -*-
"""patreon.jsonapi.url_util: ``build_url`` and ``joined_or_null`` exactly as 0.5.1, plus plain strings as one value."""
from __future__ import absolute_import, division, print_function, unicode_literals

import warnings

import pytest

import patreon
from patreon.exceptions import InvalidArgument
from patreon._query import checked_count, checked_list, checked_text, encode_query
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


# --- What cannot be sent raises InvalidArgument naming the parameter ---------------------------------------------

SURROGATE = '\ud800'
NOT_UTF8 = b'\xff'


@pytest.mark.parametrize('includes', [[None], [1], 5, True, object(), [SURROGATE], SURROGATE, ['user' + SURROGATE],
                                      [NOT_UTF8], NOT_UTF8, ['ok', NOT_UTF8], {'user': 1}])
def test_includes_that_cannot_be_sent_raise_invalid_argument_naming_includes(includes):
    with pytest.raises(InvalidArgument) as raised:
        build_url('identity', includes=includes)
    assert isinstance(raised.value, ValueError) and 'includes' in str(raised.value)


@pytest.mark.parametrize('fields, named', [
    (['user'], 'fields'), ('user', 'fields'), (5, 'fields'),
    ({'user': [1]}, 'fields[user]'), ({'user': [None]}, 'fields[user]'), ({'user': 5}, 'fields[user]'),
    ({'user': [SURROGATE]}, 'fields[user]'), ({'user': NOT_UTF8}, 'fields[user]'),
    ({SURROGATE: ['a']}, 'resource type of fields'), ({NOT_UTF8: ['a']}, 'resource type of fields'),
    ({1: ['a']}, 'fields'), ({None: ['a']}, 'fields'),
])
def test_fields_that_cannot_be_sent_raise_invalid_argument_naming_fields(fields, named):
    with pytest.raises(InvalidArgument) as raised:
        build_url('identity', fields=fields)
    assert named in str(raised.value)


def test_a_message_never_quotes_the_value():
    secretish = 'at_SECRET_VALUE_12345' + SURROGATE
    for call in (lambda: build_url('x', includes=[secretish]), lambda: build_url('x', fields={'u': secretish}),
                 lambda: encode_query([('client_secret', secretish)]), lambda: checked_text(secretish, 'state')):
        with pytest.raises(InvalidArgument) as raised:
            call()
        assert 'SECRET' not in str(raised.value)


def test_encode_query_names_the_parameter_of_a_lone_surrogate():
    with pytest.raises(InvalidArgument) as raised:
        encode_query([('page[count]', 10), ('redirect_uri', 'https://x/' + SURROGATE)])
    assert 'redirect_uri' in str(raised.value)


@pytest.mark.parametrize('includes, fields, expected', [
    (['user'], {'member': ['full_name']}, 'x?fields%5Bmember%5D=full_name&include=user'),
    ('user,campaign', {'member': 'full_name,email'}, 'x?fields%5Bmember%5D=full_name%2Cemail&include=user%2Ccampaign'),
    ((name for name in ['user']), {b'member': [b'email']}, 'x?fields%5Bmember%5D=email&include=user'),
    (['us\u00e9r'], {'member': []}, 'x?fields%5Bmember%5D=null&include=us%C3%A9r'),
    (['\U0001f3a7'], None, 'x?include=%F0%9F%8E%A7'),  # an astral character is no lone surrogate
])
def test_the_shapes_0_5_1_accepted_still_build(includes, fields, expected):
    assert build_url('x', includes=includes, fields=fields) == expected


def test_checked_count_takes_whole_numbers_above_0_and_short_strings_of_ascii_digits():
    assert checked_count(7, 'page_size') == 7 and checked_count(' 0012 ', 'page_size') == 12
    assert checked_count('9' * 12, 'min_cents', max_digits=12) == 10 ** 12 - 1
    for value in [0, -1, True, 2.0, None, '', '1.5', '9' * 13, u'\u0661\u0662', u'\uff11', '+3', '1_0']:
        with pytest.raises(InvalidArgument) as raised:
            checked_count(value, 'min_cents', what='a whole number of cents', max_digits=12)
        assert str(raised.value).startswith('min_cents must be a whole number of cents above 0, not ')


def test_checked_list_makes_a_list_of_an_iterable_or_of_one_value_alone():
    assert checked_list(('a', 'b'), 'ids', 'a list of ids') == ['a', 'b']
    assert checked_list(iter([1]), 'ids', 'a list of ids') == [1]
    assert checked_list('7', 'ids', 'a list of ids', alone=(str,)) == ['7']
    for value in [None, {'a': 1}, 5, True]:
        with pytest.raises(InvalidArgument) as raised:
            checked_list(value, 'ids', 'a list of ids', alone=(str,))
        assert str(raised.value) == 'ids must be a list of ids, not {}'.format(type(value).__name__)


def test_blanks_around_names_are_not_sent():
    # Patreon splits on the comma alone: the ' email' of 'full_name, email' would be no field, dropped in silence.
    assert build_url('https://p', includes='user, campaign', fields={'member': 'full_name, email',
                                                                     'user': [' email ', 'full_name']}) == (
        'https://p?fields%5Bmember%5D=full_name%2Cemail&fields%5Buser%5D=email%2Cfull_name&include=user%2Ccampaign')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        url = patreon.OAuth('id', 'secret').get_authorization_url('https://x.example/cb', ' identity  campaigns ')
    assert url.endswith('&scope=identity+campaigns') and caught == []


@pytest.mark.parametrize('includes', [' ', [' '], ['', ' ,'], ','])
def test_blank_includes_send_no_include(includes):
    # 'include=null' (what an empty field list sends) is refused as an include: nothing asked, nothing sent.
    assert build_url('https://p', includes=includes) == 'https://p'
    assert build_url('https://p', includes=includes, fields={'member': [' ']}) == 'https://p?fields%5Bmember%5D=null'
    assert build_url('https://p', includes=['campaign', ' ', 'user,,tiers']) == (
        'https://p?include=campaign%2Cuser%2Ctiers')
