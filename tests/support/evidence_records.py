"""Evidence records for tests, the chain keys they are linked with, and stores that misbehave
on purpose (wrapping a real one)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from governance.evidence import (
    ChainKeys,
    EvidenceRecord,
    EvidenceStore,
    RecordQuery,
    StoredRecord,
    utc_now,
)

__all__ = ["KEYS", "GatedStore", "record"]

KEYS = ChainKeys.derive(b"test evidence secret")


def record(n: int) -> EvidenceRecord:
    return EvidenceRecord(
        request_id=f"req-{n}",
        ts=utc_now(),
        endpoint="chat",
        org="acme",
        team="ml",
        key_id="svc",
        model="gpt-4o-mini",
        route="up1/gpt-4o-mini",
        status=200,
        outcome="completed",
        findings={"EMAIL": 1},
    )


class GatedStore:
    """A real store whose writes fail (`down`) or wait for a permit each (`gated`)."""

    def __init__(self, inner: EvidenceStore, *, down: bool = False, gated: bool = False) -> None:
        self.inner = inner
        self.down = down
        self.gated = gated
        self.permits = asyncio.Semaphore(0)
        self.attempts = 0

    async def append(self, records: Sequence[StoredRecord]) -> None:
        self.attempts += 1
        if self.gated:
            await self.permits.acquire()
        if self.down:
            raise ConnectionRefusedError("the evidence store is down")
        await self.inner.append(records)

    async def head(self, writer_id: str) -> tuple[int, str] | None:
        if self.down:
            raise ConnectionRefusedError("the evidence store is down")
        return await self.inner.head(writer_id)

    async def writers(self) -> list[str]:
        return await self.inner.writers()

    def chain(self, writer_id: str) -> AsyncIterator[StoredRecord]:
        return self.inner.chain(writer_id)

    def since(self, ts: str | None) -> AsyncIterator[StoredRecord]:
        return self.inner.since(ts)

    async def search(self, query: RecordQuery) -> list[StoredRecord]:
        return await self.inner.search(query)

    async def aclose(self) -> None:
        await self.inner.aclose()
