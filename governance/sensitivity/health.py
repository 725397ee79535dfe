"""Health identifiers found by their context: dates of birth, medical record numbers, and the
PHI signal (a diagnosis or ICD-10 code in the same text as something that identifies a person)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from governance.sensitivity.fields import Fields
from governance.sensitivity.findings import EntityType
from governance.sensitivity.scan_budget import check_budget

__all__ = ["detect_health_ids", "mentions_health_condition"]

# Month names and abbreviations in the languages the scan reads (en, de, fr, es, it, nl, pt).
_MONTH_NAMES = (
    "septiembre", "diciembre", "fevereiro", "noviembre", "september", "septembre", "setiembre",
    "settembre", "augustus", "december", "decembre", "dezember", "dezembro", "dicembre",
    "décembre", "febbraio", "februari", "february", "november", "novembre", "novembro", "setembro",
    "febrero", "februar", "fevrier", "février", "gennaio", "janeiro", "januari", "january",
    "janvier", "juillet", "october", "octobre", "octubre", "oktober", "ottobre", "outubro",
    "agosto", "aprile", "august", "giugno", "januar", "jänner", "luglio", "maggio", "abril",
    "april", "avril", "enero", "julho", "julio", "junho", "junio", "maart", "maerz", "march",
    "marco", "marzo", "março", "aout", "août", "fevr", "févr", "janv", "juil", "juin", "juli",
    "july", "june", "juni", "maio", "mars", "mayo", "märz", "sept", "abr", "ago", "apr", "aug",
    "avr", "dec", "dez", "dic", "déc", "ene", "feb", "fev", "gen", "giu", "jan", "jul", "jun",
    "lug", "mag", "mai", "mar", "may", "mei", "mrt", "mär", "nov", "oct", "okt", "ott", "out",
    "sep", "set",
)  # fmt: skip
_MONTHS = "(?:" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|º|°)?"
# A date as people write one; `19620507` only where a field's name says what it is.
_DATE = re.compile(
    r"(?i)(?<![\w/.\-])(?:\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d{1,2}[\-/.]\d{1,2}[\-/.](?:\d{4}|\d{2})"
    rf"|{_DAY}\.?[\- ](?:of |de )?{_MONTHS}(?:[\- ,]+de)?[\- ,]+\d{{4}}"
    rf"|{_MONTHS} {_DAY},? \d{{4}}"
    r"|(?:19|20)\d{6})(?![\w/]|[.\-]\d)"
)
# What a field or a label says of a birth date, in the same languages.
_BIRTH = re.compile(
    r"(?<![a-z])d\.?o\.?b(?![a-z])|birth|(?<![a-z])born(?![a-z])|geburt|geboren|(?<![a-z])geb\."
    r"|(?<![a-z])n[ée]e?(?:\(e\))?(?![a-z])|naissance|(?<![a-z])nac[ií]|nascita"
    r"|(?<![a-z])nat[oa](?![a-z])|geboorte|nascimento|nascid[oa]|f[øö]dsel|f[öø]dd|urodz"
)
# What a field or a label says of a medical record number.
_RECORD = re.compile(
    r"(?<![a-z])mrn|medical[ _\-]?record|med[ _.\-]{0,2}rec(?![a-z])|medrec"
    r"|record[ _\-]?(?:no|nr|num|#)|patient[ _\-]?(?:id|number|num|no|nr|#)"
    r"|chart[ _\-]?(?:no|number|#|id)|historia cl[ií]nica"
    r"|dossier m[ée]dical|cartella clinica|prontu[aá]rio|processo cl[ií]nico"
    r"|patienten[ _\-]?(?:nummer|id)|krankenakte|pati[ëe]ntnummer"
)
# A birth phrase after the date: `Ich bin am 17. Juli 1981 geboren`.
_BIRTH_AFTER = re.compile(r"(?i)\s*(?:geboren|born|n[ée]e?|nat[oa]|nacid[oa]|nascid[oa])(?![a-z])")
# An identifier: letters, then digits (dashes between them).
_RECORD_ID = re.compile(r"(?<![\w\-])(?=[A-Z]{0,4}-?\d)[A-Z]{0,4}-?\d[\d\-]{3,14}\d(?![\w\-])")
# A FHIR Patient's identifier: {"system": "urn:oid:…", "value": "…"} inside "identifier".
_FHIR_IDENTIFIER = re.compile(r'"identifier"\s*:\s*\[')
_FHIR_REACH = 800
_FIRST_YEAR = 1900
_LAST_YEAR = dt.date.today().year
_ICD10_DOTTED = re.compile(r"\b[A-TV-Z]\d[0-9AB]\.[0-9A-Z]{1,4}\b")
_CONDITION = re.compile(
    r"(?i)\b(?:diagnos(?:is|ed|es)|icd-?10|dx|prognosis|condition|treated for|suffers from"
    r"|prescribed|medication|hiv|diabetes|cancer|depression|pregnan\w*|chemotherapy)\b"
)


def detect_health_ids(text: str, fields: Fields) -> Iterator[tuple[int, int, EntityType, float]]:
    """Dates whose field or label says birth, identifiers whose field or label says medical
    record. Call only when the text holds such a cue (see keywords.py)."""
    for match in _DATE.finditer(text):
        check_budget()
        said = _BIRTH.search(fields.name_at(match.start())) or _BIRTH_AFTER.match(
            text, match.end()
        )
        if said and _plausible_date(match.group()):
            yield match.start(), match.end(), "DATE_OF_BIRTH", 0.9
    for match in _RECORD_ID.finditer(text):
        check_budget()
        name = fields.name_at(match.start())
        if _RECORD.search(name) or (name == "value" and _fhir_identifier(text, match.start())):
            yield match.start(), match.end(), "MEDICAL_RECORD_NUMBER", 0.85


def _fhir_identifier(text: str, start: int) -> bool:
    """Inside the `identifier` list of a FHIR Patient (not its `telecom`)."""
    if "patient" not in text.lower():
        return False
    openings = list(_FHIR_IDENTIFIER.finditer(text, max(0, start - _FHIR_REACH), start))
    if not openings:
        return False
    opened = openings[-1]
    between = text[opened.end() : start]
    return between.count("[") >= between.count("]")


def mentions_health_condition(text: str) -> bool:
    """A diagnosis or treatment word, or an ICD-10 code written with its decimal part."""
    return _CONDITION.search(text) is not None or _ICD10_DOTTED.search(text) is not None


def _plausible_date(value: str) -> bool:
    numbers = [int(n) for n in re.findall(r"\d+", value)]
    if len(numbers) == 1 and len(value) == 8:  # 19620507
        return _is_date(numbers[0] // 10000, numbers[0] // 100 % 100, numbers[0] % 100)
    if re.match(r"\d{4}[\-/.]", value):
        return _is_date(numbers[0], numbers[1], numbers[2])
    if len(numbers) == 3:
        first, second, year = numbers
        # US month/day first, else day/month; either reading being a real date is enough.
        return _is_date(year, first, second) or _is_date(year, second, first)
    year = numbers[-1]
    return _FIRST_YEAR <= year <= _LAST_YEAR and 1 <= numbers[0] <= 31  # a month by its name


def _is_date(year: int, month: int, day: int) -> bool:
    if year < 100:
        year += 1900
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
