"""The health detector's shortcuts against the plain checks they stand in for: each must answer
as the plain check does on any text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import health

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
