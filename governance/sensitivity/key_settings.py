"""A setting whose name ends in `key` (`"api": {"key": …}`, `AccountKey=…`, `signing_key: …`):
where its name and value sit, and whether it holds a secret — a random value, the name not one
of the keys that are no secret (`cache_key`, `partition_key`), and named or held for credentials
or not a hex digest."""

from __future__ import annotations

import re

from governance.sensitivity.secret_values import reads_random

__all__ = ["key_holds_a_secret", "key_setting"]

_KEY_NAME = re.compile(
    r"(?<![\w\-.])[\"']?(?P<name>[\w\-.]{0,40}?[Kk][Ee][Yy])[\"']?\s*(?:=|:)\s*[\"']?"
    r"([A-Za-z0-9+/=_\-.~]{16,})"
)
_NOT_SECRET_KEYS = re.compile(
    r"(?:public|primary|foreign|sort|partition|cache|idempotency|object|routing|hash|range|s3"
    r"|unique|composite|row|lookup|dedup|dedupe|group|message|event|map|dict|hot|api_?public)"
    r"[_\-.]?key$"
)
# What holds the credentials a setting named only `key` is one of (`"api": {"key": …}`).
_CREDENTIAL_PARENT = re.compile(
    r"api|auth|cred|secret|token|access|client|oauth|signing|private|license|stripe|openai|aws"
    r"|account|encrypt|master|subscription|shared"
)
_PARENT_REACH = 400
# A name's characters are letters, digits, `_`, `-` and `.`; it is read this far back.
_NOT_IN_A_NAME = re.compile(r"[^\w\-.]")
_NAME_REACH = 40
_MEMBER_NAME = re.compile(r"[\"']?([\w\-.]+)[\"']?\s*[:=]\s*$")
_HEX = re.compile(r"[0-9a-fA-F]+")


def key_setting(text: str, position: int) -> re.Match[str] | None:
    """The setting whose name ends with the `key` at `position`."""
    if position + 3 < len(text) and (text[position + 3].isalnum() or text[position + 3] == "_"):
        return None
    start = _name_start(text, position)
    # `key` alone, or the last word of a name: `api_key`, `signing.key`, `AccountKey`.
    if start < position and not (text[position - 1] in "_-." or text[position].isupper()):
        return None
    if start > 0 and text[start - 1] in "\"'":
        start -= 1
    return _KEY_NAME.match(text, start)


def _name_start(text: str, position: int) -> int:
    """Where the name that ends at `position` starts, `_NAME_REACH` characters back at most:
    one search of those characters read backwards, not a call a character."""
    backwards = text[max(0, position - _NAME_REACH) : position][::-1]
    stop = _NOT_IN_A_NAME.search(backwards)
    return position - (len(backwards) if stop is None else stop.start())


def key_holds_a_secret(text: str, position: int, match: re.Match[str]) -> bool:
    """Random-looking (long, letters and digits mixed, many different characters), named for a
    secret key, and either named or held for credentials or not a hex digest (a cache key)."""
    name, value = match.group("name").lower(), match.group(2)
    if _NOT_SECRET_KEYS.search(name) or not reads_random(value):
        return False
    named = _CREDENTIAL_PARENT.search(name) is not None
    parent = _CREDENTIAL_PARENT.search(_parent_name(text, position)) is not None
    return named or parent or not _HEX.fullmatch(value)


def _parent_name(text: str, position: int) -> str:
    """The lowered name of the object that holds the member at `position`, if any."""
    depth = 0
    for index in range(position - 1, max(-1, position - _PARENT_REACH), -1):
        char = text[index]
        if char == "}":
            depth += 1
        elif char == "{":
            if depth == 0:
                match = _MEMBER_NAME.search(text, max(0, index - 48), index)
                return match.group(1).lower() if match else ""
            depth -= 1
    return ""
