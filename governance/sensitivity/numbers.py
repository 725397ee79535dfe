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
from governance.sensitivity.keywords import DEVICE_ID_WORDS
from governance.sensitivity.number_scan import scan_numbers
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.validators import card_brand, luhn_valid, ssn_valid

__all__ = ["detect_numbers"]

# North American numbers as written: 415-555-2671, (415) 555-2671, +1 415.555.2671, 4155552671.
_NANP_SHAPE = re.compile(
    r"(?:\+?1[ .\-]?)?(?:\(\d{3}\) ?|\d{3}[ .\-])\d{3}[ .\-]\d{4}|(?:\+?1)?\d{10}"
)
# Labels right before a number that name it an identifier, not a phone (`order #`, `NPI:`).
_ID_LABELS = frozenset(
    (
        "order", "invoice", "inv", "tracking", "shipment", "parcel", "ref", "reference", "account",
        "acct", "a/c", "customer", "ticket", "case", "transaction", "txn", "confirmation", "conf",
        "po", "sku", "serial", "s/n", "id", "no", "nr", "number", "num", "npi", "accession", "isbn",
        "issn", "zip", "postcode", "routing", "aba", "member", "policy", "claim", "batch", "lot",
        "imei", "ein", "tin", "vat", "employee", "badge", "booking", "pnr", "awb", "ups", "fedex",
        "usps", "dhl", "build", "version", "pid", "port",
    )
)  # fmt: skip
# Labels that say only "number": the word before them says whose.
_NUMBER_WORDS = frozenset(("no", "nr", "number", "num", "#"))
# A field named for an identifier (a table's column, a JSON key): its values are not phones.
_ID_FIELD = re.compile(
    r"(?<![a-z])(?:id|no|nr|code|npi|accession|order|invoice|claim|policy|account|acct|"
    r"tracking|awb|zip|postal|postcode|ref|reference|member|serial|sku|batch|lot|encounter|visit|"
    r"mrn|ssn|ein|tin|vat|meter|isbn|amount|total|qty|quantity|count|size|bytes|duration|"
    r"ms|timestamp|ts|epoch|version|build)(?![a-z])|(?<=[a-z_])(?:id|no|nr|code)(?![a-z])"
)
# Words that say a phone number follows, in the languages the scan reads.
_PHONE_CONTEXT = re.compile(
    r"(?<![a-z])(?:phone|tel(?![a-z])|tél|telephone|msisdn|gsm|mobile|mobil|cell|call|fax|sms|"
    r"whatsapp|signal|contact|"
    r"reach|dial|text me|ring me|hotline|helpline|landline|handy|telefon|téléphone|portable|"
    r"teléfono|telefono|telefone|celular|móvil|cellulare|rufnummer|callback|voicemail"
    r"|mobiel|telefoon|festnetz|fixe(?![a-z])|fijo|fisso|telem[óo]vel|appel|bel me|bellen|ruf mich"
    r"|(?:my|your|his|her|our|their) (?:new |work |home )?(?:number|#)|ping me|message me"
    r"|(?:mijn|mein|meine|mon|mi|mio|meu) (?:\w+ )?(?:nummer|num[ée]ro|n[úu]mero))"
)
# A date inside a number: `2024-09-27 09` (a timestamp cut at its colon), `27.09.2024`.
_DATE_INSIDE = re.compile(
    r"(?<!\d)(?:(?:1[89]|20)\d\d[\-./]\d{1,2}[\-./]\d{1,2}"
    r"|\d{1,2}[\-./]\d{1,2}[\-./](?:1[89]|20)\d\d)(?!\d)"
)
_GROUPS = re.compile(r"\d+")
_NO_DIGITS = re.compile("[^0-9]*")
# An area code and a slash, as German numbers are written: `089/1234567`, `+49 89/1234567`.
_AREA_SLASH = re.compile(r"(?:\+\d{1,3}[ \-]?|0)\d{1,4}/\d[\d \-]{3,10}\d")
# 123-45-6789, 123 45 6789, 123.45.6789: one separator throughout.
_SSN_SHAPE = re.compile(r"\d{3}([ \-.])\d{2}\1\d{4}")
_SSN_CONTEXT = re.compile(
    r"ssn|social[ _\-]?security|(?<![a-z])ss ?(?:#|no\b|nr\b|number)|soc[._ \-]{0,2}sec"
)
# A card written in dotted groups of four: 4111.1111.1111.1111.
_DOTTED_CARD = re.compile(r"\d{4}(?:\.\d{4}){2,3}(?:\.\d{1,3})?")
_DEVICE_ID_CONTEXT = re.compile("|".join(DEVICE_ID_WORDS))
# Regions whose national formats count; ES, IT, IN and PT numbers have no trunk 0 in front.
_NATIONAL_REGIONS = ("GB", "DE", "FR", "AU", "IN", "NL", "IT", "ES", "JP", "CH", "IE")
_NO_TRUNK_REGIONS = ("ES", "IT", "IN", "PT")
_BRAZIL_SHAPE = re.compile(r"\d\d \d{4,5}-\d{4}")
# Bare, only the nine-digit plans: any ten digits from 6 to 9 make an Indian mobile.
_BARE_NO_TRUNK_REGIONS = ("ES", "IT", "PT")
# The library compiles its metadata patterns on every call unless told to keep them.
re_util.enable_pattern_cache()


def detect_numbers(
    text: str,
    digit_runs: list[tuple[int, int]],
    claimed: list[tuple[int, int]],
    fields: Fields,
    device_ids: bool = True,
) -> list[tuple[int, int, EntityType, float]]:
    """Card, SSN and phone findings in the digit runs that no `claimed` span overlaps.
    `device_ids`: the text may name a device identifier (the cue pass found one of
    DEVICE_ID_WORDS); without one no card's context is read for it."""
    return scan_numbers(text, digit_runs, claimed, _kind_of, fields, device_ids)


def _before(text: str, position: int) -> str:
    """The lowered text just before a candidate on its line, where context words would be."""
    start = position - 28 if position > 28 else 0  # not max(): a builtin call costs more
    line_start = text.rfind("\n", start, position) + 1
    return text[line_start if line_start > start else start : position].lower()


def _kind_of(
    window: str,
    digits: str,
    group_count: int,
    text: str,
    position: int,
    fields: Fields,
    device_ids: bool = True,
) -> tuple[EntityType, float] | None:
    check_budget()  # called once per window: the costliest step a hostile text can multiply
    length = len(digits)
    plain = window[0] not in "+("
    # By length: 12 to 19 digits may be a card, 9 an SSN, 7 to 15 a phone.
    if length >= 12:
        # A card's groups are joined by spaces or dashes, never dots: `26\t8129.29\t19.04.2023`
        # is three cells of a table.
        if (
            length <= 19
            and plain
            and "/" not in window
            and ("." not in window or _DOTTED_CARD.fullmatch(window))
            and luhn_valid(digits)
            and card_brand(digits) is not None
            and not (device_ids and _DEVICE_ID_CONTEXT.search(_before(text, position)))
        ):
            return "CREDIT_CARD", 0.95
        if length > 15:
            return None
    elif length == 9:
        shaped_like_ssn = group_count > 1 and _SSN_SHAPE.fullmatch(window) is not None
        if (
            plain
            and "/" not in window
            and ssn_valid(digits)
            and ("." not in window or shaped_like_ssn)
            and (
                shaped_like_ssn
                or _SSN_CONTEXT.search(_before(text, position))
                or _SSN_CONTEXT.search(fields.name_at(position))
            )
        ):
            return "US_SSN", 0.9
        if shaped_like_ssn:
            return None  # shaped like an SSN but not a valid one: not a phone either
    elif length < 7:
        return None
    return ("PHONE", 0.85) if _is_phone(window, digits, group_count, position, fields) else None


def _is_phone(window: str, digits: str, group_count: int, position: int, fields: Fields) -> bool:
    """Written as people write phones, and a number the numbering plans allow."""
    separated = group_count > 1
    nanp = separated and _NANP_SHAPE.fullmatch(window) is not None
    plus = window[0] == "+"
    trunk = digits[0] == "0"
    international = plus or (trunk and digits[1] == "0")
    if not _looks_like_phone(window, digits, group_count, position, fields, nanp, international):
        return False
    if plus:
        return _valid(window, None, possible=separated)
    if international:
        return _valid("+" + digits[2:], None, possible=separated)
    if (nanp or (not separated and _NANP_SHAPE.fullmatch(window))) and _nanp_valid(digits[-10:]):
        return True
    if trunk:
        return any(_valid(window, region) for region in _NATIONAL_REGIONS)
    if separated and "." not in window:
        # Brazil's national style: `(11) 91234-5678`, `11 3456-7890`.
        brazil = window[0] == "(" or _BRAZIL_SHAPE.fullmatch(window) is not None
        regions = (*_NO_TRUNK_REGIONS, "BR") if brazil else _NO_TRUNK_REGIONS
        return any(_valid(window, region) for region in regions)
    if not separated:  # bare digits come here only where the text says phone
        return any(_valid(window, region) for region in _BARE_NO_TRUNK_REGIONS)
    return False


def _looks_like_phone(
    window: str,
    digits: str,
    group_count: int,
    position: int,
    fields: Fields,
    nanp: bool,
    international: bool,
) -> bool:
    """Not a date, a time, a sum, a piece of a longer number or a labelled identifier; a run
    of bare digits only where the text says a phone follows. A window in the North American
    shape (`(415) 555-2671`) is none of a date, a ZIP+4, an ISBN or a long group by its shape.
    `international`: written with a country code (`+44 …`, `0044 …`)."""
    if not nanp:
        if "/" in window and not _AREA_SLASH.fullmatch(window):
            return False
        if len(window) == 10 and window[5] == "-" and len(digits) == 9:
            return False  # a ZIP+4
        # A date's groups are joined by `-`, `.` or `/`: a window without them holds none.
        dated = "-" in window or "." in window or "/" in window
        if dated and group_count > 2 and _DATE_INSIDE.search(window):
            return False
        if len(digits) == 13 and digits.startswith(("978", "979")):
            return False  # an ISBN
    # Read around the window where tabs are kept: a tab ends a table's cell, never a group.
    cells = fields.text
    end = position + len(window)
    if end < len(cells) and cells[end] in _AFTER_CHARS and _after_says_not_phone(cells, end):
        return False
    before = _before(cells, position)
    if before and (
        _operator_before(before, international) or (not international and _glued_before(before))
    ):
        return False
    said: bool | None = None  # whether the text says a phone follows, read when needed
    if _id_label(before):
        # A phone word before another number names that one (`call 415-555-0134. Ref 6745…`).
        said = _PHONE_CONTEXT.search(before, _after_last_digit(before)) is not None
        if not said:
            return False
    if group_count == 1 and not international:
        return said if said is not None else _said_phone(before, fields, position)
    if not (nanp or international or digits.startswith("0")) and _long_group(window):
        # Without a country or trunk prefix, groups are short (`404 1216888` is a status and
        # a size); longer subscriber groups come after a `+49` or a `030`.
        return False
    if said is None and not international and window[0] != "(":
        # A column or key named for an identifier (`claim_no`, `npi`) holds no phones.
        name = fields.name_at(position)
        if name.count(" ") < 2 and _ID_FIELD.search(name):
            return _said_phone(before, fields, position)
    return True


def _after_last_digit(text: str) -> int:
    # Read backwards: one match at the end of the text, not a search per digit.
    tail = _NO_DIGITS.match(text[::-1])
    return len(text) - (tail.end() if tail else 0)


def _said_phone(before: str, fields: Fields, position: int) -> bool:
    if _PHONE_CONTEXT.search(before) is not None:
        return True
    return _PHONE_CONTEXT.search(fields.name_at(position)) is not None


_AFTER_CHARS = frozenset(":h=*\u00d7÷+/ .-")


def _after_says_not_phone(text: str, end: int) -> bool:
    """A time (`:18`), a sum (` = 12`) or more digit groups (` 53`) right after the window."""
    after = text[end : end + 4]
    if after[0] in ":h":
        return after[1:2].isdigit()
    if after[0] in " .-" and after[1:3].isdigit():
        return True
    rest = after.lstrip()
    return rest[:1] in ("=", "*", "\u00d7", "÷", "+", "/") and rest[1:].lstrip()[:1].isdigit()


def _id_label(before: str) -> bool:
    """The last word before the number names an identifier. A word that names only a number
    (`number`, `no.`, `#`) does when the word before it names an identifier (`invoice no.`,
    `order #`), not in `new number:` or `phone no.`. `before` is lowered already (`_before`)."""
    head = before.rstrip(" '\"")
    words = head.rstrip(" :=#").rsplit(None, 2)  # the last two words are all that is read
    if not head.endswith("#"):
        last = words[-1].rstrip(".") if words else ""
        if last not in _ID_LABELS:
            return False
        if last not in _NUMBER_WORDS:
            return True
        words.pop()
    return bool(words) and words[-1].rstrip(".:") in _ID_LABELS


def _operator_before(before: str, international: bool = False) -> bool:
    """`= `, `* ` or `- ` after a digit: the number is a term of a sum. Before a `+44 …`, a
    slash or a dash lists one phone after another (`+1 415 555 0134 / +1 415 555 0199`)."""
    head = before.rstrip()
    if not head:
        return False
    if head[-1] in "*\u00d7÷":
        return True
    if head[-1] not in ("=+x" if international else "=+-/x"):
        return False
    rest = head[:-1].rstrip()
    return rest != "" and (rest[-1].isdigit() or rest[-1] == ")")


def _glued_before(before: str) -> bool:
    """Two digits and one separator right before: the window is cut from a longer number."""
    return (
        len(before) >= 3 and before[-1] in " .-" and before[-2].isdigit() and before[-3].isdigit()
    )


def _long_group(window: str) -> bool:
    return max(len(g) for g in _GROUPS.findall(window)) > 5


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
def _valid(number: str, region: str | None, *, possible: bool = False) -> bool:
    """A number the plan assigns; with `possible`, one of a length the country's numbers have
    (a country code written before grouped digits says phone, whatever range they fall in)."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    if possible:
        reason = phonenumbers.is_possible_number_with_reason(parsed)
        return bool(reason == phonenumbers.ValidationResult.IS_POSSIBLE)
    return bool(phonenumbers.is_valid_number(parsed))
