"""The cheap prompt classifier behind specialist routes: keywords and patterns from config."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from proxy.config.gateway_config import SkillConfig

__all__ = ["SkillMatch", "Skills"]


@dataclass(frozen=True, slots=True)
class SkillMatch:
    skill: str
    score: float
    fired: tuple[str, ...]  # the keywords and patterns that matched


class Skills:
    def __init__(self, config: Mapping[str, SkillConfig]) -> None:
        self._skills = {
            name: (
                tuple(k.lower() for k in spec.keywords),
                tuple(re.compile(p, re.IGNORECASE) for p in spec.patterns),
                spec.min_score,
            )
            for name, spec in config.items()
        }

    def classify(self, text: str, among: frozenset[str]) -> SkillMatch | None:
        """The most confident skill of `among` for `text`, if any reaches its threshold."""
        lowered = text.lower()
        best: SkillMatch | None = None
        for name in among:
            keywords, patterns, threshold = self._skills[name]
            fired = [k for k in keywords if k in lowered]
            fired += [p.pattern for p in patterns if p.search(text)]
            score = sum(2.0 if f not in keywords else 1.0 for f in fired)
            if score >= threshold and (best is None or score > best.score):
                best = SkillMatch(name, score, tuple(fired))
        return best
