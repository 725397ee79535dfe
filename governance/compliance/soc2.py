"""SOC 2: every call attributable to a principal, captured as evidence, under a known policy."""

from __future__ import annotations

from governance.evidence.record import ComplianceResult
from governance.policy.tree import PolicyTree
from governance.policy.verdict import CallFacts, Verdict

__all__ = ["check_soc2", "soc2_files", "soc2_startup_problems"]


# Results are immutable: one object each, shared by every call.
_ATTRIBUTED = ComplianceResult("soc2", "SOC2-CC6.1", "pass")
_UNATTRIBUTED = ComplianceResult("soc2", "SOC2-CC6.1", "fail")
# Capture is guaranteed at start-up (see soc2_startup_problems); the version is recorded.
_CAPTURED = ComplianceResult("soc2", "SOC2-CC7.2", "pass")
_VERSIONED = ComplianceResult("soc2", "SOC2-CC8.1", "pass")


def check_soc2(verdict: Verdict, facts: CallFacts) -> None:
    if facts.authenticated:
        verdict.compliance.append(_ATTRIBUTED)
    else:
        verdict.deny("soc2_unattributed", "SOC 2 requires every call to carry a known key.")
        verdict.compliance.append(_UNATTRIBUTED)
    verdict.compliance.extend((_CAPTURED, _VERSIONED))


def soc2_files(tree: PolicyTree) -> list[str]:
    """The policies that switch SOC 2 on (none: it is off everywhere)."""
    policies = [tree.default, *tree.orgs.values(), *tree.teams.values(), *tree.keys.values()]
    return [p.files[-1] if p.files else "the default policy" for p in policies if "soc2" in p.packs]


def soc2_startup_problems(
    tree: PolicyTree, auth_enabled: bool, evidence_enabled: bool
) -> list[str]:
    """Configurations under which SOC 2 cannot hold; the gateway refuses to start with any."""
    where = soc2_files(tree)
    if not where:
        return []
    problems = []
    if not auth_enabled:
        problems.append(f"SOC 2 is on in {where[0]} but the config has no 'keys' (auth is off)")
    if not evidence_enabled:
        problems.append(f"SOC 2 is on in {where[0]} but evidence capture is disabled")
    return problems
