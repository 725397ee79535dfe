"""Checksums and numbering rules that turn a digit pattern into a real identifier."""

from __future__ import annotations

from governance.sensitivity.number_scan import luhn_valid  # native: a card's costliest step

__all__ = ["card_brand", "iban_expected_length", "iban_valid", "luhn_valid", "ssn_valid"]

# (prefix range low, high, allowed lengths) per brand; prefixes compared on their own length.
_CARD_RANGES: tuple[tuple[str, str, str, frozenset[int]], ...] = (
    ("visa", "4", "4", frozenset({13, 16, 19})),
    ("mastercard", "51", "55", frozenset({16})),
    ("mastercard", "2221", "2720", frozenset({16})),
    ("amex", "34", "34", frozenset({15})),
    ("amex", "37", "37", frozenset({15})),
    ("discover", "6011", "6011", frozenset({16, 17, 18, 19})),
    ("discover", "644", "649", frozenset({16, 17, 18, 19})),
    ("discover", "65", "65", frozenset({16, 17, 18, 19})),
    ("diners", "300", "305", frozenset({14, 15, 16, 17, 18, 19})),
    ("diners", "36", "36", frozenset({14, 15, 16, 17, 18, 19})),
    ("diners", "38", "39", frozenset({14, 15, 16, 17, 18, 19})),
    ("jcb", "3528", "3589", frozenset({16, 17, 18, 19})),
    ("unionpay", "62", "62", frozenset({16, 17, 18, 19})),
    ("maestro", "6759", "6759", frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    ("maestro", "5018", "5018", frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    ("maestro", "5020", "5020", frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    ("maestro", "5038", "5038", frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    ("maestro", "5893", "5893", frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    ("maestro", "6304", "6304", frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    ("maestro", "6761", "6763", frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    ("mir", "2200", "2204", frozenset({16, 17, 18, 19})),
)

# ISO 13616 lengths of the countries that issue IBANs.
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def card_brand(digits: str) -> str | None:
    """The brand whose prefix and length fit `digits`, if any (Luhn is checked separately)."""
    brand = _BRAND_BY_PREFIX.get(digits[:_PREFIX_DIGITS])
    return brand[0] if brand is not None and len(digits) in brand[1] else None


def _brands_by_prefix() -> dict[str, tuple[str, frozenset[int]]]:
    """Each brand's range as the four-digit prefixes it covers: one look-up instead of a walk
    through the ranges, 21 of them for a number of no brand. The ranges are disjoint."""
    by_prefix: dict[str, tuple[str, frozenset[int]]] = {}
    for brand, low, high, lengths in _CARD_RANGES:
        first = int(low.ljust(_PREFIX_DIGITS, "0"))
        last = int(high.ljust(_PREFIX_DIGITS, "9"))
        for prefix in range(first, last + 1):
            by_prefix.setdefault(f"{prefix:0{_PREFIX_DIGITS}d}", (brand, lengths))
    return by_prefix


# No brand takes fewer digits than this: a shorter number has none.
_PREFIX_DIGITS = 4
_BRAND_BY_PREFIX = _brands_by_prefix()


def ssn_valid(digits: str) -> bool:
    """SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


# ISO 7064 reads each letter of an IBAN as its two-digit value: A is 10, Z is 35. A table
# indexed by code point, so that a digit is found as itself: a dict would raise KeyError for it.
_LETTER_VALUES = [str(code - 55) if "A" <= chr(code) <= "Z" else chr(code) for code in range(128)]
# The two letters of each country, read so, once.
_COUNTRY_VALUES = {country: country.translate(_LETTER_VALUES) for country in _IBAN_LENGTHS}


def iban_expected_length(country: str) -> int | None:
    return _IBAN_LENGTHS.get(country)


def iban_valid(compact: str) -> bool:
    """Country length and the ISO 7064 mod-97 check on an IBAN without spaces."""
    country = compact[:2]
    if _IBAN_LENGTHS.get(country) != len(compact) or not compact.isalnum():
        return False
    # Each letter as its value; any other character (a digit) as itself. Most IBANs have no
    # letter but the country's, whose value is kept.
    if compact[2:].isdigit():
        return int(compact[4:] + _COUNTRY_VALUES[country] + compact[2:4]) % 97 == 1
    rearranged = compact[4:] + compact[:4]
    return int(rearranged.translate(_LETTER_VALUES)) % 97 == 1
