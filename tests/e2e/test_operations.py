"""Operating the gateway: the CLI, health, readiness, metrics, and key changes without restart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.config.keys import digest_of
from proxy.http.app import create_app
from tests.conftest import CLIENT_KEY
from tests.support.servers import ServerThread, eventually, free_port, is_up

HELLO = [{"role": "user", "content": "hi"}]


def test_health_ready_and_metrics(gateway_url: str) -> None:
    assert httpx.get(f"{gateway_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{gateway_url}/readyz")
    assert ready.status_code == 200
    providers = ready.json()["providers"]
    assert providers["up1"] == "enabled"
    assert providers["cloud-off"].startswith(
        "disabled: environment variable METAQORE_TEST_UNSET_KEY"
    )
    assert ready.headers["x-request-id"]
    # The deep probe is the admin's (tests/e2e/test_edge.py); this config has no admin keys.
    assert httpx.get(f"{gateway_url}/readyz?deep=1").status_code == 404

    client = openai.OpenAI(base_url=f"{gateway_url}/v1", api_key=CLIENT_KEY, max_retries=0)
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)  # type: ignore[arg-type]
    list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True))  # type: ignore[arg-type]
    text = httpx.get(f"{gateway_url}/metrics").text
    assert 'metaqore_requests_total{endpoint="chat",provider="up1",status="200"}' in text
    assert "metaqore_request_seconds_bucket" in text
    assert "metaqore_time_to_first_byte_seconds_count" in text
    assert 'metaqore_tokens_total{direction="completion",provider="up1"}' in text
    assert "metaqore_requests_in_flight" in text


def test_a_timed_out_upstream_is_not_counted_as_gateway_overhead(gateway_url: str) -> None:
    """`hang` answers nothing; the provider gives up after its read timeout (1 s here). That
    second is the upstream's, so the overhead header says milliseconds, not a second."""
    started = time.perf_counter()
    answer = httpx.post(
        f"{gateway_url}/v1/chat/completions",
        headers={"authorization": f"Bearer {CLIENT_KEY}"},
        json={"model": "hang", "messages": HELLO},
        timeout=30,
    )
    assert answer.status_code == 504
    assert time.perf_counter() - started >= 1.0
    assert float(answer.headers["x-metaqore-overhead-ms"]) < 500


def test_keys_reload_without_restart(write_config: Callable[[str], Path]) -> None:
    base = """\
        server: {reload_interval_s: 0.05}
        providers:
          - {name: mock, kind: mock, models: [mock-chat]}
        keys:
          - {key: old-key, org: acme, name: first}
        """
    path = write_config(base)
    with ServerThread(create_app(load_config(path))) as server:

        def status(key: str) -> int:
            return httpx.post(
                f"{server.url}/v1/chat/completions",
                headers={"authorization": f"Bearer {key}"},
                json={"model": "mock-chat", "messages": HELLO},
            ).status_code

        assert (status("old-key"), status("new-key")) == (200, 401)
        rotated = base.replace(
            "{key: old-key, org: acme, name: first}",
            f"{{key_sha256: {digest_of('new-key').hex()}, org: acme, name: first}}",
        )
        path.write_text(rotated)
        eventually(lambda: status("new-key") == 200)
        assert status("old-key") == 401
        path.write_text("providers: [oops")  # broken: the keys in force stay
        time.sleep(0.3)
        assert status("new-key") == 200


def _metaqore(*args: str) -> list[str]:
    return [sys.executable, "-m", "proxy.cli", *args]


@pytest.mark.parametrize("workers", [1, 2])
def test_cli_serve_starts_with_repo_config_and_no_keys(workers: int) -> None:
    repo = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    port = free_port()
    process = subprocess.Popen(
        _metaqore(
            "serve",
            "--config",
            str(repo / "gateway.yaml"),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ),
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        eventually(lambda: is_up(url), seconds=20)
        answer = openai.OpenAI(base_url=f"{url}/v1", api_key="unused").chat.completions.create(
            model="gpt-4o-mini", messages=HELLO
        )  # type: ignore[arg-type]
        assert answer.choices[0].message.content == "Mock answer to: hi"
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    warnings = [line for line in stderr.splitlines() if line.startswith("WARNING")]
    # One line per process that serves: each worker builds its own gateway.
    assert warnings == workers * [
        "WARNING metaqore: provider openai is disabled: "
        "environment variable OPENAI_API_KEY is not set"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("providers: []\n", "providers: List should have at least 1 item"),
        (
            "providers:\n  - name: a\n    kind: mock\n    models: [m]\n    colour: red\n",
            "providers[0].colour: unknown field (line 5)",
        ),
        (
            "providers:\n  - name: a\n    kind: bedrock\n    models: [m]\n",
            "providers[0]: unknown provider kind",
        ),
    ],
)
def test_cli_config_errors_exit_before_binding(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = subprocess.run(
        _metaqore("serve", "--config", str(path), "--port", "1"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1
