"""The shape of one policy file (pydantic at the edge); every field absent means "as the parent"."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from governance.sensitivity import EntityType, Level

__all__ = [
    "ACTION_RULE",
    "ACTION_STRICTNESS",
    "Action",
    "GdprOptions",
    "HipaaOptions",
    "Limits",
    "Locality",
    "Pack",
    "PolicyDocument",
    "RuleId",
    "SensitivityRules",
]

Locality = Literal["cloud", "local"]
Pack = Literal["hipaa", "gdpr", "soc2"]
Action = Literal["allow", "pseudonymize", "redact", "route_local", "block"]
# The rules a policy can put in shadow (the `code` of the denial each one makes).
RuleId = Literal[
    "sensitive_data_blocked",
    "sensitive_data_local_only",
    "sensitive_data_rewrite",
    "model_not_allowed",
    "max_tokens_exceeded",
    "tools_not_allowed",
    "streaming_not_allowed",
    "provider_not_allowed",
    "locality_not_allowed",
    "region_not_allowed",
    "sensitivity_level_exceeded",
    "hipaa_phi_requires_baa",
    "gdpr_transfer_outside_region",
    "soc2_unattributed",
]
# The rule each action is enforced under (what `shadow_rules` names to put it in shadow).
ACTION_RULE: dict[Action, RuleId] = {
    "pseudonymize": "sensitive_data_rewrite",
    "redact": "sensitive_data_rewrite",
    "route_local": "sensitive_data_local_only",
    "block": "sensitive_data_blocked",
}
# How far each action restricts the data; a child may only move a type to the right.
ACTION_STRICTNESS: dict[Action, int] = {
    "allow": 0,
    "pseudonymize": 1,
    "redact": 2,
    "route_local": 3,
    "block": 4,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SensitivityRules(_Strict):
    """Actions per finding type and per level; a finding gets the stricter of the two."""

    types: dict[EntityType, Action] = {}
    levels: dict[Level, Action] = {}


class Limits(_Strict):
    rpm: int | None = Field(None, gt=0)
    tpm: int | None = Field(None, gt=0)
    # Spend per day in USD, from the providers' price tables (a call that starts under the
    # budget may finish over it by its own cost).
    usd_per_day: float | None = Field(None, gt=0)


class HipaaOptions(_Strict):
    # constrain: send PHI only to BAA-covered or local backends; deny: refuse the call.
    on_phi: Literal["constrain", "deny"] = "constrain"


class GdprOptions(_Strict):
    allowed_regions: list[str] = ["eu"]
    # constrain: personal data goes only to backends in the allowed regions, local ones, or
    # those with a DPA. pseudonymize: it may go elsewhere, but only as placeholders.
    outside_regions: Literal["constrain", "pseudonymize"] = "constrain"


class PolicyDocument(_Strict):
    description: str | None = None
    mode: Literal["enforce", "shadow"] | None = None
    # Rule ids that only record what they would have done; absent: as the parent.
    shadow_rules: list[RuleId] | None = None
    models: list[str] | None = None
    providers: list[str] | None = None
    localities: list[Locality] | None = None
    regions: list[str] | None = None
    max_level: dict[Locality, Level] = {}
    max_tokens: int | None = Field(None, gt=0)
    tools: bool | None = None
    streaming: bool | None = None
    sensitivity: SensitivityRules = SensitivityRules()
    limits: Limits = Limits()
    compliance: list[Pack] = []
    hipaa: HipaaOptions | None = None
    gdpr: GdprOptions | None = None
