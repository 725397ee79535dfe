"""Nothing a client chooses is kept in clear: a model name (or Azure deployment) that the config
does not give is recorded as a marker and a keyed hash, in the ledger, its export and the Redis
event stream alike; an incoming request id that holds a finding is replaced."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from proxy.middleware.evidence import UNLISTED_MODEL
from tests.support.servers import ServerThread
from tests.support.services import redis_url

KEY = "sk-client-strings-0123456789"
EMAIL = "pat.client@example.com"
SSN_ID = "123-45-6789"


@pytest.fixture
def stream() -> Iterator[str]:
    name = f"metaqore:test:{uuid.uuid4().hex[:8]}"
    yield name
    redis.Redis.from_url(redis_url()).delete(name)


def _config(root: Path, stream: str) -> Path:
    path = root / "gateway.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        providers:
          - {{name: mock, kind: mock, models: [mock-chat, mock-embed]}}
        aliases: {{house-model: [mock/mock-chat]}}
        keys: [{{key: {KEY}, org: acme, name: site}}]
        evidence:
          store: sqlite:///evidence.db
          hmac_key: client-strings-key-0123456789
          events: {{redis_url: "{redis_url()}", stream: {stream}}}
        """)
    )
    return path


def _post(url: str, path: str, body: object, request_id: str | None = None) -> httpx.Response:
    headers = {"authorization": f"Bearer {KEY}"}
    if request_id is not None:
        headers["x-request-id"] = request_id
    return httpx.post(f"{url}{path}", json=body, headers=headers, timeout=30)


def test_client_chosen_model_names_and_ids_never_reach_evidence_or_events(
    tmp_path: Path, stream: str
) -> None:
    hello = [{"role": "user", "content": "hello"}]
    config = _config(tmp_path, stream)
    with ServerThread(create_app(load_config(config))) as server:
        unknown = _post(server.url, "/v1/chat/completions", {"model": EMAIL, "messages": hello})
        azure = _post(
            server.url, f"/openai/deployments/{EMAIL}/embeddings", {"input": "hi"}, "trace-1"
        )
        known = _post(server.url, "/v1/chat/completions", {"model": "house-model",
                      "messages": hello}, SSN_ID)  # fmt: skip
        kept = _post(server.url, "/v1/chat/completions", {"model": "mock-chat",
                     "messages": hello}, "trace-abc-42")  # fmt: skip
        entries = _events(stream, count=8)
    assert (unknown.status_code, azure.status_code, known.status_code) == (404, 404, 200)
    assert known.headers["x-request-id"] != SSN_ID
    assert kept.headers["x-request-id"] == "trace-abc-42"

    ledger = _ledger_text(tmp_path / "evidence.db")
    exported = subprocess.run(
        [sys.executable, "-m", "proxy.cli", "evidence", "export", "--framework", "soc2",
         "--config", str(config)],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout  # fmt: skip
    for where in (ledger, exported, json.dumps(entries)):
        assert EMAIL not in where and SSN_ID not in where
        assert UNLISTED_MODEL in where
        assert '"model":"house-model"' in where.replace(" ", "")
    models = {e["model"] for e in entries}
    assert len({m for m in models if m.startswith(UNLISTED_MODEL)}) == 1  # same name, same hash


def _ledger_text(db: Path) -> str:
    for _ in range(100):
        with sqlite3.connect(db) as connection:
            rows = [r[0] for r in connection.execute("SELECT record || request_id FROM evidence")]
        if len(rows) >= 4:
            return "\n".join(rows)
        time.sleep(0.05)
    raise AssertionError(f"the ledger holds {len(rows)} records, not 4")


def _events(stream: str, count: int) -> list[dict[str, str]]:
    reader = redis.Redis.from_url(redis_url())
    entries: list[dict[str, str]] = []
    for _ in range(200):
        entries = [json.loads(f[b"data"]) for _, f in reader.xrange(stream)]
        if len(entries) >= count:
            break
        time.sleep(0.05)
    return entries
