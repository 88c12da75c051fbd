"""Every public name of 0.5.1 (the contract's table) is importable from the same place."""
from __future__ import absolute_import, division, print_function, unicode_literals

import datetime
import importlib
import inspect

import pytest

# The contract's schema modules, plus the modules added since, which follow the same pattern.
SCHEMA_MODULES_0_5_1 = ['address', 'benefit', 'campaign', 'deliverable', 'goal', 'media', 'member', 'oauthclient',
                        'tier', 'user', 'webhook']
SCHEMA_MODULES_NEW = ['post', 'pledge_event']


def test_api_and_oauth_are_reexported_at_the_top():
    import patreon
    import patreon.api
    import patreon.oauth

    assert patreon.API is patreon.api.API
    assert patreon.OAuth is patreon.oauth.OAuth
    assert inspect.isclass(patreon.API) and inspect.isclass(patreon.OAuth)


def test_from_imports_of_0_5_1():
    from patreon import API, OAuth  # noqa: F401
    from patreon.jsonapi.parser import (JSONAPIParser, JSONAPIRelatedResource,  # noqa: F401
                                        JSONAPIRelationshipInfo, JSONAPIResource)
    from patreon.jsonapi.url_util import build_url, joined_or_null  # noqa: F401
    from patreon.utils import user_agent_string  # noqa: F401
    from patreon.version_compatibility.utc_timezone import has_timezone_support, utc_timezone  # noqa: F401
    from patreon.api import API as api_class
    from patreon.oauth import OAuth as oauth_class

    assert api_class is API and oauth_class is OAuth
    for cls in (JSONAPIParser, JSONAPIRelatedResource, JSONAPIRelationshipInfo, JSONAPIResource):
        assert inspect.isclass(cls)
    for function in (build_url, joined_or_null, user_agent_string, utc_timezone, has_timezone_support):
        assert callable(function)


def test_attribute_access_of_0_5_1():
    import patreon.jsonapi.parser
    import patreon.jsonapi.url_util
    import patreon.utils
    import patreon.version_compatibility.utc_timezone

    assert callable(patreon.jsonapi.url_util.build_url)
    assert callable(patreon.jsonapi.url_util.joined_or_null)
    assert callable(patreon.jsonapi.parser.JSONAPIParser)
    assert callable(patreon.utils.user_agent_string)


def test_utc_timezone_helper():
    from patreon.version_compatibility.utc_timezone import has_timezone_support, utc_timezone

    assert isinstance(utc_timezone(), datetime.tzinfo)
    assert utc_timezone().tzname(None) in ('UTC', 'UTC+00:00')
    assert utc_timezone().utcoffset(None) == datetime.timedelta(0)
    assert has_timezone_support() is hasattr(datetime, 'timezone')


@pytest.mark.parametrize('name', SCHEMA_MODULES_0_5_1 + SCHEMA_MODULES_NEW)
def test_every_schema_module_has_attributes_and_relationships(name):
    module = importlib.import_module('patreon.schemas.' + name)

    for class_name in ('Attributes', 'Relationships'):
        cls = getattr(module, class_name)
        assert inspect.isclass(cls)
        constants = [key for key in vars(cls) if not key.startswith('_')]
        for key in constants:
            assert getattr(cls, key) == key  # each constant's value is its name


def test_schema_constants_are_reachable_as_in_0_5_1():
    from patreon.schemas import member, media

    assert member.Attributes.full_name == 'full_name'
    assert member.Relationships.currently_entitled_tiers == 'currently_entitled_tiers'
    assert inspect.isclass(media.Relationships)


def test_the_package_shows_its_own_names_and_still_reaches_its_submodules():
    # A fresh interpreter: here other tests have imported submodules already. The modules the package uses
    # (importlib, logging, sys) are no API of it; the submodules loaded on first use still come on attribute access.
    import subprocess
    import sys

    code = ('import patreon\n'
            'names = set(dir(patreon))\n'
            'assert not names & {"importlib", "logging", "sys"}, sorted(names & {"importlib", "logging", "sys"})\n'
            'assert callable(patreon.webhooks.parse_webhook) and callable(patreon.entitlements.is_active_patron)\n'
            'assert patreon.schemas.__name__ == "patreon.schemas" and patreon.exceptions.Unauthorized\n'
            'print("ok")\n')
    out = subprocess.check_output([sys.executable, '-c', code])
    assert out.strip() == b'ok'
