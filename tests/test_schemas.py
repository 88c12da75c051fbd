"""Tests for patreon.schemas: 0.5.1's constants, the fields of the sample documents, the type map, lazy loading."""
import importlib
import json
import os
import subprocess
import sys

import pytest

import patreon.schemas
from patreon.schemas import schema_for_type, SCHEMA_MODULE_NAMES

# 0.5.1's constants, copied from the compatibility contract: every one must remain.
CONSTANTS_0_5_1 = {
    'address': (
        ['addressee', 'line_1', 'line_2', 'postal_code', 'city', 'state', 'country', 'phone_number',
         'created_at'],
        ['user', 'campaigns']),
    'benefit': (
        ['title', 'description', 'benefit_type', 'rule_type', 'created_at', 'delivered_deliverables_count',
         'not_delivered_deliverables_count', 'deliverables_due_today_count', 'next_deliverable_due_date',
         'tiers_count', 'is_deleted', 'is_published', 'app_external_id', 'app_meta'],
        ['tiers', 'deliverables', 'campaign', 'campaign_installation']),
    'campaign': (
        ['summary', 'creation_name', 'pay_per_name', 'one_liner', 'main_video_embed', 'main_video_url',
         'image_url', 'image_small_url', 'thanks_video_url', 'thanks_embed', 'thanks_msg', 'is_monthly',
         'has_rss', 'has_sent_rss_notify', 'rss_feed_title', 'rss_artwork_url', 'is_nsfw',
         'is_charged_immediately', 'created_at', 'published_at', 'pledge_url', 'patron_count',
         'discord_server_id', 'google_analytics_id', 'earnings_visibility'],
        ['tiers', 'creator', 'benefits', 'goals']),
    'deliverable': (
        ['completed_at', 'delivery_status', 'due_at'],
        ['campaign', 'benefit', 'member', 'user']),
    'goal': (
        ['amount_cents', 'title', 'description', 'created_at', 'reached_at', 'completed_percentage'],
        ['campaign']),
    'media': (
        ['file_name', 'size_bytes', 'mimetype', 'state', 'owner_type', 'owner_id', 'owner_relationship',
         'upload_expires_at', 'upload_url', 'upload_parameters', 'download_url', 'created_at', 'metadata'],
        []),
    'member': (
        ['patron_status', 'is_follower', 'full_name', 'email', 'pledge_relationship_start',
         'lifetime_support_cents', 'currently_entitled_amount_cents', 'last_charge_date',
         'last_charge_status', 'note', 'will_pay_amount_cents'],
        ['address', 'campaign', 'currently_entitled_tiers', 'user']),
    'oauthclient': (
        ['client_secret', 'name', 'description', 'author_name', 'domain', 'version', 'icon_url',
         'privacy_policy_url', 'tos_url', 'redirect_uris', 'default_scopes'],
        ['user', 'campaign', 'creator_token', 'apps']),
    'tier': (
        ['amount_cents', 'user_limit', 'remaining', 'description', 'requires_shipping', 'created_at', 'url',
         'patron_count', 'post_count', 'discord_role_ids', 'title', 'image_url', 'edited_at', 'published',
         'published_at', 'unpublished_at'],
        ['campaign', 'tier_image', 'benefits']),
    'user': (
        ['email', 'first_name', 'last_name', 'full_name', 'is_email_verified', 'vanity', 'about', 'image_url',
         'thumb_url', 'can_see_nsfw', 'created', 'url', 'like_count', 'hide_pledges', 'social_connections'],
        ['memberships', 'campaign']),
    'webhook': (
        ['triggers', 'uri', 'paused', 'last_attempted_at', 'num_consecutive_times_failed', 'secret'],
        ['client', 'campaign']),
}

# The fields of API v2 are declared once, in the schema modules (tests/test_declarations.py checks what is made of
# them); here, what the declaration must hold: 0.5.1's names, the sample documents' fields, a module per type.
MODULE_NAMES = sorted(set(SCHEMA_MODULE_NAMES.values()))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')


def constants_of(cls):
    """The public class attributes of a schema class, as a name -> value dict."""
    return dict((name, value) for name, value in vars(cls).items() if not name.startswith('_'))


def load(module_name):
    return importlib.import_module('patreon.schemas.' + module_name)


@pytest.mark.parametrize('module_name', sorted(CONSTANTS_0_5_1))
def test_every_0_5_1_constant_remains_with_its_name_as_value(module_name):
    attributes, relationships = CONSTANTS_0_5_1[module_name]
    module = load(module_name)
    for name in attributes:
        assert getattr(module.Attributes, name) == name
    for name in relationships:
        assert getattr(module.Relationships, name) == name


@pytest.mark.parametrize('module_name', MODULE_NAMES)
def test_each_schema_constant_is_its_own_name(module_name):
    module = load(module_name)
    for constants in (constants_of(module.Attributes), constants_of(module.Relationships)):
        assert [name for name, value in constants.items() if value != name] == []


def resource_objects(value):
    """Every JSON:API resource object in a document (``data``, ``included``, wherever one is nested)."""
    if isinstance(value, dict):
        if 'type' in value and 'id' in value and ('attributes' in value or 'relationships' in value):
            yield value
        value = list(value.values())
    for item in value if isinstance(value, list) else ():
        for found in resource_objects(item):
            yield found


def test_every_field_of_the_sample_documents_is_declared_for_its_type():
    undeclared, types = [], set()
    for name in sorted(os.listdir(FIXTURES)):
        if not name.endswith(('.json', '.body')):
            continue
        with open(os.path.join(FIXTURES, name), 'rb') as stream:
            document = json.loads(stream.read().decode('utf-8'))
        for resource in resource_objects(document):
            module = schema_for_type(resource['type'])
            types.add(resource['type'])
            for given, cls in (('attributes', module.Attributes), ('relationships', module.Relationships)):
                undeclared += [(name, resource['type'], field) for field in resource.get(given) or ()
                               if field not in constants_of(cls)]

    assert undeclared == []
    assert len(types) >= 5  # the samples hold campaigns, members, users, tiers, webhooks... not nothing


@pytest.mark.parametrize('module_name', MODULE_NAMES)
def test_every_module_has_plain_attributes_and_relationships_classes(module_name):
    module = load(module_name)
    # Plain classes: no metaclass, so importing them costs next to nothing.
    assert type(module.Attributes) is type
    assert type(module.Relationships) is type
    assert module.__doc__


def test_media_has_an_empty_relationships_class():
    from patreon.schemas import media
    assert constants_of(media.Relationships) == {}


def test_new_modules_post_and_pledge_event():
    from patreon.schemas import pledge_event, post
    assert post.Attributes.content == 'content'
    assert post.Relationships.user == 'user'
    assert pledge_event.Attributes.pledge_payment_status == 'pledge_payment_status'
    assert pledge_event.Relationships.patron == 'patron'


def test_all_lists_every_schema_module():
    listed_modules = [name for name in patreon.schemas.__all__ if name in MODULE_NAMES]
    assert sorted(listed_modules) == MODULE_NAMES
    for name in patreon.schemas.__all__:
        assert name in MODULE_NAMES or hasattr(patreon.schemas, name)


def test_the_type_map_names_each_schema_module_and_no_other():
    modules = [name[:-3] for name in os.listdir(os.path.dirname(os.path.abspath(patreon.schemas.__file__)))
               if name.endswith('.py') and name != '__init__.py']

    assert MODULE_NAMES == sorted(modules)
    assert len(MODULE_NAMES) == len(SCHEMA_MODULE_NAMES)  # one type per module
    assert set(CONSTANTS_0_5_1) <= set(MODULE_NAMES)


@pytest.mark.parametrize('resource_type', sorted(SCHEMA_MODULE_NAMES))
def test_schema_for_type_returns_the_module_of_that_type(resource_type):
    module_name = SCHEMA_MODULE_NAMES[resource_type]
    module = schema_for_type(resource_type)
    assert module is sys.modules['patreon.schemas.' + module_name]
    assert module is load(module_name)
    assert schema_for_type(resource_type) is module


def test_schema_for_type_matches_plain_imports():
    from patreon.schemas import member, oauthclient, pledge_event
    assert schema_for_type('member') is member
    assert schema_for_type('client') is oauthclient
    assert schema_for_type('pledge-event') is pledge_event


def test_schema_for_type_accepts_text_types():
    assert schema_for_type(u'pledge-event').Attributes.tier_title == 'tier_title'


@pytest.mark.parametrize('resource_type', ['campaigns', 'oauthclient', 'pledge_event', 'Member', '', None])
def test_unknown_type_raises_key_error_naming_it(resource_type):
    with pytest.raises(KeyError) as raised:
        schema_for_type(resource_type)
    message = str(raised.value)
    assert 'no schema for JSON:API resource type {0!r}'.format(resource_type) in message
    assert 'pledge-event' in message  # the known types are listed to help the caller


def run_python(code):
    """Run code in a fresh interpreter that imports this same copy of the package."""
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(patreon.schemas.__file__)))
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([package_parent] + [p for p in [env.get('PYTHONPATH')] if p])
    output = subprocess.check_output([sys.executable, '-c', code], env=env)
    return output.decode('ascii').strip()


def test_importing_the_schemas_package_imports_no_schema_module():
    loaded = run_python(
        'import sys, patreon.schemas\n'
        'print(",".join(sorted(m for m in sys.modules if m.startswith("patreon.schemas."))))')
    assert loaded == ''


def test_schema_for_type_imports_only_the_module_asked_for():
    loaded = run_python(
        'import sys\n'
        'from patreon.schemas import schema_for_type\n'
        'schema_for_type("member")\n'
        'print(",".join(sorted(m for m in sys.modules if m.startswith("patreon.schemas."))))')
    assert loaded == 'patreon.schemas.member'
