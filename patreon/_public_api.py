"""The public API of ``patreon``, in one place: each public module and the names it offers.

A module not listed here, or a name not listed for its module, is internal and may change in any release; internal
modules have a leading underscore in their dotted path (``patreon._transport``, ``patreon.cli._runner``), and so
has every other name a listed module defines (its helpers live in private modules, or start with ``_``).  Each
listed module's ``__all__`` is its entry, its stub (``.pyi``) defines each name and no other public-looking one,
and tests/test_public_api.py fails when the package and this list disagree.
"""

_SCHEMA_RESOURCES = ('address', 'benefit', 'campaign', 'deliverable', 'goal', 'live', 'live_access_rule', 'media',
                     'member', 'oauthclient', 'pledge_event', 'post', 'tier', 'user', 'webhook')

#: Module name -> the names it offers (its ``__all__``), as a tuple of str.
PUBLIC_API = {
    'patreon': ('API', 'Limits', 'OAuth', 'RefreshPolicy', 'RetryPolicy', 'Timeout', '__version__'),
    # `python -m patreon`: the command line; nothing to import.
    'patreon.__main__': (),
    'patreon.api': ('API', 'ErrorDocument', 'API_ROOT', 'LIVE_STATES'),
    'patreon.oauth': ('OAuth', 'make_state', 'check_state', 'AUTHORIZE_PATH', 'TOKEN_PATH', 'BECOME_PATRON_PATH'),
    'patreon.exceptions': (
        'PatreonError', 'APIError', 'Unauthorized', 'Forbidden', 'NotFound', 'RateLimited', 'ServerError',
        'InvalidResponse', 'NotJSONResponse', 'InvalidErrorResponse', 'InvalidUnauthorizedResponse',
        'InvalidForbiddenResponse', 'InvalidNotFoundResponse', 'InvalidRateLimitedResponse', 'InvalidServerResponse',
        'NotJSONErrorResponse', 'NotJSONUnauthorizedResponse', 'NotJSONForbiddenResponse', 'NotJSONNotFoundResponse',
        'NotJSONRateLimitedResponse', 'NotJSONServerResponse', 'NoPrimaryData', 'APIErrorNoPrimaryData',
        'UnauthorizedNoPrimaryData', 'ForbiddenNoPrimaryData', 'NotFoundNoPrimaryData', 'RateLimitedNoPrimaryData',
        'ServerErrorNoPrimaryData', 'no_primary_data', 'OAuthError',
        'RequestBudgetExceeded', 'InvalidWebhook', 'InvalidSignature', 'TotalTimeout', 'PaginationError',
        'V1MethodRemoved', 'InvalidArgument', 'TokenStoreError', 'InvalidCredential', 'UnknownFieldError',
        'UnknownFieldWarning', 'UnknownScopeWarning', 'MissingAttributeWarning', 'RealPatreonBlocked',
        'PatchedRequestsIgnored',
        'error_class_for_status'),
    'patreon.jsonapi': (),
    'patreon.jsonapi.parser': ('JSONAPIParser', 'JSONAPIResource', 'JSONAPIRelationshipInfo',
                               'JSONAPIRelatedResource'),
    'patreon.jsonapi.url_util': ('build_url', 'joined_or_null'),
    'patreon.schemas': _SCHEMA_RESOURCES + ('SCHEMA_MODULE_NAMES', 'schema_for_type', 'all_fields'),
    'patreon.utils': ('user_agent_string', 'app_user_agent', 'discord_user_id'),
    'patreon.version': ('__version__',),
    'patreon.version_compatibility': (),
    'patreon.version_compatibility.utc_timezone': ('FixedUTC', 'has_timezone_support', 'isoformat_utc',
                                                   'utc_timezone'),
    'patreon.scopes': ('IDENTITY', 'IDENTITY_EMAIL', 'IDENTITY_MEMBERSHIPS', 'CAMPAIGNS', 'CAMPAIGNS_MEMBERS',
                       'CAMPAIGNS_MEMBERS_EMAIL', 'CAMPAIGNS_MEMBERS_ADDRESS', 'CAMPAIGNS_POSTS', 'CAMPAIGNS_WEBHOOK',
                       'CAMPAIGNS_LIVES', 'CAMPAIGNS_LIVES_WRITE', 'ALL', 'required_scopes', 'granted_scopes'),
    'patreon.entitlements': ('REQUIRED_FIELDS', 'TIER_FIELDS', 'PLEDGE_EVENT_FIELDS', 'ACTIVE_PATRON',
                             'DECLINED_PATRON', 'FORMER_PATRON', 'MissingFieldError', 'is_active_patron',
                             'pledged_tier_id', 'entitled_tier_ids', 'monthly_amount_cents'),
    'patreon.webhooks': ('verify_signature', 'parse_webhook', 'WebhookEvent', 'InvalidSignature', 'InvalidWebhook',
                         'ALL_TRIGGERS', 'MEMBERS_CREATE', 'MEMBERS_UPDATE', 'MEMBERS_DELETE',
                         'MEMBERS_PLEDGE_CREATE', 'MEMBERS_PLEDGE_UPDATE', 'MEMBERS_PLEDGE_DELETE', 'POSTS_PUBLISH',
                         'POSTS_UPDATE', 'POSTS_DELETE'),
    'patreon.pagination': ('MAX_STALLED_PAGES', 'PREFETCH_THREAD_NAME'),
    'patreon.retry': ('RetryPolicy', 'MAX_RETRY_AFTER', 'MAX_SECONDS', 'RETRY_STATUSES', 'RETRY_METHODS',
                      'RETRY_EXCEPTIONS'),
    'patreon.policies': ('Timeout', 'RefreshPolicy', 'DEFAULT_TIMEOUT', 'DEFAULT_TOTAL_TIMEOUT',
                         'DEFAULT_REFRESH_MARGIN'),
    'patreon.pacing': ('Limits', 'Pacer', 'PacerChain', 'RequestBudget', 'Slots', 'DEFAULT_RATE_LIMIT',
                       'DEFAULT_MAX_4XX', 'BUDGET_WINDOW', 'DEFAULT_TOKEN_RATE_LIMIT', 'shared_pacer', 'shared_budget'),
    'patreon.tokens': ('TokenStore', 'MemoryTokenStore', 'FileTokenStore', 'REFUSED_KEY', 'digest'),
    'patreon.endpoint': ('PATREON_URL', 'DEFAULT_BASE_URL', 'default_base_url', 'override_default_base_url'),
    'patreon.stores': (),
    'patreon.stores.sqlite': ('SQLiteStore',),
    'patreon.stores.redis': ('RedisStore', 'DEFAULT_LOCK_LEASE', 'DEFAULT_LOCK_TIMEOUT'),
    'patreon.sandbox': ('Sandbox', 'SandboxControl', 'SandboxControlError', 'Delivery', 'RequestRecord',
                        'ALL_SCOPES', 'TRIGGERS', 'FAULT_KINDS', 'sign'),
    # The pytest plugin's fixtures; its hooks (pytest_addoption, ...) are found by pytest, not imported.
    'patreon.pytest_plugin': ('patreon_sandbox', 'patreon_api', 'MARKER', 'DEFAULT_SEED'),
    # The command line's Python face: main(argv) and the exit statuses it returns.
    'patreon.cli': ('main', 'EXIT_OK', 'EXIT_FAILURE', 'EXIT_USAGE', 'EXIT_UNAUTHORIZED', 'EXIT_FORBIDDEN',
                    'EXIT_NOT_FOUND', 'EXIT_RATE_LIMITED', 'EXIT_NETWORK', 'EXIT_SERVER', 'EXIT_OUTPUT',
                    'EXIT_INTERRUPTED'),
}
PUBLIC_API.update(('patreon.schemas.' + name, ('Attributes', 'Relationships')) for name in _SCHEMA_RESOURCES)
PUBLIC_API['patreon.schemas.live'] += ('STATES',)
PUBLIC_API['patreon.schemas.live_access_rule'] += ('ACCESS_RULE_TYPES',)


def public_modules():
    """Return the public modules' dotted names, sorted (a list of str)."""
    return sorted(PUBLIC_API)
