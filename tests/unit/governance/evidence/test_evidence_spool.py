"""The local spool: what a dead writer leaves is replayed under its own writer id, in order; a
living writer's spool is left alone; a configured writer id continues its chain; torn, altered
and corrupt rows are handled as what they are. Dead writers are real processes killed with -9."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from governance.evidence import EvidenceLedger, LedgerSettings, verify
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from tests.support.evidence_records import KEYS, GatedStore, record


def spool_in_a_process(tmp_path: Path, writer: str, count: int, end: str) -> str:
    """A writer process spools `count` records its store never takes, then is killed with
    -9 (`end="kill"`); its writer id."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.spool_writer", str(tmp_path / "spool"),
         str(tmp_path / "e.db"), writer, str(count), end],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == -9, done.stderr
    return done.stdout.strip()


def dead_writers_segment(tmp_path: Path, count: int) -> tuple[str, Path]:
    """A writer killed with -9 after spooling `count` records: its id and spool segment."""
    dead = spool_in_a_process(tmp_path, "-", count, "kill")
    return dead, next((tmp_path / "spool" / dead).glob("*.rows"))


def ledger_on(tmp_path: Path, writer: str = "fresh", **changes: object) -> EvidenceLedger:
    store = SQLiteEvidenceStore(tmp_path / "e.db")
    changes.setdefault("spool_root", tmp_path / "spool")
    settings = LedgerSettings(**changes)  # type: ignore[arg-type]
    return EvidenceLedger(store, KEYS, writer, settings)


async def replay(tmp_path: Path) -> EvidenceLedger:
    """A new process's ledger, started (claiming dead writers' spools) and stopped."""
    ledger = ledger_on(tmp_path)
    await ledger.start()
    await stop(ledger)
    return ledger


async def stop(ledger: EvidenceLedger) -> None:
    await ledger.aclose()
    await ledger.store.aclose()


async def stored(tmp_path: Path) -> dict[str, list[int]]:
    store = SQLiteEvidenceStore(tmp_path / "e.db")
    chains = {w: [r.seq async for r in store.chain(w)] for w in await store.writers()}
    await store.aclose()
    return chains


async def test_a_dead_writers_spool_is_replayed_under_its_own_id(tmp_path: Path) -> None:
    dead = spool_in_a_process(tmp_path, "-", 40, "kill")
    ledger = ledger_on(tmp_path)
    await ledger.start()
    assert ledger.pending == 40 and ledger.oldest_unwritten_s() > 0
    ledger.append(record(100))
    deadline = time.monotonic() + 10
    while ledger.pending:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.01)
    assert ledger.oldest_unwritten_s() == 0  # a scrape once the dead writer's spool is gone
    await stop(ledger)
    assert await stored(tmp_path) == {dead: list(range(1, 41)), "fresh": [1]}
    assert sorted(p.name for p in (tmp_path / "spool").iterdir()) == []  # all of it stored
    check = SQLiteEvidenceStore(tmp_path / "e.db")
    assert (await verify(check, KEYS, spool=tmp_path / "spool")).ok
    await check.aclose()


async def test_a_torn_last_row_from_a_power_loss_is_dropped(tmp_path: Path) -> None:
    dead, segment = dead_writers_segment(tmp_path, 5)
    # The start of a row that a power loss cut short.
    segment.write_bytes(segment.read_bytes() + b"6\treq-5\t2026-")
    await replay(tmp_path)
    assert (await stored(tmp_path))[dead] == [1, 2, 3, 4, 5]


@contextlib.contextmanager
def living_writer(tmp_path: Path) -> Iterator[str]:
    """A writer process that has spooled 7 records and lives until the block ends."""
    command = [sys.executable, "-m", "tests.support.spool_writer", str(tmp_path / "spool"),
               str(tmp_path / "e.db"), "-", "7", "hold"]  # fmt: skip
    living = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert living.stdout is not None
        yield living.stdout.readline().strip()
    finally:
        living.kill()
        living.wait()


async def test_a_living_writers_spool_is_left_alone(tmp_path: Path) -> None:
    with living_writer(tmp_path) as writer:
        ledger = ledger_on(tmp_path)
        await ledger.start()
        assert ledger.pending == 0
        await stop(ledger)
        assert writer not in await stored(tmp_path)
    ledger = ledger_on(tmp_path, writer="later")
    await ledger.start()  # now it is a dead writer's
    await stop(ledger)
    assert (await stored(tmp_path))[writer] == list(range(1, 8))


async def test_a_configured_writer_id_continues_its_chain_after_kill_9(tmp_path: Path) -> None:
    spool_in_a_process(tmp_path, "fixed", 6, "kill")
    ledger = ledger_on(tmp_path, writer="fixed", writer_id_fixed=True)
    await ledger.start()
    for n in range(3):
        assert ledger.append(record(n)) == 7 + n  # after the spooled rows, not over them
    await stop(ledger)
    assert await stored(tmp_path) == {"fixed": list(range(1, 10))}
    assert sorted(p.name for p in (tmp_path / "spool" / "fixed").iterdir()) == ["head", "lock"]
    again = ledger_on(tmp_path, writer="fixed", writer_id_fixed=True)
    await again.start()  # its head from the head file, the store not asked
    assert again.append(record(9)) == 10
    await stop(again)
    check = SQLiteEvidenceStore(tmp_path / "e.db")
    report = await verify(check, KEYS)
    await check.aclose()
    assert report.ok and report.heads["fixed"][0] == 10


async def test_a_configured_writer_id_without_spool_asks_the_store_or_starts_anew(
    tmp_path: Path,
) -> None:
    first = ledger_on(tmp_path, writer="fixed", writer_id_fixed=True, spool_root=tmp_path / "a")
    await first.start()
    first.append(record(1))
    await stop(first)
    second = ledger_on(tmp_path, writer="fixed", writer_id_fixed=True, spool_root=tmp_path / "b")
    await second.start()  # no spool of its own here: the store knows the head
    assert second.append(record(2)) == 2
    await stop(second)
    down = GatedStore(SQLiteEvidenceStore(tmp_path / "e.db"), down=True)
    settings = LedgerSettings(spool_root=tmp_path / "c", writer_id_fixed=True, close_timeout_s=0)
    third = EvidenceLedger(down, KEYS, "fixed", settings)
    await third.start()  # neither can say where the chain ended: never guess, fork no chain
    assert third.writer_id.startswith("fixed.") and third.append(record(3)) == 1
    await third.aclose()
    await down.aclose()


async def test_verify_names_an_altered_spooled_record_and_a_gap(tmp_path: Path) -> None:
    _, segment = dead_writers_segment(tmp_path, 6)
    check = SQLiteEvidenceStore(tmp_path / "e.db")
    report = await verify(check, KEYS, spool=tmp_path / "spool")
    assert report.ok and report.spooled == 6 and report.records == 0
    lines = segment.read_bytes().split(b"\n")
    segment.write_bytes(b"\n".join([*lines[:2], lines[2].replace(b"acme", b"evil"), *lines[3:]]))
    altered = await verify(check, KEYS, spool=tmp_path / "spool")
    assert altered.first_break is not None and altered.first_break.seq == 3
    assert altered.first_break.reason == "a spooled record was altered"
    segment.write_bytes(b"\n".join([*lines[:2], *lines[3:]]))
    gap = await verify(check, KEYS, spool=tmp_path / "spool")
    assert gap.first_break is not None and gap.first_break.seq == 3
    assert gap.first_break.reason.startswith("missing")
    await check.aclose()


async def test_a_corrupt_spool_row_stops_that_chain_loudly(tmp_path: Path) -> None:
    _, segment = dead_writers_segment(tmp_path, 4)
    segment.write_bytes(segment.read_bytes() + b"not a row at all\n")
    ledger = await replay(tmp_path)
    assert ledger.health.conflicts == 1
    assert (ledger.health.problem() or "").startswith("integrity error: ")
    assert segment.exists()  # kept, for whoever looks into it


async def test_rows_cross_segments_and_stored_segments_are_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("governance.evidence.spool._SEGMENT_BYTES", 2000)
    gated = GatedStore(SQLiteEvidenceStore(tmp_path / "e.db"), gated=True)
    settings = LedgerSettings(spool_root=tmp_path / "spool", batch_size=4, flush_s=0)
    ledger = EvidenceLedger(gated, KEYS, "w", settings)
    await ledger.start()
    for n in range(30):
        ledger.append(record(n))
    directory = tmp_path / "spool" / "w"
    assert len(list(directory.glob("*.rows"))) > 5
    for _ in range(30):
        gated.permits.release()
    closing = ledger.aclose()
    await closing
    await gated.aclose()
    assert await stored(tmp_path) == {"w": list(range(1, 31))}
    assert not directory.exists()
