"""The shape of one policy file (pydantic at the edge); every field absent means "inherit"."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from governance.sensitivity import EntityType, Level

__all__ = [
    "ACTION_STRICTNESS",
    "Action",
    "GdprOptions",
    "HipaaOptions",
    "Limits",
    "Locality",
    "Pack",
    "PolicyDocument",
    "SensitivityRules",
]

Locality = Literal["cloud", "local"]
Pack = Literal["hipaa", "gdpr", "soc2"]
Action = Literal["allow", "pseudonymize", "redact", "route_local", "block"]
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
    # Rule ids that only record what they would have done.
    shadow_rules: list[str] = []
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
