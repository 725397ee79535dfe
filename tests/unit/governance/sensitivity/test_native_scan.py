"""The scan's native parts against their specification: the cue pass finds what a plain search
for every keyword finds, and the number lexing finds what numbers.py's patterns, run by Python's
`re`, find (the patterns are the specification that number_scan.c implements step by step)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.sensitivity import scan_text
from governance.sensitivity.cue_scan import CueFinder
from governance.sensitivity.fields import Fields
from governance.sensitivity.keywords import _WORDS, find_cues
from governance.sensitivity.number_scan import scan_numbers
from governance.sensitivity.numbers import _DATE_INSIDE
from tests.support.text_pieces import texts_of

# --- the cue pass -------------------------------------------------------------------------------


def _every_start(text: str, word: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(word, i)]


def _digit_runs(text: str, gap: int) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if char not in "0123456789":
            continue
        if runs and i - runs[-1][1] < gap:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


_CUE_TEXT = st.lists(
    st.sampled_from(
        [*_WORDS, "secret_key", "1", "42", " ", "-", "(", ")", "é", "\u0663", "\U0001f600", "x"]
    ),
    max_size=30,
).map("".join)


# Two letters, then two digits, starting a token: where an IBAN may start.
_CODED_START = re.compile(r"(?<![a-z0-9])[a-z]{2}[0-9]{2}")


@given(_CUE_TEXT)
def test_cue_pass_finds_every_keyword_start_and_digit_run(text: str) -> None:
    at, runs, coded, gaps = CueFinder(_WORDS, 4)(text)
    assert gaps == []  # looked for only given the text before lowering
    expected = {w: starts for w in _WORDS if (starts := _every_start(text, w))}
    assert at == expected
    assert runs == _digit_runs(text, 4)
    assert coded == [m.start() for m in _CODED_START.finditer(text)]


_CODED_TEXT = texts_of(["de", "gb", "x", "89", "1", "0", " ", ",", "_", "-", "é", "\u0663", "d"])


@given(_CODED_TEXT)
def test_cue_pass_finds_where_two_letters_then_two_digits_start_a_token(text: str) -> None:
    assert CueFinder(_WORDS, 4)(text)[2] == [m.start() for m in _CODED_START.finditer(text)]


def test_cue_pass_reports_overlapping_keywords_and_offsets_in_wide_strings() -> None:
    text = "😀 SECRET_KEY=abc, dob 12/03/1990"  # a four-byte character before everything
    cues = find_cues(text)
    assert cues.at["secret"] == [2] and cues.at["secret_key"] == [2] and cues.at["dob"] == [18]
    assert cues.digit_runs == [(22, 32)]


@pytest.mark.parametrize(
    "words", [("ok", "Upper"), ("ok", "has1digit"), ("ok", ""), ("ok", "é"), ["a list"]]
)
def test_cue_finder_refuses_keywords_it_cannot_match(words: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        CueFinder(words, 4)  # type: ignore[arg-type]


def test_a_cue_finder_that_was_never_initialised_refuses_to_run() -> None:
    bare = CueFinder.__new__(CueFinder)
    with pytest.raises(RuntimeError):
        bare("a@b 123")
    finder = CueFinder(("@",), 4)
    with pytest.raises(RuntimeError):
        finder.__init__(("x",), 4)  # type: ignore[misc]
    assert finder("a@b") == ({"@": [1]}, [], [], [])


# --- the number lexing --------------------------------------------------------------------------

_RUN = re.compile(
    r"(?<![\w.@/+\-])\+?(?:\(\d{1,5}\)[ .\-]?)?\d"
    r"(?:[ .\-/]?\d|[ .\-]?\(\d{1,5}\)[ .\-]?\d)*(?![\w@]|[.\-/]\d)"
)
_CARD_SHAPE = re.compile(r"\d{4}(?:[ \-]\d{4}){2,3}(?:[ \-]\d{1,3})?")
_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")

Window = tuple[str, str, int, int]


def _windows_by_pattern(
    text: str, runs: list[tuple[int, int]], claimed: list[tuple[int, int]], accept: set[str]
) -> list[Window]:
    """Every window numbers.py's patterns offer, in order; a window in `accept` is a finding."""
    offered: list[Window] = []
    for run_start, run_end in runs:
        if run_end - run_start < 7:
            continue
        for match in _RUN.finditer(text, max(0, run_start - 2), min(len(text), run_end + 3)):
            start, end = match.span()
            if end - start < 7 or any(s < end and start < e for s, e in claimed):
                continue
            value = match.group()
            if "." in value and _DOTTED_QUAD.fullmatch(value):
                continue
            groups = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\d+", value)]
            if _CARD_SHAPE.fullmatch(value):
                offered.append((value, "".join(g[2] for g in groups), len(groups), start))
                continue
            first = 0
            while first < len(groups):
                if first > 0 and value[groups[first - 1][1] : groups[first][0]] != " ":
                    first += 1
                    continue
                taken = first
                for last in range(min(len(groups), first + 8) - 1, first - 1, -1):
                    if (
                        last < len(groups) - 1
                        and value[groups[last][1] : groups[last + 1][0]] != " "
                    ):
                        continue
                    begin = 0 if first == 0 else groups[first][0]
                    window = value[begin : groups[last][1]]
                    digits = "".join(g[2] for g in groups[first : last + 1])
                    if not 7 <= len(digits) <= 19:
                        continue  # no finding has fewer or more digits: not offered
                    if len(digits) in (7, 8, 10, 11) and _DATE_INSIDE.search(window):
                        continue  # a phone-only length holding a date: kind_of says None
                    offered.append((window, digits, last + 1 - first, start + begin))
                    if window in accept:
                        taken = last
                        break
                first = taken + 1
    return offered


def _windows_natively(
    text: str, runs: list[tuple[int, int]], claimed: list[tuple[int, int]], accept: set[str]
) -> tuple[list[Window], list[tuple[int, int, str, float]]]:
    offered: list[Window] = []

    fields = Fields(text)

    def kind_of(
        window: str, digits: str, count: int, whole: str, start: int, on: Fields, ids: bool
    ) -> tuple[str, float] | None:
        assert whole is text and text[start : start + len(window)] == window
        assert on is fields and ids is False  # passed on as given
        offered.append((window, digits, count, start))
        return ("PHONE", 0.5) if window in accept else None

    found = scan_numbers(text, runs, claimed, kind_of, fields, False)  # type: ignore[arg-type]
    return offered, found


_NUMBER_TEXT = st.lists(
    st.sampled_from(
        list("0123456789") * 4
        + list(" -./()+@_x#")
        + ["\u0663", "é", "\U0001f600", "(415) ", "4111 1111 1111 1111", "10.0.0.1", "12 " * 3]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400)
@given(_NUMBER_TEXT, st.data())
def test_number_lexing_offers_the_windows_the_patterns_define(
    text: str, data: st.DataObject
) -> None:
    runs = find_cues(text).digit_runs
    claimed = data.draw(st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=2))
    candidates = [w for w, _, _, _ in _windows_by_pattern(text, runs, claimed, set())]
    accept = (
        set(data.draw(st.lists(st.sampled_from(candidates), max_size=3))) if candidates else set()
    )
    offered, found = _windows_natively(text, runs, claimed, accept)
    assert offered == _windows_by_pattern(text, runs, claimed, accept)
    assert [(s, e) for s, e, _, _ in found] == [
        (start, start + len(window)) for window, _, _, start in offered if window in accept
    ]


def test_number_lexing_reads_before_its_window_and_takes_long_numbers_whole() -> None:
    # The search starts at "+", two before the run; the look-behind still sees the "x" before.
    glued = "x+(4) 555 2671"
    offered, _ = _windows_natively(glued, [(3, 14)], [], set())
    assert offered == _windows_by_pattern(glued, [(3, 14)], [], set())
    assert [window for window, _, _, _ in offered] == ["555 2671"]  # 3 or 4 digits: no finding
    many = " ".join(["12"] * 100)  # more groups than a fixed buffer would hold
    offered, _ = _windows_natively(many, [(0, len(many))], [], set())
    assert offered == _windows_by_pattern(many, [(0, len(many))], [], set())


_FIELDS = Fields("call 415 555 2671")


def test_number_lexing_passes_kind_of_errors_through() -> None:
    def broken(*_: object) -> tuple[str, float]:
        raise LookupError("boom")

    with pytest.raises(LookupError):
        scan_numbers("call 415 555 2671", [(5, 17)], [], broken, _FIELDS, True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scan_numbers("call 415 555 2671", [(5, 17)], [], lambda *_: "PHONE", _FIELDS, True)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError):
        scan_numbers("call 415 555 2671", [[5, 17]], [], broken, _FIELDS, True)  # type: ignore[list-item]
    with pytest.raises(ValueError):  # runs come from find_cues on the same text
        scan_numbers("call 415 555 2671", [(5, 99)], [], broken, _FIELDS, True)


def test_scan_keeps_its_findings_with_the_native_parts() -> None:
    text = "Reach jane.roe@example.com, card 4111 1111 1111 1111, phone (415) 555-2671."
    assert [(f.type, text[f.start : f.end]) for f in scan_text(text).findings] == [
        ("EMAIL", "jane.roe@example.com"),
        ("CREDIT_CARD", "4111 1111 1111 1111"),
        ("PHONE", "(415) 555-2671"),
    ]
