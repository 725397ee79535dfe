"""The ledger writer: back-pressure with a real bound, durability in each mode, health as it is
reported, a store that is down from the start, a spool that cannot take a record."""

from __future__ import annotations

import asyncio
import errno
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from governance.evidence import EvidenceLedger, LedgerSettings, verify
from governance.evidence.spool_rows import decode_rows
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from tests.support.evidence_records import KEYS, GatedStore, record


def gated_ledger(tmp_path: Path, **changes: object) -> tuple[EvidenceLedger, GatedStore]:
    store = GatedStore(SQLiteEvidenceStore(tmp_path / "e.db"))
    settings = LedgerSettings(spool_root=tmp_path / "spool", **changes)  # type: ignore[arg-type]
    return EvidenceLedger(store, KEYS, "w", settings), store


async def until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def stored_count(tmp_path: Path) -> int:
    check = SQLiteEvidenceStore(tmp_path / "e.db")
    report = await verify(check, KEYS)
    await check.aclose()
    assert report.ok
    return report.records


async def test_the_queue_bound_holds_answers_back_until_the_store_takes_records(
    tmp_path: Path,
) -> None:
    ledger, store = gated_ledger(tmp_path, queue_size=3, batch_size=2, flush_s=0)
    store.gated = True
    await ledger.start()
    assert [ledger.record_now(record(n)) for n in range(4)] == [1, 2, 3, None]
    waiting = asyncio.create_task(ledger.submit(record(3)))
    await asyncio.sleep(0.05)
    assert not waiting.done() and ledger.pending == 3  # held back: nothing was spooled for it
    store.permits.release()  # the store takes the first batch (two records)
    await waiting
    assert ledger.pending == 2
    for _ in range(5):
        store.permits.release()
    await ledger.aclose()
    await store.aclose()
    assert await stored_count(tmp_path) == 4


async def test_sync_durability_waits_for_the_commit(tmp_path: Path) -> None:
    ledger, store = gated_ledger(tmp_path, durability="sync")
    await ledger.start()
    await ledger.submit(record(1))
    assert await store.inner.head("w") is not None
    assert ledger.record_now(record(2)) is None  # a sync record is always waited for
    await ledger.aclose()
    await store.aclose()


async def test_sync_durability_with_the_store_down_waits_for_an_fsync_of_the_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr("governance.evidence.spool.os.fsync", counting_fsync)
    ledger, store = gated_ledger(tmp_path, durability="sync", close_timeout_s=0)
    await ledger.start()
    store.down = True
    first_fsyncs = len(synced)
    await asyncio.wait_for(ledger.submit(record(1)), 10)  # a failed commit, then the fsync
    assert len(synced) > first_fsyncs and ledger.health.last_error is not None
    segment = next((tmp_path / "spool" / "w").glob("*.rows"))
    lines = segment.read_bytes().split(b"\n")[:-1]
    assert [r.request_id for r in decode_rows("w", lines, "spool")] == ["req-1"]
    await ledger.aclose()
    await store.aclose()
    assert await stored_count(tmp_path) == 0


async def test_health_says_why_once_the_bound_is_passed_and_recovers(tmp_path: Path) -> None:
    ledger, store = gated_ledger(tmp_path, unhealthy_after_s=0.05, flush_s=0)
    await ledger.start()
    store.down = True
    ledger.append(record(1))
    assert ledger.health.problem() is None and not ledger.refusing  # within the bound
    await until(lambda: ledger.health.problem() is not None)
    problem = ledger.health.problem() or ""
    assert problem.startswith("no commit for") and "ConnectionRefusedError" in problem
    assert not ledger.refusing  # serving was asked for
    assert ledger.oldest_unwritten_s() > 0 and ledger.pending == 1
    store.down = False
    await until(lambda: ledger.pending == 0)
    assert ledger.health.problem() is None and ledger.oldest_unwritten_s() == 0
    assert ledger.health.commit_failures >= 1 and ledger.health.retries >= 1
    await ledger.aclose()
    await store.aclose()


async def test_refusing_ledgers_refuse_once_unhealthy_or_full(tmp_path: Path) -> None:
    ledger, store = gated_ledger(
        tmp_path, unhealthy_after_s=0.05, refuse_unrecorded=True, queue_size=2, close_timeout_s=0
    )
    await ledger.start()
    store.gated = True
    ledger.append(record(1))
    assert not ledger.refusing
    ledger.append(record(2))
    assert ledger.full and ledger.refusing
    await ledger.aclose()
    await store.aclose()


async def test_a_ledger_starts_and_records_with_the_store_down(tmp_path: Path) -> None:
    ledger, store = gated_ledger(tmp_path, flush_s=0)
    store.down = True
    await ledger.start()
    for n in range(5):
        ledger.append(record(n))
    await until(lambda: store.attempts >= 2)
    assert ledger.pending == 5
    store.down = False
    await until(lambda: ledger.pending == 0)
    await ledger.aclose()
    await store.aclose()
    assert await stored_count(tmp_path) == 5


async def test_a_spool_that_cannot_write_is_reported_and_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, store = gated_ledger(tmp_path, refuse_unrecorded=True)
    await ledger.start()
    ledger.append(record(1))
    real_write = os.write

    def disk_full(fd: int, data: bytes) -> int:
        return real_write(fd, data[:10])  # a short write: the rest did not fit

    monkeypatch.setattr("governance.evidence.spool.os.write", disk_full)
    with pytest.raises(OSError) as failed:
        ledger.append(record(2))
    assert failed.value.errno == errno.ENOSPC
    assert (ledger.health.problem() or "").startswith("the spool cannot take records")
    assert ledger.refusing
    monkeypatch.setattr("governance.evidence.spool.os.write", real_write)
    assert ledger.append(record(3)) == 2  # the failed one took no place in the chain
    assert ledger.health.problem() is None
    await ledger.aclose()
    await store.aclose()
    assert await stored_count(tmp_path) == 2


async def test_a_request_id_that_could_break_a_spool_row_is_refused(tmp_path: Path) -> None:
    ledger, store = gated_ledger(tmp_path)
    await ledger.start()
    bad = record(1)
    bad.request_id = "evil\tid"
    with pytest.raises(ValueError, match="printable"):
        ledger.append(bad)
    await ledger.aclose()
    await store.aclose()


async def test_a_stop_with_the_store_down_keeps_the_spool_for_the_next_start(
    tmp_path: Path,
) -> None:
    ledger, store = gated_ledger(tmp_path, close_timeout_s=0.2)
    await ledger.start()
    store.down = True
    for n in range(4):
        ledger.append(record(n))
    await ledger.aclose()  # bounded: it gives up on the store, not on the records
    await store.aclose()
    assert len(list((tmp_path / "spool" / "w").glob("*.rows"))) == 1
    replay = EvidenceLedger(
        SQLiteEvidenceStore(tmp_path / "e.db"), KEYS, "next", LedgerSettings(tmp_path / "spool")
    )
    await replay.start()
    await replay.aclose()
    await replay.store.aclose()
    assert await stored_count(tmp_path) == 4
