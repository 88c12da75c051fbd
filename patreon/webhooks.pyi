from typing import Final, NamedTuple
from typing_extensions import TypeAlias

from .exceptions import InvalidSignature as InvalidSignature, InvalidWebhook as InvalidWebhook
from .jsonapi.parser import JSONAPIParser

__all__ = ['verify_signature', 'parse_webhook', 'WebhookEvent', 'InvalidSignature', 'InvalidWebhook', 'ALL_TRIGGERS',
           'MEMBERS_CREATE', 'MEMBERS_UPDATE', 'MEMBERS_DELETE', 'MEMBERS_PLEDGE_CREATE', 'MEMBERS_PLEDGE_UPDATE',
           'MEMBERS_PLEDGE_DELETE', 'POSTS_PUBLISH', 'POSTS_UPDATE', 'POSTS_DELETE']

MEMBERS_CREATE: Final = 'members:create'
MEMBERS_UPDATE: Final = 'members:update'
MEMBERS_DELETE: Final = 'members:delete'
MEMBERS_PLEDGE_CREATE: Final = 'members:pledge:create'
MEMBERS_PLEDGE_UPDATE: Final = 'members:pledge:update'
MEMBERS_PLEDGE_DELETE: Final = 'members:pledge:delete'
POSTS_PUBLISH: Final = 'posts:publish'
POSTS_UPDATE: Final = 'posts:update'
POSTS_DELETE: Final = 'posts:delete'
ALL_TRIGGERS: Final[tuple[str, str, str, str, str, str, str, str, str]]

# The raw request body: bytes as received (text is UTF-8 encoded before hashing).
_Body: TypeAlias = bytes | bytearray | str
_Header: TypeAlias = str | bytes | None
# One secret, or several during a rotation (any one may match). Only these containers count as several.
_Secrets: TypeAlias = (
    str | bytes | list[str] | list[bytes] | tuple[str | bytes, ...] | set[str] | set[bytes] | frozenset[str | bytes]
)

class WebhookEvent(NamedTuple):
    trigger: str
    document: JSONAPIParser

def verify_signature(body: _Body | None, signature: _Header, secret: _Secrets | None) -> bool: ...
def parse_webhook(body: _Body, signature: _Header, event: _Header, secret: _Secrets) -> WebhookEvent: ...
