"""What a scan reports: typed spans with a score, never the matched value."""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

__all__ = ["ENTITY_TYPES", "EntityType", "Finding"]

EntityType = Literal[
    "EMAIL",
    "PHONE",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN",
    "IP_ADDRESS",
    "SECRET",
    "DATE_OF_BIRTH",
    "MEDICAL_RECORD_NUMBER",
]
ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)


class Finding(NamedTuple):
    """`start`/`end` are Python string indices into the scanned text; the value is not kept.

    A tuple, not a dataclass: cheaper to build, and a tuple of plain values is one the garbage
    collector stops tracking, which matters for the thousands the scan memo keeps."""

    start: int
    end: int
    type: EntityType
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"type": self.type, "start": self.start, "end": self.end, "score": self.score}
