"""HyPIE through the real gateway: the fastest and the cheapest targets win, the route and its
reason are in the headers and the evidence, and /admin/routes explains the order."""

from __future__ import annotations

import asyncio
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from governance.evidence.sqlite_store import SQLiteEvidenceStore
from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

ADMIN = "sk-routing-admin-0123456789"


@pytest.fixture
def routed(tmp_path: Path) -> Iterator[tuple[FakeOpenAI, str, Path]]:
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        path = tmp_path / "gateway.yaml"
        path.write_text(
            textwrap.dedent(f"""\
                providers:
                  - name: pricey
                    kind: openai
                    base_url: "{upstream.url}/a/v1"
                    api_key: k
                    models: [gpt-4o-mini]
                    prices: {{gpt-4o-mini: [5.0, 15.0]}}
                  - name: thrifty
                    kind: openai
                    base_url: "{upstream.url}/b/v1"
                    api_key: k
                    models: [gpt-4o-mini]
                    prices: {{gpt-4o-mini: [0.15, 0.6]}}
                aliases:
                  fast:
                    strategy: least_latency
                    targets: [pricey/gpt-4o-mini, thrifty/gpt-4o-mini]
                  cheap:
                    strategy: least_cost
                    targets: [pricey/gpt-4o-mini, thrifty/gpt-4o-mini]
                evidence: {{hmac_key: routing-test-key-0123456789, durability: sync}}
                admin: {{keys: [{{key: {ADMIN}}}]}}
            """)
        )
        with ServerThread(create_app(load_config(path))) as gateway:
            yield fake, gateway.url, tmp_path


def ask(url: str, model: str) -> httpx.Headers:
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="any", max_retries=0)
    raw = client.chat.completions.with_raw_response.create(
        model=model, messages=[{"role": "user", "content": "hi"}]
    )
    return raw.headers


def test_least_latency_learns_which_backend_is_fast(
    routed: tuple[FakeOpenAI, str, Path],
) -> None:
    fake, url, _ = routed
    fake.delays = {"/a/": 0.15}
    routes = [ask(url, "fast")["x-metaqore-route"] for _ in range(6)]
    assert routes[-3:] == ["thrifty/gpt-4o-mini"] * 3  # both measured by then; b wins
    fake.delays = {"/b/": 0.4}
    for _ in range(12):
        if ask(url, "fast")["x-metaqore-route"] == "pricey/gpt-4o-mini":
            break
    else:
        pytest.fail("the router never moved off the backend that became slow")
    admin = httpx.get(
        f"{url}/admin/routes", params={"model": "fast"},
        headers={"authorization": f"Bearer {ADMIN}"},
    ).json()  # fmt: skip
    assert admin["strategy"] == "least_latency"
    assert {row["target"] for row in admin["targets"]} == {
        "pricey/gpt-4o-mini", "thrifty/gpt-4o-mini",
    }  # fmt: skip
    assert all(row["latency_ms"] > 0 and row["breaker"] == "closed" for row in admin["targets"])


def test_least_cost_and_the_cost_in_evidence(routed: tuple[FakeOpenAI, str, Path]) -> None:
    _, url, root = routed
    headers = ask(url, "cheap")
    assert headers["x-metaqore-route"] == "thrifty/gpt-4o-mini"
    assert headers["x-metaqore-route-reason"] == "least_cost"
    time.sleep(0.1)

    async def record() -> dict[str, object]:
        store = SQLiteEvidenceStore(root / "metaqore-evidence.db")
        try:
            rows = [r async for r in store.since(None)]
        finally:
            await store.aclose()
        return next(r.fields() for r in rows if r.request_id == headers["x-request-id"])

    fields = asyncio.run(record())
    assert fields["route_reason"] == "least_cost"
    assert fields["cost_usd"] == pytest.approx((11 * 0.15 + 5 * 0.6) / 1_000_000)


def test_a_confident_specialist_prompt_goes_to_the_specialist(tmp_path: Path) -> None:
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        path = tmp_path / "gateway.yaml"
        path.write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: general, kind: openai, base_url: "{upstream.url}/a/v1", api_key: k,
                      models: [gpt-4o-mini]}}
                  - {{name: sqlbox, kind: openai, base_url: "{upstream.url}/b/v1", api_key: k,
                      models: [sqlcoder]}}
                skills:
                  sql:
                    keywords: [sql, query, join]
                    patterns: ['\\bselect\\b.+\\bfrom\\b']
                    min_score: 3
                aliases:
                  assistant:
                    targets: [general/gpt-4o-mini]
                    specialists: {{sql: [sqlbox/sqlcoder]}}
                evidence: {{enabled: false}}
            """)
        )
        with ServerThread(create_app(load_config(path))) as gateway:
            sql = ask(gateway.url, "assistant")  # "hi": not confident
            assert sql["x-metaqore-route"] == "general/gpt-4o-mini"
            client = openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="any", max_retries=0)
            raw = client.chat.completions.with_raw_response.create(
                model="assistant",
                messages=[{"role": "user", "content": "Fix this SQL: SELECT * FROM users JOIN x"}],
            )
            assert raw.headers["x-metaqore-route"] == "sqlbox/sqlcoder"
            reason = raw.headers["x-metaqore-route-reason"]
            assert reason.startswith("specialist:sql") and "join" in reason
            assert fake.received[-1].path == "/b/v1/chat/completions"
