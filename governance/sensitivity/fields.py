"""The field a value sits in, as its context: a value's meaning is often written far from it.

`Fields(text).name_at(start)` is the lowered name of the field whose value starts at `start`:
- in a row of a CSV, TSV, `;`-separated or Markdown table, its column's header (the top line
  of the block of lines split into as many cells), however many rows down it is;
- in a SQL `INSERT INTO t (a, b) VALUES (…), (…)`, its column in the list;
- otherwise the words just before it on its line, after the last digit or separator: the key
  of `key=value`, `key: value` and a JSON member, an XML element's tag, or a phrase such as
  `date of birth is`.
Tables are found lazily and their headers kept, so a scan pays only for the values it asks about.
"""

from __future__ import annotations

import re

__all__ = ["Fields"]

_DELIMITERS = ("\t", "|", ";", ",")
# How far back on its line a value's label may start.
_LABEL_REACH = 48
# The characters after which a label starts: a digit ends the previous value.
_LABEL_BACKWARDS = re.compile(r"[^0-9,;{\[|&?]*")
# A header cell is a short name, never a value.
_HEADER_CELL = re.compile(r"[\s\"'`*]*[^\W\d][\w .\-/#()°º'\u2019]{0,31}[\s\"'`*]*")
_INSERT = re.compile(r"(?is)insert\s+into\s+[\w.\"`\[\]]+\s*\(([^()]*)\)\s*values\s*")
# A double-quoted stretch: each `"` opens or closes one, and an unclosed one runs to the line's
# end. A cell is a run of other characters and such stretches (which may hold the delimiter).
_QUOTED = re.compile(r'"[^"]*"?')
_CELL = {d: re.compile(rf'(?:[^"{re.escape(d)}]+|"[^"]*"?)*') for d in _DELIMITERS}
# The rows of a table this many lines up at most: a header farther away is not found.
_MAX_ROWS = 400
# How far after VALUES a value's column is still read (a character at a time).
_MAX_TUPLES_READ = 8192


class Fields:
    __slots__ = ("_headers", "_inserts", "_rows", "text")

    def __init__(self, text: str) -> None:
        # The text the fields are read in: tabs, where it has them, are kept. An attribute,
        # not a property: the phone check reads it for every number.
        self.text = text
        self._headers: dict[tuple[int, str], list[str] | None] = {}
        # Per line start: the header of the table the line is a row of, with its delimiter.
        self._rows: dict[int, tuple[str, list[str]] | None] = {}
        self._inserts: list[re.Match[str]] | None = None

    def name_at(self, start: int) -> str:
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        inserts = self._inserts
        if inserts is None:
            inserts = self._inserts = _inserts(text)
        column = self._sql_column(inserts, start) if inserts else None
        if column is None:
            column = self._table_column(line_start, start)
        if column is not None:
            return column
        return _label(
            text[line_start if line_start > start - _LABEL_REACH else start - _LABEL_REACH : start]
        )

    def column_below(self, position: int) -> list[tuple[int, int]]:
        """The values (start, end; quotes and spaces trimmed) in the column under the header
        cell at `position`, when its line is the header of a table; else none."""
        text = self.text
        line_start = text.rfind("\n", 0, position) + 1
        line = _line_at(text, line_start)
        for delimiter in _DELIMITERS:
            count = _count_cells(line, delimiter)
            if count >= (3 if delimiter == "," else 2):
                break
        else:
            return []
        cells = _cells(line, delimiter)
        if not all(_HEADER_CELL.fullmatch(c) for c in cells if c.strip()):
            return []
        index = _count_cells(text[line_start:position], delimiter) - 1
        values = []
        row_start = line_start + len(line) + 1
        for _ in range(_MAX_ROWS):
            if row_start >= len(text):
                break
            row = _line_at(text, row_start)
            spans = _cell_spans(row, delimiter)
            if len(spans) != count:
                break
            start, end = spans[index]
            while start < end and row[start] in " \"'":
                start += 1
            while end > start and row[end - 1] in " \"'":
                end -= 1
            if start < end:
                values.append((row_start + start, row_start + end))
            row_start += len(row) + 1
        return values

    def _sql_column(self, inserts: list[re.Match[str]], start: int) -> str | None:
        statement = next((m for m in reversed(inserts) if m.end() <= start), None)
        if statement is None:
            return None
        index = _cell_index_in_tuple(self.text, statement.end(), start)
        columns = [c.strip(" \"'`[]\n\t").lower() for c in statement.group(1).split(",")]
        return columns[index] if index is not None and index < len(columns) else None

    def _table_column(self, line_start: int, start: int) -> str | None:
        if line_start in self._rows:
            row = self._rows[line_start]
        else:
            row = self._rows[line_start] = self._row(line_start)
        if row is None:
            return None
        delimiter, header = row
        index = _count_cells(self.text[line_start:start], delimiter) - 1
        return header[index] if index < len(header) else None

    def _row(self, line_start: int) -> tuple[str, list[str]] | None:
        """The delimiter and header of the table whose row starts at `line_start`, if any."""
        line_end = self.text.find("\n", line_start)
        line = self.text[line_start : len(self.text) if line_end == -1 else line_end]
        for delimiter in _DELIMITERS:
            count = _count_cells(line, delimiter)
            # A line of prose holds a comma or two; a table's rows hold more cells.
            if count >= (3 if delimiter == "," else 2):
                break
        else:
            return None
        header = self._header(line_start, delimiter, count)
        return None if header is None else (delimiter, header)

    def _header(self, line_start: int, delimiter: str, count: int) -> list[str] | None:
        """The header cells of the table whose row starts at `line_start`; None when the row
        is the header itself or the block has no header."""
        key = (line_start, delimiter)
        if key in self._headers:
            return self._headers[key]
        text = self.text
        top = line_start
        for _ in range(_MAX_ROWS):
            if top == 0:
                break
            above = text.rfind("\n", 0, top - 1) + 1
            if _count_cells(text[above : top - 1], delimiter) != count:
                break
            top = above
        header: list[str] | None = None
        if top != line_start:
            end = text.find("\n", top)
            cells = _cells(text[top : end if end != -1 else len(text)], delimiter)
            named = [c for c in cells if c.strip()]
            if named and all(_HEADER_CELL.fullmatch(c) for c in named):
                header = [c.strip(" \"'`*:").lower() for c in cells]
        self._headers[key] = header
        return header


def _inserts(text: str) -> list[re.Match[str]]:
    """The text's SQL INSERT statements with their column lists."""
    return list(_INSERT.finditer(text)) if "values" in text.lower() else []


def _line_at(text: str, line_start: int) -> str:
    line_end = text.find("\n", line_start)
    return text[line_start : len(text) if line_end == -1 else line_end]


def _cell_spans(line: str, delimiter: str) -> list[tuple[int, int]]:
    """Where each cell of a line split at `delimiter` outside double quotes lies."""
    spans, begin = [], 0
    if '"' not in line:
        end = line.find(delimiter)
        while end != -1:
            spans.append((begin, end))
            begin = end + 1
            end = line.find(delimiter, begin)
    else:
        # A cell at a time rather than a character at a time (a JSON line is thousands long).
        cell = _CELL[delimiter].match  # it matches everywhere, if only the empty string
        end = match.end() if (match := cell(line)) else 0
        while end != len(line):
            spans.append((begin, end))
            begin = end + 1
            end = match.end() if (match := cell(line, begin)) else begin
    spans.append((begin, len(line)))
    return spans


def _label(before: str) -> str:
    # Read backwards, one match at the end of the text instead of a search through it.
    label = _LABEL_BACKWARDS.match(before[::-1])
    return label.group()[::-1].strip(" \"'`:=<>\t").lower() if label else ""


def _count_cells(line: str, delimiter: str) -> int:
    """Cells in a line split at `delimiter` outside double quotes."""
    if delimiter not in line:
        return 1
    if '"' not in line:
        return line.count(delimiter) + 1
    return _QUOTED.sub("", line).count(delimiter) + 1


def _cells(line: str, delimiter: str) -> list[str]:
    return [line[start:end] for start, end in _cell_spans(line, delimiter)]


def _cell_index_in_tuple(text: str, values_start: int, start: int) -> int | None:
    """Which value of its `( … )` tuple `start` lies in, reading from after VALUES."""
    if start - values_start > _MAX_TUPLES_READ:
        return None
    index, depth, quote = 0, 0, ""
    for position in range(values_start, start):
        char = text[position]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
            if depth == 1:
                index = 0
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 1:
            index += 1
        elif char == ";" and depth == 0:
            return None  # the statement ended before the value
    return index if depth == 1 else None
