"""Templates with named slots (`<<name>>`), filled by makers drawing from one random source."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from random import Random

from .document import Document, Piece, Sample, plain
from .values.people import Person, person

SLOT = re.compile(r"<<([a-z][a-z0-9_]*)>>")

Maker = Callable[["Fill"], Piece | str]


class Fill:
    """The values of one document: each slot is made once, so a name used twice repeats it."""

    def __init__(self, rng: Random, makers: Mapping[str, Maker]) -> None:
        self.rng = rng
        self._makers = makers
        self._made: dict[str, Piece] = {}
        self._person: Person | None = None
        # Facts a maker leaves for another (a card's brand beside the card).
        self.notes: dict[str, str] = {}

    @property
    def person(self) -> Person:
        if self._person is None:
            self._person = person(self.rng)
        return self._person

    def __getitem__(self, name: str) -> Piece:
        if name not in self._made:
            made = self._makers[name](self)
            self._made[name] = made if isinstance(made, Piece) else plain(made)
        return self._made[name]


def render(template: str, fill: Fill, doc: Document | None = None) -> Document:
    """Appends the template to `doc` (a new one by default), each slot replaced by its value."""
    doc = Document() if doc is None else doc
    pos = 0
    for match in SLOT.finditer(template):
        doc.add(template[pos : match.start()])
        doc.add(fill[match.group(1)])
        pos = match.end()
    doc.add(template[pos:])
    return doc


def slot_names(template: str) -> set[str]:
    return set(SLOT.findall(template))


def from_templates(
    kind: str, templates: tuple[str, ...], makers: Mapping[str, Maker], rng: Random
) -> Sample:
    """One sample of `kind`: a template drawn at random, its slots filled afresh."""
    return render(rng.choice(templates), Fill(rng, makers)).sample(kind)
