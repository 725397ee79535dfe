"""IBANs in electronic (`DE89370400440532013000`) or printed, grouped form, in any letter case
(`de89 3704 …` is the same account)."""

from __future__ import annotations

import re

from governance.sensitivity.findings import EntityType
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.validators import iban_expected_length, iban_valid

__all__ = ["detect_ibans"]

_IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?"
)


def detect_ibans(text: str, starts: list[int]) -> list[tuple[int, int, EntityType, float]]:
    """IBANs at `starts`, where two letters, then two digits, start a token (the cue pass finds
    them, keywords.py): anywhere in the text, so inside cells a digit run took in around an IBAN
    (`+34612012501,BE96329251051509`) too. A list: most texts have no start, and a generator
    costs more to make and run out than the loop that finds none."""
    found: list[tuple[int, int, EntityType, float]] = []
    for begin in starts:
        check_budget()
        match = _IBAN.match(text, begin)
        if match is None:
            continue
        checked = _checked(text, match)
        if checked is not None:
            found.append(checked)
    return found


def _checked(text: str, match: re.Match[str]) -> tuple[int, int, EntityType, float] | None:
    value = match.group()
    expected = iban_expected_length(value[:2].upper())
    if expected is None or len(value) - value.count(" ") < expected:
        return None
    # The pattern may run into a following code; cut at the country's length.
    taken = _span_holding(value, expected)
    end = match.start() + taken
    if end < len(text) and text[end].isalnum():
        return None
    compact = value[:taken].replace(" ", "")
    upper = compact.upper()
    if compact != upper and not _mostly_digits(compact[4:]):
        return None  # lower-case prose shaped like an IBAN ("it20 each time …")
    if not iban_valid(upper):
        return None
    return match.start(), end, "IBAN", 0.95


def _span_holding(value: str, count: int) -> int:
    """The length of the shortest start of `value` holding `count` characters that are not
    spaces (it has that many). Each guess adds the spaces the last one held, so it never passes
    the answer and stops there: one `str.count` for an electronic IBAN, three for a printed
    one, where a loop would step through every character."""
    span = count
    while (longer := count + value.count(" ", 0, span)) != span:
        span = longer
    return span


def _mostly_digits(bban: str) -> bool:
    """Real account numbers are: even the bank codes of GB or NL leave most of them digits."""
    return 2 * sum(c.isdigit() for c in bban) >= len(bban)
