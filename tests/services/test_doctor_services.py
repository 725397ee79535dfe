"""`metaqore doctor` against the real Redis and PostgreSQL, and against ports nothing listens on."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from tests.support.doctor_cli import doctor
from tests.support.gateway_process import free_port
from tests.support.services import drop_table, postgres_dsn, redis_url


def write(root: Path, store: str, redis: str, table: str) -> Path:
    path = root / "gateway.yaml"
    path.write_text(
        "providers:\n  - {name: demo, kind: mock, models: [m]}\n"
        f'evidence: {{store: "{store}", table: {table}, hmac_key: doctor-key-0123456789}}\n'
        f'cache: {{enabled: true, backend: redis, redis_url: "{redis}"}}\n'
        f'limits: {{backend: redis, redis_url: "{redis}"}}\n'
    )
    return path


def test_reachable_services_are_ok(tmp_path: Path) -> None:
    dsn, redis, table = postgres_dsn(), redis_url(), f"doctor_{uuid.uuid4().hex[:8]}"
    try:
        code, lines, _ = doctor(write(tmp_path, dsn, redis, table))
    finally:
        asyncio.run(drop_table(dsn, table))
    assert code == 0, lines
    (redis_line,) = (line for name, line in lines.items() if name.startswith("redis "))
    assert redis_line.status == "ok" and "used by cache, limits" in redis_line.detail
    (pg_line,) = (line for name, line in lines.items() if name.startswith("postgresql "))
    assert pg_line.status == "ok" and "connected (server" in pg_line.detail
    assert "@" not in pg_line.name  # no credentials in what doctor prints
    assert lines["evidence ledger"].status == "ok"
    assert "0 records in 0 chains verified" in lines["evidence ledger"].detail


def test_stopped_services_warn_for_redis_and_fail_for_the_ledger_store(tmp_path: Path) -> None:
    redis = f"redis://127.0.0.1:{free_port()}/0"
    store = f"postgresql://postgres:pw@127.0.0.1:{free_port()}/gone"
    code, lines, _ = doctor(write(tmp_path, store, redis, "doctor_gone"))
    assert code == 1
    (redis_line,) = (line for name, line in lines.items() if name.startswith("redis "))
    assert redis_line.status == "warn" and redis_line.fix is not None
    (pg_line,) = (line for name, line in lines.items() if name.startswith("postgresql "))
    assert pg_line.status == "fail" and "the ledger cannot commit" in pg_line.detail
    assert pg_line.fix == "start PostgreSQL or correct evidence.store"
    assert "pw" not in pg_line.name
    assert lines["evidence ledger"].status == "warn"
    assert "store is unreachable" in lines["evidence ledger"].detail
