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
    "entropy_at_least",
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
    return _random_at_least(value, 3.0 if len(value) >= 24 else 3.5)


def reads_opaque(value: str) -> bool:
    """Long, random, and not a digest or a UUID, which prose names as keys too (`cache key …`)."""
    return len(value) >= 20 and _random_at_least(value, 3.5) and not _HEX_OR_UUID.fullmatch(value)


def _random_at_least(value: str, floor: float) -> bool:
    """Holds a digit and a letter, is a real value, and its entropy is `floor` (2.0 or more)
    or more: a value with spaces at its ends is real by its stripped entropy, random by its
    whole one."""
    if not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
        return False
    stripped = value.strip()
    if _never_a_secret(stripped):
        return False
    if len(stripped) == len(value):
        return entropy_at_least(value, floor)  # at the floor, at 2.0 too
    return entropy_at_least(stripped, 2.0) and entropy_at_least(value, floor)


def decodes_to_credentials(value: str) -> bool:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return ":" in decoded and decoded.isprintable()


def is_real_value(value: str) -> bool:
    value = value.strip()
    return not _never_a_secret(value) and entropy_at_least(value, 2.0)


def _never_a_secret(value: str) -> bool:
    """A stripped value that is a placeholder, path, pin or number, or too short for a secret."""
    if len(value) < 6 or _PLACEHOLDER.match(value) or _PIN.fullmatch(value):
        return True
    if _PATH.fullmatch(value) and not _RANDOM_SEGMENT.search(value):
        return True
    return value.isdigit() and len(value) < 12  # a port, a count or a duration, not a secret


# How far the bounds below must clear a floor: more than the float sum's rounding can move it.
_BOUND_MARGIN = 1e-6


def entropy_at_least(value: str, floor: float) -> bool:
    """`entropy(value) >= floor` for a floor above 0, summed only where the value's length and
    number of distinct characters leave it open: the entropy is at most log2(distinct), and at
    least that of the most uneven spread of that many characters (`_least_entropy`)."""
    distinct = len(set(value))
    if distinct < 2.0 ** (floor - _BOUND_MARGIN):
        return False
    if _least_entropy(len(value), distinct) >= floor + _BOUND_MARGIN:
        return True
    return entropy(value) >= floor


def _least_entropy(length: int, distinct: int) -> float:
    """The entropy of one character repeated `length - distinct + 1` times beside
    `distinct - 1` others once each: any other spread of as many characters is more even."""
    share = (length - distinct + 1) / length
    return (distinct - 1) / length * log2(length) - share * log2(share)


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
