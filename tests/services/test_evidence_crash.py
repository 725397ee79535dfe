"""kill -9 of a real `metaqore serve` under load loses no answered call: every request id a
client got a whole answer for is in the ledger once a new process has replayed the dead one's
spool, and the ledger verifies. Batched and sync durability, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from governance.evidence import EvidenceStore
from governance.evidence.postgres_store import PostgresEvidenceStore
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from tests.support.call_load import CallLoad
from tests.support.evidence_gateway import KEY, evidence_gateway_config
from tests.support.gateway_process import GatewayProcess
from tests.support.services import drop_table, postgres_dsn


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'evidence.db'}"
        return
    table = f"evidence_crash_{uuid.uuid4().hex[:8]}"
    yield f"{postgres_dsn()}#{table}"
    asyncio.run(drop_table(postgres_dsn(), table))


def write_config(directory: Path, store_url: str, evidence: str = "") -> Path:
    store, _, table = store_url.partition("#")
    return evidence_gateway_config(directory, store, table or "metaqore_evidence", evidence)


def open_store(store_url: str) -> EvidenceStore:
    store, _, table = store_url.partition("#")
    if store.startswith("sqlite:///"):
        return SQLiteEvidenceStore(store.removeprefix("sqlite:///"))
    return PostgresEvidenceStore(store, table=table)


async def ledger_ids(store_url: str) -> list[str]:
    store = open_store(store_url)
    try:
        return [record.request_id async for record in store.since(None)]
    finally:
        await store.aclose()


def verify(config: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "proxy.cli", "evidence", "verify", "--config", str(config)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


def kill_under_load(config: Path, answered_before_kill: int = 150) -> dict[str, int]:
    """Serve under load, kill -9 mid-flight; the calls answered whole before the kill."""
    with GatewayProcess(config) as gateway, CallLoad(gateway.url, KEY) as load:
        load.wait_answered(answered_before_kill)
        gateway.kill()
    return load.answered


@pytest.mark.parametrize("durability", ["batched", "sync"])
def test_kill_9_under_load_loses_no_answered_call(
    tmp_path: Path, store_url: str, durability: str
) -> None:
    config = write_config(tmp_path, store_url, f"durability: {durability}\n")
    answered = kill_under_load(config)
    with GatewayProcess(config) as restarted:  # replays the dead writer's spool ...
        assert restarted.stop()  # ... and a graceful stop waits for it
    ids = asyncio.run(ledger_ids(store_url))
    missing = set(answered) - set(ids)
    assert not missing, f"{len(missing)} of {len(answered)} answered calls are not in the ledger"
    assert len(ids) == len(set(ids))  # nothing was written twice
    report = verify(config)
    assert report["ok"] and report["spooled"] == 0


def test_verify_counts_what_a_killed_writer_left_in_its_spool(
    tmp_path: Path, store_url: str
) -> None:
    """Before any replay, `verify` checks the dead writer's spool as the next links of its
    chain and says how many records wait there."""
    config = write_config(tmp_path, store_url, "flush_ms: 2000\n")  # a batch lingers
    answered = kill_under_load(config, answered_before_kill=40)
    stored = set(asyncio.run(ledger_ids(store_url)))
    report = verify(config)
    assert report["ok"]
    assert report["records"] == len(stored)
    assert report["records"] + report["spooled"] >= len(answered)  # type: ignore[operator]
    assert report["spooled"] >= len(set(answered) - stored) > 0


def test_one_configured_writer_id_for_several_workers_is_refused(tmp_path: Path) -> None:
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'e.db'}", "writer_id: one-chain\n")
    done = subprocess.run(
        [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config), "--workers", "2"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "evidence.writer_id names one process's chain" in done.stderr
