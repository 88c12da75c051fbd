from collections.abc import Mapping
from typing import Any

from .jsonapi.parser import JSONAPIResource

import requests

__all__ = ['user_agent_string', 'app_user_agent', 'discord_user_id']

def user_agent_string() -> str: ...
# The app's name (or its session's User-Agent) first, then the package's.
def app_user_agent(app_name: str | None, session: requests.Session | None = None) -> str: ...

# The Discord id (text) from the user's social_connections, or None when not linked or not fetched.
def discord_user_id(user: JSONAPIResource | Mapping[str, Any]) -> str | None: ...
