"""Field names of the ``campaign`` resource (JSON:API type ``campaign``): a creator's page.

Usage: ``api.get_campaigns(10, fields={'campaign': [campaign.Attributes.url, campaign.Attributes.vanity]})``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``campaign`` resource."""

    summary = 'summary'
    creation_name = 'creation_name'
    pay_per_name = 'pay_per_name'
    one_liner = 'one_liner'
    main_video_embed = 'main_video_embed'
    main_video_url = 'main_video_url'
    image_url = 'image_url'
    image_small_url = 'image_small_url'
    thanks_video_url = 'thanks_video_url'
    thanks_embed = 'thanks_embed'
    thanks_msg = 'thanks_msg'
    is_monthly = 'is_monthly'
    has_rss = 'has_rss'
    has_sent_rss_notify = 'has_sent_rss_notify'
    rss_feed_title = 'rss_feed_title'
    rss_artwork_url = 'rss_artwork_url'
    is_nsfw = 'is_nsfw'
    is_charged_immediately = 'is_charged_immediately'
    created_at = 'created_at'
    published_at = 'published_at'
    pledge_url = 'pledge_url'
    patron_count = 'patron_count'
    discord_server_id = 'discord_server_id'
    google_analytics_id = 'google_analytics_id'
    earnings_visibility = 'earnings_visibility'  # deprecated: gone from API v2, superseded by show_earnings
    show_earnings = 'show_earnings'
    url = 'url'
    vanity = 'vanity'
    currency = 'currency'  # the campaign's currency code, e.g. 'USD'
    name = 'name'  # the display name


class Relationships(object):
    """Relationship names of a ``campaign`` resource."""

    tiers = 'tiers'
    creator = 'creator'
    benefits = 'benefits'
    goals = 'goals'  # deprecated: Patreon always returns an empty list
    campaign_installations = 'campaign_installations'
    categories = 'categories'
    live_access_rules = 'live_access_rules'  # many live-access-rule: who may watch the campaign's lives
