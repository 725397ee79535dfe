"""What policy makes of a call's facts before any stage acts on it: the verdict so far (blocking
and local-only findings), the action per finding type, and the rewrites to make.

It is a pure function of the facts, the effective policy and the candidate backends, and
calls share a handful of fact shapes, so the sensitivity stage looks it up in a memo and hands
each call its own copy of the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from governance.compliance import gdpr_pseudonymize_types
from governance.policy import (
    Action,
    Backend,
    CallFacts,
    EffectivePolicy,
    Verdict,
    apply_text_actions,
    text_actions,
)
from governance.policy.document import ACTION_STRICTNESS
from governance.sensitivity import EntityType, Level, TextAction

__all__ = ["Judgement", "JudgementMemo", "judge"]


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    actions: dict[EntityType, Action]
    # The finding types to rewrite in the request, and how (empty when nothing must change).
    rewrites: dict[EntityType, TextAction]


def judge(
    facts: CallFacts,
    policy: EffectivePolicy,
    candidates: tuple[Backend, ...],
    type_levels: Mapping[EntityType, Level],
) -> Judgement:
    types = facts.types
    verdict = Verdict(policy, candidates)
    # What policy asks for (in shadow or not), and what it carries out.
    actions = text_actions(policy, types, type_levels)
    applied = text_actions(policy, types, type_levels, in_force=True)
    rewrites_apply = policy.enforces("pseudonymize")
    for entity in gdpr_pseudonymize_types(verdict, types):
        actions[entity] = _stricter(actions[entity], "pseudonymize")
        if rewrites_apply:
            applied[entity] = _stricter(applied[entity], "pseudonymize")
    apply_text_actions(verdict, actions)
    rewrites: dict[EntityType, TextAction] = {
        e: a for e, a in applied.items() if a == "redact" or a == "pseudonymize"
    }
    if not rewrites_apply and any(a == "redact" or a == "pseudonymize" for a in actions.values()):
        verdict.shadowed.append("rewrite")
    return Judgement(verdict, actions, rewrites)


class JudgementMemo:
    """`judge` with its answers kept, at most `max_entries` of them (then it starts afresh).

    Entries are keyed by the policy object's identity and hold the policy itself, so a reloaded
    policy never meets an answer worked out for the one it replaced."""

    def __init__(self, type_levels: Mapping[EntityType, Level], max_entries: int = 4096) -> None:
        self._type_levels = type_levels
        self._max_entries = max_entries
        self._entries: dict[
            tuple[int, tuple[Backend, ...], CallFacts], tuple[EffectivePolicy, Judgement]
        ] = {}

    def __call__(
        self, facts: CallFacts, policy: EffectivePolicy, candidates: tuple[Backend, ...]
    ) -> Judgement:
        key = (id(policy), candidates, facts)
        entry = self._entries.get(key)
        if entry is None or entry[0] is not policy:
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            entry = self._entries[key] = (
                policy,
                judge(facts, policy, candidates, self._type_levels),
            )
        kept = entry[1]
        # Later stages add to the verdict: each call gets its own.
        return Judgement(kept.verdict.copy(), dict(kept.actions), dict(kept.rewrites))


def _stricter(current: Action, floor: Action) -> Action:
    return current if ACTION_STRICTNESS[current] >= ACTION_STRICTNESS[floor] else floor
