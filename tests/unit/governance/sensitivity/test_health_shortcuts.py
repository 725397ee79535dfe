"""The health detector's shortcuts against the plain checks they stand in for: each must answer
as the plain check does on any text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import health
from governance.sensitivity.fields import Fields
from governance.sensitivity.keywords import Cues, find_cues

# Month names and their pieces among other words, digits and separators, in both cases.
_WORDS = st.sampled_from(
    ["March", "mar", "MAR.", "marc", "Sept", "décembre", "mayo", "xmay", "may1", "Okt", "of"]
)
_FILLER = st.text(alphabet="aZ09 ,.-/_\n\té", max_size=4)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(_WORDS, _FILLER), max_size=8))
    return "".join(parts)


def _plain_month_named(window: str) -> bool:
    return any(word.lower() in health._MONTH_SET for word in re.findall(r"[^\W\d_]+", window))


@given(_texts(), st.integers(0, 40), st.integers(0, 40))
def test_a_window_names_a_month_as_the_plain_word_test_says(text: str, a: int, b: int) -> None:
    start, end = sorted((a, b))
    window = text[start:end]
    assert health._month_named(text, start, end) is _plain_month_named(window)


# Pieces of record labels, starts of them inside other words, and what stands between.
_LABEL_PIECES = st.sampled_from(
    ["mrn", "mr", "mr#", "mr no", "mr-nr", "mr_number", "med", "medical record", "med. rec",
     "med.-record", "medrec", "chart no", "chart", "chart-id", "chart #", "hosp", "hospital #",
     "hosp.no", "hospatient record", "patient", "patient_record", "health record", "healthr",
     "ehr id", "emr", "xemr no", "nhc", "nhcs", "medisch dossier", "historia clínica",
     "krankenakte", "prontuário", "processo clinico", "cartella clinica", "dossier médical",
     "number", "no", "id", "#", "record", "rec"]
)  # fmt: skip
_LABEL_GAPS = st.text(alphabet="a _-.#é\n", max_size=3)


@given(st.lists(st.one_of(_LABEL_PIECES, _LABEL_GAPS), max_size=6).map("".join))
def test_a_name_says_record_as_the_full_search_says(name: str) -> None:
    assert health._says_record(name) is (health._RECORD.search(name) is not None)


def _plain_around(
    runs: list[tuple[int, int]], before: int, after: int, length: int
) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for run_start, run_end in runs:
        start, end = max(0, run_start - before), min(length, run_end + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


@st.composite
def _runs(draw: st.DrawFn) -> tuple[list[tuple[int, int]], int]:
    """Digit runs as the cue pass lists them: in order, apart, inside the text."""
    runs, position = [], 0
    for gap, size in draw(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)))):
        start = position + gap
        runs.append((start, start + size))
        position = start + size + 1
    return runs, position + draw(st.integers(0, 30))


@given(_runs(), st.integers(0, 24), st.integers(0, 24))
def test_the_windows_are_the_runs_widened_and_merged(
    case: tuple[list[tuple[int, int]], int], before: int, after: int
) -> None:
    runs, length = case
    assert health._around(runs, before, after, length) == _plain_around(runs, before, after, length)


def _plain_detect(
    text: str, runs: list[tuple[int, int]], fields: Fields, cues: Cues, beyond_ascii: bool
) -> list[tuple[int, int, str, float]]:
    """The detector as written before its shortcuts: finditer, full searches, sorted cues."""
    found: list[tuple[int, int, str, float]] = []
    birth_cues = health._positions(cues, health._BIRTH_CUES)
    if birth_cues or beyond_ascii:
        near = runs if beyond_ascii else health._near(runs, cues, health._BIRTH_CUES, text)
        for start, end in _plain_around(runs=near, before=16, after=24, length=len(text)):
            named = _plain_month_named(text[start:end])
            for match in (health._DATE if named else health._NUMERIC_DATE).finditer(
                text, start, end
            ):
                name = fields.name_at(match.start())
                said = health._says_birth(name) or health._BIRTH_AFTER.match(text, match.end())
                if said and health._plausible_date(match.group()):
                    found.append((match.start(), match.end(), "DATE_OF_BIRTH", 0.9))
    if health._positions(cues, health._RECORD_CUES):
        near = (
            runs if "identifier" in cues.at else health._near(runs, cues, health._RECORD_CUES, text)
        )
        for start, end in _plain_around(near, 5, 1, len(text)):
            for match in health._RECORD_ID.finditer(text, start, end):
                value = match.group()
                plain_date = health._NUMERIC_DATE.fullmatch(value) and health._plausible_date(value)
                if not value.isdigit() and plain_date:
                    continue
                name = fields.name_at(match.start())
                if health._RECORD.search(name) or (
                    name == "value" and health._fhir_identifier(text, match.start())
                ):
                    found.append((match.start(), match.end(), "MEDICAL_RECORD_NUMBER", 0.85))
    return found


_HEALTH_PIECES = st.sampled_from(
    ["DOB: ", "born ", "Geburtsdatum ", "né le ", "date_of_birth,mrn,name\n", "MRN: ",
     "patient chart mrn ", "medical record ", "Hosp # ", "chart id ", "\n", " ", ", ", "; ",
     "03/19/1957", "1962-05-07", "19620507", "5 de marzo de 1962", "March 5, 1990", "14-Aug-1980",
     "31.02.1990", "17. Juli 1981 geboren", "AB-12345", "70106464", "2024-03-01", "T93569129",
     "99213", "12", "call 555 0100", "x" * 30, "Patient ", '"identifier": [{"value": "',
     "MR-4455667", "١٩٥٧/٠٣/١٩", "long " * 110]
)  # fmt: skip


@given(st.lists(_HEALTH_PIECES, max_size=10).map("".join), st.booleans())
def test_the_detector_finds_what_its_plain_form_finds(text: str, beyond_ascii: bool) -> None:
    cues = find_cues(text)
    runs = cues.digit_runs
    expected = _plain_detect(text, runs, Fields(text), cues, beyond_ascii)
    found = health.detect_health_ids(
        text, runs, Fields(text), cues, births_beyond_ascii=beyond_ascii
    )
    assert found == expected
