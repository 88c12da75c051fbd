"""Tests for patreon.schemas: 0.5.1's constants, the API v2 fields, the type map and lazy loading."""
import importlib
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

# The resources of patreon-api-v2.md, keyed by JSON:API type: (schema module, attributes, relationships).
API_V2_RESOURCES = {
    'address': ('address', [
        'addressee', 'city', 'country', 'created_at', 'line_1', 'line_2', 'phone_number', 'postal_code', 'state'],
        ['campaigns', 'user']),
    'benefit': ('benefit', [
        'app_external_id', 'app_meta', 'benefit_type', 'created_at', 'deliverables_due_today_count',
        'delivered_deliverables_count', 'description', 'is_deleted', 'is_ended', 'is_published',
        'next_deliverable_due_date', 'not_delivered_deliverables_count', 'rule_type', 'tiers_count', 'title'],
        ['campaign', 'campaign_installation', 'deliverables', 'tiers']),
    'campaign': ('campaign', [
        'created_at', 'creation_name', 'discord_server_id', 'google_analytics_id', 'has_rss',
        'has_sent_rss_notify', 'image_small_url', 'image_url', 'is_charged_immediately', 'is_monthly', 'is_nsfw',
        'main_video_embed', 'main_video_url', 'one_liner', 'patron_count', 'pay_per_name', 'pledge_url',
        'published_at', 'rss_artwork_url', 'rss_feed_title', 'show_earnings', 'summary', 'thanks_embed',
        'thanks_msg', 'thanks_video_url', 'url', 'vanity', 'currency', 'name'],
        ['benefits', 'campaign_installations', 'categories', 'creator', 'goals', 'tiers', 'live_access_rules']),
    'deliverable': ('deliverable', ['completed_at', 'delivery_status', 'due_at'],
                    ['benefit', 'campaign', 'member', 'user']),
    'goal': ('goal', ['amount_cents', 'completed_percentage', 'created_at', 'description', 'reached_at', 'title'],
             ['campaign']),
    # Newer additions (2025-2026): Lives, in early access.
    'live': ('live', ['description', 'rtmp_url', 'scheduled_for', 'state', 'stream_key', 'title'],
             ['campaign', 'live_access_rules']),
    'live-access-rule': ('live_access_rule', ['access_rule_type'], ['tier']),
    'media': ('media', [
        'created_at', 'download_url', 'file_name', 'image_urls', 'metadata', 'mimetype', 'owner_id',
        'owner_relationship', 'owner_type', 'size_bytes', 'state', 'upload_expires_at', 'upload_parameters',
        'upload_url'],
        []),
    'member': ('member', [
        'campaign_lifetime_support_cents', 'currently_entitled_amount_cents', 'email', 'full_name', 'is_follower',
        'is_free_trial', 'is_gifted', 'last_charge_date', 'last_charge_status', 'lifetime_support_cents',
        'next_charge_date', 'note', 'patron_status', 'pledge_cadence', 'pledge_relationship_start',
        'will_pay_amount_cents'],
        ['address', 'campaign', 'currently_entitled_tiers', 'pledge_history', 'user']),
    'client': ('oauthclient', [
        'author_name', 'category', 'client_secret', 'default_scopes', 'description', 'domain', 'icon_url', 'name',
        'privacy_policy_url', 'redirect_uris', 'tos_url', 'version'],
        ['apps', 'campaign', 'creator_token', 'user']),
    'pledge-event': ('pledge_event', [
        'amount_cents', 'currency_code', 'date', 'payment_status', 'pledge_payment_status', 'tier_id',
        'tier_title', 'type'],
        ['campaign', 'patron', 'tier']),
    'post': ('post', [
        'app_id', 'app_status', 'content', 'embed_data', 'embed_url', 'is_paid', 'is_public', 'published_at',
        'tiers', 'title', 'url'],
        ['campaign', 'user']),
    'tier': ('tier', [
        'amount_cents', 'created_at', 'description', 'discord_role_ids', 'edited_at', 'image_url', 'patron_count',
        'post_count', 'published', 'published_at', 'remaining', 'requires_shipping', 'title', 'unpublished_at',
        'url', 'user_limit'],
        ['benefits', 'campaign', 'tier_image']),
    'user': ('user', [
        'about', 'can_see_nsfw', 'created', 'email', 'first_name', 'full_name', 'hide_pledges', 'image_url',
        'is_creator', 'is_email_verified', 'last_name', 'like_count', 'social_connections', 'thumb_url', 'url',
        'vanity'],
        ['campaign', 'memberships']),
    'webhook': ('webhook', [
        'last_attempted_at', 'num_consecutive_times_failed', 'paused', 'secret', 'triggers', 'uri'],
        ['campaign', 'client']),
}

MODULE_NAMES = sorted(set(CONSTANTS_0_5_1) | set(module for module, _, _ in API_V2_RESOURCES.values()))


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


@pytest.mark.parametrize('resource_type', sorted(API_V2_RESOURCES))
def test_every_api_v2_field_has_a_constant(resource_type):
    module_name, attributes, relationships = API_V2_RESOURCES[resource_type]
    module = load(module_name)
    for name in attributes:
        assert getattr(module.Attributes, name) == name
    for name in relationships:
        assert getattr(module.Relationships, name) == name


@pytest.mark.parametrize('module_name', MODULE_NAMES)
def test_schemas_hold_exactly_the_known_names_each_equal_to_itself(module_name):
    module = load(module_name)
    expected_attributes = set(CONSTANTS_0_5_1.get(module_name, ([], []))[0])
    expected_relationships = set(CONSTANTS_0_5_1.get(module_name, ([], []))[1])
    for known_module, attributes, relationships in API_V2_RESOURCES.values():
        if known_module == module_name:
            expected_attributes.update(attributes)
            expected_relationships.update(relationships)
    attribute_constants = constants_of(module.Attributes)
    relationship_constants = constants_of(module.Relationships)
    assert set(attribute_constants) == expected_attributes
    assert set(relationship_constants) == expected_relationships
    for constants in (attribute_constants, relationship_constants):
        for name, value in constants.items():
            assert value == name


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


def test_type_map_covers_every_resource_type_of_the_api():
    expected = dict((resource_type, module) for resource_type, (module, _, _) in API_V2_RESOURCES.items())
    assert SCHEMA_MODULE_NAMES == expected


@pytest.mark.parametrize('resource_type', sorted(API_V2_RESOURCES))
def test_schema_for_type_returns_the_module_of_that_type(resource_type):
    module_name = API_V2_RESOURCES[resource_type][0]
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
