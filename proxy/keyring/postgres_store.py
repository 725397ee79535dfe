"""API keys in the evidence PostgreSQL database (asyncpg), shared by every replica."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg

from governance.evidence.postgres_pool import open_pool
from proxy.keyring.record import KeyRow
from proxy.keyring.rotation import answers_cutoff, replay, revoked, rotated, stored_answer
from proxy.keyring.sql import KeySql, update_values
from proxy.keyring.store import KeyNotFound, Rotation, RotationRequest

__all__ = ["PostgresKeyStore"]

T = TypeVar("T")
_COMMAND_TIMEOUT_S = 10.0


class PostgresKeyStore:
    def __init__(self, dsn: str, table: str = "metaqore_keys") -> None:
        self.dsn = dsn
        self._sql = KeySql.of(table, numbered=True)
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()  # calls at start-up share one pool

    async def _connect(self) -> asyncpg.Pool:
        if self._pool is not None:
            return self._pool
        async with self._opening:
            if self._pool is not None:
                return self._pool
            self._pool = await open_pool(
                self.dsn, self._sql.schema("BIGINT"), max_size=2,
                command_timeout_s=_COMMAND_TIMEOUT_S,
            )
            return self._pool

    async def _write(self, work: Callable[[asyncpg.Connection, int], Awaitable[T]]) -> T:
        """`work` in one transaction, handed the next version of the change counter (whose row
        stays locked until the commit: changes are serialised and versions commit in order)."""
        pool = await self._connect()
        async with pool.acquire() as connection, connection.transaction():
            version = await connection.fetchval(self._sql.tick)
            return await work(connection, int(version))

    async def create(self, row: KeyRow) -> KeyRow:
        async def write(db: asyncpg.Connection, version: int) -> KeyRow:
            stored = KeyRow.from_tuple((*row.values()[:-1], version))
            await db.execute(self._sql.insert, *stored.values())
            return stored

        return await self._write(write)

    async def get(self, key_id: str) -> KeyRow | None:
        rows = await self._select(self._sql.by_id, key_id)
        return rows[0] if rows else None

    async def page(self, after: str | None, limit: int) -> list[KeyRow]:
        return await self._select(self._sql.page, after or "", limit)

    async def changes(self, since: int) -> list[KeyRow]:
        return await self._select(self._sql.changes, since)

    async def _select(self, sql: str, *params: object) -> list[KeyRow]:
        pool = await self._connect()
        return [KeyRow.from_tuple(tuple(r)) for r in await pool.fetch(sql, *params)]

    async def rotate(self, request: RotationRequest) -> Rotation:
        sql = self._sql

        async def write(db: asyncpg.Connection, version: int) -> Rotation:
            if request.idempotency_key is not None:
                await db.execute(sql.forget_answers, answers_cutoff(request.now))
                stored = await db.fetchrow(sql.stored_answer, request.idempotency_key)
                again = replay(None if stored is None else tuple(stored), request)
                if again is not None:
                    return again
            found = await db.fetchrow(sql.by_id, request.key_id)
            if found is None:
                raise KeyNotFound(request.key_id)
            row = rotated(KeyRow.from_tuple(tuple(found)), request, version)
            await db.execute(sql.update, *update_values(row))
            if request.idempotency_key is not None:
                await db.execute(
                    sql.keep_answer, request.idempotency_key, row.id, request.request_digest,
                    stored_answer(row), request.sealed_secret, request.now,
                )  # fmt: skip
            return Rotation(row)

        return await self._write(write)

    async def revoke(self, key_id: str, now: str) -> KeyRow:
        async def write(db: asyncpg.Connection, version: int) -> KeyRow:
            found = await db.fetchrow(self._sql.by_id, key_id)
            if found is None:
                raise KeyNotFound(key_id)
            row = KeyRow.from_tuple(tuple(found))
            if row.revoked_at is not None:
                return row
            row = revoked(row, now, version)
            await db.execute(self._sql.update, *update_values(row))
            return row

        return await self._write(write)

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
