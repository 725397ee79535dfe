"""What a scan reports: typed spans with a score, never the matched value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

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


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """`start`/`end` are Python string indices into the scanned text; the value is not kept."""

    start: int
    end: int
    type: EntityType
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"type": self.type, "start": self.start, "end": self.end, "score": self.score}
