"""The keyed chain that makes the ledger tamper-evident.

Each record's hash is HMAC-SHA256 over (writer id, sequence number, previous hash, canonical
record) with a key held outside the database. Without the key nobody can recompute a chain after
editing, deleting or inserting a record; signed checkpoints of every chain's head let an auditor
prove that nothing before them changed, truncation included.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from governance.hashing import feed

__all__ = ["GENESIS", "ChainKeys", "link"]

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class ChainKeys:
    """Separate keys derived from one secret, so a body hash can never stand in for a link."""

    chain: bytes
    body: bytes
    checkpoint: bytes
    # Keyed once: every call hashes with these keys three times, and a copy of a keyed HMAC
    # skips the key set-up (and the Python constructor) that a new one goes through.
    _keyed_chain: hmac.HMAC = field(init=False, repr=False, compare=False)
    _keyed_body: hmac.HMAC = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_keyed_chain", hmac.new(self.chain, digestmod=hashlib.sha256))
        object.__setattr__(self, "_keyed_body", hmac.new(self.body, digestmod=hashlib.sha256))

    @classmethod
    def derive(cls, secret: bytes) -> ChainKeys:
        def sub(label: bytes) -> bytes:
            return hmac.new(secret, b"metaqore-evidence/" + label, hashlib.sha256).digest()

        return cls(chain=sub(b"chain"), body=sub(b"body"), checkpoint=sub(b"checkpoint"))

    def body_hash(self) -> hmac.HMAC:
        """A keyed hash to feed a body into piece by piece (with `feed`) as a stream passes."""
        return self._keyed_body.copy()

    def body_digest(self, body: bytes) -> str:
        mac = self.body_hash()
        feed(mac, body)  # not hmac.digest: it lets go of the GIL mid-request
        return mac.hexdigest()

    def chain_hash(self) -> hmac.HMAC:
        return self._keyed_chain.copy()

    def sign(self, payload: bytes) -> str:
        return hmac.new(self.checkpoint, payload, hashlib.sha256).hexdigest()


def link(keys: ChainKeys, writer_id: str, seq: int, prev_hash: str, record: bytes) -> str:
    mac = keys.chain_hash()
    mac.update(f"{writer_id}\n{seq}\n{prev_hash}\n".encode())
    feed(mac, record)
    return mac.hexdigest()
