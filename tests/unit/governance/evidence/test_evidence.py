"""The ledger against the real stores: chains verify, tampering is named, nothing is dropped."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from governance.evidence import (
    GENESIS,
    ChainConflict,
    ChainKeys,
    EvidenceLedger,
    EvidenceStore,
    LedgerSettings,
    StoredRecord,
    link,
    make_checkpoint,
    utc_now,
    verify,
)
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from governance.hashing import feed
from tests.support.evidence_records import KEYS, record


class Tamper:
    """Raw SQL on the store's table, as an attacker with database access would use it."""

    def __init__(self, kind: str, target: str) -> None:
        self.kind, self.target = kind, target

    async def execute(self, sql: str, *args: object) -> None:
        if self.kind == "sqlite":
            db = sqlite3.connect(self.target)
            with db:
                db.execute(sql.replace("$1", "?").replace("$2", "?").format(t="evidence"), args)
            db.close()
        else:
            dsn, table = self.target.split("|")
            connection = await asyncpg.connect(dsn)
            try:
                await connection.execute(sql.format(t=table), *args)
            finally:
                await connection.close()


Subject = tuple[EvidenceStore, Tamper]


@pytest.fixture
async def store_and_tamper(tmp_path: Path) -> AsyncIterator[tuple[EvidenceStore, Tamper]]:
    """The SQLite store; tests/services/test_evidence_on_postgres.py runs the same tests on
    PostgreSQL."""
    path = tmp_path / "evidence.db"
    store = SQLiteEvidenceStore(path)
    yield store, Tamper("sqlite", str(path))
    await store.aclose()


def settings(spool: Path, **changes: Any) -> LedgerSettings:
    return LedgerSettings(spool_root=spool / "spool", **changes)


async def fill(
    store: EvidenceStore, spool: Path, count: int, writer: str = "w1", batch_size: int = 7
) -> None:
    ledger = EvidenceLedger(
        store, KEYS, writer, settings(spool, batch_size=batch_size, writer_id_fixed=True)
    )
    await ledger.start()
    for n in range(count):
        await ledger.submit(record(n))
    await ledger.aclose()


async def test_a_written_ledger_verifies(store_and_tamper: Subject, tmp_path: Path) -> None:
    store, _ = store_and_tamper
    await fill(store, tmp_path, 30)
    report = await verify(store, KEYS)
    assert report.ok and report.records == 30
    assert report.heads["w1"][0] == 30


async def test_batches_bigger_than_one_insert_verify(
    store_and_tamper: Subject, tmp_path: Path
) -> None:
    store, _ = store_and_tamper
    await fill(store, tmp_path, 300, batch_size=300)  # SQLite writes 128 rows per statement
    report = await verify(store, KEYS)
    assert report.ok and report.records == 300


async def test_an_edited_record_is_named(store_and_tamper: Subject, tmp_path: Path) -> None:
    store, tamper = store_and_tamper
    await fill(store, tmp_path, 10)
    chain = [r async for r in store.chain("w1")]
    edited = chain[4].record.replace('"status":200', '"status":403')
    # The attacker even recomputes a plain SHA-256; without the key it cannot match the HMAC.
    forged = hashlib.sha256((chain[4].prev_hash + edited).encode()).hexdigest()
    await tamper.execute("UPDATE {t} SET record = $1, hash = $2 WHERE seq = 5", edited, forged)
    report = await verify(store, KEYS)
    assert report.first_break is not None
    assert (report.first_break.seq, report.first_break.request_id) == (5, "req-4")


async def test_a_deleted_record_is_named(store_and_tamper: Subject, tmp_path: Path) -> None:
    store, tamper = store_and_tamper
    await fill(store, tmp_path, 10)
    await tamper.execute("DELETE FROM {t} WHERE seq = 3")
    report = await verify(store, KEYS)
    assert report.first_break is not None and report.first_break.seq == 3
    assert "missing" in report.first_break.reason


async def test_a_wrong_key_fails_everything(store_and_tamper: Subject, tmp_path: Path) -> None:
    store, _ = store_and_tamper
    await fill(store, tmp_path, 3)
    report = await verify(store, ChainKeys.derive(b"another key"))
    assert report.first_break is not None and report.first_break.seq == 1


async def test_truncation_after_a_checkpoint_is_caught(
    store_and_tamper: Subject, tmp_path: Path
) -> None:
    store, tamper = store_and_tamper
    await fill(store, tmp_path, 12)
    checkpoint = await make_checkpoint(store, KEYS)
    assert checkpoint["records"] == 12
    await tamper.execute("DELETE FROM {t} WHERE seq > 10")
    assert (await verify(store, KEYS)).ok  # a bare chain cannot see its own tail cut off ...
    report = await verify(store, KEYS, checkpoint)  # ... the checkpoint can
    assert report.first_break is not None and report.first_break.seq == 11
    checkpoint["records"] = 99
    forged = await verify(store, KEYS, checkpoint)
    assert forged.first_break is not None and "signature" in forged.first_break.reason


async def test_several_writers_keep_their_own_chains(
    store_and_tamper: Subject, tmp_path: Path
) -> None:
    store, _ = store_and_tamper
    one = EvidenceLedger(store, KEYS, "worker-1", settings(tmp_path, batch_size=3))
    two = EvidenceLedger(store, KEYS, "worker-2", settings(tmp_path, batch_size=5))
    await one.start()
    await two.start()
    await asyncio.gather(*(ledger.submit(record(n)) for n in range(20) for ledger in (one, two)))
    await one.aclose()
    await two.aclose()
    report = await verify(store, KEYS)
    assert report.ok and report.records == 40
    assert set(report.heads) == {"worker-1", "worker-2"}


async def test_a_restarted_writer_continues_its_chain(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    first = SQLiteEvidenceStore(path)
    await fill(first, tmp_path, 4)
    await first.aclose()
    second = SQLiteEvidenceStore(path)
    await fill(second, tmp_path, 3)
    await second.aclose()
    store = SQLiteEvidenceStore(path)
    report = await verify(store, KEYS)
    await store.aclose()
    assert report.ok and report.heads["w1"][0] == 7


async def test_a_batch_written_twice_counts_once(store_and_tamper: Subject, tmp_path: Path) -> None:
    """A retried batch whose commit went through (its acknowledgement lost) is written."""
    store, _ = store_and_tamper
    rows = linked("w1", 1, 5)
    await store.append(rows[:3])
    await store.append(rows)  # rows 1-3 again, with 4 and 5
    report = await verify(store, KEYS)
    assert report.ok and report.records == 5


async def test_a_different_record_at_a_stored_place_is_a_conflict(
    store_and_tamper: Subject, tmp_path: Path
) -> None:
    store, _ = store_and_tamper
    rows = linked("w1", 1, 4)
    await store.append(rows[:2])
    forked = linked("w1", 1, 4, first_request=100)  # the same places, other records
    with pytest.raises(ChainConflict) as caught:
        await store.append([rows[2], *forked[1:]])
    assert (caught.value.writer_id, caught.value.seq) == ("w1", 2)
    assert await store.head("w1") == (2, rows[1].hash)  # nothing of that batch was written


def linked(writer: str, first: int, last: int, first_request: int = 0) -> list[StoredRecord]:
    """Records `first`..`last` of a chain, linked as the ledger links them."""
    rows, prev = [], GENESIS
    for seq in range(1, last + 1):
        made = record(first_request + seq)
        canonical = made.canonical()
        digest = link(KEYS, writer, seq, prev, canonical)
        row = StoredRecord(writer, seq, made.request_id, made.ts, canonical.decode(), prev, digest)
        rows.append(row)
        prev = digest
    return rows[first - 1 :]


@pytest.mark.parametrize("size", [0, 1, 2046, 2047, 2048, 4095, 10_000])
def test_hashes_fed_in_pieces_equal_hashes_of_the_whole(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    assert KEYS.body_digest(data) == hmac.digest(KEYS.body, data, "sha256").hex()
    pieces = hashlib.sha256()
    feed(pieces, data)
    assert pieces.digest() == hashlib.sha256(data).digest()


def test_timestamps_are_utc_microseconds_and_follow_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The formatted second is reused only while the clock stays within it."""
    clock = iter([1_764_111_599.75, 1_764_111_600.25, 1_764_111_600.5])
    monkeypatch.setattr("governance.evidence.record.time.time", lambda: next(clock))
    assert utc_now() == "2025-11-25T22:59:59.750000Z"
    assert utc_now() == "2025-11-25T23:00:00.250000Z"
    assert utc_now() == "2025-11-25T23:00:00.500000Z"
