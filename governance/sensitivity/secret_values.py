"""Whether a candidate value reads as a secret: not a placeholder, reference, path, pin or port;
random enough; for Basic credentials, base64 of `user:password`. The detectors in credentials.py
find candidates by where they sit; this module judges the value alone."""

from __future__ import annotations

import base64
import re
from math import log2

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
    # A long token draws on fewer characters than its length allows (hex: sixteen at most).
    return _random_entropy(value) >= (3.0 if len(value) >= 24 else 3.5)


def reads_opaque(value: str) -> bool:
    """Long, random, and not a digest or a UUID, which prose names as keys too (`cache key …`)."""
    # 3.5 is reads_random's floor or above it: random enough for both.
    return (
        len(value) >= 20
        and _random_entropy(value) >= 3.5
        and not _HEX_OR_UUID.fullmatch(value)
    )


def _random_entropy(value: str) -> float:
    """The value's entropy if it holds a digit and a letter and is a real value, else 0.0:
    each check's entropy computed once, not once per check."""
    if not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
        return 0.0
    real = _real_entropy(value)
    if real < 2.0:
        return 0.0
    # A value with spaces at its ends was weighed stripped; weigh it whole.
    return real if len(value.strip()) == len(value) else entropy(value)


def decodes_to_credentials(value: str) -> bool:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return ":" in decoded and decoded.isprintable()


def is_real_value(value: str) -> bool:
    return _real_entropy(value) >= 2.0


def _real_entropy(value: str) -> float:
    """The stripped value's entropy, or 0.0 if it is a placeholder, path, pin or number."""
    value = value.strip()
    if len(value) < 6 or _PLACEHOLDER.match(value) or _PIN.fullmatch(value):
        return 0.0
    if _PATH.fullmatch(value) and not _RANDOM_SEGMENT.search(value):
        return 0.0
    if value.isdigit() and len(value) < 12:
        return 0.0  # a port, a count or a duration, not a secret
    return entropy(value)


def entropy(value: str) -> float:
    # A dict and a loop, not Counter and sum over a generator: a third of the cost, and the same
    # terms added in the same order (first occurrence), so the very same float.
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    length = len(value)
    total = 0.0
    for n in counts.values():
        share = n / length
        total += share * log2(share)
    return -total
