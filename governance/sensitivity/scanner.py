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
# A NamedTuple's own constructor is a Python function; tuple's builds one at half the cost.
_tuple_new = tuple.__new__


class TextScan(NamedTuple):
    """A tuple for the reason Finding is one."""

    findings: tuple[Finding, ...]
    # A diagnosis or treatment is mentioned: with any identifier this makes the text PHI.
    health_context: bool


def scan_text(text: str) -> TextScan:
    normalized = normalize(text)
    body, origin, with_tabs, cues = normalized
    if cues is None:
        cues = find_cues(body)
    at, runs, coded_starts = cues
    fields = Fields(body if with_tabs is None else with_tabs)
    found: list[Raw] = detect_secrets(body, cues, fields)
    if "@" in at:
        found.extend(detect_emails(body, at["@"], at.get("://", [])))
    # Each detector below is called only where its cue is: a call that finds nothing still
    # costs a few thousand instructions, as much as a short text's whole scan of some kinds.
    if runs:
        if coded_starts:
            found.extend(detect_ibans(body, coded_starts))
        beyond_ascii = not body.isascii() and any(w in body for w in BIRTH_WORDS_BEYOND_ASCII)
        if beyond_ascii or not _HEALTH_ID_CUES.isdisjoint(at):
            found.extend(
                detect_health_ids(body, runs, fields, cues, births_beyond_ascii=beyond_ascii)
            )
        found.extend(detect_ip_addresses(body, runs, fields))
        claimed = [(s, e) for s, e, _, _ in found] if found else []
        device_ids = not _DEVICE_ID_CUES.isdisjoint(at)
        found.extend(detect_numbers(body, runs, claimed, fields, device_ids))
    elif ":" in at or ":" in body:
        found.extend(detect_ip_addresses(body, runs, fields))
    findings: list[Finding]
    if not found:
        findings = []
    elif origin is None:  # offsets are the text's own
        findings = [_tuple_new(Finding, raw) for raw in _resolve_overlaps(found)]
    else:
        findings = [
            Finding(*normalized.span(s, e), entity, score)
            for s, e, entity, score in _resolve_overlaps(found)
        ]
        findings.sort()  # folded characters may map two normalized starts onto one
    health = not _CONDITION_CUES.isdisjoint(at) and mentions_health_condition(body, cues)
    return _tuple_new(TextScan, (tuple(findings), health))


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
