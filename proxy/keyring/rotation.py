"""What a rotation or a revocation does to a row, and when a rotation is a replay: the same
for every store."""

from __future__ import annotations

from dataclasses import replace

import orjson

from proxy.keyring.record import KeyRow, iso, parse_iso
from proxy.keyring.store import (
    ANSWERS_KEPT_S,
    IdempotencyConflict,
    KeyRevoked,
    Rotation,
    RotationRequest,
)

__all__ = ["answers_cutoff", "replay", "revoked", "rotated", "stored_answer"]


def answers_cutoff(now: str) -> str:
    """Answers to idempotent rotations made before this are forgotten."""
    return iso(parse_iso(now) - ANSWERS_KEPT_S)


def replay(stored: tuple[str, str, str] | None, request: RotationRequest) -> Rotation | None:
    """`stored`: (request_digest, response, sealed_secret) kept under the request's
    Idempotency-Key, if any. The first answer again, or None when there is none."""
    if stored is None:
        return None
    digest, response, sealed = stored
    if digest != request.request_digest:
        raise IdempotencyConflict(request.idempotency_key)
    return Rotation(KeyRow.from_tuple(tuple(orjson.loads(response))), replayed_sealed=sealed)


def rotated(row: KeyRow, request: RotationRequest, version: int) -> KeyRow:
    if row.revoked_at is not None:
        raise KeyRevoked(row.id)
    return replace(
        row,
        secret_sha256=request.new_sha256,
        # The secret being replaced keeps working through the grace; one rotated out before it
        # stops now (only one previous secret is kept).
        previous_sha256=row.secret_sha256,
        previous_expires_at=request.previous_expires_at,
        updated_at=request.now,
        version=version,
    )


def stored_answer(row: KeyRow) -> str:
    return orjson.dumps(list(row.values())).decode()


def revoked(row: KeyRow, now: str, version: int) -> KeyRow:
    return replace(row, revoked_at=now, updated_at=now, version=version)
