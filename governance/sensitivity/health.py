"""Health identifiers found by their context: dates of birth, medical record numbers, and the
PHI signal (a diagnosis or ICD-10 code in the same text as something that identifies a person)."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from governance.sensitivity.fields import Fields
from governance.sensitivity.findings import EntityType
from governance.sensitivity.keywords import BIRTH_WORDS, CONDITION_STARTS, RECORD_WORDS, Cues
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
# The same dates without month names, starting at a digit so the search skips to digits.
_NUMERIC_DATE = re.compile(
    r"\d(?<![\w/.\-]\d)(?:\d{3}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d?[\-/.]\d{1,2}[\-/.](?:\d{4}|\d{2})"
    r"|\d{7})(?![\w/]|[.\-]\d)"
)
_MONTH_SET = frozenset(_MONTH_NAMES)
_LETTERS = re.compile(r"[^\W\d_]+")
_ASCII_MONTHS = frozenset(name.encode() for name in _MONTH_NAMES if name.isascii())
# An ASCII window's bytes with letters lowered and all else a space: split, they are its words.
_ASCII_WORDS = bytes(
    byte | 0x20 if chr(byte).isascii() and chr(byte).isalpha() else ord(" ") for byte in range(256)
)
_NUMBERS = re.compile(r"\d+")
_YEAR_FIRST = re.compile(r"\d{4}[\-/.]")
# What a field or a label says of a birth date, in the same languages.
_BIRTH = re.compile(
    r"(?<![a-z])d[._]?o[._]?b(?![a-z])|birth|(?<![a-z])b[_\-]?date|(?<![a-z])born(?![a-z])|geburt|geboren|(?<![a-z])geb\."
    r"|(?<![a-z])n[ée]e?(?:\(e\))?(?![a-z])|naissance|naiss\.|(?<![a-z])nac[ií]|nascita"
    r"|(?<![a-z])nat[oa](?![a-z])|geboorte|nascimento|nascid[oa]|f[øö]dsel|f[öø]dd|urodz"
    r"|(?<![a-z])nasci(?![a-z])|(?<![a-z])nas?c\.|(?<![a-z])b-?day|(?<![a-z])geb[_\-]?dat"
    # a column's short name: `fecha_nac`, `data_nasc`, `date_naiss`
    r"|(?:fecha|data|date)[ _\-](?:de[ _\-])?na(?:c|sc|iss)(?![a-z])"
)
# What a field or a label says of a medical record number. A patient id or number is not one:
# in a table or a record it is the system's own key, which an MRN column sits beside.
_RECORD = re.compile(
    r"(?<![a-z])mrn|medical[ _\-]?record|med[ _.\-]{0,2}rec(?![a-z])|medrec"
    r"|chart[ _\-]?(?:no|number|#|id)|historia[ _\-]cl[ií]nica"
    r"|dossier[ _\-]m[ée]dical|cartella[ _\-]clinica|prontu[aá]rio|processo[ _\-]cl[ií]nico"
    r"|krankenakte"
    r"|(?<![a-z])mr[ _\-]?(?:#|n[or]\b|number)|med\. ?rec(?![a-z])|med[ _.\-]?record"
    r"|(?<![a-z])hosp(?:ital|\.)?[ _\-]?(?:#|no\b|number)|patient[ _\-]?record"
    r"|health[ _\-]?record|(?<![a-z])e[hm]r[ _\-]?(?:#|no\b|number|id\b)"
    r"|(?<![a-z])nhc(?![a-z])|medisch dossier"
)
# What every _RECORD match starts with: its branches' heads. The full pattern tries its 20
# branches, lookbehinds first, at each character; it is tried only where one of these starts.
_RECORD_STARTS = re.compile(
    r"mr[ _\-]?[#n]|med|chart[ _\-]?[#in]|historia|dossier|cartella|prontu|processo|krankenakte"
    r"|hosp|patient[ _\-]?r|health[ _\-]?r|e[hm]r|nhc"
)
# Substrings every _BIRTH match holds, sought first in one plain pass: most labels hold none.
_BIRTH_HINT = re.compile(
    "d\\.o\\.b|dob|birth|born|geb|n\u00e9|naiss|nac|nasc|nat|geboor|f\u00f8d|f\u00f6d|urodz|bday|b-day|d_o_b|b.?date"
)
# A birth phrase after the date: `Ich bin am 17. Juli 1981 geboren`.
_BIRTH_AFTER = re.compile(r"(?i)\s*(?:geboren|born|n[ée]e?|nat[oa]|nacid[oa]|nascid[oa])(?![a-z])")
# An identifier: letters, then digits (dashes between them), perhaps a check letter.
_RECORD_ID = re.compile(
    r"(?<![\w\-])(?=[A-Z]{0,4}-?\d)[A-Z]{0,4}-?\d[\d\-]{3,14}\d[A-Z]?(?![\w\-])"
)
# A FHIR Patient's identifier: {"system": "urn:oid:…", "value": "…"} inside "identifier".
_FHIR_IDENTIFIER = re.compile(r'"identifier"\s*:\s*\[')
_FHIR_REACH = 800
_FHIR_RECORD_TYPE = re.compile(r'"mr"|mrn|medical.?record')
_FHIR_OTHER_TYPE = re.compile(
    r'ssn|social|"dl"|driver|licen[cs]e|passport|"ppn"|tax|npi|insurance|member|"sb"|national'
)
# A date may start with a month's name (`September 3, 1990`) and run on past its first digits
# (`5 de marzo de 1962`); an identifier may start with up to four letters and a dash.
_MONTH_REACH = 16
_DATE_TAIL = 24
_ID_LETTERS = 5
# How far from a digit run a cue may stand on its line and still name it (a label before the
# value, or `geboren` after a date).
_CUE_BEFORE = 64
_SHORT_TEXT = 512
_BIRTH_CUES = frozenset(BIRTH_WORDS)
_RECORD_CUES = frozenset(RECORD_WORDS)
_CUE_AFTER = 40
_CONDITION_STARTS = frozenset(CONDITION_STARTS)
_FIRST_YEAR = 1900
_LAST_YEAR = dt.date.today().year
_ICD10_DOTTED = re.compile(r"\b[A-TV-Z]\d[0-9AB]\.[0-9A-Z]{1,4}\b")
_ICD10_LONGEST = 8
_CONDITION = re.compile(
    r"(?i)\b(?:diagnos(?:is|ed|es)|icd-?10|dx|prognosis|condition|treated for|suffers from"
    r"|prescribed|medication|hiv|diabetes|cancer|depression|pregnan\w*|chemotherapy)\b"
)


Found = tuple[int, int, EntityType, float]


def detect_health_ids(
    text: str,
    digit_runs: list[tuple[int, int]],
    fields: Fields,
    cues: Cues,
    *,
    births_beyond_ascii: bool = False,
) -> list[Found]:
    """Dates whose field or label says birth, identifiers whose field or label says medical
    record. Each runs only around the digit runs a cue of its kind may name: on the same line
    near them, or on a line above (a header, a key, a column list); see keywords.py."""
    found: list[Found] = []
    # The cue pass lists a word only where it found it: a cue among the words is a position.
    if births_beyond_ascii or cues.any_of(_BIRTH_CUES):
        near = digit_runs if births_beyond_ascii else _near(digit_runs, cues, _BIRTH_CUES, text)
        _find_births(text, near, fields, found)
    if cues.any_of(_RECORD_CUES):
        # A FHIR identifier's "value" sits far from the "Patient" that names it.
        near = (
            digit_runs if "identifier" in cues.at else _near(digit_runs, cues, _RECORD_CUES, text)
        )
        _find_records(text, near, fields, found)
    return found


# The finders search again from each match's end rather than run finditer: its scanner and
# iterator cost more than the searches, in windows that hold one match or none.
def _find_births(
    text: str, runs: list[tuple[int, int]], fields: Fields, found: list[Found]
) -> None:
    for start, end in _around(runs, _MONTH_REACH, _DATE_TAIL, len(text)):
        pattern = _DATE if _month_named(text, start, end) else _NUMERIC_DATE
        match = pattern.search(text, start, end)
        while match is not None:
            check_budget()
            date_start, date_end = match.span()
            said = _says_birth(fields.name_at(date_start)) or _BIRTH_AFTER.match(text, date_end)
            if said and _plausible_date(match.group()):
                found.append((date_start, date_end, "DATE_OF_BIRTH", 0.9))
            match = pattern.search(text, date_end, end)


def _find_records(
    text: str, runs: list[tuple[int, int]], fields: Fields, found: list[Found]
) -> None:
    for start, end in _around(runs, _ID_LETTERS, 1, len(text)):
        match = _RECORD_ID.search(text, start, end)
        while match is not None:
            check_budget()
            id_start, id_end = match.span()
            if _is_record_number(text, match.group(), id_start, fields):
                found.append((id_start, id_end, "MEDICAL_RECORD_NUMBER", 0.85))
            match = _RECORD_ID.search(text, id_end, end)


def _is_record_number(text: str, value: str, start: int, fields: Fields) -> bool:
    if not value.isdigit() and _NUMERIC_DATE.fullmatch(value) and _plausible_date(value):
        return False  # `medical record updated 2024-03-01`
    name = fields.name_at(start)
    return _says_record(name) or (name == "value" and _fhir_identifier(text, start))


def _positions(cues: Cues, words: frozenset[str]) -> list[int]:
    found = cues.among(words)
    if len(found) == 1:
        return cues.at[next(iter(found))]  # the cue pass lists them in text order
    return sorted(p for word in found for p in cues.at[word])


def _near(
    runs: list[tuple[int, int]], cues: Cues, words: frozenset[str], text: str
) -> list[tuple[int, int]]:
    """The runs a cue of `words` may name: one on a line above, or on the run's line within
    reach."""
    if len(text) <= _SHORT_TEXT:
        return runs  # filtering costs more than it saves
    cue_positions = _positions(cues, words)
    kept = []
    first_cue = cue_positions[0] if cue_positions else len(text)
    for run_start, run_end in runs:
        line_start = text.rfind("\n", 0, run_start) + 1
        if first_cue < line_start:
            kept.append((run_start, run_end))
            continue
        index = bisect.bisect_left(cue_positions, run_start - _CUE_BEFORE)
        while index < len(cue_positions) and cue_positions[index] <= run_end + _CUE_AFTER:
            low, high = sorted((cue_positions[index], run_start))
            if text.find("\n", low, high) == -1:
                kept.append((run_start, run_end))
                break
            index += 1
    return kept


def _month_named(text: str, start: int, end: int) -> bool:
    """A month's name in the window (`March 14`, `14-Aug-`, `5 de marzo`): only then is the
    slower pattern with month names worth running."""
    window = text[start:end]
    if window.isascii():  # lowered and cut into words by a table pass and a split, not a findall
        return not _ASCII_MONTHS.isdisjoint(window.encode().translate(_ASCII_WORDS).split())
    return any(word.lower() in _MONTH_SET for word in _LETTERS.findall(window))


def _says_birth(name: str) -> bool:
    return _BIRTH_HINT.search(name) is not None and _BIRTH.search(name) is not None


def _says_record(name: str) -> bool:
    """`_RECORD.search(name)`: a match at a place one of `_RECORD_STARTS` starts (the search
    goes on one character past each, as one may start inside another: `hospatient record`)."""
    start = _RECORD_STARTS.search(name)
    while start is not None:
        if _RECORD.match(name, start.start()):  # its lookbehinds see the name before it
            return True
        start = _RECORD_STARTS.search(name, start.start() + 1)
    return False


def _around(
    runs: list[tuple[int, int]], before: int, after: int, length: int
) -> list[tuple[int, int]]:
    """The digit runs widened by `before` and `after` characters, overlapping ones merged."""
    windows: list[tuple[int, int]] = []
    merged_start = merged_end = -1
    for run_start, run_end in runs:
        # Comparisons, not max() and min(): builtin calls cost more, at every run.
        start = run_start - before if run_start > before else 0
        end = run_end + after if run_end + after < length else length
        if start <= merged_end:
            if end > merged_end:
                merged_end = end
            continue
        if merged_end >= 0:
            windows.append((merged_start, merged_end))
        merged_start, merged_end = start, end
    if merged_end >= 0:
        windows.append((merged_start, merged_end))
    return windows


def _fhir_identifier(text: str, start: int) -> bool:
    """Inside the `identifier` list of a FHIR Patient (not its `telecom`)."""
    if "patient" not in text.lower():
        return False
    openings = list(_FHIR_IDENTIFIER.finditer(text, max(0, start - _FHIR_REACH), start))
    if not openings:
        return False
    opened = openings[-1]
    between = text[opened.end() : start]
    if between.count("[") < between.count("]"):
        return False
    # The identifier's own object: an SSN, a licence or a passport is not the record number.
    own = between[between.rfind("{", 0, len(between)) :].lower() if "{" in between else between
    if _FHIR_RECORD_TYPE.search(own):
        return True
    return _FHIR_OTHER_TYPE.search(own) is None


def mentions_health_condition(text: str, cues: Cues) -> bool:
    """A diagnosis or treatment word, or an ICD-10 code written with its decimal part.

    Read where they can start, not along the text: each phrase at the cue words that start it
    (a search with this case-blind alternation costs 0.1 µs per character), each code at the
    digit runs (its first digit starts one, or lies in one)."""
    for word in cues.among(_CONDITION_STARTS):
        if any(_CONDITION.match(text, position) for position in cues.at[word]):
            return True
    if not text.isascii():
        return _ICD10_DOTTED.search(text) is not None  # digits the runs do not hold
    for run_start, run_end in cues.digit_runs:
        # Far enough past the run that the code's closing boundary is read on the text.
        end = min(len(text), run_end + _ICD10_LONGEST + 1)
        match = _ICD10_DOTTED.search(text, max(0, run_start - 1), end)
        if match is not None and match.start() < run_end:
            return True
    return False


def _plausible_date(value: str) -> bool:
    numbers = [int(n) for n in _NUMBERS.findall(value)]
    if len(numbers) == 1 and len(value) == 8:  # 19620507
        return _is_date(numbers[0] // 10000, numbers[0] // 100 % 100, numbers[0] % 100)
    if _YEAR_FIRST.match(value):
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
