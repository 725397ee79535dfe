"""prefix_gaps.c against its specification, a Python pattern per word run by `re`."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity.normalize import _KEY_PREFIXES, _MIN_KEY_BODY
from governance.sensitivity.prefix_gaps import find_prefix_gaps

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
    [*_KEY_PREFIXES, "s", "k", "-", "_", "A", "K", "I", "e", "yJ", "gh", "p_", "xo", " ", "  ",
     "\t", "\r\n", "   ", "abc", "Z9", "7", "x1y2z3w4v5", "é", "\u0663", ".", "\U0001f600"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=20).map("".join))
def test_the_native_walk_finds_what_the_patterns_find(text: str) -> None:
    assert find_prefix_gaps(text, _KEY_PREFIXES, _MIN_KEY_BODY) == _reference(
        text, _KEY_PREFIXES, _MIN_KEY_BODY
    )


def test_gaps_are_python_offsets_in_wide_strings() -> None:
    text = "\U0001f600 key: AK IA\tIOSFODNN7EXAMPLE"
    assert find_prefix_gaps(text, _KEY_PREFIXES, _MIN_KEY_BODY) == [(9, 10), (12, 13)]


def test_bad_words_are_refused() -> None:
    with pytest.raises(ValueError):
        find_prefix_gaps("text", ("x",), 10)
    with pytest.raises(ValueError):
        find_prefix_gaps("text", ("caf\u00e9",), 10)
    with pytest.raises(ValueError):
        find_prefix_gaps("text", tuple(f"w{i:03}" for i in range(65)), 10)
