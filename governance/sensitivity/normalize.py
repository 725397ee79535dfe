"""Undo evasions before matching while keeping a way back to the original offsets.

First each code point reads as code_points.py says: invisible characters and stray combining
marks drop out, digits of any script become ASCII digits, compatibility forms their NFKC form,
look-alikes of other scripts the ASCII characters they imitate. Plain ASCII text skips this step
after one `isascii()`. Then, on the folded text:
- a line break is a boundary for numbers (a log line's last digits never join the next line's
  timestamp), except inside a wrapped card (groups of four, or bare digits, on both sides): that
  break goes, so the card is seen whole, when the joined digits pass Luhn's check;
- a tab between two short digit groups reads as a space (`4111\t1111\t…`); any other tab ends a
  table's cell and stays, a boundary for numbers;
- an underscore between the digit groups of a free-standing number
  (`4111_1111_…`, never `id_4111`) as a dash, so the number is judged whole, as one glued by
  dashes is, and never cut into windows as a spaced one is (`2024_0315_001` is no phone);
- gaps inside a vendor key's prefix go (`sk- proj-…`, `AK IA…`), found by the cue pass
  (keywords.py), whose cues are handed on when nothing goes (one walk over the text, not two).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from governance.sensitivity.code_points import FOLDABLE, FOLDED, RESIZING
from governance.sensitivity.keywords import Cues, find_cues_and_prefix_gaps
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.validators import card_brand, luhn_valid

__all__ = ["Normalized", "normalize"]

_FOLD_PART = 2048
_SHORT_GROUP = re.compile(r"\(?(?=[A-Za-z]*\d)[A-Za-z0-9]{1,8}\)?[.,;:]?")
# The tabs that may read as a space, for `_tab_read` to judge: a group's last character before,
# a short group that opens no bracket after. A table's other tabs never leave native code.
_TAB = re.compile(
    r"\t(?<=[A-Za-z0-9).,;:]\t)(?=(?=[A-Za-z]*\d)[A-Za-z0-9]{1,8}\)?[.,;:]?(?:[ \t\n]|\Z))"
)
# A short group is 11 characters at most (`(`, eight, `)` and a stop).
_GROUP_REACH = 12
# A NamedTuple's own constructor is a Python function; tuple's builds one at half the cost.
_tuple_new = tuple.__new__
_UNDERSCORED_NUMBER = re.compile(r"(?<![A-Za-z0-9_])[0-9]+(?:_[0-9]+)+(?![A-Za-z0-9_])")


class Normalized(NamedTuple):
    """A tuple, not a frozen dataclass: built once per scan, and cheaper so."""

    text: str
    # origin[i] is the index in the original text of normalized character i; None = identity.
    origin: list[int] | None = None
    # The text with its tabs kept, where tabs separate a table's cells; None = `text`.
    with_tabs: str | None = None
    # The cues of `text`, when the pass that found the prefix gaps read it whole (nothing was
    # dropped); None = find them on `text`.
    cues: Cues | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind the normalized span [start, end)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str) -> Normalized:
    folded, origin = (text, None) if text.isascii() else _fold(text)
    tabbed = None
    if "\t" in folded:
        tabbed = folded
        folded = _TAB.sub(_tab_read, folded)
    if "_" in folded and _digit_underscore_digit(folded):
        folded = _UNDERSCORED_NUMBER.sub(lambda m: m.group().replace("_", "-"), folded)
    cues: Cues | None
    cues, dropped = find_cues_and_prefix_gaps(folded)
    if "\n" in folded:
        dropped = sorted(dropped + _digit_line_breaks(folded))
    if dropped:
        if tabbed is not None:
            tabbed = _without(tabbed, None, dropped)[0]
        folded, origin = _without(folded, origin, dropped)
        cues = None  # read on the text before the drops
    return _tuple_new(Normalized, (folded, origin, tabbed, cues))


def _tab_read(match: re.Match[str]) -> str:
    """A tab between two short digit groups spaces one value out (`4111\t1111`, `DE89\t3704`):
    it reads as a space. Any other tab ends a table's cell, so numbers never join across it."""
    text, at = match.string, match.start()
    # Each group is looked for within a short group's reach of the tab: a search through the
    # whole text per tab made a table of n tabs cost n times its length.
    reach = max(0, at - _GROUP_REACH)
    start = max(text.rfind(c, reach, at) for c in " \t\n_") + 1
    if start == 0 and reach > 0:
        return "\t"  # the group before runs past a short group's length
    limit = at + 1 + _GROUP_REACH
    ends = [e for e in (text.find(c, at + 1, limit) for c in " \t\n") if e != -1]
    if not ends and limit < len(text):
        return "\t"  # so does the group after
    end = min(ends, default=len(text))
    opens = text.startswith("(", at + 1)  # an area code in parentheses starts a new number
    # A cell holding a number spaced out by spaces (`5147 6291 5811 5054`) ends at the tab,
    # unless more groups follow the next one (`4111 1111\t1111 1111`).
    spaced = start >= 2 and text[start - 1] == " " and text[start - 2].isdigit()
    spaced = spaced and not (text[end : end + 1] == " " and text[end + 1 : end + 2].isdigit())
    if (
        not opens
        and not spaced
        and _SHORT_GROUP.fullmatch(text, start, at)
        and _SHORT_GROUP.fullmatch(text, at + 1, end)
    ):
        return " "
    return "\t"


def _fold(text: str) -> tuple[str, list[int] | None]:
    """The text with each code point read as FOLDED says, and the origin if its length moved.

    A part at a time, checking the scan's budget between parts: a text dense with characters to
    fold costs about half a microsecond each, and a scan stops within one part's cost.
    """
    resized: list[tuple[int, int]] = []  # (index, length read) of each character that resizes
    offset = 0

    def read(match: re.Match[str]) -> str:
        char = match.group()
        folded = FOLDED.get(char, char)
        if char in RESIZING:
            resized.append((offset + match.start(), len(folded)))
        return folded

    parts = []
    for offset in range(0, len(text), _FOLD_PART):
        if offset:
            check_budget()
        parts.append(FOLDABLE.sub(read, text[offset : offset + _FOLD_PART]))
    return "".join(parts), _origin(len(text), resized) if resized else None


def _origin(length: int, resized: list[tuple[int, int]]) -> list[int]:
    """For each character of the folded text, the index of the character it came from."""
    origin: list[int] = []
    position = 0
    for index, size in resized:
        origin.extend(range(position, index))
        origin.extend([index] * size)
        position = index + 1
    origin.extend(range(position, length))
    return origin


def _digit_underscore_digit(text: str) -> bool:
    # Walks the underscores only: a pattern would step through every character.
    position = text.find("_")
    while position != -1:
        if _is_digit(text, position - 1) and _is_digit(text, position + 1):
            return True
        position = text.find("_", position + 1)
    return False


def _digit_line_breaks(text: str) -> list[tuple[int, int]]:
    """The line breaks (`\\n` or `\\r\\n`) inside a card wrapped between its digit groups."""
    found = []
    for match in _BREAK_BEFORE_DIGIT.finditer(text):
        position = match.start()
        start = position - 1 if position > 0 and text[position - 1] == "\r" else position
        if _is_digit(text, start - 1) and _wrapped_card(
            _groups_before(text, start), _groups_after(text, position + 1)
        ):
            found.append((start, position + 1))
    return found


# A line break before a digit: the pattern starts with its literal, so the search skips to
# each line break natively; a look-behind first would try every character.
_BREAK_BEFORE_DIGIT = re.compile(r"\n(?=[0-9])")


# Groups of four, or one bare run of digits, on each side of the break.
_GROUPS_BEFORE = re.compile(r"(?:(?:\d{4}[ \-])*\d{4}|\d+)$")
_GROUPS_AFTER = re.compile(r"(?:\d{4}(?:[ \-]\d{4})*(?:[ \-]\d{1,3})?|\d+)(?![\d\-./:])")


def _groups_before(text: str, end: int) -> str:
    match = _GROUPS_BEFORE.search(text, max(0, end - 24), end)
    if (
        match is None
        or _is_digit(text, match.start() - 1)
        or text[match.start() - 1 : match.start()] in ("-", ".")
    ):
        return ""
    return match.group()


def _groups_after(text: str, start: int) -> str:
    match = _GROUPS_AFTER.match(text, start)
    return "" if match is None else match.group()


def _wrapped_card(before: str, after: str) -> bool:
    """Groups of four on both sides of the break that make one card together."""
    digits = (before + after).replace(" ", "").replace("-", "")
    return (
        bool(before and after)
        and 13 <= len(digits) <= 19
        and luhn_valid(digits)
        and (card_brand(digits) is not None)
    )


def _is_digit(text: str, index: int) -> bool:
    return 0 <= index < len(text) and "0" <= text[index] <= "9"


def _without(
    text: str, origin: list[int] | None, dropped: Iterable[tuple[int, int]]
) -> tuple[str, list[int]]:
    """`text` less the sorted, disjoint spans `dropped`, with the origin of what is kept."""
    pieces: list[str] = []
    kept: list[int] = []
    position = 0
    for start, end in dropped:
        pieces.append(text[position:start])
        kept.extend(range(position, start))
        position = end
    pieces.append(text[position:])
    kept.extend(range(position, len(text)))
    return "".join(pieces), kept if origin is None else [origin[i] for i in kept]
