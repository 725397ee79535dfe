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

from governance.sensitivity.fields import Fields
from governance.sensitivity.findings import EntityType
from governance.sensitivity.number_scan import scan_numbers
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.validators import card_brand, luhn_valid, ssn_valid

__all__ = ["detect_numbers"]

_NANP_SHAPE = re.compile(r"(?:\+?1[ .\-]?)?(?:\(\d{3}\) ?|\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}")
# A label right before a number that names it an identifier, not a phone.
_ID_CONTEXT = re.compile(
    r"(?:order|invoice|inv|tracking|shipment|parcel|ref|reference|account|acct|a/c|customer|"
    r"ticket|case|transaction|txn|confirmation|conf|po|sku|serial|s/n|id|no\.?|nr\.?|number|#|"
    r"npi|accession|isbn|issn|zip|postcode|postal code|routing|aba|member|policy|claim|batch|lot|"
    r"imei|ein|tin|vat|employee|badge|booking|pnr|awb|ups|fedex|usps|dhl|build|version|pid|port)"
    r"\s*(?:no\.?|nr\.?|number|#|id)?\s*[:#=]?\s*['\"]?$"
)
# A field named for an identifier (a table's column, a JSON key): its values are not phones.
_ID_FIELD = re.compile(
    r"(?<![a-z])(?:id|no|nr|code|npi|accession|order|invoice|claim|policy|account|acct|"
    r"tracking|awb|zip|postal|postcode|ref|reference|member|serial|sku|batch|lot|encounter|visit|"
    r"mrn|ssn|ein|tin|vat|meter|isbn|amount|total|qty|quantity|count|size|bytes|duration|"
    r"ms|timestamp|ts|epoch|version|build)(?![a-z])|(?<=[a-z_])(?:id|no|nr|code)(?![a-z])"
)
# Words that say a phone number follows, in the languages the scan reads.
_PHONE_CONTEXT = re.compile(
    r"(?<![a-z])(?:phone|tel\b|tel\.|tél|mobile|mobil|cell|call|fax|sms|whatsapp|signal|contact|"
    r"reach|dial|text me|ring me|hotline|helpline|landline|handy|telefon|téléphone|portable|"
    r"teléfono|telefono|telefone|celular|móvil|cellulare|rufnummer|callback|voicemail)"
)
# A date or a time inside or around a number: `2024-09-27 09`, `27.09.2024`, `09:18`.
_DATE_INSIDE = re.compile(
    r"(?<!\d)(?:(?:1[89]|20)\d\d[\-./]\d{1,2}[\-./]\d{1,2}|\d{1,2}[\-./]\d{1,2}[\-./](?:1[89]|20)\d\d)"
    r"(?!\d)"
)
_TIME_AFTER = re.compile(r"[:h]\d")
# Arithmetic: `96613 * 29558 = 2855687054`.
_OPERATOR_BEFORE = re.compile(r"[\d)]\s*[=*\u00d7÷+\-/x]\s*$|[*\u00d7÷]\s*$")
_OPERATOR_AFTER = re.compile(r"\s*[=*\u00d7÷+/x]\s*\d")
# Digit groups glued to the window by one space: it is part of a longer number (a tracking or
# card number cut into windows), not a phone.
_GROUP_BEFORE = re.compile(r"\d{2,}[ .\-]$")
_GROUP_AFTER = re.compile(r"[ .\-]\d{2,}")
_GROUPS = re.compile(r"\d+")
_ZIP_PLUS_FOUR = re.compile(r"\d{5}-\d{4}")
_SSN_SHAPE = re.compile(r"\d{3}[ \-]\d{2}[ \-]\d{4}")
_SSN_CONTEXT = re.compile(r"ssn|social[ _\-]?security|ss#|soc\.? ?sec")
_IMEI_CONTEXT = re.compile(r"imei|meid|iccid")
# Regions whose national formats count; ES, IT and IN mobiles have no trunk 0 in front.
_NATIONAL_REGIONS = ("GB", "DE", "FR", "AU", "IN", "NL", "IT", "ES", "JP", "CH", "IE")
_NO_TRUNK_REGIONS = ("ES", "IT", "IN")
# The library compiles its metadata patterns on every call unless told to keep them.
re_util.enable_pattern_cache()


def detect_numbers(
    text: str, digit_runs: list[tuple[int, int]], claimed: list[tuple[int, int]], fields: Fields
) -> list[tuple[int, int, EntityType, float]]:
    """Card, SSN and phone findings in the digit runs that no `claimed` span overlaps."""

    def kind_of(
        window: str, digits: str, group_count: int, text: str, position: int
    ) -> tuple[EntityType, float] | None:
        return _kind_of(window, digits, group_count, text, position, fields)

    return scan_numbers(text, digit_runs, claimed, kind_of)


def _before(text: str, position: int) -> str:
    """The lowered text just before a candidate on its line, where context words would be."""
    start = max(0, position - 28)
    line_start = text.rfind("\n", start, position)
    return text[max(start, line_start + 1) : position].lower()


def _kind_of(
    window: str, digits: str, group_count: int, text: str, position: int, fields: Fields
) -> tuple[EntityType, float] | None:
    check_budget()  # called once per window: the costliest step a hostile text can multiply
    length = len(digits)
    separated = group_count > 1
    plain = not window.startswith(("+", "("))
    # A card's groups are joined by spaces or dashes, never dots: `26\t8129.29\t19.04.2023` is
    # three cells of a table.
    plain_card = plain and "." not in window and "/" not in window
    card = 12 <= length <= 19 and plain_card and luhn_valid(digits)
    card = card and card_brand(digits) is not None
    if card and not _IMEI_CONTEXT.search(_before(text, position)):
        return "CREDIT_CARD", 0.95
    ssn = length == 9 and plain and ssn_valid(digits) and "." not in window and "/" not in window
    shaped_like_ssn = separated and _SSN_SHAPE.fullmatch(window) is not None
    if ssn and (
        shaped_like_ssn
        or _SSN_CONTEXT.search(_before(text, position))
        or _SSN_CONTEXT.search(fields.name_at(position))
    ):
        return "US_SSN", 0.9
    if shaped_like_ssn:
        return None  # shaped like an SSN but not a valid one: not a phone either
    if 7 <= length <= 15 and _is_phone(window, digits, group_count, text, position, fields):
        return "PHONE", 0.85
    return None


def _is_phone(
    window: str, digits: str, group_count: int, text: str, position: int, fields: Fields
) -> bool:
    """Written as people write phones, and a number the numbering plans allow."""
    if not _looks_like_phone(window, digits, group_count, text, position, fields):
        return False
    separated = group_count > 1
    if window.startswith("+"):
        return _valid(window, None)
    if digits.startswith("00"):
        return _valid("+" + digits[2:], None)
    if _NANP_SHAPE.fullmatch(window) and _nanp_valid(digits[-10:]):
        return True
    if digits.startswith("0"):
        return any(_valid(window, region) for region in _NATIONAL_REGIONS)
    if separated and "." not in window:
        return any(_valid(window, region) for region in _NO_TRUNK_REGIONS)
    return False


def _looks_like_phone(
    window: str, digits: str, group_count: int, text: str, position: int, fields: Fields
) -> bool:
    """Not a date, a time, a sum, a piece of a longer number or a labelled identifier; a run
    of bare digits only where the text says a phone follows."""
    if "/" in window or _DATE_INSIDE.search(window) or _ZIP_PLUS_FOUR.fullmatch(window):
        return False
    if digits.startswith(("978", "979")) and len(digits) == 13:
        return False  # an ISBN
    end = position + len(window)
    # Read around the window where tabs are kept: a tab ends a table's cell, never a group.
    after = fields.text[end : end + 4]
    if _TIME_AFTER.match(after) or _OPERATOR_AFTER.match(after) or _GROUP_AFTER.match(after):
        return False
    before = _before(fields.text, position)
    international = window.startswith("+") or digits.startswith("00")
    if _OPERATOR_BEFORE.search(before) or (not international and _GROUP_BEFORE.search(before)):
        return False
    said = _PHONE_CONTEXT.search(before) is not None
    if not said and _ID_CONTEXT.search(before):
        return False
    if not said:
        name = fields.name_at(position)
        said = _PHONE_CONTEXT.search(name) is not None
        # A key or a column names a field in a word or two; a longer label is a phrase.
        if not said and name.count(" ") < 2 and _ID_FIELD.search(name):
            return False
    if group_count == 1 and not international:
        return said
    if not international and not digits.startswith("0"):
        # Without a country or trunk prefix, groups are short (`404 1216888` is a status and
        # a size); longer subscriber groups come after a `+49` or a `030`.
        return max(len(g) for g in _GROUPS.findall(window)) <= 5
    return True


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
