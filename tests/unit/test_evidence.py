"""The ledger against the real stores: chains verify, tampering is named, nothing is dropped."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import sqlite3
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import asyncpg
import pytest

from governance.evidence import (
    ChainKeys,
    EvidenceLedger,
    EvidenceRecord,
    EvidenceStore,
    StoredRecord,
    make_checkpoint,
    utc_now,
    verify,
)
from governance.evidence.postgres_store import PostgresEvidenceStore
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from governance.hashing import feed
from tests.support.services import drop_table, postgres_dsn

KEYS = ChainKeys.derive(b"test evidence secret")


def record(n: int) -> EvidenceRecord:
    return EvidenceRecord(
        request_id=f"req-{n}",
        ts=utc_now(),
        endpoint="chat",
        org="acme",
        team="ml",
        key_id="svc",
        model="gpt-4o-mini",
        route="up1/gpt-4o-mini",
        status=200,
        outcome="completed",
        findings={"EMAIL": 1},
    )


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


@pytest.fixture(params=["sqlite", "postgres"])
async def store_and_tamper(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[EvidenceStore, Tamper]]:
    if request.param == "sqlite":
        path = tmp_path / "evidence.db"
        store: EvidenceStore = SQLiteEvidenceStore(path)
        yield store, Tamper("sqlite", str(path))
        await store.aclose()
        return
    dsn = postgres_dsn()
    table = f"evidence_test_{uuid.uuid4().hex[:10]}"
    store = PostgresEvidenceStore(dsn, table=table)
    yield store, Tamper("postgres", f"{dsn}|{table}")
    await store.aclose()
    await drop_table(dsn, table)


async def fill(store: EvidenceStore, count: int, writer: str = "w1", batch_size: int = 7) -> None:
    ledger = EvidenceLedger(store, KEYS, writer, batch_size=batch_size)
    await ledger.start()
    for n in range(count):
        await ledger.submit(record(n))
    await ledger.aclose()


async def test_a_written_ledger_verifies(store_and_tamper: tuple[EvidenceStore, Tamper]) -> None:
    store, _ = store_and_tamper
    await fill(store, 30)
    report = await verify(store, KEYS)
    assert report.ok and report.records == 30
    assert report.heads["w1"][0] == 30


async def test_batches_bigger_than_one_insert_verify(
    store_and_tamper: tuple[EvidenceStore, Tamper],
) -> None:
    store, _ = store_and_tamper
    await fill(store, 300, batch_size=300)  # SQLite writes 128 rows per statement
    report = await verify(store, KEYS)
    assert report.ok and report.records == 300


async def test_an_edited_record_is_named(store_and_tamper: tuple[EvidenceStore, Tamper]) -> None:
    store, tamper = store_and_tamper
    await fill(store, 10)
    chain = [r async for r in store.chain("w1")]
    edited = chain[4].record.replace('"status":200', '"status":403')
    # The attacker even recomputes a plain SHA-256; without the key it cannot match the HMAC.
    forged = hashlib.sha256((chain[4].prev_hash + edited).encode()).hexdigest()
    await tamper.execute("UPDATE {t} SET record = $1, hash = $2 WHERE seq = 5", edited, forged)
    report = await verify(store, KEYS)
    assert report.first_break is not None
    assert (report.first_break.seq, report.first_break.request_id) == (5, "req-4")


async def test_a_deleted_record_is_named(store_and_tamper: tuple[EvidenceStore, Tamper]) -> None:
    store, tamper = store_and_tamper
    await fill(store, 10)
    await tamper.execute("DELETE FROM {t} WHERE seq = 3")
    report = await verify(store, KEYS)
    assert report.first_break is not None and report.first_break.seq == 3
    assert "missing" in report.first_break.reason


async def test_a_wrong_key_fails_everything(store_and_tamper: tuple[EvidenceStore, Tamper]) -> None:
    store, _ = store_and_tamper
    await fill(store, 3)
    report = await verify(store, ChainKeys.derive(b"another key"))
    assert report.first_break is not None and report.first_break.seq == 1


async def test_truncation_after_a_checkpoint_is_caught(
    store_and_tamper: tuple[EvidenceStore, Tamper],
) -> None:
    store, tamper = store_and_tamper
    await fill(store, 12)
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
    store_and_tamper: tuple[EvidenceStore, Tamper],
) -> None:
    store, _ = store_and_tamper
    one = EvidenceLedger(store, KEYS, "worker-1", batch_size=3)
    two = EvidenceLedger(store, KEYS, "worker-2", batch_size=5)
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
    await fill(first, 4)
    await first.aclose()
    second = SQLiteEvidenceStore(path)
    await fill(second, 3)
    await second.aclose()
    store = SQLiteEvidenceStore(path)
    report = await verify(store, KEYS)
    await store.aclose()
    assert report.ok and report.heads["w1"][0] == 7


class SlowStore:
    """Wraps a store; each batch waits for a permit, so the queue fills up."""

    def __init__(self, inner: EvidenceStore) -> None:
        self.inner = inner
        self.permits = asyncio.Semaphore(0)
        self.failures_left = 0

    async def append(self, records: Sequence[StoredRecord]) -> None:
        await self.permits.acquire()
        if self.failures_left:
            self.failures_left -= 1
            raise OSError("disk full")
        await self.inner.append(records)

    async def head(self, writer_id: str) -> tuple[int, str] | None:
        return await self.inner.head(writer_id)

    async def writers(self) -> list[str]:
        return await self.inner.writers()

    def chain(self, writer_id: str) -> AsyncIterator[StoredRecord]:
        return self.inner.chain(writer_id)

    def since(self, ts: str | None) -> AsyncIterator[StoredRecord]:
        return self.inner.since(ts)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_full_queue_pushes_back_and_a_failing_store_loses_nothing(
    tmp_path: Path,
) -> None:
    slow = SlowStore(SQLiteEvidenceStore(tmp_path / "e.db"))
    slow.failures_left = 2
    ledger = EvidenceLedger(slow, KEYS, "w1", queue_size=2, batch_size=1)
    await ledger.start()
    submits = [asyncio.create_task(ledger.submit(record(n))) for n in range(6)]
    await asyncio.sleep(0.05)
    assert sum(t.done() for t in submits) <= 3  # 1 in the writer, 2 queued: the rest wait
    for _ in range(20):
        slow.permits.release()
    await asyncio.gather(*submits)
    closing = asyncio.create_task(ledger.aclose())
    for _ in range(20):
        slow.permits.release()
    await closing
    await slow.aclose()
    check = SQLiteEvidenceStore(tmp_path / "e.db")
    report = await verify(check, KEYS)
    await check.aclose()
    assert report.ok and report.records == 6


async def test_sync_durability_returns_after_the_commit(tmp_path: Path) -> None:
    store = SQLiteEvidenceStore(tmp_path / "e.db")
    ledger = EvidenceLedger(store, KEYS, "w1", durability="sync")
    await ledger.start()
    await ledger.submit(record(1))
    assert await store.head("w1") is not None
    await ledger.aclose()
    await store.aclose()


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


async def test_an_offered_record_is_queued_at_once_or_refused(tmp_path: Path) -> None:
    """`offer` never waits: a record goes into the queue while there is room; a full queue, a
    sync ledger or a stopped one refuse it, and the caller submits it instead."""
    slow = SlowStore(SQLiteEvidenceStore(tmp_path / "e.db"))
    ledger = EvidenceLedger(slow, KEYS, "w1", queue_size=1, batch_size=1)
    assert not ledger.offer(record(0))  # not started
    await ledger.start()
    assert ledger.offer(record(1))
    await asyncio.sleep(0.01)  # the writer takes it and waits in the slow store
    assert ledger.offer(record(2))  # the one free place
    assert not ledger.offer(record(3))
    for _ in range(10):
        slow.permits.release()
    await ledger.submit(record(3))
    closing = asyncio.create_task(ledger.aclose())
    for _ in range(10):
        slow.permits.release()
    await closing
    assert ledger.written == 3
    sync = EvidenceLedger(SQLiteEvidenceStore(tmp_path / "s.db"), KEYS, "w2", durability="sync")
    await sync.start()
    assert not sync.offer(record(4))
    await sync.aclose()
    await sync.store.aclose()
    await slow.aclose()
