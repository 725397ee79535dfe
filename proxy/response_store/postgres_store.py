"""Stored responses in PostgreSQL (asyncpg), for replicas sharing one ledger database: a
follow-up on any replica reads what another one committed before answering."""

from __future__ import annotations

import asyncio

import asyncpg

from governance.evidence.postgres_pool import CONNECT_TIMEOUT_S, open_pool
from proxy.response_store.store import StoredResponse

__all__ = ["PostgresResponseStore"]

_COMMAND_TIMEOUT_S = 10.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    sealed BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS {table}_expiry ON {table} (expires_at);
"""


class PostgresResponseStore:
    def __init__(self, dsn: str, table: str = "metaqore_responses") -> None:
        self.dsn = dsn
        self.table = table
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()

    async def _connect(self) -> asyncpg.Pool:
        async with self._lock:
            if self._pool is None:
                self._pool = await open_pool(
                    self.dsn, [_SCHEMA.format(table=self.table)], max_size=4,
                    command_timeout_s=_COMMAND_TIMEOUT_S,
                )
            return self._pool

    async def put(self, entry: StoredResponse) -> None:
        pool = await self._connect()
        await pool.execute(
            f"INSERT INTO {self.table} (id, owner, expires_at, sealed) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, "
            "expires_at = EXCLUDED.expires_at, sealed = EXCLUDED.sealed",
            entry.id, entry.owner, entry.expires_at, entry.sealed,
        )  # fmt: skip

    async def get(self, response_id: str, owner: str, now: float) -> bytes | None:
        pool = await self._connect()
        row = await pool.fetchrow(
            f"SELECT sealed FROM {self.table} WHERE id = $1 AND owner = $2 AND expires_at > $3",
            response_id, owner, now,
        )  # fmt: skip
        return bytes(row["sealed"]) if row else None

    async def delete(self, response_id: str, owner: str) -> bool:
        pool = await self._connect()
        status = await pool.execute(
            f"DELETE FROM {self.table} WHERE id = $1 AND owner = $2", response_id, owner
        )
        return int(status.rpartition(" ")[2]) > 0

    async def purge(self, now: float) -> int:
        pool = await self._connect()
        status = await pool.execute(f"DELETE FROM {self.table} WHERE expires_at <= $1", now)
        return int(status.rpartition(" ")[2])

    async def aclose(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:  # a graceful close waits on the server; one that does not answer is cut
                await asyncio.wait_for(pool.close(), CONNECT_TIMEOUT_S)
            except TimeoutError:
                pool.terminate()
