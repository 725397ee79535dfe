"""What a call would be decided and why: the judging stages `serve` runs (sensitivity, policy,
compliance), stopped before any backend, and their verdict as a report. `metaqore policy
explain` and `POST /admin/policies/explain` both answer with this, so they never differ from
each other or from the running gateway."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proxy.call import Call, Principal, Reply, Stage
from proxy.middleware.chain import compose
from proxy.wire.errors import GatewayError

if TYPE_CHECKING:
    from governance.policy import EffectivePolicy

__all__ = ["explain", "rules_in_force", "sample_call"]


def sample_call(
    principal: Principal, model: str, prompt: str, stream: bool, max_tokens: int | None
) -> Call:
    """The call a client of `principal` would make with `prompt` as its one user message."""
    call = Call(
        request_id="explain",
        endpoint="chat",
        body={"model": model, "messages": [{"role": "user", "content": prompt}]},
        raw=b"",
        model=model,
        stream=stream,
        principal=principal,
    )
    if max_tokens is not None:
        call.body["max_tokens"] = max_tokens
    return call


def rules_in_force(policy: EffectivePolicy) -> list[dict[str, Any]]:
    """Every rule a policy holds and the file it comes from, the root's included."""
    return [
        {"rule": rule, "value": origin.value, "from": origin.file}
        for rule, origin in sorted(policy.origins.items())
    ]


async def explain(stages: list[Stage], call: Call) -> dict[str, Any]:
    """The report on `call` after `stages`; raises GatewayError when the call was turned away
    before any decision (an unknown model, say), or when nothing judges calls."""

    async def judged(_call: Call) -> Reply:
        return Reply(status=200, route="explain")

    try:
        await compose(stages, judged)(call)
    except GatewayError:
        if call.verdict is None:
            raise
    verdict, facts, principal = call.verdict, call.facts, call.principal
    if verdict is None or facts is None:
        raise GatewayError(400, "Governance is switched off: nothing judges a call.")
    denial = verdict.denial
    return {
        "principal": {"org": principal.org, "team": principal.team, "key": principal.key_id},
        "policy_files": list(verdict.policy.files),
        "policy_version": verdict.policy.version,
        "in_force": rules_in_force(verdict.policy),
        "sensitivity": facts.level,
        "findings": call.findings,
        "actions": call.actions,
        "decision": verdict.header(),
        "denial": None if denial is None else {"rule": denial[0], "reason": denial[1]},
        "backends": sorted(verdict.allowed_names()),
        "compliance": [[c.pack, c.control, c.result] for c in verdict.compliance],
        "rules": verdict.trail,
    }
