"""The HMCP policy and compliance stages: each adds to the call's verdict and stops the call
when the verdict denies it."""

from __future__ import annotations

from collections.abc import Callable

from governance.compliance import evaluate_compliance
from governance.policy import CallFacts, Verdict, evaluate_policy
from proxy.call import Call, Next, Reply
from proxy.middleware.governed import FailClosed, deny_if_denied

__all__ = ["VerdictStage", "compliance_stage", "policy_stage"]


class VerdictStage:
    def __init__(self, name: str, evaluate: Callable[[Call, Verdict, CallFacts], None]) -> None:
        self.name = name
        self._evaluate = evaluate

    async def __call__(self, call: Call, next_: Next) -> Reply:
        verdict, facts = call.verdict, call.facts
        if verdict is None or facts is None:  # the sensitivity stage always runs first
            raise RuntimeError(f"the {self.name} stage ran before the sensitivity stage")

        with FailClosed(self.name, call):
            self._evaluate(call, verdict, facts)
        deny_if_denied(call, verdict)
        return await next_(call)


def policy_stage() -> VerdictStage:
    return VerdictStage("policy", lambda _call, verdict, facts: evaluate_policy(verdict, facts))


def compliance_stage() -> VerdictStage:
    return VerdictStage(
        "compliance",
        lambda call, verdict, facts: evaluate_compliance(verdict, facts, call.pseudonymized),
    )
