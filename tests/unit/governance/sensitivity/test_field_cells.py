"""The cell reading of fields.py against the plain reading it replaces: a character at a time,
each double quote opening or closing a quoted stretch."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import fields
from tests.support.text_pieces import texts_of

_LINES = texts_of(['"', ",", ";", "|", "\t", "a", "12", " ", '""', "x y", "é"], max_size=16)
_DELIMITER = st.sampled_from(["\t", "|", ";", ","])


def _plain_spans(line: str, delimiter: str) -> list[tuple[int, int]]:
    spans, quoted, begin = [], False, 0
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            spans.append((begin, index))
            begin = index + 1
    spans.append((begin, len(line)))
    return spans


@given(_LINES, _DELIMITER)
def test_cells_are_split_as_a_character_at_a_time_splits_them(line: str, delimiter: str) -> None:
    spans = _plain_spans(line, delimiter)
    assert fields._cell_spans(line, delimiter) == spans
    assert fields._count_cells(line, delimiter) == len(spans)
