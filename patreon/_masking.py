"""Masking credentials in what is built from a response: a server may echo what a request carried."""
from __future__ import unicode_literals

import re

import six

from ._patterns import LazyPattern
from ._query import quote, quote_plus

#: Shorter values are not masked where they appear: they are no credential, and masking them garbles text.
MIN_SECRET_LENGTH = 8
MASK = '***'
#: How deep an answer's values are copied by :meth:`Mask.data`; deeper ones become :data:`TOO_DEEP`. What is built
#: from them (an exception's ``errors``, an errors document) is pickled, printed and logged by code that recurses.
MAX_NESTING = 64
TOO_DEEP = '(nested too deep)'

# The value after a key that names a credential (access_token, refresh_token, client_secret, webhook_secret,
# password, a live's stream_key and the rtmp_url that may embed it...), in any shape an answer may take:
# "key": "value", 'key': 'value', key=value&..., key: value.
_CREDENTIAL_KEY = r'[\w-]*(?:token|secret|password|passwd|stream_key|rtmp_url)'
_QUOTE = r'(?:\\?["\'`])'
_CREDENTIAL_PAIR = LazyPattern(
    r'(?P<key>(?<![\w-])' + _QUOTE + '?' + _CREDENTIAL_KEY + _QUOTE + r'?\s*(?:=>|[:=>])\s*' + _QUOTE + '?)'
    r'(?P<value>[^\s"\'`\\<>&,;(){}\[\]]+)', re.IGNORECASE)
_CREDENTIAL_NAME = LazyPattern(r'\A' + _CREDENTIAL_KEY + r'\Z', re.IGNORECASE)
_BEARER = LazyPattern(r'(?P<key>(?<![\w-])(?:bearer|basic)\s+)(?P<value>[^\s"\'`\\<>&,;(){}\[\]]+)', re.IGNORECASE)
# In a token answer the fresh tokens are unknown, and may come in a shape no key precedes (an HTML table):
# a run of 24 token characters or more, with letters and digits (error codes and URLs in messages stay readable).
_TOKEN_LIKE = LazyPattern(r'(?<![A-Za-z0-9_~+=-])(?=[A-Za-z_~+=-]*[0-9])(?=[0-9_~+=-]*[A-Za-z])[A-Za-z0-9_~+=-]{24,}')
_QUOTE_ENTITIES = LazyPattern(r'&(?:quot|#34|#x22|apos|#39|#x27);', re.IGNORECASE)
_DOUBLE_QUOTE_ENTITIES = ('&quot;', '&#34;', '&#x22;')


class Mask(object):
    """Hides credentials in text and data built from a response.

    Known secrets (URL-encoded too), values after a credential's key or ``Bearer``, and with ``token_like`` any run
    of
    24 or more token characters mixing letters and digits.
    """

    def __init__(self, secrets=(), token_like=False):
        self.secrets = tuple(secrets)
        self.token_like = token_like
        self._values = None

    @property
    def values(self):
        # Worked out on first use: answers that are documents never need it.
        if self._values is None:
            values = set()
            for secret in self.secrets:
                if isinstance(secret, bytes):
                    secret = secret.decode('utf-8', 'replace')
                if isinstance(secret, six.text_type) and len(secret.strip()) >= MIN_SECRET_LENGTH:
                    encoded = secret.encode('utf-8')
                    values.update([secret, secret.strip(), _to_text(quote(encoded, safe=str(''))),
                                   _to_text(quote_plus(encoded, safe=str('')))])
            self._values = sorted(values, key=len, reverse=True)  # a secret inside a longer one goes with it
        return self._values

    @classmethod
    def of(cls, secrets, token_like=False):
        """``secrets`` if it is a :class:`Mask` already, else a new one over them."""
        if isinstance(secrets, cls):
            return secrets
        return cls(secrets, token_like)

    def text(self, text):
        """``text`` with every credential it shows replaced by :data:`MASK`."""
        for value in self.values:
            text = text.replace(value, MASK)
        # An HTML page shows JSON with its quotes escaped: unescaped, its pairs are found like any other; text
        # in which nothing is masked keeps its entities as sent.
        unescaped = _QUOTE_ENTITIES.sub(
            lambda match: '"' if match.group(0).lower() in _DOUBLE_QUOTE_ENTITIES else "'", text)
        masked = self._patterns(unescaped)
        return masked if masked != unescaped else self._patterns(text)

    def _patterns(self, text):
        text = _BEARER.sub(r'\g<key>' + MASK, text)
        text = _CREDENTIAL_PAIR.sub(r'\g<key>' + MASK, text)
        if self.token_like:
            text = _TOKEN_LIKE.sub(MASK, text)
        return text

    def data(self, value, key=None):
        """A copy of decoded JSON ``value`` with credentials masked; nesting past :data:`MAX_NESTING` is
        :data:`TOO_DEEP`.

        Walked with a stack, not recursion, so that deep nesting cannot end in ``RecursionError``.
        """
        root = [None]  # type: list
        # (value, key, the container that receives the copy, where in it, its depth)
        pending = [(value, key, root, 0, 0)]  # type: list
        while pending:
            item, name, target, slot, depth = pending.pop()
            if isinstance(item, (dict, list)) and depth >= MAX_NESTING:
                copy = TOO_DEEP  # type: object
            elif isinstance(item, dict):
                mapping = {}  # type: dict
                for item_name, child in item.items():
                    masked_name = self._scalar(item_name, None)
                    mapping[masked_name] = None
                    pending.append((child, item_name, mapping, masked_name, depth + 1))
                copy = mapping
            elif isinstance(item, list):
                items = [None] * len(item)  # type: list
                for index, child in enumerate(item):
                    pending.append((child, None, items, index, depth + 1))
                copy = items
            else:
                copy = self._scalar(item, name)
            target[slot] = copy
        return root[0]

    def _scalar(self, value, key):
        if isinstance(value, six.string_types):
            if value and isinstance(key, six.string_types) and _CREDENTIAL_NAME.match(key):
                return MASK
            return self.text(value)
        return value

def _to_text(value):
    return value.decode('ascii') if isinstance(value, bytes) else value
