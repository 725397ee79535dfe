"""Evidence in PostgreSQL, for several replicas sharing one ledger (asyncpg)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import asyncpg

from governance.evidence.postgres_pool import CONNECT_TIMEOUT_S, open_pool
from governance.evidence.record import StoredRecord
from governance.evidence.search import RecordQuery, search_sql
from governance.evidence.sql import (
    COLUMNS,
    pages_of_chain,
    pages_since,
    schema,
    stored_rows_queries,
)
from governance.evidence.store import check_duplicates

__all__ = ["PostgresEvidenceStore"]

_MARKS = ("$1", "$2")
# A store that does not answer is a failed write (retried), not a writer hung for good.
_COMMAND_TIMEOUT_S = 30.0


class PostgresEvidenceStore:
    def __init__(self, dsn: str, table: str = "metaqore_evidence") -> None:
        self.dsn = dsn
        self.table = table
        self._pool: asyncpg.Pool | None = None
        self._insert = (
            f"INSERT INTO {table} ({COLUMNS}) SELECT * FROM unnest($1::text[], $2::bigint[], "
            "$3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) "
            "ON CONFLICT (writer_id, seq) DO NOTHING"
        )

    async def _connect(self) -> asyncpg.Pool:
        if self._pool is None:
            self._pool = await open_pool(
                self.dsn, [schema(self.table, "BIGINT")], max_size=4,
                command_timeout_s=_COMMAND_TIMEOUT_S,
            )
        return self._pool

    async def append(self, records: Sequence[StoredRecord]) -> None:
        pool = await self._connect()
        columns = [list(column) for column in zip(*records, strict=True)]  # rows in column order
        async with pool.acquire() as connection, connection.transaction():
            status = await connection.execute(self._insert, *columns)
            if int(status.rpartition(" ")[2]) < len(records):
                # Some rows are there already: a batch whose commit reached PostgreSQL but
                # whose acknowledgement never came back, retried. The same rows count as
                # written; another record at one of these places rolls the batch back.
                queries = stored_rows_queries(self.table, ("$1", "$2", "$3"), records)
                stored = [row for sql, ps in queries for row in await connection.fetch(sql, *ps)]
                check_duplicates(records, stored)

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

    def chain(self, writer_id: str) -> AsyncIterator[StoredRecord]:
        return pages_of_chain(self._page, self.table, _MARKS, writer_id)

    def since(self, ts: str | None) -> AsyncIterator[StoredRecord]:
        return pages_since(self._page, self.table, _MARKS, ts)

    async def search(self, query: RecordQuery) -> list[StoredRecord]:
        sql, params = search_sql(self.table, query, _dollar, _postgres_field)
        return await self._page(sql, tuple(params))

    async def _page(self, sql: str, params: tuple[object, ...]) -> list[StoredRecord]:
        pool = await self._connect()
        return [StoredRecord(*row) for row in await pool.fetch(sql, *params)]

    async def aclose(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:  # a graceful close waits on the server; one that does not answer is cut
                await asyncio.wait_for(pool.close(), CONNECT_TIMEOUT_S)
            except TimeoutError:
                pool.terminate()


def _dollar(n: int) -> str:
    return f"${n}"


def _postgres_field(name: str) -> str:
    return f"(record::json ->> '{name}')"
