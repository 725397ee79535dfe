"""Digit-run identifiers: payment cards, US SSNs and phone numbers.

One pattern finds runs of digits joined by single separators; each run is split into groups and
tried as a whole, then as shorter windows that start and end at a space, so a number glued to
its neighbours by `.`, `-` or `/` is never cut out of a longer token.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import re_util

from governance.sensitivity.findings import EntityType
from governance.sensitivity.validators import card_brand, luhn_valid, ssn_valid

__all__ = ["detect_numbers"]

_RUN = re.compile(
    r"(?<![\w.@/+\-])\+?(?:\(\d{1,5}\)[ .\-]?)?\d"
    r"(?:[ .\-/]?\d|[ .\-]?\(\d{1,5}\)[ .\-]?\d)*(?![\w@]|[.\-/]\d)"
)
_DIGITS = re.compile(r"\d+")
_NANP_SHAPE = re.compile(r"(?:\+?1[ .\-]?)?(?:\(\d{3}\) ?|\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}")
_ID_CONTEXT = re.compile(
    r"(?:order|invoice|tracking|shipment|ref|reference|account|acct|customer|ticket|case|"
    r"transaction|txn|confirmation|po|sku|serial|id|no\.?|number|#)\s*[:#=]?\s*$"
)
_SSN_SHAPE = re.compile(r"\d{3}[ \-]\d{2}[ \-]\d{4}")
_CARD_SHAPE = re.compile(r"\d{4}(?:[ \-]\d{4}){2,3}(?:[ \-]\d{1,3})?")
_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_SSN_CONTEXT = re.compile(r"ssn|social security|ss#|soc\.? ?sec")
_IMEI_CONTEXT = re.compile(r"imei|meid|iccid")
# Regions whose national formats count; ES, IT and IN mobiles have no trunk 0 in front.
_NATIONAL_REGIONS = ("GB", "DE", "FR", "AU", "IN", "NL", "IT", "ES", "JP", "CH", "IE")
_NO_TRUNK_REGIONS = ("ES", "IT", "IN")
_MAX_WINDOW_GROUPS = 8
# The library compiles its metadata patterns on every call unless told to keep them.
re_util.enable_pattern_cache()


# A run of digits inside a candidate: (start, end, digits), offsets relative to the candidate.
_Group = tuple[int, int, str]


def detect_numbers(
    text: str, digit_runs: list[tuple[int, int]], claimed: list[tuple[int, int]]
) -> Iterator[tuple[int, int, EntityType, float]]:
    """Card, SSN and phone findings in the digit runs that no `claimed` span overlaps."""
    for run_start, run_end in digit_runs:
        if run_end - run_start < 7:
            continue
        # Look a little past the run so the pattern's edges see their neighbours.
        for match in _RUN.finditer(text, max(0, run_start - 2), min(len(text), run_end + 3)):
            start, end = match.span()
            if end - start < 7 or _overlaps(start, end, claimed):
                continue
            value = match.group()
            if "." in value and _DOTTED_QUAD.fullmatch(value):
                continue  # addresses, netmasks and versions, never phone numbers
            groups = [(m.start(), m.end(), m.group()) for m in _DIGITS.finditer(value)]
            yield from _classify_run(text, start, groups)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    # A loop, not any(): the generator any() needs costs more than the usual zero or one span.
    for s, e in spans:  # noqa: SIM110
        if s < end and start < e:
            return True
    return False


def _classify_run(
    text: str, offset: int, groups: list[_Group]
) -> Iterator[tuple[int, int, EntityType, float]]:
    run = text[offset : offset + groups[-1][1]]
    if _CARD_SHAPE.fullmatch(run):
        # Grouped like a card number: a card or nothing, never phone numbers cut out of it.
        digits = "".join([g[2] for g in groups])
        kind = _kind_of(run, digits, len(groups), text, offset)
        if kind is not None:
            yield offset, offset + len(run), kind[0], kind[1]
        return
    first = 0
    while first < len(groups):
        found = None
        for last in range(min(len(groups), first + _MAX_WINDOW_GROUPS) - 1, first - 1, -1):
            if first > 0 and run[groups[first - 1][1] : groups[first][0]] != " ":
                break
            if last < len(groups) - 1 and run[groups[last][1] : groups[last + 1][0]] != " ":
                continue
            window_start = 0 if first == 0 else groups[first][0]
            window = run[window_start : groups[last][1]]
            digits = "".join([g[2] for g in groups[first : last + 1]])
            kind = _kind_of(window, digits, last + 1 - first, text, offset + window_start)
            if kind is not None:
                found = (last, kind)
                break
        if found is None:
            first += 1
            continue
        last, (entity, score) = found
        # A window that starts the run keeps its leading "+" or "(".
        start = offset + (0 if first == 0 else groups[first][0])
        yield start, offset + groups[last][1], entity, score
        first = last + 1


def _before(text: str, position: int) -> str:
    """The lowered text just before a candidate, where context words would be."""
    return text[max(0, position - 28) : position].lower()


def _kind_of(
    window: str, digits: str, group_count: int, text: str, position: int
) -> tuple[EntityType, float] | None:
    length = len(digits)
    separated = group_count > 1
    plain = not window.startswith(("+", "("))
    card = 12 <= length <= 19 and plain and luhn_valid(digits) and card_brand(digits) is not None
    if card and not _IMEI_CONTEXT.search(_before(text, position)):
        return "CREDIT_CARD", 0.95
    ssn = length == 9 and plain and ssn_valid(digits) and "." not in window and "/" not in window
    shaped_like_ssn = separated and _SSN_SHAPE.fullmatch(window) is not None
    if ssn and (shaped_like_ssn or _SSN_CONTEXT.search(_before(text, position))):
        return "US_SSN", 0.9
    if shaped_like_ssn:
        return None  # shaped like an SSN but not a valid one: not a phone either
    if 7 <= length <= 15 and _is_phone(window, digits, separated, text, position):
        return "PHONE", 0.85
    if ssn and separated:
        return "US_SSN", 0.8
    return None


def _is_phone(window: str, digits: str, separated: bool, text: str, position: int) -> bool:
    if "/" in window:
        return False
    if window.startswith("+"):
        return _valid(window, None)
    if digits.startswith("00"):
        return _valid("+" + digits[2:], None)
    if not separated and _ID_CONTEXT.search(_before(text, position)):
        return False
    if _NANP_SHAPE.fullmatch(window) and _nanp_valid(digits[-10:]):
        return True
    if digits.startswith("0"):
        return any(_valid(window, region) for region in _NATIONAL_REGIONS)
    if separated and "." not in window:
        return any(_valid(window, region) for region in _NO_TRUNK_REGIONS)
    return False


def _nanp_valid(digits: str) -> bool:
    """North American numbering plan: NXX area code (not N11, not 9X reserved for expansion),
    NXX exchange (not N11). Checked by rule: the library costs 0.1 ms per number."""
    area, exchange = digits[:3], digits[3:6]
    return (
        area[0] not in "01"
        and area[1] != "9"
        and area[1:] != "11"
        and exchange[0] not in "01"
        and exchange[1:] != "11"
    )


@functools.lru_cache(maxsize=4096)
def _valid(number: str, region: str | None) -> bool:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed))
