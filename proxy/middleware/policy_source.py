"""The policy tree in force, swapped atomically when its files change (or on request); a broken
edit keeps the last good tree and reports why."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path

from governance.policy import (
    PERMISSIVE,
    EffectivePolicy,
    PolicyDocument,
    PolicyError,
    PolicyTree,
    load_tree,
)
from proxy.call import Call
from proxy.keyring.policy import key_policy

__all__ = ["PolicySource"]

log = logging.getLogger("metaqore.policy")


class PolicySource:
    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.tree: PolicyTree | None = load_tree(root) if root is not None else None
        self.last_error: str | None = None
        self._fingerprint = _fingerprint(root)
        # The keys API's own policies (key id → its version and document), when it is on.
        self.key_policies: Callable[[str], tuple[int, PolicyDocument] | None] | None = None
        # key id → (tree, key version, the key's policy over that tree): narrowed once per change.
        self._narrowed: dict[str, tuple[PolicyTree | None, int, EffectivePolicy]] = {}

    def for_call(self, call: Call) -> EffectivePolicy:
        principal = call.principal
        parent = self.for_principal(principal.org, principal.team, principal.key_id)
        own = self.key_policies(principal.key_id) if self.key_policies is not None else None
        if own is None:
            return parent
        version, document = own
        kept = self._narrowed.get(principal.key_id)
        if kept is not None and kept[0] is self.tree and kept[1] == version:
            return kept[2]
        # A key checked when it was made may widen a tree edited since: PolicyError, which the
        # stage turns into 503 governance_unavailable (fail closed).
        effective = key_policy(parent, document, principal.key_id)
        self._narrowed[principal.key_id] = (self.tree, version, effective)
        return effective

    def for_principal(self, org: str, team: str, key_id: str) -> EffectivePolicy:
        """The tree's policy, before any policy of the key's own."""
        if self.tree is None:
            return PERMISSIVE
        return self.tree.for_principal(org, team, key_id)

    def reload(self) -> bool:
        """Load the files again; True if the new tree is in force."""
        if self.root is None:
            return True
        self._fingerprint = _fingerprint(self.root)
        try:
            tree = load_tree(self.root)
        except PolicyError as exc:
            self.last_error = str(exc)
            log.error("policy change not applied, keeping the policies in force: %s", exc)
            return False
        self.tree, self.last_error = tree, None
        log.info("policies reloaded from %s: %d nodes", self.root, tree.nodes())
        return True

    async def watch(self, interval_s: float) -> None:
        while self.root is not None:
            await asyncio.sleep(interval_s)
            if _fingerprint(self.root) != self._fingerprint:
                await asyncio.to_thread(self.reload)


def _fingerprint(root: Path | None) -> tuple[tuple[str, int, int], ...]:
    if root is None or not root.is_dir():
        return ()
    entries = []
    for path in sorted(root.rglob("*.yaml")):
        try:
            stat = os.stat(path)
        except OSError:
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)
