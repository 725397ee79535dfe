"""Sensitivity classification: detectors with validators, levels, and the rewrites they drive."""

from governance.sensitivity.findings import ENTITY_TYPES, EntityType, Finding
from governance.sensitivity.levels import DEFAULT_TYPE_LEVELS, LEVELS, Level, level_rank, roll_up
from governance.sensitivity.scanner import TextScan, scan_text
from governance.sensitivity.transform import (
    Pseudonyms,
    StreamRestorer,
    TextAction,
    restore,
    rewrite,
)

__all__ = [
    "DEFAULT_TYPE_LEVELS",
    "ENTITY_TYPES",
    "LEVELS",
    "EntityType",
    "Finding",
    "Level",
    "Pseudonyms",
    "StreamRestorer",
    "TextAction",
    "TextScan",
    "level_rank",
    "restore",
    "rewrite",
    "roll_up",
    "scan_text",
]
