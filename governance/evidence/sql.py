"""The evidence table and the paged reads, shared by the SQL stores (placeholders differ)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from governance.evidence.record import StoredRecord

__all__ = [
    "COLUMNS",
    "Fetch",
    "pages_of_chain",
    "pages_since",
    "schema",
    "stored_rows_queries",
]

COLUMNS = "writer_id, seq, request_id, ts, record, prev_hash, hash"
_PAGE = 1000

Fetch = Callable[[str, tuple[object, ...]], Awaitable[list[StoredRecord]]]


def schema(table: str, seq_type: str) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS {table} (
    writer_id  TEXT NOT NULL,
    seq        {seq_type} NOT NULL,
    request_id TEXT NOT NULL,
    ts         TEXT NOT NULL,
    record     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (writer_id, seq)
);
CREATE INDEX IF NOT EXISTS {table}_ts ON {table} (ts);
CREATE INDEX IF NOT EXISTS {table}_request ON {table} (request_id);
"""


def stored_rows_queries(
    table: str, marks: tuple[str, str, str], records: Sequence[StoredRecord]
) -> list[tuple[str, tuple[str, int, int]]]:
    """(sql, params) of the queries that find the rows a retried batch may already have
    stored: (writer_id, seq, hash) over each writer's range of seqs in the batch."""
    ranges: dict[str, tuple[int, int]] = {}
    for r in records:
        low, high = ranges.get(r.writer_id, (r.seq, r.seq))
        ranges[r.writer_id] = (min(low, r.seq), max(high, r.seq))
    sql = (
        f"SELECT writer_id, seq, hash FROM {table} "
        f"WHERE writer_id = {marks[0]} AND seq BETWEEN {marks[1]} AND {marks[2]}"
    )
    return [(sql, (writer, low, high)) for writer, (low, high) in ranges.items()]


async def pages_of_chain(
    fetch: Fetch, table: str, marks: tuple[str, str], writer_id: str
) -> AsyncIterator[StoredRecord]:
    """A writer's records in sequence order, a page at a time (`marks`: the placeholders)."""
    sql = (
        f"SELECT {COLUMNS} FROM {table} WHERE writer_id = {marks[0]} AND seq > {marks[1]} "
        f"ORDER BY seq LIMIT {_PAGE}"
    )
    after = 0
    while True:
        page = await fetch(sql, (writer_id, after))
        for record in page:
            yield record
        if len(page) < _PAGE:
            return
        after = page[-1].seq


async def pages_since(
    fetch: Fetch, table: str, marks: tuple[str, str], ts: str | None
) -> AsyncIterator[StoredRecord]:
    sql = (
        f"SELECT {COLUMNS} FROM {table} WHERE ts >= {marks[0]} "
        f"ORDER BY ts, writer_id, seq LIMIT {_PAGE} OFFSET {marks[1]}"
    )
    offset = 0
    while True:
        page = await fetch(sql, (ts or "", offset))
        for record in page:
            yield record
        if len(page) < _PAGE:
            return
        offset += len(page)
