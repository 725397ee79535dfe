"""A pattern's matches read at its cues' positions instead of searched for along the text.

A search tries every position of the text; where every match of a pattern must start where one
of its cue words starts (the cue pass finds each occurrence of a word in the lowered text), the
positions that can start one are known, and trying those alone, in order and skipping the ones
inside the previous match, yields the very matches `finditer` does. Case-insensitive patterns
match a few letters beyond ASCII to ASCII ones (the long s to `s`, the Kelvin sign to `k`),
which the cue words do not, so a text beyond ASCII is searched as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = ["cue_matches"]


def cue_matches(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], ascii_only: bool
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, for a pattern that never matches empty and, in an ASCII text,
    starts each match at one of `starts` (ascending; a start may repeat or start nothing)."""
    if not ascii_only:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(text, start)
            if match is not None:
                end = match.end()
                yield match
