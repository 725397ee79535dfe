"""`previous_response_id` across two gateway processes sharing one PostgreSQL database (the
ledger's, where the stored responses live beside it)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from tests.support.fake_openai import FakeOpenAI
from tests.support.responses_replicas import follow_up_across_replicas, replica_config
from tests.support.servers import ServerThread
from tests.support.services import drop_table, postgres_dsn


def test_a_follow_up_on_another_replica_sees_the_stored_response(tmp_path: Path) -> None:
    dsn = postgres_dsn()
    suffix = uuid.uuid4().hex[:8]
    evidence, responses = f"evidence_resp_{suffix}", f"responses_{suffix}"
    fake = FakeOpenAI()
    try:
        with ServerThread(fake) as upstream:
            config = replica_config(
                tmp_path, upstream.url, f", store: '{dsn}', table: {evidence}",
                f"responses: {{table: {responses}}}\n",
            )  # fmt: skip
            follow_up_across_replicas(config, fake)
        assert asyncio.run(_rows(dsn, responses)) == 2  # three stored, one deleted
    finally:
        for table in (evidence, responses):
            asyncio.run(drop_table(dsn, table))


async def _rows(dsn: str, table: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await connection.close()
