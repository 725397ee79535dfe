"""A connection pool to PostgreSQL whose tables are made before its first use.

The ledger, the keys API and the stored Responses open their pools this way.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

__all__ = ["CONNECT_TIMEOUT_S", "open_pool"]

CONNECT_TIMEOUT_S = 5.0
# Every store's schema is made under this one advisory lock.
_SCHEMA_LOCK = 7315001


async def open_pool(
    dsn: str, schema: Sequence[str], *, max_size: int, command_timeout_s: float
) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn, min_size=0, max_size=max_size, timeout=CONNECT_TIMEOUT_S,
        command_timeout=command_timeout_s,
    )  # fmt: skip
    try:
        # Two processes creating the tables at once would race; a lock makes it one.
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock($1)", _SCHEMA_LOCK)
            for statement in schema:
                await connection.execute(statement)
    except BaseException:
        pool.terminate()
        raise
    return pool
