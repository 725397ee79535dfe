"""Writes nested data as JSON text into a Document, keeping labelled leaves as spans."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .document import Document, Piece


@dataclass(frozen=True)
class Joined:
    """One JSON string made of several pieces: a sentence with a value inside."""

    parts: tuple[Piece | str, ...]


Json = Mapping[str, "Json"] | Sequence["Json"] | Joined | Piece | str | int | float | bool | None


def _string(doc: Document, parts: tuple[Piece | str, ...]) -> None:
    doc.add('"')
    for part in parts:
        text = part.text if isinstance(part, Piece) else part
        if json.dumps(text, ensure_ascii=False) != f'"{text}"':
            raise ValueError(f"text needs escaping, which would move its span: {text!r}")
        doc.add(part)
    doc.add('"')


def write(doc: Document, value: Json, indent: int | None = 2, level: int = 0) -> None:
    """Like json.dumps(value, indent=indent, ensure_ascii=False); None: one compact line."""
    if isinstance(value, Piece | str):
        _string(doc, (value,))
        return
    if isinstance(value, Joined):
        _string(doc, value.parts)
        return
    if value is None or isinstance(value, bool | int | float):
        doc.add(json.dumps(value))
        return
    if isinstance(value, Mapping):
        _container(doc, "{}", [(json.dumps(k, ensure_ascii=False), v) for k, v in value.items()],
                   indent, level)
    else:
        _container(doc, "[]", [(None, v) for v in value], indent, level)


def _container(doc: Document, brackets: str, items: list[tuple[str | None, Json]],
               indent: int | None, level: int) -> None:
    if not items:
        doc.add(brackets)
        return
    inner = "" if indent is None else "\n" + " " * (indent * (level + 1))
    doc.add(brackets[0])
    for i, (key, item) in enumerate(items):
        doc.add(("," if i else "") + inner)
        if key is not None:
            doc.add(key + (": " if indent is not None else ":"))
        write(doc, item, indent, level + 1)
    doc.add(("" if indent is None else "\n" + " " * (indent * level)) + brackets[1])
