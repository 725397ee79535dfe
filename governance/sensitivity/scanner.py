"""One scan of a text: normalise, run every detector, keep the best non-overlapping findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from governance.sensitivity.credentials import detect_secrets
from governance.sensitivity.email_address import detect_emails
from governance.sensitivity.fields import Fields
from governance.sensitivity.findings import EntityType, Finding
from governance.sensitivity.health import detect_health_ids, mentions_health_condition
from governance.sensitivity.iban import detect_ibans
from governance.sensitivity.keywords import (
    BIRTH_WORDS_BEYOND_ASCII,
    CONDITION_WORDS,
    DEVICE_ID_WORDS,
    HEALTH_ID_WORDS,
    find_cues,
)
from governance.sensitivity.network import detect_ip_addresses
from governance.sensitivity.normalize import normalize
from governance.sensitivity.numbers import detect_numbers

__all__ = ["TextScan", "scan_text"]

Raw = tuple[int, int, EntityType, float]

_HEALTH_ID_CUES = frozenset(HEALTH_ID_WORDS)
_CONDITION_CUES = frozenset(CONDITION_WORDS)
_DEVICE_ID_CUES = frozenset(DEVICE_ID_WORDS)
# When two findings overlap, the more specific detector wins.
_PRIORITY: dict[EntityType, int] = {
    "SECRET": 0,
    "EMAIL": 1,
    "IBAN": 2,
    "DATE_OF_BIRTH": 3,
    "MEDICAL_RECORD_NUMBER": 4,
    "IP_ADDRESS": 5,
    "CREDIT_CARD": 6,
    "US_SSN": 7,
    "PHONE": 8,
}


class TextScan(NamedTuple):
    """A tuple for the reason Finding is one."""

    findings: tuple[Finding, ...]
    # A diagnosis or treatment is mentioned: with any identifier this makes the text PHI.
    health_context: bool


def scan_text(text: str) -> TextScan:
    normalized = normalize(text)
    body = normalized.text
    cues = find_cues(body) if normalized.cues is None else normalized.cues
    fields = Fields(body if normalized.with_tabs is None else normalized.with_tabs)
    found: list[Raw] = list(detect_secrets(body, cues, fields))
    if "@" in cues.at:
        found.extend(detect_emails(body, cues.at["@"], cues.at.get("://", [])))
    runs = cues.digit_runs
    if runs:
        found.extend(detect_ibans(body, cues.coded_starts))
        beyond_ascii = not body.isascii() and any(w in body for w in BIRTH_WORDS_BEYOND_ASCII)
        if beyond_ascii or cues.any_of(_HEALTH_ID_CUES):
            found.extend(
                detect_health_ids(body, runs, fields, cues, births_beyond_ascii=beyond_ascii)
            )
        found.extend(detect_ip_addresses(body, runs, fields))
        claimed = [(s, e) for s, e, _, _ in found]
        device_ids = cues.any_of(_DEVICE_ID_CUES)
        found.extend(detect_numbers(body, runs, claimed, fields, device_ids))
    elif ":" in cues.at or ":" in body:
        found.extend(detect_ip_addresses(body, runs, fields))
    kept = _resolve_overlaps(found) if found else found
    if normalized.origin is None:
        findings = [Finding._make(raw) for raw in kept]  # offsets are the text's own
    else:
        findings = [Finding(*normalized.span(s, e), entity, score) for s, e, entity, score in kept]
        findings.sort()  # folded characters may map two normalized starts onto one
    health = cues.any_of(_CONDITION_CUES) and mentions_health_condition(body, cues)
    return TextScan(tuple(findings), health)


def _resolve_overlaps(found: Iterable[Raw]) -> list[Raw]:
    """The findings to keep, in text order."""
    in_order = sorted(found)
    previous_end = 0
    for start, end, _, _ in in_order:
        if start < previous_end:
            break
        previous_end = end
    else:
        return in_order  # the usual case: nothing overlaps
    ordered = sorted(in_order, key=lambda f: (_PRIORITY[f[2]], -(f[1] - f[0]), f[0]))
    kept: list[Raw] = []
    for candidate in ordered:
        start, end = candidate[0], candidate[1]
        if all(end <= s or e <= start for s, e, _, _ in kept):
            kept.append(candidate)
    kept.sort()
    return kept
