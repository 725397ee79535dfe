"""A key's own policy over the tree in force: narrowed once per change of either, and a key
that a later tree edit makes wider than its team fails closed (PolicyError: the stage's 503)."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.policy import PolicyDocument, PolicyError
from proxy.call import Call, Principal
from proxy.middleware.policy_source import PolicySource


def call_of(key_id: str) -> Call:
    call = Call("req_1", "chat", {}, b"{}", "gpt-4o-mini", False)
    call.principal = Principal("acme", "default", key_id)
    return call


def test_the_key_policy_narrows_the_tree_and_follows_its_edits(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("max_tokens: 1000\n")
    source = PolicySource(tmp_path)
    own = {"key_a": (1, PolicyDocument.model_validate({"max_tokens": 100}))}
    source.key_policies = own.get
    assert source.for_call(call_of("key_a")).max_tokens == 100
    assert source.for_call(call_of("key_b")).max_tokens == 1000  # no policy of its own
    assert source.for_call(call_of("key_a")) is source.for_call(call_of("key_a"))  # kept

    own["key_a"] = (2, PolicyDocument.model_validate({"max_tokens": 50}))
    assert source.for_call(call_of("key_a")).max_tokens == 50  # a new version: narrowed again

    (tmp_path / "default.yaml").write_text("max_tokens: 10\n")
    assert source.reload()
    with pytest.raises(PolicyError, match="max_tokens"):
        source.for_call(call_of("key_a"))
