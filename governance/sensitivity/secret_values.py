"""Whether a candidate value reads as a secret: not a placeholder, reference, path, pin or port;
random enough; for Basic credentials, base64 of `user:password`. The detectors in credentials.py
find candidates by where they sit; this module judges the value alone."""

from __future__ import annotations

import base64
import math
import re
from collections import Counter

__all__ = [
    "decodes_to_credentials",
    "entropy",
    "is_real_value",
    "reads_as_password",
    "reads_opaque",
    "reads_random",
]

_HEX_OR_UUID = re.compile(r"[0-9a-fA-F\-]+")
_PLACEHOLDER = re.compile(
    r"(?i)^(?:\$|\{\{|%\(|<|\[|[\w.]+\(|os\.environ|process\.env|getenv|secrets\.|vault:)|"
    r"^(?:.*\*{3,}.*|.*\.{3,}.*|.*•.*|x{3,}|(?:your|my)[_\-].*|.*[_\-]here|(?:change|replace)[_\-]?me.*|"
    r"password|passwd|secret|token|example|redacted|placeholder|dummy|todo|tbd|none|null|true|false)$"
)
# A file path (`PWD=/home/deploy`) or a package pin (`django==4.2.7`) is not a secret.
_PATH = re.compile(r"(?:~|\.{1,2})?(?:/[\w.\-]+)+/?|[A-Za-z]:\\[\w.\\\- ]*")
_RANDOM_SEGMENT = re.compile(r"(?=[^/]*[a-z])(?=[^/]*[A-Z])(?=[^/]*\d)[^/]{6,}")
_PIN = re.compile(r"[A-Za-z][\w.\-]*(?:==|~=|>=|<=|@)\d[\w.]*")


def reads_as_password(value: str) -> bool:
    """Not a plain word: a digit, a symbol or a capital past the first letter."""
    return any(c.isdigit() or not c.isalnum() for c in value) or value[1:] != value[1:].lower()


def reads_random(value: str) -> bool:
    has_digit = any(c.isdigit() for c in value)
    has_letter = any(c.isalpha() for c in value)
    # A long token draws on fewer characters than its length allows (hex: sixteen at most).
    floor = 3.0 if len(value) >= 24 else 3.5
    return has_digit and has_letter and is_real_value(value) and entropy(value) >= floor


def reads_opaque(value: str) -> bool:
    """Long, random, and not a digest or a UUID, which prose names as keys too (`cache key …`)."""
    return (
        len(value) >= 20
        and reads_random(value)
        and not _HEX_OR_UUID.fullmatch(value)
        and entropy(value) >= 3.5
    )


def decodes_to_credentials(value: str) -> bool:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return ":" in decoded and decoded.isprintable()


def is_real_value(value: str) -> bool:
    value = value.strip()
    if len(value) < 6 or _PLACEHOLDER.match(value) or _PIN.fullmatch(value):
        return False
    if _PATH.fullmatch(value) and not _RANDOM_SEGMENT.search(value):
        return False
    if value.isdigit() and len(value) < 12:
        return False  # a port, a count or a duration, not a secret
    return entropy(value) >= 2.0


def entropy(value: str) -> float:
    counts = Counter(value)
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in counts.values())
