"""GDPR: personal data stays in the allowed regions (or local, or under a DPA), or leaves them
only pseudonymized (data minimisation)."""

from __future__ import annotations

from governance.evidence.record import ComplianceResult
from governance.policy.verdict import PERSONAL_DATA, Backend, CallFacts, Verdict
from governance.sensitivity import EntityType

__all__ = ["check_gdpr", "gdpr_pseudonymize_types"]

TRANSFER = "GDPR-Art.44"
MINIMISATION = "GDPR-Art.5(1)(c)"
RULE = "gdpr_transfer_outside_region"
# Immutable, shared by every call.
_TRANSFER_PASS = ComplianceResult("gdpr", TRANSFER, "pass")
_MINIMISED = ComplianceResult("gdpr", MINIMISATION, "pass")


def _compliant(verdict: Verdict) -> set[str]:
    regions = set(verdict.policy.gdpr.allowed_regions)
    return {b.name for b in verdict.candidates if _inside(b, regions)}


def _inside(backend: Backend, regions: set[str]) -> bool:
    return (
        backend.locality == "local"
        or backend.region in regions
        or "gdpr_dpa" in backend.certifications
    )


def gdpr_pseudonymize_types(
    verdict: Verdict, types: frozenset[EntityType]
) -> frozenset[EntityType]:
    """Personal data to pseudonymize because a backend outside the regions may receive it."""
    policy = verdict.policy
    if "gdpr" not in policy.packs or policy.gdpr.outside_regions != "pseudonymize":
        return frozenset()
    if verdict.allowed_names() <= _compliant(verdict):
        return frozenset()
    return types & PERSONAL_DATA


def check_gdpr(verdict: Verdict, facts: CallFacts, pseudonymized: frozenset[EntityType]) -> None:
    personal = facts.types & PERSONAL_DATA
    if not personal or verdict.allowed_names() <= _compliant(verdict):
        verdict.compliance.append(_TRANSFER_PASS)
        return
    if personal <= pseudonymized:
        verdict.compliance.append(_MINIMISED)
        return
    if verdict.keep_only(RULE, _compliant(verdict), "gdpr_regions"):
        result = "shadow" if verdict.policy.is_shadow(RULE) else "constrain"
    else:
        result = "fail"
    verdict.compliance.append(ComplianceResult("gdpr", TRANSFER, result))
