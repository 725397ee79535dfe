"""Which ASCII character a character of another script imitates, from Unicode's confusables
table (UTS #39, shipped by the `confusable-homoglyphs` package).

The table links each character to its prototype; characters with one prototype are confusable
with each other. A character reads as an ASCII member of its group, with two limits that keep
prose in other scripts from turning into identifiers:
- a letter never reads as a digit (Cyrillic Ze, U+0417, stays, though it looks like `3`), and
  nothing but a number does;
- a wide (East Asian) character imitates nothing: katakana No, U+30CE, is no slash.
Among the candidates a letter keeps its case (Cyrillic I, U+0406, reads as `I`, not `l`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from confusable_homoglyphs.confusables import confusables_data

__all__ = ["ascii_look_alikes"]

# The package wraps right-to-left characters in marks so that its JSON prints legibly.
_DISPLAY_MARKS = "\u200e\u200f"


def ascii_look_alikes() -> dict[str, str]:
    """Every non-ASCII character that imitates an ASCII one, and that ASCII character."""
    linked = _links()
    found: dict[str, str] = {}
    for char, neighbours in linked.items():
        if char.isascii() or len(char) != 1 or unicodedata.east_asian_width(char) in "WF":
            continue
        group = set(neighbours).union(*(linked.get(n, ()) for n in neighbours))
        choice = _imitated(char, [c for c in group if c.isascii() and len(c) == 1])
        if choice is not None:
            found[char] = choice
    return found


def _links() -> dict[str, set[str]]:
    links: dict[str, set[str]] = {}
    for char, entries in confusables_data.items():
        links[char] = {_plain(entry["c"]) for entry in entries}
    return links


def _plain(text: str) -> str:
    return text.strip(_DISPLAY_MARKS)


def _imitated(char: str, candidates: Iterable[str]) -> str | None:
    category = unicodedata.category(char)
    if category[0] == "M":
        return None  # a mark imitates nothing on its own
    ordered = sorted(candidates)
    letters = [c for c in ordered if c.isalpha()]
    digits = [c for c in ordered if c.isdigit()]
    others = [c for c in ordered if not c.isalnum()]
    if category[0] == "L":
        upper = [c for c in letters if c.isupper()]
        lower = [c for c in letters if c.islower()]
        preferred = (upper + lower if category == "Lu" else lower + upper) + others
    elif category[0] == "N":
        preferred = digits + letters + others
    else:
        preferred = others + letters
    return preferred[0] if preferred else None
