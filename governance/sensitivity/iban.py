"""IBANs in electronic (`DE89370400440532013000`) or printed, grouped form."""

from __future__ import annotations

import re
from collections.abc import Iterator

from governance.sensitivity.findings import EntityType
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.validators import iban_expected_length, iban_valid

__all__ = ["detect_ibans"]

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?")


def detect_ibans(
    text: str, digit_runs: list[tuple[int, int]]
) -> Iterator[tuple[int, int, EntityType, float]]:
    """IBANs start with two capital letters right before a digit run."""
    for run_start, _ in digit_runs:
        check_budget()
        start = run_start - 2
        if start < 0 or not ("A" <= text[start] <= "Z" and "A" <= text[start + 1] <= "Z"):
            continue
        match = _IBAN.match(text, start)
        if match is None:
            continue
        found = _checked(text, match)
        if found is not None:
            yield found


def _checked(text: str, match: re.Match[str]) -> tuple[int, int, EntityType, float] | None:
    value = match.group()
    expected = iban_expected_length(value[:2])
    if expected is None:
        return None
    # The pattern may run into a following code; cut at the country's length.
    end = match.start()
    taken = 0
    for char in value:
        end += 1
        if char != " ":
            taken += 1
        if taken == expected:
            break
    if taken != expected or (end < len(text) and text[end].isalnum()):
        return None
    if not iban_valid(text[match.start() : end].replace(" ", "")):
        return None
    return match.start(), end, "IBAN", 0.95
