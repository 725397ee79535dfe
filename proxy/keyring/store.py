"""Where API keys live: a Protocol with one implementation per database (SQLite, PostgreSQL).

Every change takes the next value of one change counter inside its own transaction, and the
counter's row stays locked until the commit, so versions commit in order: a replica that has read
every row up to version v never misses a later commit with a lower one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from proxy.keyring.record import KeyRow

__all__ = [
    "ANSWERS_KEPT_S",
    "IdempotencyConflict",
    "KeyNotFound",
    "KeyRevoked",
    "KeyStore",
    "Rotation",
    "RotationRequest",
]


ANSWERS_KEPT_S = 24 * 3600


class KeyNotFound(LookupError):
    pass


class KeyRevoked(Exception):
    pass


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with another body or for another key."""


@dataclass(frozen=True, slots=True)
class RotationRequest:
    key_id: str
    new_sha256: str
    # When the secret being replaced stops working (now for no grace).
    previous_expires_at: str
    now: str
    # Idempotency: the header, a digest of what was asked (key id and body) and the new secret
    # sealed under the header; all None without the header. Answers are kept a day
    # (`ANSWERS_KEPT_S`): a retry later than that rotates again.
    idempotency_key: str | None = None
    request_digest: str | None = None
    sealed_secret: str | None = None


@dataclass(frozen=True, slots=True)
class Rotation:
    row: KeyRow
    # On a replay: the secret of the first answer, still sealed under the Idempotency-Key.
    replayed_sealed: str | None = None


class KeyStore(Protocol):
    async def create(self, row: KeyRow) -> KeyRow:
        """Insert `row` (its version is assigned here) and return it as stored."""
        ...

    async def get(self, key_id: str) -> KeyRow | None: ...

    async def page(self, after: str | None, limit: int) -> list[KeyRow]:
        """At most `limit` keys with ids past `after`, in id order."""
        ...

    async def changes(self, since: int) -> list[KeyRow]:
        """Every key changed after version `since`, in version order."""
        ...

    async def rotate(self, request: RotationRequest) -> Rotation:
        """Replace the secret (or replay the answer to the same Idempotency-Key).
        KeyNotFound, KeyRevoked, IdempotencyConflict."""
        ...

    async def revoke(self, key_id: str, now: str) -> KeyRow:
        """Revoke at once (a revoked key stays as it is). KeyNotFound."""
        ...

    async def aclose(self) -> None: ...
