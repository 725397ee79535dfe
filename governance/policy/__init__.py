"""HMCP hierarchical policy: org ⊇ team ⊇ key files, narrowing only, evaluated per call."""

from governance.policy.document import Action, PolicyDocument
from governance.policy.effective import PERMISSIVE, EffectivePolicy, PolicyError
from governance.policy.evaluate import apply_text_actions, evaluate_policy, text_actions
from governance.policy.narrowing import narrow
from governance.policy.tree import PolicyTree, load_tree, parse_document
from governance.policy.verdict import PERSONAL_DATA, Backend, CallFacts, Verdict

__all__ = [
    "PERMISSIVE",
    "PERSONAL_DATA",
    "Action",
    "Backend",
    "CallFacts",
    "EffectivePolicy",
    "PolicyDocument",
    "PolicyError",
    "PolicyTree",
    "Verdict",
    "apply_text_actions",
    "evaluate_policy",
    "load_tree",
    "narrow",
    "parse_document",
    "text_actions",
]
