"""The seam between the ledger and where its records live."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from governance.evidence.record import StoredRecord

__all__ = ["EvidenceStore"]


class EvidenceStore(Protocol):
    async def append(self, records: Sequence[StoredRecord]) -> None:
        """Write a batch atomically: all of it or none."""

    async def head(self, writer_id: str) -> tuple[int, str] | None:
        """The last (seq, hash) of a writer's chain, or None if it has no records."""

    async def writers(self) -> list[str]: ...

    def chain(self, writer_id: str) -> AsyncIterator[StoredRecord]:
        """A writer's records in sequence order."""

    def since(self, ts: str | None) -> AsyncIterator[StoredRecord]:
        """All records at or after `ts` (ISO-8601 UTC), in time order."""

    async def aclose(self) -> None: ...
