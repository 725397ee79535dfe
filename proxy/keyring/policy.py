"""A key's own policy: a policy document narrowing what its org and team get, read and checked
like a key policy file, and applied per call over the tree in force."""

from __future__ import annotations

from typing import Any

from governance.policy import EffectivePolicy, PolicyDocument, PolicyError, narrow, parse_document

__all__ = ["key_document", "key_policy"]


def key_document(policy: dict[str, Any] | None, limits: dict[str, Any] | None) -> PolicyDocument:
    """The document a key's `policy` and `limits` make (its limits are the document's).
    PolicyError naming the field."""
    data = dict(policy or {})
    if limits is not None:
        if "limits" in data:
            raise PolicyError("policy: give limits in 'limits' or in 'policy.limits', not both")
        data["limits"] = limits
    return parse_document(data, "policy")


def key_policy(parent: EffectivePolicy, document: PolicyDocument, key_id: str) -> EffectivePolicy:
    """`parent` (the tree's policy for the key's org and team) narrowed by the key's document;
    PolicyError naming the rule when the document widens it."""
    return narrow(parent, document, f"key {key_id} (keys API)", "key")
