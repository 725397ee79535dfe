"""The evidence writer against the real PostgreSQL behind a TCP relay: a commit whose
acknowledgement is lost, an outage (the relay cuts every connection and turns new ones away,
standing in for a stopped server), start-up while it is down, a chain conflict. Counts and
statuses are asserted; waiting is bounded by generous deadlines, never measured."""

from __future__ import annotations

import asyncio
import gc
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import openai
import pytest

from governance.evidence import EvidenceLedger, EvidenceRecord, LedgerSettings, verify
from governance.evidence.postgres_store import PostgresEvidenceStore
from proxy.call import Call, Reply
from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.call_load import CallLoad
from tests.support.evidence_gateway import KEY, evidence_gateway_config
from tests.support.evidence_records import KEYS, record
from tests.support.gateway_process import GatewayProcess
from tests.support.servers import ServerThread
from tests.support.services import drop_table, postgres_dsn
from tests.support.tcp_relay import TcpRelay

HELLO = [{"role": "user", "content": "hi"}]


@pytest.fixture
def table() -> Iterator[str]:
    name = f"evidence_faults_{uuid.uuid4().hex[:8]}"
    yield name
    asyncio.run(drop_table(postgres_dsn(), name))


@pytest.fixture
def relay() -> Iterator[TcpRelay]:
    postgres_dsn()  # skipped (or failed, in CI) without PostgreSQL
    with TcpRelay() as running:
        yield running


def eventually(check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


async def stored_ids(table: str) -> list[str]:
    store = PostgresEvidenceStore(postgres_dsn(), table=table)
    try:
        return [r.request_id async for r in store.since(None)]
    finally:
        await store.aclose()


def write_config(
    directory: Path, dsn: str, table: str, evidence: str = "", extra: str = ""
) -> Path:
    """The writer is unhealthy after 0.3 s without a commit, so faults show at once."""
    evidence = "unhealthy_after_s: 0.3\n" + evidence
    return evidence_gateway_config(directory, dsn, table, evidence, extra)


def ask(url: str) -> str:
    client = openai.OpenAI(base_url=f"{url}/v1", api_key=KEY, max_retries=0)
    raw = client.chat.completions.with_raw_response.create(model="mock-chat", messages=HELLO)  # type: ignore[arg-type]
    return str(raw.headers["x-request-id"])


def readiness(url: str) -> tuple[int, dict[str, object]]:
    answer = httpx.get(f"{url}/readyz")
    evidence: dict[str, object] = answer.json()["evidence"]
    return answer.status_code, evidence


def metric(url: str, name: str) -> float:
    for line in httpx.get(f"{url}/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


async def test_a_lost_commit_acknowledgement_does_not_wedge_the_writer(
    relay: TcpRelay, table: str, tmp_path: Path
) -> None:
    """PostgreSQL commits the batch, the acknowledgement never arrives, the writer retries the
    same rows: they count as written, and everything after them is written too."""
    store = PostgresEvidenceStore(relay.dsn(), table=table)
    settings = LedgerSettings(spool_root=tmp_path, batch_size=10, flush_s=0)
    ledger = EvidenceLedger(store, KEYS, "w-ambiguous", settings)
    await ledger.start()
    for n in range(25):
        await ledger.submit(record(n))
    await until(lambda: ledger.pending == 0)
    relay.drop_next_commit_ack()
    for n in range(25, 60):
        await ledger.submit(record(n))
    await until(lambda: ledger.pending == 0)
    await ledger.aclose()
    await store.aclose()
    assert relay.commits_dropped == 1
    assert ledger.health.commit_failures >= 1 and ledger.health.conflicts == 0
    check = PostgresEvidenceStore(postgres_dsn(), table=table)
    report = await verify(check, KEYS)
    await check.aclose()
    assert report.ok and report.records == 60


async def until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def test_under_load_a_lost_acknowledgement_loses_no_call(
    relay: TcpRelay, table: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path, relay.dsn(), table)
    with ServerThread(create_app(load_config(config))) as gateway:
        with CallLoad(gateway.url, KEY, threads=4) as load:
            load.wait_answered(60)
            relay.drop_next_commit_ack()
            eventually(lambda: relay.commits_dropped == 1)
            load.wait_answered(len(load.answered) + 60)
        eventually(lambda: readiness(gateway.url)[1]["pending"] == 0)
        status, evidence = readiness(gateway.url)
        assert status == 200 and evidence["status"] == "ok"
        assert metric(gateway.url, "metaqore_evidence_commit_failures_total") >= 1
        assert metric(gateway.url, "metaqore_evidence_integrity_errors_total") == 0
    assert set(load.answered) <= set(asyncio.run(stored_ids(table)))


def test_an_outage_is_spooled_shown_and_replayed(
    relay: TcpRelay, table: str, tmp_path: Path
) -> None:
    """serve: answers go on while PostgreSQL is away; /readyz says why it is not ready once the
    bound has passed; /metrics counts what waits; everything is written once it is back."""
    config = write_config(tmp_path, relay.dsn(), table, "on_store_failure: serve\n")
    with ServerThread(create_app(load_config(config))) as gateway:
        before = ask(gateway.url)
        eventually(lambda: readiness(gateway.url)[1]["pending"] == 0)
        relay.cut()
        during = [ask(gateway.url) for _ in range(20)]
        eventually(lambda: readiness(gateway.url)[0] == 503)
        reason = str(readiness(gateway.url)[1]["reason"])
        assert reason.startswith("no commit for") and "records waiting" in reason
        assert metric(gateway.url, "metaqore_evidence_unwritten_records") >= 20
        assert metric(gateway.url, "metaqore_evidence_oldest_unwritten_seconds") > 0
        assert metric(gateway.url, "metaqore_evidence_writer_healthy") == 0
        relay.restore()
        eventually(lambda: readiness(gateway.url) == (200, readiness(gateway.url)[1]))
        eventually(lambda: readiness(gateway.url)[1]["pending"] == 0)
        assert metric(gateway.url, "metaqore_evidence_commit_failures_total") >= 1
        assert metric(gateway.url, "metaqore_evidence_retries_total") >= 1
    assert {before, *during} <= set(asyncio.run(stored_ids(table)))


def test_soc2_refuses_to_answer_unrecorded(relay: TcpRelay, table: str, tmp_path: Path) -> None:
    """With the SOC 2 pack on, `on_store_failure` defaults to refuse: past the bound, calls get
    503 evidence_unavailable (itself recorded), and answers resume once the store is back."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "default.yaml").write_text("compliance: [soc2]\n")
    config = write_config(tmp_path, relay.dsn(), table, extra="governance: {policies: policies}\n")
    with ServerThread(create_app(load_config(config))) as gateway:
        relay.cut()
        answered = ask(gateway.url)  # within the bound: answered, its record spooled
        eventually(lambda: readiness(gateway.url)[0] == 503)
        assert readiness(gateway.url)[1]["refusing"] is True
        with pytest.raises(openai.InternalServerError) as refused:
            ask(gateway.url)
        assert refused.value.status_code == 503
        assert refused.value.code == "evidence_unavailable"  # type: ignore[attr-defined]
        refused_id = refused.value.response.headers["x-request-id"]
        relay.restore()
        eventually(lambda: readiness(gateway.url)[0] == 200)
        after = ask(gateway.url)
        eventually(lambda: readiness(gateway.url)[1]["pending"] == 0)
    assert {answered, refused_id, after} <= set(asyncio.run(stored_ids(table)))


def test_start_up_while_postgres_is_down_then_kill_9(
    relay: TcpRelay, table: str, tmp_path: Path
) -> None:
    """The gateway starts with PostgreSQL unreachable and answers from the spool; killed
    with -9 before the store ever came back, it loses nothing: the next process replays."""
    config = write_config(tmp_path, relay.dsn(), table, "on_store_failure: serve\n")
    relay.cut()
    with GatewayProcess(config) as gateway, CallLoad(gateway.url, KEY) as load:
        load.wait_answered(100)
        gateway.kill()
    assert set(load.statuses()) == {200}
    relay.restore()
    with GatewayProcess(config) as restarted:
        assert restarted.stop()
    stored = asyncio.run(stored_ids(table))
    assert set(load.answered) <= set(stored) and len(stored) == len(set(stored))


def test_an_outage_then_kill_9_loses_no_answered_call(
    relay: TcpRelay, table: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path, relay.dsn(), table, "on_store_failure: serve\n")
    with GatewayProcess(config) as gateway, CallLoad(gateway.url, KEY) as load:
        load.wait_answered(60)
        relay.cut()
        load.wait_answered(len(load.answered) + 100)
        gateway.kill()
    relay.restore()
    with GatewayProcess(config) as restarted:
        assert restarted.stop()
    assert set(load.answered) <= set(asyncio.run(stored_ids(table)))


def test_sigterm_during_an_outage_stops_in_bounded_time_and_keeps_the_spool(
    relay: TcpRelay, table: str, tmp_path: Path
) -> None:
    """A graceful stop gives the store `close_timeout_s`, not forever; what it could not write
    stays spooled for the next start."""
    evidence = "on_store_failure: serve\nclose_timeout_s: 1\n"
    config = write_config(tmp_path, relay.dsn(), table, evidence)
    with GatewayProcess(config) as gateway, CallLoad(gateway.url, KEY) as load:
        load.wait_answered(40)
        relay.cut()
        load.wait_answered(len(load.answered) + 60)
        assert gateway.stop()
    assert "stay in the spool" in gateway.output()
    relay.restore()
    with GatewayProcess(config) as restarted:
        assert restarted.stop()
    assert set(load.answered) <= set(asyncio.run(stored_ids(table)))


def test_two_lives_of_one_writer_id_that_disagree_are_a_loud_integrity_error(
    table: str, tmp_path: Path
) -> None:
    """Another record already stored where this writer's next one goes (another process wrote
    under the same writer id): never overwritten or skipped; /readyz and /metrics say so, and
    calls are refused when unrecorded answers are."""
    evidence = "writer_id: shared-id\non_store_failure: refuse\n"
    config = write_config(tmp_path, postgres_dsn(), table, evidence)
    with ServerThread(create_app(load_config(config))) as gateway:
        ask(gateway.url)
    asyncio.run(forge_next_row(table, "shared-id"))
    with ServerThread(create_app(load_config(config))) as gateway:
        ask(gateway.url)  # its record conflicts with the forged one
        eventually(lambda: readiness(gateway.url)[0] == 503)
        assert str(readiness(gateway.url)[1]["reason"]).startswith(
            "integrity error: chain shared-id, record 2"
        )
        assert metric(gateway.url, "metaqore_evidence_integrity_errors_total") == 1
        with pytest.raises(openai.InternalServerError):
            ask(gateway.url)
    stored = asyncio.run(stored_ids(table))
    assert stored.count("forged") == 1 and len(stored) == 2


async def forge_next_row(table: str, writer: str) -> None:
    store = PostgresEvidenceStore(postgres_dsn(), table=table)
    try:
        head = await store.head(writer)
        assert head is not None
        forged = record(999)
        forged.request_id = "forged"
        row = (writer, head[0] + 1, "forged", forged.ts, forged.canonical().decode(), head[1])
        pool = await store._connect()
        await pool.execute(
            f"INSERT INTO {table} VALUES ($1, $2, $3, $4, $5, $6, $7)", *row, "f" * 64
        )
    finally:
        await store.aclose()


def test_a_waiting_record_holds_no_call_no_reply_and_no_record(
    relay: TcpRelay, table: str, tmp_path: Path
) -> None:
    """Memory stays bounded while the store is away: once its answer is out, a call leaves
    nothing behind; its record waits in the spool, on disk."""
    config = write_config(tmp_path, relay.dsn(), table, "on_store_failure: serve\n")
    with ServerThread(create_app(load_config(config))) as gateway:
        ask(gateway.url)
        eventually(lambda: readiness(gateway.url)[1]["pending"] == 0)
        relay.cut()
        for _ in range(50):
            ask(gateway.url)
        assert readiness(gateway.url)[1]["pending"] == 50

        def nothing_left() -> bool:
            gc.collect()
            return not any(type(o) in (Call, Reply, EvidenceRecord) for o in gc.get_objects())

        eventually(nothing_left, timeout=5)
        relay.restore()
        eventually(lambda: readiness(gateway.url)[1]["pending"] == 0)
