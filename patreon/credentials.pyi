import re

LONE_SURROGATE: re.Pattern[str]

def clean_credential(value: str | bytes, name: str) -> str: ...
# `value`: an id as a string or a number (sent as its text).
def clean_resource_id(value: str | bytes | int, where: str) -> str: ...
