"""What a call's spans say, as plain attributes: the GenAI semantic conventions
(`gen_ai.*`) plus the gateway's governance (`metaqore.*`). Never message content: only
names the config gives, counts, levels, rule and control ids.

A model name the config does not give is text the client chose (it could hold anything), so
it is `unlisted` here, as in evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from proxy.call import Call, Reply

__all__ = [
    "PROVIDER_NAMES",
    "Attributes",
    "governance_attributes",
    "model_label",
    "operation_name",
    "provider_name",
    "request_attributes",
    "usage_attributes",
]

Attributes = dict[str, str | int | float | bool | Sequence[str]]

# Provider kinds as `gen_ai.provider.name` spells them (its well-known values where one fits).
PROVIDER_NAMES: Mapping[str, str] = {
    "openai": "openai",
    "azure": "azure.ai.openai",
    "anthropic": "anthropic",
    "llama_cpp": "llama_cpp",
    "mock": "metaqore.mock",
}
UNLISTED = "unlisted"


def model_label(model: str, configured: Callable[[str], bool]) -> str:
    return model if configured(model) else UNLISTED


def operation_name(call: Call) -> str:
    """`gen_ai.operation.name`: the endpoint, except that a Responses call is GenAI's `chat`
    (its evidence says `responses`)."""
    return "chat" if call.endpoint == "responses" else call.endpoint


def provider_name(route: str, kinds: Mapping[str, str]) -> str | None:
    """`provider/model` → the provider's `gen_ai.provider.name`."""
    kind = kinds.get(route.partition("/")[0])
    return None if kind is None else PROVIDER_NAMES.get(kind, kind)


def request_attributes(call: Call, model: str) -> Attributes:
    return {
        "gen_ai.operation.name": operation_name(call),
        "gen_ai.request.model": model,
        "metaqore.request_id": call.request_id,
        "metaqore.stream": call.stream,
    }


def governance_attributes(call: Call, evidence_writer: str | None) -> Attributes:
    """What governance decided: the decision, level, finding types, rule and control ids, and
    the evidence record (`writer:seq`, as `metaqore evidence verify` names records)."""
    attributes: Attributes = {
        "metaqore.decision": call.decision,
        "metaqore.sensitivity.level": call.sensitivity,
        "metaqore.cache": call.cache,
        "metaqore.principal.org": call.principal.org,
        "metaqore.principal.team": call.principal.team,
        "metaqore.principal.key": call.principal.key_id,
    }
    if call.findings:
        attributes["metaqore.finding_types"] = sorted(call.findings)
    verdict = call.verdict
    if verdict is not None:
        rules = [verdict.denial[0]] if verdict.denial is not None else []
        rules.extend(verdict.constraints)
        rules.extend(verdict.shadowed)
        if rules:
            attributes["metaqore.policy.rule_ids"] = rules
        controls = [f"{c.control}:{c.result}" for c in verdict.compliance]
        if controls:
            attributes["metaqore.compliance.controls"] = controls
        attributes["metaqore.policy.version"] = verdict.policy.version
    if call.route_reason is not None:
        attributes["metaqore.route_reason"] = call.route_reason
    if evidence_writer is not None and call.evidence_seq is not None:
        attributes["metaqore.evidence.record_id"] = f"{evidence_writer}:{call.evidence_seq}"
    return attributes


def usage_attributes(reply: Reply) -> Attributes:
    usage: Mapping[str, Any] = reply.usage or {}
    attributes: Attributes = {}
    tokens_in, tokens_out = usage.get("prompt_tokens"), usage.get("completion_tokens")
    if isinstance(tokens_in, int):
        attributes["gen_ai.usage.input_tokens"] = tokens_in
    if isinstance(tokens_out, int):
        attributes["gen_ai.usage.output_tokens"] = tokens_out
    return attributes
