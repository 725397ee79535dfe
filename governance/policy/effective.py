"""A principal's effective policy: the root's file and its descendants' merged, each only
narrowing the last (see narrowing.py), with the file each rule in force comes from."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from governance.policy.document import (
    ACTION_RULE,
    Action,
    GdprOptions,
    HipaaOptions,
    Locality,
    Pack,
    RuleId,
)
from governance.sensitivity import EntityType, Level

__all__ = [
    "PERMISSIVE",
    "EffectivePolicy",
    "Origin",
    "PolicyError",
    "Quota",
    "QuotaLevel",
    "enforced_rules",
    "model_allowed",
]

QuotaLevel = Literal["org", "team", "key"]
RuleValue = str | int | float | bool | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quota:
    """A limit set by one file: it counts everything under that org, team or key together."""

    level: QuotaLevel
    rpm: int | None
    tpm: int | None
    usd_per_day: float | None = None


class Origin(NamedTuple):
    """A rule in force, as the file that set it wrote it."""

    value: RuleValue
    file: str


class PolicyError(ValueError):
    """A policy file that cannot be used, as one line naming the file(s) and the rule."""


@dataclass(frozen=True)
class EffectivePolicy:
    files: tuple[str, ...] = ()
    version: str = "none"
    all_shadow: bool = False
    shadow_rules: frozenset[RuleId] = frozenset()
    # One pattern list per file that set `models`: a model must match a pattern of each, so a
    # child's globs can never let through what an ancestor's do not.
    models: tuple[tuple[str, ...], ...] = ()
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
    # Each rule in force (`max_tokens`, `sensitivity.types.SECRET`, …) and the file it is from.
    origins: dict[str, Origin] = field(default_factory=dict)

    def is_shadow(self, rule: str) -> bool:
        return self.all_shadow or rule in self.shadow_rules

    def enforces(self, action: Action) -> bool:
        """Whether the action is carried out, not only recorded ("allow" needs nothing)."""
        return action == "allow" or not self.is_shadow(ACTION_RULE[action])


PERMISSIVE = EffectivePolicy()


def model_allowed(patterns: tuple[tuple[str, ...], ...], model: str) -> bool:
    return all(any(fnmatch.fnmatchcase(model, p) for p in group) for group in patterns)


def _acts(*actions: Action) -> Callable[[EffectivePolicy], bool]:
    wanted = set(actions)
    return lambda p: bool(wanted & {*p.type_actions.values(), *p.level_actions.values()})


def _rewrites(policy: EffectivePolicy) -> bool:
    gdpr_rewrites = "gdpr" in policy.packs and policy.gdpr.outside_regions == "pseudonymize"
    return gdpr_rewrites or _acts("redact", "pseudonymize")(policy)


# When a policy acts on each rule: a child may shadow a rule only where its parent does not.
_ACTIVE: dict[RuleId, Callable[[EffectivePolicy], bool]] = {
    "sensitive_data_blocked": _acts("block"),
    "sensitive_data_local_only": _acts("route_local"),
    "sensitive_data_rewrite": _rewrites,
    "model_not_allowed": lambda p: bool(p.models),
    "max_tokens_exceeded": lambda p: p.max_tokens is not None,
    "tools_not_allowed": lambda p: not p.tools,
    "streaming_not_allowed": lambda p: not p.streaming,
    "provider_not_allowed": lambda p: p.providers is not None,
    "locality_not_allowed": lambda p: p.localities is not None,
    "region_not_allowed": lambda p: p.regions is not None,
    "sensitivity_level_exceeded": lambda p: bool(p.max_level),
    "hipaa_phi_requires_baa": lambda p: "hipaa" in p.packs,
    "gdpr_transfer_outside_region": lambda p: "gdpr" in p.packs,
    "soc2_unattributed": lambda p: "soc2" in p.packs,
}


def enforced_rules(policy: EffectivePolicy) -> frozenset[RuleId]:
    """The rules this policy acts on and does not merely record."""
    if policy.all_shadow:
        return frozenset()
    active = (rule for rule, acts in _ACTIVE.items() if acts(policy))
    return frozenset(active) - policy.shadow_rules
