"""The normalisation's shortcuts against the plain readings they replace: a tab is judged only
where a group's character stands on both sides, within a short group's reach; a line break
only where a digit follows it. Each must answer as the plain reading does."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import normalize

_SHORT_GROUP = re.compile(r"\(?(?=[A-Za-z]*\d)[A-Za-z0-9]{1,8}\)?[.,;:]?")


def _plain_tab(text: str, at: int) -> str:
    """Every tab read with the groups found by a search through the whole text."""
    start = max(text.rfind(c, 0, at) for c in " \t\n_") + 1
    ends = [e for e in (text.find(c, at + 1) for c in " \t\n") if e != -1]
    end = min(ends, default=len(text))
    opens = text.startswith("(", at + 1)
    spaced = start >= 2 and text[start - 1] == " " and text[start - 2].isdigit()
    spaced = spaced and not (text[end : end + 1] == " " and text[end + 1 : end + 2].isdigit())
    fits = _SHORT_GROUP.fullmatch(text, start, at) and _SHORT_GROUP.fullmatch(text, at + 1, end)
    return " " if not opens and not spaced and fits else "\t"


def _plain_line_breaks(text: str) -> list[tuple[int, int]]:
    """Every line break tried, as the walk over them all did."""
    found = []
    for position in (i for i, c in enumerate(text) if c == "\n"):
        start = position - 1 if position > 0 and text[position - 1] == "\r" else position
        if (
            normalize._is_digit(text, position + 1)
            and normalize._is_digit(text, start - 1)
            and normalize._wrapped_card(
                normalize._groups_before(text, start), normalize._groups_after(text, position + 1)
            )
        ):
            found.append((start, position + 1))
    return found


_PIECES = st.lists(
    st.sampled_from(
        [
            "4111", "1111", "DE89", "3704", "(415)", "555", "2671", "12.", "7;", "x9", "abc",
            "123456789", "AB12CD34E", "word", "_", " ", " ", "\t", "\t", "\t", "\n", "\r\n", "(",
            ")", "-", ".", "0", "9",
        ]
    ),
    max_size=24,
).map("".join)  # fmt: skip


@given(_PIECES)
def test_tabs_read_as_the_whole_text_search_reads_them(text: str) -> None:
    expected = "".join(_plain_tab(text, i) if c == "\t" else c for i, c in enumerate(text))
    assert normalize._TAB.sub(normalize._tab_read, text) == expected


@given(_PIECES)
def test_line_breaks_inside_a_card_are_found_as_the_walk_over_every_break_finds_them(
    text: str,
) -> None:
    assert normalize._digit_line_breaks(text) == _plain_line_breaks(text)


def test_a_long_table_of_tabs_keeps_them_all() -> None:
    row = "\t".join(["name", "12345678901234", "x" * 40, "2024-01-02"]) + "\n"
    text = row * 300
    assert normalize._TAB.sub(normalize._tab_read, text) == text
