"""What governance concluded about one call, built up by the stages in turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from governance.evidence.record import ComplianceResult
from governance.policy.document import Locality
from governance.policy.effective import EffectivePolicy
from governance.sensitivity import EntityType, Level

__all__ = ["PERSONAL_DATA", "Backend", "CallFacts", "Verdict"]

PERSONAL_DATA: frozenset[EntityType] = frozenset(
    {"EMAIL", "PHONE", "US_SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "DATE_OF_BIRTH",
     "MEDICAL_RECORD_NUMBER"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Backend:
    """A provider as governance sees it: where it runs and what it is certified for."""

    name: str
    locality: Locality
    region: str | None
    certifications: frozenset[str]


class CallFacts(NamedTuple):
    """A tuple, not a frozen dataclass: built for every call and hashed as a memo key, which a
    tuple does for a third of the cost."""

    endpoint: str
    model: str
    stream: bool
    max_tokens: int | None
    has_tools: bool
    level: Level
    types: frozenset[EntityType]
    # Health information about an identifiable person.
    phi: bool
    authenticated: bool


@dataclass
class Verdict:
    policy: EffectivePolicy
    candidates: tuple[Backend, ...]
    allowed: frozenset[str] | None = None
    denial: tuple[str, str] | None = None
    constraints: list[str] = field(default_factory=list)
    shadowed: list[str] = field(default_factory=list)
    compliance: list[ComplianceResult] = field(default_factory=list)
    # Every rule that fired, in order, for `metaqore policy explain`.
    trail: list[str] = field(default_factory=list)

    def copy(self) -> Verdict:
        """A verdict that can be added to without touching this one."""
        return Verdict(
            self.policy,
            self.candidates,
            self.allowed,
            self.denial,
            list(self.constraints),
            list(self.shadowed),
            list(self.compliance),
            list(self.trail),
        )

    def deny(self, rule: str, reason: str) -> None:
        if self.policy.is_shadow(rule):
            self.shadowed.append(f"deny:{rule}")
            self.trail.append(f"{rule}: would deny (shadow): {reason}")
        elif self.denial is None:
            self.denial = (rule, reason)
            self.trail.append(f"{rule}: deny: {reason}")

    def keep_only(self, rule: str, keep: set[str], what: str) -> bool:
        """Narrow the allowed backends to `keep`; False when that leaves none."""
        current = self.allowed_names()
        if current <= keep:
            return True
        if self.policy.is_shadow(rule):
            self.shadowed.append(f"constrain:{what}")
            self.trail.append(f"{rule}: would keep only {sorted(current & keep)} (shadow)")
            return True
        self.allowed = frozenset(current & keep)
        self.constraints.append(what)
        self.trail.append(f"{rule}: keep only {sorted(self.allowed)} ({what})")
        if not self.allowed:
            self.deny(rule, f"no backend for this model satisfies '{what}'")
            return False
        return True

    def allowed_names(self) -> set[str]:
        names = {b.name for b in self.candidates}
        return names if self.allowed is None else names & self.allowed

    def header(self) -> str:
        """The x-metaqore-decision value: deny beats constrain beats shadow beats allow."""
        if self.denial is not None:
            return f"deny:{self.denial[0]}"
        if self.constraints:
            return "constrain:" + ",".join(self.constraints)
        if self.shadowed:
            return "shadow:" + ",".join(self.shadowed)
        return "allow"
