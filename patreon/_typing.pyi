# Type aliases shared by the stubs. Stub-only: nothing of this exists at runtime, so import it only under
# `if TYPE_CHECKING:` (or in quotes) in your own code.
from collections.abc import Iterable, Mapping
from typing import Any
from typing_extensions import TypeAlias

# Seconds to connect and for each read, or (connect, read); finite, above 0 (checked when the client is made).
# Seconds, or (connect, read): what a client's `timeout` takes besides a patreon.Timeout.
TimeoutSeconds: TypeAlias = float | tuple[float, float]
# A JSON object as decoded by the json module.
JSONObject: TypeAlias = dict[str, Any]
# Relationship names: a list, or one comma-separated string.
Includes: TypeAlias = Iterable[str]
# JSON:API type -> attribute names (a list, or one comma-separated string).
Fields: TypeAlias = Mapping[str, Iterable[str]]
