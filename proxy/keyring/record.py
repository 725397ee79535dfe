"""One API key as the store holds it: the secret only as its SHA-256, times as UTC ISO-8601."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["KeyRow", "iso", "new_key_id", "parse_iso"]

# Columns in table order; the stores read and write rows as tuples in this order.
COLUMNS = (
    "id", "name", "org", "team", "policy", "secret_sha256", "previous_sha256",
    "previous_expires_at", "created_at", "updated_at", "expires_at", "revoked_at", "version",
)  # fmt: skip


def new_key_id() -> str:
    """Milliseconds first, so ids sort by creation and a listing can page by id."""
    return f"key_{int(time.time() * 1000):012x}{secrets.token_hex(6)}"


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> float:
    """Seconds since the epoch; ValueError unless the text is ISO-8601 with a time zone."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("give a time zone (e.g. Z or +00:00)")
    return moment.timestamp()


@dataclass(frozen=True, slots=True)
class KeyRow:
    id: str
    name: str
    org: str
    team: str
    # The key's own policy document as JSON text ("{}" when none): what the key narrows.
    policy: str
    secret_sha256: str
    previous_sha256: str | None
    previous_expires_at: str | None
    created_at: str
    updated_at: str
    expires_at: str | None
    revoked_at: str | None
    # The store's change counter at this row's last change: replicas read rows past theirs.
    version: int

    @classmethod
    def from_tuple(cls, row: tuple[Any, ...]) -> KeyRow:
        return cls(*row)

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in COLUMNS)

    def status(self, now: float) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and parse_iso(self.expires_at) <= now:
            return "expired"
        return "active"

    def previous_until(self, now: float) -> str | None:
        """When the secret before the last rotation stops working, while it still works."""
        until = self.previous_expires_at
        if until is None or self.revoked_at is not None or parse_iso(until) <= now:
            return None
        return until
