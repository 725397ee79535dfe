"""Two `metaqore serve` processes on different ports behave as one gateway: an answer cached
through one is a hit through the other, and both write one verifiable ledger in PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from proxy.config.gateway_config import load_config
from tests.support.fake_openai import TEXT, FakeOpenAI
from tests.support.servers import ServerThread
from tests.support.services import drop_table, postgres_dsn, redis_url

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-scale-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[tuple[list[str], Path, str]]:
    table = f"evidence_scale_{uuid.uuid4().hex[:8]}"
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        config = tmp_path / "gateway.yaml"
        config.write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: [gpt-4o-mini]}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                evidence:
                  store: {postgres_dsn()}
                  table: {table}
                  hmac_key: scale-out-test-key-0123456789
                cache: {{enabled: true, backend: redis, redis_url: "{redis_url()}"}}
                breakers: {{redis_url: "{redis_url()}"}}
                limits: {{backend: redis, redis_url: "{redis_url()}"}}
            """)
        )
        ports = [free_port(), free_port()]
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "proxy.cli",
                    "serve",
                    "--config",
                    str(config),
                    "--port",
                    str(port),
                ],
                stderr=subprocess.DEVNULL,
                env=dict(os.environ),
            )
            for port in ports
        ]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for url in urls:
                wait_up(url)
            yield urls, config, table
        finally:
            for process in processes:
                process.terminate()  # a graceful stop drains each ledger
            for process in processes:
                process.wait(timeout=30)
            asyncio.run(drop_table(postgres_dsn(), table))


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


def test_two_processes_share_cache_and_one_ledger(
    replicas: tuple[list[str], Path, str],
) -> None:
    (one, two), config, _ = replicas
    question = [{"role": "user", "content": f"scale {uuid.uuid4().hex}"}]

    def ask(url: str) -> str:
        client = openai.OpenAI(base_url=f"{url}/v1", api_key=KEY, max_retries=0)
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=question, temperature=0
        )
        assert raw.parse().choices[0].message.content == TEXT
        return str(raw.headers["x-metaqore-cache"])

    assert ask(one) == "miss"
    deadline = time.monotonic() + 5
    while ask(two) != "hit":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)  # let the batched ledgers write
    done = subprocess.run(
        [sys.executable, "-m", "proxy.cli", "evidence", "verify", "--config", str(config)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"] and report["chains"] == 2, done.stderr
    assert report["records"] >= 2


def test_the_shipped_scale_out_config_is_valid() -> None:
    env = {"METAQORE_EVIDENCE_KEY": "k" * 32, "METAQORE_ADMIN_KEY": "admin-key-0123456789"}
    loaded = load_config(REPO / "deploy" / "gateway.yaml", env=env)
    config = loaded.config
    assert config.cache.backend == "redis" and config.limits.backend == "redis"
    assert config.evidence.store.startswith("postgresql://")
    assert "openai" in loaded.disabled_providers  # no OPENAI_API_KEY in that environment
