"""HMCP evaluation: the principal's effective policy applied to one call."""

from __future__ import annotations

from collections.abc import Mapping

from governance.policy.document import ACTION_STRICTNESS, Action
from governance.policy.effective import EffectivePolicy, model_allowed
from governance.policy.verdict import CallFacts, Verdict
from governance.sensitivity import EntityType, Level, level_rank

__all__ = ["apply_text_actions", "evaluate_policy", "text_actions"]


def text_actions(
    policy: EffectivePolicy,
    types: frozenset[EntityType],
    type_levels: Mapping[EntityType, Level],
    in_force: bool = False,
) -> dict[EntityType, Action]:
    """The action for each finding type: the stricter of its type rule and its level rule.
    `in_force`: of the rules carried out only, so that a stricter rule in shadow never keeps
    a weaker enforced one from applying."""
    actions: dict[EntityType, Action] = {}
    for entity in types:
        by_type = policy.type_actions.get(entity, "allow")
        by_level = policy.level_actions.get(type_levels.get(entity, "confidential"), "allow")
        if in_force:
            by_type = by_type if policy.enforces(by_type) else "allow"
            by_level = by_level if policy.enforces(by_level) else "allow"
        actions[entity] = max(by_type, by_level, key=ACTION_STRICTNESS.__getitem__)
    return actions


def apply_text_actions(verdict: Verdict, actions: Mapping[EntityType, Action]) -> None:
    """Blocking and local-only actions decide about the call; rewrites are the stage's job."""
    blocked = sorted(e for e, a in actions.items() if a == "block")
    if blocked:
        verdict.deny(
            "sensitive_data_blocked",
            f"The request contains data that policy does not let leave: {', '.join(blocked)}.",
        )
    if any(a == "route_local" for a in actions.values()):
        local = {b.name for b in verdict.candidates if b.locality == "local"}
        verdict.keep_only("sensitive_data_local_only", local, "local_only")


def evaluate_policy(verdict: Verdict, facts: CallFacts) -> None:
    policy = verdict.policy
    if not model_allowed(policy.models, facts.model):
        verdict.deny("model_not_allowed", f"Policy does not allow the model '{facts.model}'.")
    if policy.max_tokens is not None and (facts.max_tokens or 0) > policy.max_tokens:
        verdict.deny(
            "max_tokens_exceeded",
            f"max_tokens {facts.max_tokens} is above the policy limit of {policy.max_tokens}.",
        )
    if facts.has_tools and not policy.tools:
        verdict.deny("tools_not_allowed", "Policy does not allow tools for this key.")
    if facts.stream and not policy.streaming:
        verdict.deny("streaming_not_allowed", "Policy does not allow streaming for this key.")
    candidates = verdict.candidates
    if policy.providers is not None:
        keep = {b.name for b in candidates if b.name in policy.providers}
        verdict.keep_only("provider_not_allowed", keep, "providers")
    if policy.localities is not None:
        keep = {b.name for b in candidates if b.locality in policy.localities}
        verdict.keep_only("locality_not_allowed", keep, "localities")
    if policy.regions is not None:
        keep = {b.name for b in candidates if b.region in policy.regions}
        verdict.keep_only("region_not_allowed", keep, "regions")
    if policy.max_level:
        rank = level_rank(facts.level)
        keep = {
            b.name
            for b in candidates
            if level_rank(policy.max_level.get(b.locality, "restricted")) >= rank
        }
        verdict.keep_only("sensitivity_level_exceeded", keep, f"level_{facts.level}")
