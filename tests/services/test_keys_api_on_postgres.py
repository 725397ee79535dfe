"""The keys API on two `metaqore serve` processes sharing PostgreSQL, with Redis waking the
other process at once: the same lifecycle as on SQLite (tests/e2e/test_keys_api.py)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg
import pytest

from tests.support.keys_api import lifecycle, two_gateways
from tests.support.services import drop_table, postgres_dsn, redis_url

pytestmark = pytest.mark.services


def test_lifecycle_on_postgres_with_redis(tmp_path: Path) -> None:
    dsn, redis = postgres_dsn(), redis_url()
    table = f"evidence_keys_{uuid.uuid4().hex[:8]}"
    evidence = f"store: '{dsn}', table: {table}"
    # A long poll: only Redis can bring the other process up to date within a second.
    admin = f'keys_poll_s: 1.0\n          redis_url: "{redis}"'

    async def records() -> list[str]:
        connection = await asyncpg.connect(dsn)
        try:
            return [row[0] for row in await connection.fetch(f"SELECT record FROM {table}")]
        finally:
            await connection.close()

    try:
        with two_gateways(tmp_path, evidence, admin) as (first, second):
            lifecycle(first, second, lambda: asyncio.run(records()))
    finally:
        for name in (table, f"{table}_keys", f"{table}_keys_clock", f"{table}_keys_requests"):
            asyncio.run(drop_table(dsn, name))
