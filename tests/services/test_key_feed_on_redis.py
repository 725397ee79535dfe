"""With Redis, a change made by one process reaches another at once, not at its next poll."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from proxy.config.keys import digest_of
from proxy.keyring.feed import KeyFeed
from proxy.keyring.record import iso
from proxy.keyring.sqlite_store import SQLiteKeyStore
from proxy.keyring.table import KeyTable
from tests.support.key_store_contract import new_row
from tests.support.services import redis_url

pytestmark = pytest.mark.services


async def test_a_change_wakes_the_other_feed(tmp_path: Path) -> None:
    url = redis_url()
    path = tmp_path / "evidence.db"
    # Polls far apart: only the announcement can bring the second feed up to date in time.
    here = KeyFeed(SQLiteKeyStore(path), KeyTable(), poll_s=60, redis_url=url)
    there = KeyFeed(SQLiteKeyStore(path), KeyTable(), poll_s=60, redis_url=url)
    await here.start()
    await there.start()
    try:
        await asyncio.sleep(0.3)  # subscribed
        row, secret = new_row()
        await here.store.create(row)
        await here.changed()
        start = time.monotonic()
        while there.table.principal_for(digest_of(secret), time.time()) is None:
            assert time.monotonic() - start < 0.5, "the other feed was not woken"
            await asyncio.sleep(0.01)
        await here.store.revoke(row.id, iso(time.time()))
        await here.changed()
        start = time.monotonic()
        while there.table.principal_for(digest_of(secret), time.time()) is not None:
            assert time.monotonic() - start < 0.5, "the other feed was not woken"
            await asyncio.sleep(0.01)
    finally:
        await here.aclose()
        await there.aclose()
