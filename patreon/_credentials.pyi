from ._patterns import LazyPattern

# A pattern compiled on first use: search() and sub() as re.Pattern[str]'s.
LONE_SURROGATE: LazyPattern

def clean_credential(value: str | bytes, name: str) -> str: ...
# `value`: an id as a string or a number (sent as its text).
def clean_resource_id(value: str | bytes | int, where: str) -> str: ...
