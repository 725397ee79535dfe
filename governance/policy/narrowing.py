"""One policy file applied to its parent's effective policy: every field it sets may only narrow
the parent (a widening raises PolicyError naming both files); every field it leaves out is the
parent's. The child's value is in force only after it passed the check, so what a file can widen
is decided here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from governance.policy.document import (
    ACTION_STRICTNESS,
    Action,
    GdprOptions,
    HipaaOptions,
    Limits,
    PolicyDocument,
)
from governance.policy.effective import (
    EffectivePolicy,
    Origin,
    PolicyError,
    Quota,
    QuotaLevel,
    RuleValue,
    enforced_rules,
    model_allowed,
)
from governance.sensitivity import level_rank

__all__ = ["narrow"]

K = TypeVar("K", bound=str)
T = TypeVar("T", bound=str)
N = TypeVar("N", int, float)
_GDPR_STRICTNESS = {"pseudonymize": 0, "constrain": 1}
_HIPAA_STRICTNESS = {"constrain": 0, "deny": 1}


@dataclass
class _Step:
    """One file narrowing its parent: the error a widening raises, and the origins it updates."""

    parent: EffectivePolicy
    file: str
    origins: dict[str, Origin]

    def widen(self, rule: str, detail: str) -> PolicyError:
        where = self.parent.files[-1] if self.parent.files else "the built-in base policy"
        return PolicyError(f"{self.file} widens {where}: {rule}: {detail}")

    def took(self, rule: str, value: RuleValue, changed: bool = True) -> None:
        """Record that this file's `value` is in force (a value restated is still inherited)."""
        if changed or rule not in self.origins:
            self.origins[rule] = Origin(value, self.file)


def narrow(
    parent: EffectivePolicy, doc: PolicyDocument, file: str, node: QuotaLevel = "org"
) -> EffectivePolicy:
    """`parent` narrowed by `doc`; raises PolicyError naming both files if `doc` widens it."""
    step = _Step(parent, file, dict(parent.origins))
    shadowing = _shadowing(step, doc)
    changes: dict[str, Any] = {
        **shadowing,
        **_destinations(step, doc),
        **_call_shape(step, doc),
        **_actions(step, doc, replace(parent, **shadowing)),
        **_limits(step, doc.limits, node),
        **_compliance(step, doc),
    }
    return replace(parent, files=(*parent.files, file), origins=step.origins, **changes)


def _shadowing(step: _Step, doc: PolicyDocument) -> dict[str, Any]:
    """A file may shadow only rules its parent does not enforce, so it can try its own rules
    without switching off any it inherits."""
    parent, enforced = step.parent, enforced_rules(step.parent)
    if doc.mode == "shadow" and enforced:
        raise step.widen("mode", f"cannot shadow '{sorted(enforced)[0]}', which it enforces")
    over = sorted(set(doc.shadow_rules or ()) & enforced)
    if over:
        raise step.widen("shadow_rules", f"'{over[0]}' is enforced there")
    all_shadow = parent.all_shadow if doc.mode is None else doc.mode == "shadow"
    rules = parent.shadow_rules
    if doc.shadow_rules is not None or doc.mode == "enforce":
        rules = frozenset(doc.shadow_rules or ())
    if doc.mode is not None:
        step.took("mode", doc.mode, all_shadow != parent.all_shadow)
    if rules != parent.shadow_rules:
        step.took("shadow_rules", tuple(sorted(rules)))
    return {"all_shadow": all_shadow, "shadow_rules": rules}


def _destinations(step: _Step, doc: PolicyDocument) -> dict[str, Any]:
    """Which models a call may name and which backends may see it."""
    parent, models = step.parent, step.parent.models
    if doc.models is not None:
        for pattern in doc.models:
            if not model_allowed(parent.models, pattern):
                raise step.widen("models", f"'{pattern}' is not allowed there")
        group = tuple(doc.models)
        step.took("models", group, not models or group != models[-1])
        models = (*models, group)
    max_level = dict(parent.max_level)
    for locality, level in doc.max_level.items():
        ceiling = parent.max_level.get(locality)
        if ceiling is not None and level_rank(level) > level_rank(ceiling):
            raise step.widen(f"max_level.{locality}", f"'{level}' is above '{ceiling}'")
        step.took(f"max_level.{locality}", level, level != ceiling)
        max_level[locality] = level
    return {
        "models": models,
        "providers": _subset(step, "providers", doc.providers, parent.providers),
        "localities": _subset(step, "localities", doc.localities, parent.localities),
        "regions": _subset(step, "regions", doc.regions, parent.regions),
        "max_level": max_level,
    }


def _call_shape(step: _Step, doc: PolicyDocument) -> dict[str, Any]:
    parent = step.parent
    return {
        "max_tokens": _at_most(step, "max_tokens", doc.max_tokens, parent.max_tokens),
        "tools": _turned_off(step, "tools", doc.tools, parent.tools),
        "streaming": _turned_off(step, "streaming", doc.streaming, parent.streaming),
    }


def _actions(step: _Step, doc: PolicyDocument, shadowed: EffectivePolicy) -> dict[str, Any]:
    """`shadowed`: the parent under this file's shadow settings, which tell what it enforces."""
    parent, rules = step.parent, doc.sensitivity
    return {
        "type_actions": _stricter(
            step, "sensitivity.types", rules.types, parent.type_actions, shadowed
        ),
        "level_actions": _stricter(
            step, "sensitivity.levels", rules.levels, parent.level_actions, shadowed
        ),
    }


def _limits(step: _Step, limits: Limits, node: QuotaLevel) -> dict[str, Any]:
    parent = step.parent
    rpm = _at_most(step, "limits.rpm", limits.rpm, parent.rpm)
    tpm = _at_most(step, "limits.tpm", limits.tpm, parent.tpm)
    usd = _at_most(step, "limits.usd_per_day", limits.usd_per_day, parent.usd_per_day)
    if limits.rpm is None and limits.tpm is None and limits.usd_per_day is None:
        return {"rpm": rpm, "tpm": tpm, "usd_per_day": usd}
    own = Quota(node, limits.rpm, limits.tpm, limits.usd_per_day)
    quotas = parent.quotas
    if quotas and quotas[-1].level == node:
        # The root file and an org file both count per org: one counter each, at the lower limit.
        last, quotas = quotas[-1], quotas[:-1]
        own = Quota(
            node,
            _lower(own.rpm, last.rpm),
            _lower(own.tpm, last.tpm),
            _lower(own.usd_per_day, last.usd_per_day),
        )
    return {"rpm": rpm, "tpm": tpm, "usd_per_day": usd, "quotas": (*quotas, own)}


def _compliance(step: _Step, doc: PolicyDocument) -> dict[str, Any]:
    """Packs are only ever added; a pack's options may only get stricter once a parent has it."""
    parent = step.parent
    for pack in sorted(set(doc.compliance) - parent.packs):
        step.took(f"compliance.{pack}", True)
    return {
        "packs": parent.packs | frozenset(doc.compliance),
        "hipaa": _hipaa(step, doc.hipaa),
        "gdpr": _gdpr(step, doc.gdpr),
    }


def _hipaa(step: _Step, options: HipaaOptions | None) -> HipaaOptions:
    parent = step.parent.hipaa
    if options is None:
        return parent
    if _HIPAA_STRICTNESS[options.on_phi] < _HIPAA_STRICTNESS[parent.on_phi]:
        raise step.widen("hipaa.on_phi", f"'{options.on_phi}' is weaker than '{parent.on_phi}'")
    step.took("hipaa.on_phi", options.on_phi, options.on_phi != parent.on_phi)
    return options


def _gdpr(step: _Step, options: GdprOptions | None) -> GdprOptions:
    parent = step.parent.gdpr
    if options is None:
        return parent
    # Options a parent set without the pack bind nothing yet, so a child may choose its own.
    if "gdpr" in step.parent.packs:
        extra = sorted(set(options.allowed_regions) - set(parent.allowed_regions))
        if extra:
            raise step.widen("gdpr.allowed_regions", f"'{extra[0]}' is not allowed there")
        wanted, floor = options.outside_regions, parent.outside_regions
        if _GDPR_STRICTNESS[wanted] < _GDPR_STRICTNESS[floor]:
            raise step.widen("gdpr.outside_regions", f"'{wanted}' is weaker than '{floor}'")
    regions = tuple(options.allowed_regions)
    step.took("gdpr.allowed_regions", regions, regions != tuple(parent.allowed_regions))
    step.took("gdpr.outside_regions", options.outside_regions,
              options.outside_regions != parent.outside_regions)  # fmt: skip
    return options


def _subset(
    step: _Step, rule: str, child: list[T] | None, parent: frozenset[T] | None
) -> frozenset[T] | None:
    if child is None:
        return parent
    wanted = frozenset(child)
    extra = sorted(wanted - parent) if parent is not None else []
    if extra:
        raise step.widen(rule, f"'{extra[0]}' is not allowed there")
    step.took(rule, tuple(sorted(wanted)), wanted != parent)
    return wanted


def _at_most(step: _Step, rule: str, child: N | None, parent: N | None) -> N | None:
    if child is None:
        return parent
    if parent is not None and child > parent:
        raise step.widen(rule, f"{child} is above {parent}")
    step.took(rule, child, child != parent)
    return child


def _turned_off(step: _Step, rule: str, child: bool | None, parent: bool) -> bool:
    if child is None:
        return parent
    if child and not parent:
        raise step.widen(rule, f"the parent turned {rule} off")
    step.took(rule, child, child != parent)
    return child


def _stricter(
    step: _Step,
    rule: str,
    child: Mapping[K, Action],
    parent: Mapping[K, Action],
    shadowed: EffectivePolicy,
) -> dict[K, Action]:
    merged = dict(parent)
    for name, action in child.items():
        floor = parent.get(name, "allow")
        if ACTION_STRICTNESS[action] < ACTION_STRICTNESS[floor]:
            raise step.widen(f"{rule}.{name}", f"'{action}' is weaker than '{floor}'")
        # A stricter action that only records would leave the finding unhandled.
        if floor != "allow" and step.parent.enforces(floor) and not shadowed.enforces(action):
            detail = f"'{action}' is in shadow there, so the enforced '{floor}' would not apply"
            raise step.widen(f"{rule}.{name}", detail)
        step.took(f"{rule}.{name}", action, action != floor)
        merged[name] = action
    return merged


def _lower(child: N | None, parent: N | None) -> N | None:
    if child is None or parent is None:
        return parent if child is None else child
    return min(child, parent)
