"""Evidence in PostgreSQL, for several replicas sharing one ledger (asyncpg)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import asyncpg

from governance.evidence.record import StoredRecord

__all__ = ["PostgresEvidenceStore"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS metaqore_evidence (
    writer_id  TEXT   NOT NULL,
    seq        BIGINT NOT NULL,
    request_id TEXT   NOT NULL,
    ts         TEXT   NOT NULL,
    record     TEXT   NOT NULL,
    prev_hash  TEXT   NOT NULL,
    hash       TEXT   NOT NULL,
    PRIMARY KEY (writer_id, seq)
);
CREATE INDEX IF NOT EXISTS metaqore_evidence_ts ON metaqore_evidence (ts);
"""
_COLUMNS = "writer_id, seq, request_id, ts, record, prev_hash, hash"
_PAGE = 1000


class PostgresEvidenceStore:
    def __init__(self, dsn: str, table: str = "metaqore_evidence") -> None:
        self.dsn = dsn
        self.table = table
        self._pool: asyncpg.Pool | None = None

    async def _connect(self) -> asyncpg.Pool:
        if self._pool is None:
            pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=4)
            # Two processes creating the table at once would race; a lock makes it one.
            async with pool.acquire() as connection, connection.transaction():
                await connection.execute("SELECT pg_advisory_xact_lock(7315001)")
                await connection.execute(SCHEMA.replace("metaqore_evidence", self.table))
            self._pool = pool
        return self._pool

    async def append(self, records: Sequence[StoredRecord]) -> None:
        pool = await self._connect()
        rows = [
            (r.writer_id, r.seq, r.request_id, r.ts, r.record, r.prev_hash, r.hash) for r in records
        ]
        async with pool.acquire() as connection, connection.transaction():
            await connection.copy_records_to_table(
                self.table, records=rows, columns=_COLUMNS.split(", ")
            )

    async def head(self, writer_id: str) -> tuple[int, str] | None:
        pool = await self._connect()
        row = await pool.fetchrow(
            f"SELECT seq, hash FROM {self.table} WHERE writer_id = $1 ORDER BY seq DESC LIMIT 1",
            writer_id,
        )
        return (int(row["seq"]), str(row["hash"])) if row else None

    async def writers(self) -> list[str]:
        pool = await self._connect()
        rows = await pool.fetch(f"SELECT DISTINCT writer_id FROM {self.table} ORDER BY 1")
        return [str(r[0]) for r in rows]

    async def chain(self, writer_id: str) -> AsyncIterator[StoredRecord]:
        pool = await self._connect()
        after = 0
        while True:
            rows = await pool.fetch(
                f"SELECT {_COLUMNS} FROM {self.table} WHERE writer_id = $1 AND seq > $2 "
                f"ORDER BY seq LIMIT {_PAGE}",
                writer_id,
                after,
            )
            for row in rows:
                yield StoredRecord(*row)
            if len(rows) < _PAGE:
                return
            after = int(rows[-1]["seq"])

    async def since(self, ts: str | None) -> AsyncIterator[StoredRecord]:
        pool = await self._connect()
        offset = 0
        while True:
            rows = await pool.fetch(
                f"SELECT {_COLUMNS} FROM {self.table} WHERE ts >= $1 "
                f"ORDER BY ts, writer_id, seq LIMIT {_PAGE} OFFSET $2",
                ts or "",
                offset,
            )
            for row in rows:
                yield StoredRecord(*row)
            if len(rows) < _PAGE:
                return
            offset += len(rows)

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
