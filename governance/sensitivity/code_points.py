"""What each non-ASCII code point reads as when the scan matches, from Unicode's own data, built
once at import (about 0.2 s):

- a default-ignorable code point (the Unicode property, read through the `regex` package:
  zero-width characters, joiners, bidi controls, variation selectors, tags, fillers…) and a
  combining mark of the Inherited script (the marks any script may carry, so also ASCII) read
  as nothing;
- a decimal digit of any script reads as its ASCII digit;
- a compatibility form reads as its NFKC form (full-width and mathematical letters and digits,
  ligatures, no-break and other spaces);
- a look-alike of an ASCII character reads as that character (look_alikes.py);
- a line or paragraph separator reads as a line break.

Code points that read as themselves are not in the table.
"""

from __future__ import annotations

import array
import re
import sys
import unicodedata

import regex

from governance.sensitivity.look_alikes import ascii_look_alikes

__all__ = ["FOLDABLE", "FOLDED", "RESIZING"]


def _every_code_point() -> str:
    """Every code point above ASCII but the surrogates, as one string (decoded in one step: a
    join of a million one-character strings takes six times as long)."""
    points = array.array("I", range(0x80, 0xD800))
    points.extend(range(0xE000, 0x110000))
    if points.itemsize != 4:
        raise RuntimeError("this platform's C unsigned int is not 32 bits")
    return points.tobytes().decode(f"utf-32-{sys.byteorder[0]}e")


def _having(every: str, *properties: str) -> set[str]:
    # One search per property: a class that combines them searches ten times slower.
    return {char for name in properties for char in regex.findall(rf"\p{{{name}}}", every)}


def _build() -> dict[str, str]:
    every = _every_code_point()
    inherited = _having(every, "Script=Inherited")
    dropped = _having(every, "Default_Ignorable_Code_Point")
    dropped.update(c for c in inherited if unicodedata.category(c)[0] == "M")
    look_alikes = ascii_look_alikes()
    table = dict.fromkeys(dropped, "")
    for char in _having(every, "Nd", "NFKC_Quick_Check=No", "Zl", "Zp").union(look_alikes):
        if char not in dropped:
            parts = _compatible(char)
            table[char] = "".join(_read_alone(part, dropped, look_alikes) for part in parts)
    return {char: folded for char, folded in table.items() if folded != char}


def _compatible(char: str) -> str:
    decimal = unicodedata.decimal(char, None)
    if decimal is not None:
        return str(decimal)
    if unicodedata.category(char) in ("Zl", "Zp"):
        return "\n"
    return unicodedata.normalize("NFKC", char)


def _read_alone(char: str, dropped: set[str], look_alikes: dict[str, str]) -> str:
    if char.isascii():
        return char
    if char in dropped:
        return ""
    return look_alikes.get(char, char)


def _character_class(chars: list[str]) -> str:
    """A pattern's class for `chars`, as ranges of consecutive code points."""
    points = sorted(map(ord, chars))
    ranges: list[list[int]] = []
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )


FOLDED: dict[str, str] = _build()
# Characters whose reading changes the text's length: offsets need a map back to the original.
RESIZING = frozenset(char for char, folded in FOLDED.items() if len(folded) != 1)
# Every character above U+FFFF is a candidate, checked against FOLDED one by one: one range
# instead of hundreds keeps the search at a few nanoseconds per character.
FOLDABLE = re.compile(
    f"[{_character_class([c for c in FOLDED if ord(c) <= 0xFFFF])}\U00010000-\U0010ffff]"
)
