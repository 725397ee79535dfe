"""Undo simple evasions before matching while keeping a way back to the original offsets.

NFKC folds full-width digits and letters; zero-width characters and soft hyphens are dropped;
a line break between two digits is removed so a number split across lines is seen whole.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Normalized", "normalize"]

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_BROKEN_DIGITS = re.compile(r"(?<=\d)\r?\n(?=\d)")


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    # origin[i] is the index in the original text of normalized character i; None = identity.
    origin: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind the normalized span [start, end)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str) -> Normalized:
    if text.isascii() and not _has_broken_digits(text):
        return Normalized(text)
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        folded = char if char.isascii() else unicodedata.normalize("NFKC", char)
        for out in folded:
            chars.append(out)
            origin.append(index)
    joined = "".join(chars)
    if not _has_broken_digits(joined):
        return Normalized(joined, origin)
    kept_chars: list[str] = []
    kept_origin: list[int] = []
    position = 0
    for match in _BROKEN_DIGITS.finditer(joined):
        kept_chars.append(joined[position : match.start()])
        kept_origin.extend(origin[position : match.start()])
        position = match.end()
    kept_chars.append(joined[position:])
    kept_origin.extend(origin[position:])
    return Normalized("".join(kept_chars), kept_origin)


def _has_broken_digits(text: str) -> bool:
    # Walks the line breaks only; a regex with a look-behind would visit every character.
    position = text.find("\n")
    while position != -1:
        after = text[position + 1 : position + 2]
        before = text[position - 2 : position] if position >= 2 else text[:position]
        if after.isdigit() and before.rstrip("\r")[-1:].isdigit():
            return True
        position = text.find("\n", position + 1)
    return False
