"""Request events on a real Redis Stream, and a gateway that keeps serving when Redis is gone."""

from __future__ import annotations

import json
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
import redis

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.servers import ServerThread
from tests.support.services import redis_url

KEY = "sk-events-0123456789"


def serve(tmp_path: Path, url: str, stream: str) -> ServerThread:
    (tmp_path / "policies/orgs").mkdir(parents=True)
    (tmp_path / "policies/orgs/acme.yaml").write_text("sensitivity: {types: {SECRET: block}}\n")
    path = tmp_path / "gateway.yaml"
    path.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: mock, kind: mock, models: [mock-chat]}}
            keys:
              - {{key: {KEY}, org: acme, team: web, name: site}}
            governance: {{policies: policies}}
            evidence:
              hmac_key: events-test-key-0123456789
              events: {{redis_url: "{url}", stream: {stream}}}
        """)
    )
    return ServerThread(create_app(load_config(path)))


@pytest.fixture
def stream() -> Iterator[str]:
    name = f"metaqore:test:{uuid.uuid4().hex[:8]}"
    yield name
    redis.Redis.from_url(redis_url()).delete(name)


def test_started_completed_and_denied_reach_the_stream(tmp_path: Path, stream: str) -> None:
    with serve(tmp_path, redis_url(), stream) as server:
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=KEY, max_retries=0)
        ok = client.chat.completions.with_raw_response.create(
            model="mock-chat", messages=[{"role": "user", "content": "hello"}]
        )
        with pytest.raises(openai.PermissionDeniedError):
            client.chat.completions.create(
                model="mock-chat", messages=[{"role": "user", "content": "AKIAIOSFODNN7EXAMPLE"}]
            )
        reader = redis.Redis.from_url(redis_url())
        deadline = time.monotonic() + 10
        entries: list[dict[str, object]] = []
        while len(entries) < 4 and time.monotonic() < deadline:
            entries = [json.loads(f[b"data"]) for _, f in reader.xrange(stream)]
            time.sleep(0.05)
    kinds = [e["type"] for e in entries]
    assert kinds.count("request.started") == 2
    assert "request.completed" in kinds and "request.denied" in kinds
    done = next(e for e in entries if e["type"] == "request.completed")
    assert done["request_id"] == ok.headers["x-request-id"]
    assert (done["org"], done["key_id"], done["status"]) == ("acme", "site", 200)
    assert "AKIA" not in json.dumps(entries)


def test_no_redis_costs_nothing_but_the_feed(tmp_path: Path, stream: str) -> None:
    with serve(tmp_path, "redis://127.0.0.1:1/0", stream) as server:
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=KEY, max_retries=0)
        started = time.monotonic()
        for _ in range(3):
            client.chat.completions.create(
                model="mock-chat", messages=[{"role": "user", "content": "hello"}]
            )
        assert time.monotonic() - started < 5
