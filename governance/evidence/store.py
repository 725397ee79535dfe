"""The seam between the ledger and where its records live."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any, Protocol

from governance.evidence.record import StoredRecord
from governance.evidence.search import RecordQuery

__all__ = ["ChainConflict", "EvidenceStore", "check_duplicates"]


class ChainConflict(Exception):
    """The store already holds a different record at a (writer, seq) being written: two
    processes wrote under one writer id, or the store was edited. Never overwritten, never
    skipped: the writer stops and says so."""

    def __init__(self, writer_id: str, seq: int) -> None:
        super().__init__(
            f"chain {writer_id}, record {seq}: the store holds a different record there"
        )
        self.writer_id = writer_id
        self.seq = seq


class EvidenceStore(Protocol):
    async def append(self, records: Sequence[StoredRecord]) -> None:
        """Write a batch atomically: all of it or none. Idempotent: a row already stored with
        the same hash counts as written (a retried batch whose commit was acknowledged to
        nobody); one stored with another hash raises ChainConflict and writes nothing."""

    async def head(self, writer_id: str) -> tuple[int, str] | None:
        """The last (seq, hash) of a writer's chain, or None if it has no records."""

    async def writers(self) -> list[str]: ...

    def chain(self, writer_id: str) -> AsyncIterator[StoredRecord]:
        """A writer's records in sequence order."""

    def since(self, ts: str | None) -> AsyncIterator[StoredRecord]:
        """All records at or after `ts` (ISO-8601 UTC), in time order."""

    async def search(self, query: RecordQuery) -> list[StoredRecord]:
        """At most `query.limit` records that match, newest first."""

    async def aclose(self) -> None: ...


def check_duplicates(
    records: Sequence[StoredRecord], stored_rows: Iterable[Sequence[Any]]
) -> None:
    """`stored_rows`: (writer_id, seq, hash) of the rows already in the store at the batch's
    places. Raise ChainConflict at the first place that holds another record."""
    stored = {(str(w), int(s)): str(h) for w, s, h in stored_rows}
    for record in records:
        found = stored.get((record.writer_id, record.seq))
        if found is not None and found != record.hash:
            raise ChainConflict(record.writer_id, record.seq)
