from collections.abc import Mapping
from typing import Any

from .jsonapi.parser import JSONAPIResource

def user_agent_string() -> str: ...

# The Discord id (text) from the user's social_connections, or None when not linked or not fetched.
def discord_user_id(user: JSONAPIResource | Mapping[str, Any]) -> str | None: ...
