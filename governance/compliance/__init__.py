"""Compliance rule packs (HIPAA, GDPR, SOC 2), switched on per org/team in policy."""

from governance.compliance.gdpr import check_gdpr, gdpr_pseudonymize_types
from governance.compliance.hipaa import check_hipaa
from governance.compliance.soc2 import check_soc2, soc2_files, soc2_startup_problems
from governance.policy.verdict import CallFacts, Verdict
from governance.sensitivity import EntityType

__all__ = [
    "evaluate_compliance",
    "gdpr_pseudonymize_types",
    "soc2_files",
    "soc2_startup_problems",
]


def evaluate_compliance(
    verdict: Verdict, facts: CallFacts, pseudonymized: frozenset[EntityType]
) -> None:
    packs = verdict.policy.packs
    if "soc2" in packs:
        check_soc2(verdict, facts)
    if "hipaa" in packs:
        check_hipaa(verdict, facts)
    if "gdpr" in packs:
        check_gdpr(verdict, facts, pseudonymized)
