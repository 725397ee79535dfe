"""Health identifiers found by their context: dates of birth, medical record numbers, and the
PHI signal (a diagnosis or ICD-10 code in the same text as something that identifies a person)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from governance.sensitivity.findings import EntityType
from governance.sensitivity.scan_budget import check_budget

__all__ = ["detect_health_ids", "mentions_health_condition"]

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    rf"|{_MONTHS}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTHS}\.?,? \d{{4}})"
)
_DOB = re.compile(
    r"(?i)\b(?:d\.?o\.?b\.?|date of birth|birth ?date|birthday|born(?: on)?)"
    rf"(?![a-z])\s*(?:[:=\-]\s*|is\s+|was\s+|on\s+)?(?P<date>{_DATE})(?![\d/.\-]\d)"
)
_MRN = re.compile(
    r"(?i)\b(?:mrn|medical record(?: number| no\.?| #)?|med\.? ?rec(?:ord)?\.? ?(?:no\.?|#|number)"
    r"|patient (?:id|number|no\.?|#))(?![a-z])\s*(?:[:=#]\s*|is\s+)?(?:#\s*)?"
    r"(?P<id>(?=[A-Z\-]{0,6}\d)[A-Z]{0,4}-?\d[\d\-]{3,14}\d)(?![\w\-])"
)
_ICD10_DOTTED = re.compile(r"\b[A-TV-Z]\d[0-9AB]\.[0-9A-Z]{1,4}\b")
_CONDITION = re.compile(
    r"(?i)\b(?:diagnos(?:is|ed|es)|icd-?10|dx|prognosis|condition|treated for|suffers from"
    r"|prescribed|medication|hiv|diabetes|cancer|depression|pregnan\w*|chemotherapy)\b"
)


def detect_health_ids(text: str) -> Iterator[tuple[int, int, EntityType, float]]:
    """Call only when the text holds a birth or medical-record cue (see keywords.py)."""
    for match in _DOB.finditer(text):
        check_budget()
        if _plausible_date(match.group("date")):
            yield match.start("date"), match.end("date"), "DATE_OF_BIRTH", 0.9
    for match in _MRN.finditer(text):
        check_budget()
        yield match.start("id"), match.end("id"), "MEDICAL_RECORD_NUMBER", 0.85


def mentions_health_condition(text: str) -> bool:
    """A diagnosis or treatment word, or an ICD-10 code written with its decimal part."""
    return _CONDITION.search(text) is not None or _ICD10_DOTTED.search(text) is not None


def _plausible_date(value: str) -> bool:
    numbers = [int(n) for n in re.findall(r"\d+", value)]
    if re.match(r"\d{4}-", value):
        year, month, day = numbers[0], numbers[1], numbers[2]
    elif value[0].isdigit() and len(numbers) == 3:
        first, second, year = numbers
        # US month/day first, else day/month; either reading being a real date is enough.
        return _is_date(year, first, second) or _is_date(year, second, first)
    else:
        return True  # month names were checked by the pattern
    return _is_date(year, month, day)


def _is_date(year: int, month: int, day: int) -> bool:
    if year < 100:
        year += 1900
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
