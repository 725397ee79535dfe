"""Sensitivity stage: scan every text the request carries, roll findings up into a level, apply
the principal's actions (block, local only, redact, pseudonymize), restore placeholders after."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from governance.compliance import gdpr_pseudonymize_types
from governance.policy import (
    PERSONAL_DATA,
    Action,
    Backend,
    CallFacts,
    EffectivePolicy,
    Verdict,
    apply_text_actions,
    text_actions,
)
from governance.policy.document import ACTION_STRICTNESS
from governance.sensitivity import (
    EntityType,
    Level,
    Pseudonyms,
    TextAction,
    TextScan,
    rewrite,
    roll_up,
    scan_text,
)
from governance.sensitivity.request_text import Path, chat_texts, embedding_texts, replace_texts
from proxy.call import Call, Next, Reply
from proxy.middleware.governed import deny_if_denied, fail_closed
from proxy.pseudonym_restore import restore_reply

__all__ = ["SensitivityStage"]

Scanned = list[tuple[Path, str, TextScan]]
_REWRITES = ("redact", "pseudonymize")


@dataclass(frozen=True)
class SensitivitySettings:
    type_levels: Mapping[EntityType, Level]
    inline_scan_chars: int
    timeout_s: float


class SensitivityStage:
    def __init__(
        self,
        policy_for: Callable[[Call], EffectivePolicy],
        candidates: Callable[[str], tuple[Backend, ...]],
        settings: SensitivitySettings,
    ) -> None:
        self._policy_for = policy_for
        self._candidates = candidates
        self._settings = settings

    async def __call__(self, call: Call, next_: Next) -> Reply:
        scanned = await fail_closed("sensitivity", call, lambda: self._scan(call))
        candidates = self._candidates(call.model)  # an unknown model is a 404, not a failure
        pseudonyms = await fail_closed(
            "sensitivity", call, lambda: self._decide(call, scanned, candidates)
        )
        assert call.verdict is not None
        deny_if_denied(call, call.verdict)
        reply = await next_(call)
        return restore_reply(reply, pseudonyms) if pseudonyms else reply

    async def _scan(self, call: Call) -> Scanned:
        texts = list(
            chat_texts(call.body) if call.endpoint == "chat" else embedding_texts(call.body)
        )
        if sum(len(text) for _, text in texts) <= self._settings.inline_scan_chars:
            return [(path, text, scan_text(text)) for path, text in texts]

        def scan_all() -> Scanned:
            return [(path, text, scan_text(text)) for path, text in texts]

        return await asyncio.wait_for(asyncio.to_thread(scan_all), self._settings.timeout_s)

    async def _decide(
        self, call: Call, scanned: Scanned, candidates: tuple[Backend, ...]
    ) -> Pseudonyms | None:
        counts = Counter(f.type for _, _, scan in scanned for f in scan.findings)
        types = frozenset(counts)
        health = any(scan.health_context for _, _, scan in scanned)
        phi = "MEDICAL_RECORD_NUMBER" in types or (health and bool(types & PERSONAL_DATA))
        level = roll_up(types, phi, self._settings.type_levels)
        body = call.body
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        call.facts = CallFacts(
            endpoint=call.endpoint,
            model=call.model,
            stream=call.stream,
            max_tokens=limit if isinstance(limit, int) else None,
            has_tools=bool(body.get("tools") or body.get("functions")),
            level=level,
            types=types,
            phi=phi,
            authenticated=call.principal.key_id != "anonymous",
        )
        call.findings = {str(entity): n for entity, n in counts.items()}
        call.sensitivity = level
        verdict = call.verdict = Verdict(self._policy_for(call), candidates)
        if not types:
            return None
        actions = text_actions(verdict.policy, types, self._settings.type_levels)
        for entity in gdpr_pseudonymize_types(verdict, types):
            actions[entity] = _stricter(actions[entity], "pseudonymize")
        apply_text_actions(verdict, actions)
        if verdict.denial is not None or not any(a in _REWRITES for a in actions.values()):
            return None
        if verdict.policy.is_shadow("sensitive_data_rewrite"):
            verdict.shadowed.append("rewrite")
            return None
        return self._rewrite(call, scanned, actions)

    def _rewrite(
        self, call: Call, scanned: Scanned, actions: Mapping[EntityType, Action]
    ) -> Pseudonyms | None:
        pseudonyms = Pseudonyms()

        def action_for(entity: EntityType) -> TextAction:
            action = actions.get(entity, "allow")
            return action if action == "redact" or action == "pseudonymize" else "allow"

        replacements: dict[Path, str] = {}
        for path, text, scan in scanned:
            if scan.findings:
                changed = rewrite(text, scan.findings, action_for, pseudonyms)
                if changed != text:
                    replacements[path] = changed
        call.body = replace_texts(call.body, replacements)
        call.body_changed = True
        call.pseudonymized = frozenset(e for e, a in actions.items() if a == "pseudonymize")
        return pseudonyms if pseudonyms else None


def _stricter(current: Action, floor: Action) -> Action:
    return current if ACTION_STRICTNESS[current] >= ACTION_STRICTNESS[floor] else floor
