"""The API keys one process holds in memory: SHA-256 of a secret → principal, with the moment it
stops working (expiry, or the end of a rotation's grace). The auth stage reads only this."""

from __future__ import annotations

import logging
import math

import orjson
from pydantic import ValidationError

from governance.policy import PolicyDocument
from proxy.call import Principal
from proxy.keyring.record import KeyRow, parse_iso

__all__ = ["KeyTable"]

log = logging.getLogger("metaqore.keys")


class KeyTable:
    def __init__(self) -> None:
        self._by_digest: dict[bytes, tuple[Principal, float]] = {}
        self._digests: dict[str, list[bytes]] = {}
        # key id → (the row's version, its policy document) for keys with a policy of their own.
        self._policies: dict[str, tuple[int, PolicyDocument]] = {}
        self.version = 0
        # Whether any API key was ever made: from then on every call needs a key.
        self.seen_any = False

    def __len__(self) -> int:
        return len(self._digests)

    def apply(self, rows: list[KeyRow]) -> None:
        """Rows changed since `version`, in version order."""
        for row in rows:
            self.seen_any = True
            self._drop(row.id)
            self._add(row)
            self.version = max(self.version, row.version)

    def _drop(self, key_id: str) -> None:
        for digest in self._digests.pop(key_id, []):
            self._by_digest.pop(digest, None)
        self._policies.pop(key_id, None)

    def _add(self, row: KeyRow) -> None:
        if row.revoked_at is not None:
            return
        try:
            document = PolicyDocument.model_validate(orjson.loads(row.policy))
        except (ValidationError, orjson.JSONDecodeError):
            # Checked when the key was made; a row that fails now is left out (fail closed).
            log.error("key %s left out: its stored policy does not load", row.id)
            return
        principal = Principal(org=row.org, team=row.team, key_id=row.id)
        expires = parse_iso(row.expires_at) if row.expires_at is not None else math.inf
        entries = [(bytes.fromhex(row.secret_sha256), expires)]
        if row.previous_sha256 is not None and row.previous_expires_at is not None:
            grace = min(expires, parse_iso(row.previous_expires_at))
            entries.append((bytes.fromhex(row.previous_sha256), grace))
        for digest, until in entries:
            self._by_digest[digest] = (principal, until)
        self._digests[row.id] = [digest for digest, _ in entries]
        if document.model_fields_set:
            self._policies[row.id] = (row.version, document)

    def principal_for(self, digest: bytes, now: float) -> Principal | None:
        """The principal of a secret's SHA-256 while it works, else None."""
        entry = self._by_digest.get(digest)
        if entry is None or now >= entry[1]:
            return None
        return entry[0]

    def principal_of(self, key_id: str) -> Principal | None:
        """The principal of a key that is not revoked, by its id (whether or not it expired)."""
        digests = self._digests.get(key_id)
        return self._by_digest[digests[0]][0] if digests else None

    def policy_of(self, key_id: str) -> tuple[int, PolicyDocument] | None:
        return self._policies.get(key_id)
