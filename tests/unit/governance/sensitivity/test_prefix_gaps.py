"""The cue pass's prefix gaps (cue_scan.c) against their specification, a Python pattern per
word run by `re`; and the cues it finds beside them, against those found without them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity.cue_scan import CueFinder
from governance.sensitivity.keywords import (
    GAPPED_PREFIXES,
    MIN_KEY_BODY,
    find_cues,
    find_cues_and_prefix_gaps,
)

_GAP = r"([ \t\r\n]{1,2})"


def _pattern(word: str) -> re.Pattern[str]:
    inner = "".join(
        re.escape(c) if i == 0 else f"{_GAP}?{re.escape(c)}" for i, c in enumerate(word)
    )
    return re.compile(rf"(?<![A-Za-z0-9_\-]){inner}{_GAP}?([A-Za-z0-9_\-]+)")


def _reference(text: str, words: tuple[str, ...], min_body: int) -> list[tuple[int, int]]:
    patterns = [_pattern(w) for w in words]
    gaps: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        for pattern in patterns:
            match = pattern.match(text, position)
            if match is None:
                continue
            body = match.group(match.lastindex or 0)
            spans = [match.span(g) for g in range(1, match.lastindex or 0) if match.group(g)]
            fits = len(body) >= min_body and any(c.isdigit() for c in body)
            if spans and fits and any(c.isalpha() for c in body):
                gaps.extend(spans)
                position = match.end()
                break
        else:
            position += 1
    return gaps


_PIECES = st.sampled_from(
    [*GAPPED_PREFIXES, "s", "k", "-", "_", "A", "K", "I", "e", "yJ", "gh", "p_", "xo", " ", "  ",
     "\t", "\r\n", "   ", "abc", "Z9", "7", "x1y2z3w4v5", "é", "\u0663", ".", "\U0001f600",
     "\u212a", "\u0130", "S"]  # the Kelvin sign lowers to `k`, İ to two characters
)  # fmt: skip


@given(st.lists(_PIECES, max_size=20).map("".join))
def test_the_native_walk_finds_what_the_patterns_find(text: str) -> None:
    cues, gaps = find_cues_and_prefix_gaps(text)
    assert gaps == _reference(text, GAPPED_PREFIXES, MIN_KEY_BODY)
    assert cues == find_cues(text)  # looking for gaps changes no cue


def test_gaps_are_python_offsets_in_wide_strings() -> None:
    text = "\U0001f600 key: AK IA\tIOSFODNN7EXAMPLE"
    assert find_cues_and_prefix_gaps(text)[1] == [(9, 10), (12, 13)]


def test_bad_prefixes_are_refused() -> None:
    for prefixes in [("x",), ("caf\u00e9",), ("-x",), tuple(f"w{i:03}" for i in range(65))]:
        with pytest.raises(ValueError):
            CueFinder(("key",), 4, prefixes, 10)


def test_a_text_before_lowering_of_another_length_is_refused() -> None:
    with pytest.raises(ValueError):
        CueFinder(("key",), 4, GAPPED_PREFIXES, 10)("key", "KEYS")


def test_a_finder_keeps_its_prefixes_alive() -> None:
    finder = CueFinder(("key",), 4, ("".join(["s", "k", "-"]),), 10)  # the only references
    text = "x sk- abcdef123456"
    for _ in range(3):
        assert finder(text, text)[3] == [(5, 6)]
