"""HIPAA: protected health information only reaches backends under a BAA, or local ones."""

from __future__ import annotations

from governance.evidence.record import ComplianceResult
from governance.policy.verdict import CallFacts, Verdict

__all__ = ["check_hipaa"]

CONTROL = "HIPAA-164.502(e)"  # disclosures to business associates need a BAA
RULE = "hipaa_phi_requires_baa"
_PASS = ComplianceResult("hipaa", CONTROL, "pass")  # immutable, shared by every call


def check_hipaa(verdict: Verdict, facts: CallFacts) -> None:
    if not facts.phi:
        verdict.compliance.append(_PASS)
        return
    covered = {
        b.name
        for b in verdict.candidates
        if b.locality == "local" or "hipaa_baa" in b.certifications
    }
    if verdict.allowed_names() <= covered:
        verdict.compliance.append(_PASS)
        return
    if verdict.policy.hipaa.on_phi == "deny":
        verdict.deny(RULE, "The request holds PHI and may reach a backend without a BAA.")
        result = "shadow" if verdict.policy.is_shadow(RULE) else "fail"
    elif verdict.keep_only(RULE, covered, "hipaa_baa_or_local"):
        result = "shadow" if verdict.policy.is_shadow(RULE) else "constrain"
    else:
        result = "fail"
    verdict.compliance.append(ComplianceResult("hipaa", CONTROL, result))
