"""An answer that comes without the upstream's usage is still charged to the daily spend limit
(and to tokens per minute), with the gateway's own estimate, recorded as estimated in evidence
and reported where a dialect needs a number: streams cut at a gateway-enforced stop sequence,
left by their client, broken mid-way, or from a backend that ignores include_usage."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import pytest

from governance.evidence.sqlite_store import SQLiteEvidenceStore
from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import NO_USAGE, TEXT, FakeOpenAI
from tests.support.servers import ServerThread, eventually

# One org a test, each with a budget one answer spends: $10 per thousand tokens, $0.01 a day.
ORGS = ("stop", "gone", "broken", "ignores", "whole", "responses", "completions", "tools",
        "messages")  # fmt: skip
MODELS = ("gpt-4o-mini", NO_USAGE, "slow-stream", "reset-mid-stream")


def key(org: str) -> str:
    return f"sk-usage-{org}-0123456789"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("usage")
    (root / "policies/orgs").mkdir(parents=True)
    for org in ORGS:
        (root / f"policies/orgs/{org}.yaml").write_text("limits: {usd_per_day: 0.01}\n")
    prices = ", ".join(f"{m}: [10000, 10000]" for m in MODELS)
    keys = "\n".join(f"  - {{key: {key(org)}, org: {org}, name: {org}}}" for org in ORGS)
    with ServerThread(FakeOpenAI()) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: [{", ".join(MODELS)}], prices: {{{prices}}}}}
                governance: {{policies: policies}}
                evidence: {{hmac_key: usage-test-key-0123456789, durability: sync}}
                keys:
            """)
            + keys
            + "\n"
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield server.url, root


def chat(url: str, org: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key(org), max_retries=0)


def spent(url: str, org: str) -> bool:
    """Whether the org's daily budget is spent, asked of count_tokens: refused when it is,
    and free when it is not (so asking again and again spends nothing)."""
    answer = httpx.post(
        f"{url}/v1/messages/count_tokens", headers={"x-api-key": key(org)},
        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
    )  # fmt: skip
    assert answer.status_code in (200, 429), answer.text
    return answer.status_code == 429


def record_of(root: Path, request_id: str) -> dict[str, Any]:
    async def read() -> list[dict[str, Any]]:
        store = SQLiteEvidenceStore(root / "metaqore-evidence.db")
        try:
            return [r.fields() async for r in store.since(None) if r.request_id == request_id]
        finally:
            await store.aclose()

    eventually(lambda: bool(asyncio.run(read())))
    return asyncio.run(read())[0]


def test_a_messages_stream_cut_at_a_stop_sequence_is_charged_and_says_its_tokens(
    gateway: tuple[str, Path],
) -> None:
    url, root = gateway
    client = anthropic.Anthropic(base_url=url, api_key=key("stop"), max_retries=0)
    with client.messages.stream(
        model="gpt-4o-mini", max_tokens=100, stop_sequences=["lo w"],
        messages=[{"role": "user", "content": "hi"}],
    ) as stream:  # fmt: skip
        assert "".join(stream.text_stream) == "Hel"
        final = stream.get_final_message()
        request_id = stream.response.headers["x-request-id"]
    assert final.stop_reason == "stop_sequence"
    assert final.usage.output_tokens > 0  # the gateway hung up before the usage chunk came
    record = record_of(root, request_id)
    assert record["usage_source"] == "estimated"
    assert record["tokens_out"] == final.usage.output_tokens and record["cost_usd"] > 0
    eventually(lambda: spent(url, "stop"))


def test_a_client_that_leaves_mid_stream_is_charged(gateway: tuple[str, Path]) -> None:
    url, root = gateway
    stream = chat(url, "gone").chat.completions.create(
        model="slow-stream", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    for _, _ in zip(range(3), stream, strict=False):
        pass
    stream.close()  # before the usage chunk
    eventually(lambda: spent(url, "gone"))
    record = record_of(root, stream.response.headers["x-request-id"])
    assert record["outcome"] == "client_disconnected"
    assert record["usage_source"] == "estimated" and record["tokens_out"] > 0


def test_a_stream_broken_mid_way_is_charged(gateway: tuple[str, Path]) -> None:
    url, _ = gateway
    with pytest.raises(openai.APIError):
        for _ in chat(url, "broken").chat.completions.create(
            model="reset-mid-stream", messages=[{"role": "user", "content": "hi"}], stream=True
        ):
            pass
    eventually(lambda: spent(url, "broken"))


def test_a_backend_that_ignores_include_usage_is_charged_and_the_client_gets_a_usage_chunk(
    gateway: tuple[str, Path],
) -> None:
    url, root = gateway
    raw = chat(url, "ignores").chat.completions.with_raw_response.create(
        model=NO_USAGE, messages=[{"role": "user", "content": "hi"}], stream=True,
        stream_options={"include_usage": True},
    )  # fmt: skip
    chunks = list(raw.parse())
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == TEXT
    usage = chunks[-1].usage
    assert usage is not None and not chunks[-1].choices
    assert usage.completion_tokens == 4 and usage.prompt_tokens > 0  # "Hello wörld 😀!"
    record = record_of(root, raw.headers["x-request-id"])
    assert (record["usage_source"], record["tokens_out"]) == ("estimated", 4)
    eventually(lambda: spent(url, "ignores"))


def test_a_whole_answer_without_usage_is_charged(gateway: tuple[str, Path]) -> None:
    url, root = gateway
    raw = chat(url, "whole").chat.completions.with_raw_response.create(
        model=NO_USAGE, messages=[{"role": "user", "content": "hi"}]
    )
    assert raw.parse().usage is None  # the answer goes out as the backend gave it
    record = record_of(root, raw.headers["x-request-id"])
    assert (record["usage_source"], record["tokens_out"]) == ("estimated", 4)
    eventually(lambda: spent(url, "whole"))


def test_a_whole_messages_answer_without_usage_says_its_tokens_and_is_charged(
    gateway: tuple[str, Path],
) -> None:
    url, _ = gateway
    client = anthropic.Anthropic(base_url=url, api_key=key("messages"), max_retries=0)
    message = client.messages.create(
        model=NO_USAGE, max_tokens=100, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.usage.output_tokens == 4 and message.usage.input_tokens > 0
    eventually(lambda: spent(url, "messages"))


def test_tool_call_arguments_count(gateway: tuple[str, Path]) -> None:
    url, root = gateway
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}
    raw = chat(url, "tools").chat.completions.with_raw_response.create(
        model=NO_USAGE, messages=[{"role": "user", "content": "hi"}], tools=[tool],  # type: ignore[list-item]
        stream=True,
    )  # fmt: skip
    list(raw.parse())
    record = record_of(root, raw.headers["x-request-id"])
    assert record["usage_source"] == "estimated" and record["tokens_out"] >= 9  # the arguments
    eventually(lambda: spent(url, "tools"))


def test_a_responses_stream_without_usage_reports_and_is_charged(
    gateway: tuple[str, Path],
) -> None:
    url, _ = gateway
    events = list(
        chat(url, "responses").responses.create(model=NO_USAGE, input="hi", stream=True)
    )
    completed = events[-1]
    assert completed.type == "response.completed"
    assert completed.response.usage is not None and completed.response.usage.output_tokens == 4
    eventually(lambda: spent(url, "responses"))


def test_a_text_completion_stream_without_usage_is_charged(gateway: tuple[str, Path]) -> None:
    url, _ = gateway
    with httpx.stream(
        "POST", f"{url}/v1/completions",
        headers={"authorization": f"Bearer {key('completions')}"},
        json={"model": NO_USAGE, "prompt": "hi", "stream": True},
    ) as answer:  # fmt: skip
        assert answer.status_code == 200
        body = b"".join(answer.iter_bytes())
    assert body.endswith(b"data: [DONE]\n\n") and b'"usage"' not in body  # not asked for
    eventually(lambda: spent(url, "completions"))
