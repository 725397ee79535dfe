"""A principal's effective policy: its ancestors' files merged, each only narrowing the last."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

from governance.policy.document import (
    ACTION_STRICTNESS,
    Action,
    GdprOptions,
    HipaaOptions,
    Locality,
    Pack,
    PolicyDocument,
)
from governance.sensitivity import EntityType, Level, level_rank

__all__ = [
    "PERMISSIVE",
    "EffectivePolicy",
    "PolicyError",
    "Quota",
    "QuotaLevel",
    "model_allowed",
    "narrow",
]

T = TypeVar("T")
Widen = Callable[[str, str], "PolicyError"]
_GDPR_STRICTNESS = {"pseudonymize": 0, "constrain": 1}


QuotaLevel = Literal["org", "team", "key"]


@dataclass(frozen=True, slots=True)
class Quota:
    """A limit set by one file: it counts everything under that org, team or key together."""

    level: QuotaLevel
    rpm: int | None
    tpm: int | None
    usd_per_day: float | None = None


class PolicyError(ValueError):
    """A policy file that cannot be used, as one line naming the file(s) and the rule."""


@dataclass(frozen=True)
class EffectivePolicy:
    files: tuple[str, ...] = ()
    version: str = "none"
    all_shadow: bool = False
    shadow_rules: frozenset[str] = frozenset()
    models: tuple[str, ...] | None = None
    providers: frozenset[str] | None = None
    localities: frozenset[Locality] | None = None
    regions: frozenset[str] | None = None
    max_level: dict[Locality, Level] = field(default_factory=dict)
    max_tokens: int | None = None
    tools: bool = True
    streaming: bool = True
    type_actions: dict[EntityType, Action] = field(default_factory=dict)
    level_actions: dict[Level, Action] = field(default_factory=dict)
    rpm: int | None = None
    tpm: int | None = None
    usd_per_day: float | None = None
    # The limits as each file set them, for counting per org, team or key.
    quotas: tuple[Quota, ...] = ()
    packs: frozenset[Pack] = frozenset()
    hipaa: HipaaOptions = field(default_factory=HipaaOptions)
    gdpr: GdprOptions = field(default_factory=GdprOptions)

    def is_shadow(self, rule: str) -> bool:
        return self.all_shadow or rule in self.shadow_rules


PERMISSIVE = EffectivePolicy()


def model_allowed(patterns: tuple[str, ...] | None, model: str) -> bool:
    return patterns is None or any(fnmatch.fnmatchcase(model, p) for p in patterns)


def narrow(
    parent: EffectivePolicy, doc: PolicyDocument, file: str, node: QuotaLevel = "org"
) -> EffectivePolicy:
    """`parent` narrowed by `doc`; raises PolicyError naming both files if `doc` widens it."""
    where = parent.files[-1] if parent.files else "the built-in base policy"

    def widen(rule: str, detail: str) -> PolicyError:
        return PolicyError(f"{file} widens {where}: {rule}: {detail}")

    # Shadow mode is chosen where the rules start (an org or the default file); below that a
    # file may only move shadowed rules to enforcement.
    rooted = bool(parent.files)
    if rooted and doc.mode == "shadow" and not parent.all_shadow:
        raise widen("mode", "cannot put the parent's enforced rules in shadow mode")
    extra_shadow = set(doc.shadow_rules) - parent.shadow_rules
    if rooted and extra_shadow and not parent.all_shadow:
        raise widen("shadow_rules", f"'{sorted(extra_shadow)[0]}' is enforced by the parent")
    if doc.models is not None and parent.models is not None:
        for model in doc.models:
            if not model_allowed(parent.models, model):
                raise widen("models", f"'{model}' is not allowed there")
    _subset("providers", doc.providers, parent.providers, widen)
    _subset("localities", doc.localities, parent.localities, widen)
    _subset("regions", doc.regions, parent.regions, widen)
    for locality, level in doc.max_level.items():
        ceiling = parent.max_level.get(locality)
        if ceiling is not None and level_rank(level) > level_rank(ceiling):
            raise widen(f"max_level.{locality}", f"'{level}' is above '{ceiling}'")
    _at_most("max_tokens", doc.max_tokens, parent.max_tokens, widen)
    _at_most("limits.rpm", doc.limits.rpm, parent.rpm, widen)
    _at_most("limits.tpm", doc.limits.tpm, parent.tpm, widen)
    _at_most("limits.usd_per_day", doc.limits.usd_per_day, parent.usd_per_day, widen)
    if doc.tools and not parent.tools:
        raise widen("tools", "tools are not allowed there")
    if doc.streaming and not parent.streaming:
        raise widen("streaming", "streaming is not allowed there")
    for entity, action in doc.sensitivity.types.items():
        floor = parent.type_actions.get(entity, "allow")
        if ACTION_STRICTNESS[action] < ACTION_STRICTNESS[floor]:
            raise widen(f"sensitivity.types.{entity}", f"'{action}' is weaker than '{floor}'")
    for level, action in doc.sensitivity.levels.items():
        floor = parent.level_actions.get(level, "allow")
        if ACTION_STRICTNESS[action] < ACTION_STRICTNESS[floor]:
            raise widen(f"sensitivity.levels.{level}", f"'{action}' is weaker than '{floor}'")
    if doc.hipaa is not None and doc.hipaa.on_phi == "constrain" and parent.hipaa.on_phi == "deny":
        raise widen("hipaa.on_phi", "'constrain' is weaker than 'deny'")
    if doc.gdpr is not None:
        _subset("gdpr.allowed_regions", doc.gdpr.allowed_regions, parent.gdpr.allowed_regions,
                widen, parent_set="gdpr" in parent.packs)  # fmt: skip
        if (
            "gdpr" in parent.packs
            and _GDPR_STRICTNESS[doc.gdpr.outside_regions]
            < _GDPR_STRICTNESS[parent.gdpr.outside_regions]
        ):
            raise widen("gdpr.outside_regions", f"'{doc.gdpr.outside_regions}' is weaker")

    return replace(
        parent,
        files=(*parent.files, file),
        all_shadow=doc.mode == "shadow" or (parent.all_shadow and doc.mode != "enforce"),
        shadow_rules=_shadow_rules(parent, doc),
        models=tuple(doc.models) if doc.models is not None else parent.models,
        providers=_maybe(doc.providers, parent.providers),
        localities=_maybe(doc.localities, parent.localities),
        regions=_maybe(doc.regions, parent.regions),
        max_level={**parent.max_level, **doc.max_level},
        max_tokens=doc.max_tokens if doc.max_tokens is not None else parent.max_tokens,
        tools=doc.tools if doc.tools is not None else parent.tools,
        streaming=doc.streaming if doc.streaming is not None else parent.streaming,
        type_actions={**parent.type_actions, **doc.sensitivity.types},
        level_actions={**parent.level_actions, **doc.sensitivity.levels},
        rpm=doc.limits.rpm if doc.limits.rpm is not None else parent.rpm,
        tpm=doc.limits.tpm if doc.limits.tpm is not None else parent.tpm,
        usd_per_day=_narrowest(doc.limits.usd_per_day, parent.usd_per_day),
        quotas=_quotas(parent, doc, node),
        packs=parent.packs | frozenset(doc.compliance),
        hipaa=doc.hipaa or parent.hipaa,
        gdpr=doc.gdpr or parent.gdpr,
    )


def _shadow_rules(parent: EffectivePolicy, doc: PolicyDocument) -> frozenset[str]:
    if not parent.files or parent.all_shadow:
        return frozenset(doc.shadow_rules) or parent.shadow_rules
    # Below the root a file can only keep or drop its parent's shadowed rules.
    return (
        frozenset(doc.shadow_rules)
        if doc.shadow_rules or doc.mode == "enforce"
        else (parent.shadow_rules)
    )


def _maybe(child: list[T] | None, parent: frozenset[T] | None) -> frozenset[T] | None:
    return frozenset(child) if child is not None else parent


def _subset(
    rule: str,
    child: list[str] | list[Locality] | None,
    parent: frozenset[str] | frozenset[Locality] | list[str] | None,
    widen: Widen,
    parent_set: bool = True,
) -> None:
    if child is None or parent is None or not parent_set:
        return
    extra = sorted(set(child) - set(parent))
    if extra:
        raise widen(rule, f"'{extra[0]}' is not allowed there")


def _quotas(parent: EffectivePolicy, doc: PolicyDocument, node: QuotaLevel) -> tuple[Quota, ...]:
    limits = doc.limits
    if limits.rpm is None and limits.tpm is None and limits.usd_per_day is None:
        return parent.quotas
    return (*parent.quotas, Quota(node, limits.rpm, limits.tpm, limits.usd_per_day))


def _narrowest(child: float | None, parent: float | None) -> float | None:
    return child if child is not None else parent


def _at_most(rule: str, child: float | None, parent: float | None, widen: Widen) -> None:
    if child is not None and parent is not None and child > parent:
        raise widen(rule, f"{child} is above {parent}")
