"""Client keys → principals. Keys are kept only as SHA-256 digests and compared in constant time."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from proxy.call import ANONYMOUS, Principal
from proxy.config.gateway_config import KeyConfig
from proxy.config.sections import SecretRef

__all__ = ["KeyRing", "digest_of", "digest_of_ref"]


def digest_of(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def digest_of_ref(ref: SecretRef) -> bytes:
    """The SHA-256 of a configured key, whether given in clear or as its digest."""
    if ref.key is not None:
        return digest_of(ref.key.get_secret_value())
    return bytes.fromhex(ref.key_sha256 or "")


@dataclass(frozen=True)
class KeyRing:
    """`enabled` is false when the config has no `keys` section: then every call is anonymous."""

    enabled: bool
    _by_digest: dict[bytes, Principal] = field(default_factory=dict)

    @classmethod
    def from_config(cls, keys: list[KeyConfig] | None) -> KeyRing:
        if keys is None:
            return cls(enabled=False)
        table: dict[bytes, Principal] = {}
        for entry in keys:
            principal = Principal(org=entry.org, team=entry.team, key_id=entry.name)
            table[digest_of_ref(entry)] = principal
        return cls(enabled=True, _by_digest=table)

    def __len__(self) -> int:
        return len(self._by_digest)

    def principals(self) -> list[Principal]:
        return list(self._by_digest.values())

    def lookup(self, digest: bytes) -> Principal | None:
        return self._by_digest.get(digest)

    def principal_for(self, credential: str | None) -> Principal | None:
        """The principal of a presented key, or None when the key is unknown or missing."""
        if not self.enabled:
            return ANONYMOUS
        if not credential:
            return None
        # Only digests are compared, so any timing difference tells about a SHA-256 of the key,
        # never about the key's bytes; this is what makes the lookup safe against timing probes.
        return self._by_digest.get(digest_of(credential))

    def named(self, name: str) -> Principal | None:
        """The principal of the key with this name (`metaqore policy explain --key`)."""
        return next((p for p in self._by_digest.values() if p.key_id == name), None)
