"""Sensitivity levels and the default mapping of finding types onto them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from governance.sensitivity.findings import EntityType

__all__ = ["DEFAULT_TYPE_LEVELS", "LEVELS", "Level", "level_rank", "roll_up"]

Level = Literal["public", "internal", "confidential", "restricted"]
LEVELS: tuple[Level, ...] = ("public", "internal", "confidential", "restricted")

DEFAULT_TYPE_LEVELS: Mapping[EntityType, Level] = {
    "EMAIL": "internal",
    "PHONE": "internal",
    "IP_ADDRESS": "internal",
    "DATE_OF_BIRTH": "confidential",
    "IBAN": "confidential",
    "CREDIT_CARD": "restricted",
    "US_SSN": "restricted",
    "SECRET": "restricted",
    "MEDICAL_RECORD_NUMBER": "restricted",
}

_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def level_rank(level: Level) -> int:
    return _RANK[level]


def roll_up(
    types: Iterable[EntityType], phi: bool, type_levels: Mapping[EntityType, Level]
) -> Level:
    """The highest level among the findings; health data about a person is restricted."""
    if phi:
        return "restricted"
    rank = 0
    for entity in types:
        rank = max(rank, _RANK[type_levels.get(entity, "confidential")])
    return LEVELS[rank]
