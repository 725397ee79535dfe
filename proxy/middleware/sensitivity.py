"""Sensitivity stage: scan every text the request carries, roll findings up into a level, apply
the principal's actions (block, local only, redact, pseudonymize), restore placeholders after."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from governance.assessment import Scanned, assess, request_texts, rewrite_request, scan_texts
from governance.judgement import JudgementMemo
from governance.policy import Backend, EffectivePolicy
from governance.sensitivity import EntityType, Level, Pseudonyms, TextAction, TextScan
from governance.sensitivity.scan_budget import ScanBudget, ScanStopped, spending
from governance.sensitivity.scan_memo import ScanMemo
from governance.sensitivity.scan_windows import scan_long
from proxy.call import Call, Next, Reply
from proxy.middleware.governed import FailClosed, deny_if_denied
from proxy.middleware.output_scan import output_actions, scan_output
from proxy.middleware.pseudonym_restore import restore_reply
from proxy.middleware.scan_offload import ScanOffload

__all__ = ["SensitivitySettings", "SensitivityStage"]


@dataclass(frozen=True)
class SensitivitySettings:
    type_levels: Mapping[EntityType, Level]
    inline_scan_chars: int
    timeout_s: float
    scan_responses: bool = False
    scan_memo_entries: int = 0
    # How long a scan may hold the event loop before the rest of it moves to a scan thread.
    inline_scan_s: float = 0.002


class SensitivityStage:
    def __init__(
        self,
        policy_for: Callable[[Call], EffectivePolicy],
        candidates: Callable[[str], tuple[Backend, ...]],
        settings: SensitivitySettings,
        offload: ScanOffload,
    ) -> None:
        self._offload = offload
        self._policy_for = policy_for
        self._candidates = candidates
        self._settings = settings
        self._judge = JudgementMemo(settings.type_levels)
        self._scan_text: Callable[[str], TextScan] = (
            ScanMemo(settings.scan_memo_entries) if settings.scan_memo_entries else scan_long
        )

    async def __call__(self, call: Call, next_: Next) -> Reply:
        with FailClosed("sensitivity", call):
            scanned, offloaded = await self._scan(call)
        candidates = self._candidates(call.model)  # an unknown model is a 404, not a failure
        with FailClosed("sensitivity", call):
            rewrites = self._decide(call, scanned, candidates)
        assert call.verdict is not None
        deny_if_denied(call, call.verdict)
        pseudonyms = None
        if rewrites:
            with FailClosed("sensitivity", call):
                pseudonyms = await self._rewrite(call, scanned, rewrites, offloaded)
        reply = await next_(call)
        if pseudonyms:
            reply = restore_reply(reply, pseudonyms, call.endpoint)
        if self._settings.scan_responses:
            with FailClosed("sensitivity", call):
                action_for = output_actions(call, self._settings.type_levels)
                reply = scan_output(call, reply, action_for)
        return reply

    async def _scan(self, call: Call) -> tuple[Scanned, bool]:
        """The scans of the call's texts, and whether they needed a scan thread."""
        settings = self._settings
        texts = request_texts(call.endpoint, call.body)
        if sum(len(text) for _, text in texts) <= settings.inline_scan_chars:
            try:
                with spending(ScanBudget(settings.inline_scan_s)):
                    return scan_texts(texts, self._scan_text), False
            except ScanStopped:
                pass  # too costly for the loop; what was scanned stays in the memo
        budget = ScanBudget(settings.timeout_s)
        work = functools.partial(scan_texts, texts, self._scan_text)
        return await self._offload.scan(call.principal.key_id, budget, work), True

    async def _rewrite(
        self, call: Call, scanned: Scanned, rewrites: dict[EntityType, TextAction], offloaded: bool
    ) -> Pseudonyms | None:
        """The body with the findings rewritten; a big body's rewrite is off the loop too."""
        work = functools.partial(rewrite_request, call.body, scanned, rewrites)
        call.body, pseudonyms = await self._offload.run(work) if offloaded else work()
        call.body_changed = True
        call.pseudonymized = frozenset(e for e, a in rewrites.items() if a == "pseudonymize")
        return pseudonyms if pseudonyms else None

    def _decide(
        self, call: Call, scanned: Scanned, candidates: tuple[Backend, ...]
    ) -> dict[EntityType, TextAction] | None:
        """Judges the call; the rewrites it needs, if it is allowed and needs any."""
        assessment = assess(
            scanned,
            call.body,
            endpoint=call.endpoint,
            model=call.model,
            stream=call.stream,
            authenticated=call.principal.key_id != "anonymous",
            policy=self._policy_for(call),
            candidates=candidates,
            type_levels=self._settings.type_levels,
            judge_with=self._judge,
        )
        call.facts, call.verdict = assessment.facts, assessment.verdict
        call.findings, call.actions = assessment.counts, assessment.actions
        call.sensitivity = assessment.facts.level
        if assessment.verdict.denial is not None or not assessment.rewrites:
            return None
        return assessment.rewrites
