"""Digit-run identifiers: payment cards, US SSNs and phone numbers.

Native code (`number_scan.c`) finds the numbers in the digit runs: digits joined by single
separators, never a dotted quad. A number grouped like a card is tried whole; any other is tried
as windows of whole groups that start and end at a space, longest first, so a number glued to
its neighbours by `.`, `-` or `/` is never cut out of a longer token. `_kind_of` says what each
window is.
"""

from __future__ import annotations

import functools
import re

import phonenumbers
from phonenumbers import re_util

from governance.sensitivity.findings import EntityType
from governance.sensitivity.number_scan import scan_numbers
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.validators import card_brand, luhn_valid, ssn_valid

__all__ = ["detect_numbers"]

_NANP_SHAPE = re.compile(r"(?:\+?1[ .\-]?)?(?:\(\d{3}\) ?|\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}")
_ID_CONTEXT = re.compile(
    r"(?:order|invoice|tracking|shipment|ref|reference|account|acct|customer|ticket|case|"
    r"transaction|txn|confirmation|po|sku|serial|id|no\.?|number|#)\s*[:#=]?\s*$"
)
_SSN_SHAPE = re.compile(r"\d{3}[ \-]\d{2}[ \-]\d{4}")
_SSN_CONTEXT = re.compile(r"ssn|social security|ss#|soc\.? ?sec")
_IMEI_CONTEXT = re.compile(r"imei|meid|iccid")
# Regions whose national formats count; ES, IT and IN mobiles have no trunk 0 in front.
_NATIONAL_REGIONS = ("GB", "DE", "FR", "AU", "IN", "NL", "IT", "ES", "JP", "CH", "IE")
_NO_TRUNK_REGIONS = ("ES", "IT", "IN")
# The library compiles its metadata patterns on every call unless told to keep them.
re_util.enable_pattern_cache()


def detect_numbers(
    text: str, digit_runs: list[tuple[int, int]], claimed: list[tuple[int, int]]
) -> list[tuple[int, int, EntityType, float]]:
    """Card, SSN and phone findings in the digit runs that no `claimed` span overlaps."""
    return scan_numbers(text, digit_runs, claimed, _kind_of)


def _before(text: str, position: int) -> str:
    """The lowered text just before a candidate, where context words would be."""
    return text[max(0, position - 28) : position].lower()


def _kind_of(
    window: str, digits: str, group_count: int, text: str, position: int
) -> tuple[EntityType, float] | None:
    check_budget()  # called once per window: the costliest step a hostile text can multiply
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
