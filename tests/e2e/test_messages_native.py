"""`/v1/messages` faithful: the real anthropic SDK through the gateway to an Anthropic backend
(natively, the client's bytes forwarded when governance changed nothing) and to an
OpenAI-compatible one (translated), with thinking, documents, structured output, stop
sequences, count_tokens and the tool runner's thread fallback."""

from __future__ import annotations

import asyncio
import base64
import json
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anthropic
import httpx
import pytest
from anthropic import beta_tool
from pydantic import BaseModel

from governance.evidence.sqlite_store import SQLiteEvidenceStore
from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_anthropic import THINKING, FakeAnthropic, count_tokens
from tests.support.fake_openai import TEXT, FakeOpenAI
from tests.support.servers import ServerThread

KEY = "sk-native-0123456789"
ASK = [{"role": "user", "content": "Weather in Paris?"}]


@dataclass
class Gateway:
    url: str
    claude: FakeAnthropic
    openai: FakeOpenAI
    root: Path

    def client(self) -> anthropic.Anthropic:
        return anthropic.Anthropic(base_url=self.url, api_key=KEY, max_retries=0)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    claude, openai = FakeAnthropic(), FakeOpenAI()
    root = tmp_path_factory.mktemp("native")
    with ServerThread(claude) as anthropic_up, ServerThread(openai) as openai_up:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: claude, kind: anthropic, base_url: "{anthropic_up.url}",
                      api_key: anthropic-secret, models: [claude-echo, claude-dies]}}
                  - {{name: up, kind: openai, base_url: "{openai_up.url}/v1", api_key: k,
                      models: [gpt-4o-mini, echo]}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                evidence: {{store: "sqlite:///evidence.db", hmac_key: native-key-0123456789}}
                breakers: {{enabled: false}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield Gateway(server.url, claude, openai, root)


def test_untouched_bytes_go_up_as_sent_and_come_back_as_answered(gateway: Gateway) -> None:
    body = {
        "model": "claude-echo", "max_tokens": 50, "top_k": 5, "future_field": {"x": 1},
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": [THINKING, {"type": "text", "text": "Hello."}]},
            {"role": "user", "content": "Again"},
        ],
    }  # fmt: skip
    raw = json.dumps(body, indent=1).encode()  # spacing no re-encoding would keep
    answer = httpx.post(
        f"{gateway.url}/v1/messages", content=raw,
        headers={"x-api-key": KEY, "content-type": "application/json",
                 "anthropic-beta": "interleaved-thinking-2025-05-14"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert gateway.claude.received[-1].raw == raw
    assert (
        gateway.claude.received[-1].headers["anthropic-beta"] == "interleaved-thinking-2025-05-14"
    )
    assert gateway.claude.received[-1].headers["x-api-key"] == "anthropic-secret"
    assert gateway.claude.received[-1].path == "/v1/messages"
    message = answer.json()
    assert message["content"][0] == THINKING and message["content"][1]["text"] == "Echo: Again"
    assert answer.headers["x-metaqore-route"] == "claude/claude-echo"


def test_thinking_and_stop_sequences_whole_and_streamed(gateway: Gateway) -> None:
    client = gateway.client()
    thinking: anthropic.types.ThinkingConfigParam = {"type": "enabled", "budget_tokens": 1024}
    message = client.messages.create(
        model="claude-echo", max_tokens=100, thinking=thinking, stop_sequences=["Par"],
        messages=ASK,  # type: ignore[arg-type]
    )  # fmt: skip
    assert message.content[0].type == "thinking" and message.content[0].signature
    assert message.content[1].type == "text" and message.content[1].text == "Echo: Weather in "
    assert (message.stop_reason, message.stop_sequence) == ("stop_sequence", "Par")
    assert gateway.claude.received[-1].body["thinking"] == thinking
    with client.messages.stream(
        model="claude-echo", max_tokens=100, thinking=thinking, stop_sequences=["Par"],
        messages=ASK,  # type: ignore[arg-type]
    ) as stream:  # fmt: skip
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Echo: Weather in "
    assert (final.stop_reason, final.stop_sequence) == ("stop_sequence", "Par")
    assert final.content[0].type == "thinking"
    assert final.content[0].thinking == THINKING["thinking"]
    assert final.content[0].signature == THINKING["signature"]
    assert final.usage.output_tokens == 7 and final.usage.input_tokens == 12


class City(BaseModel):
    name: str
    population: int


def test_parse_gives_structured_output(gateway: Gateway) -> None:
    parsed = gateway.client().messages.parse(
        model="claude-echo",
        max_tokens=100,
        messages=ASK,
        output_format=City,  # type: ignore[arg-type]
    )
    assert parsed.parsed_output == City(name="Paris", population=7)
    sent = gateway.claude.received[-1].body
    assert sent["output_config"]["format"]["type"] == "json_schema"
    assert sent["output_config"]["format"]["schema"]["properties"]["population"]


def test_structured_output_reaches_a_chat_backend_as_response_format(gateway: Gateway) -> None:
    gateway.client().messages.create(
        model="gpt-4o-mini", max_tokens=100, messages=ASK,  # type: ignore[arg-type]
        output_config={"format": {"type": "json_schema", "schema": City.model_json_schema()}},
    )  # fmt: skip
    sent = gateway.openai.received[-1].body
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"]["required"] == ["name", "population"]


def _documents() -> list[anthropic.types.DocumentBlockParam]:
    return [
        {"type": "document", "title": "Memo",
         "source": {"type": "text", "media_type": "text/plain", "data": "Plain memo text."}},
        {"type": "document", "source": {"type": "base64", "media_type": "text/plain",  # type: ignore[typeddict-item]
                                        "data": base64.b64encode(b"Encoded notes.").decode()}},
    ]  # fmt: skip


def test_documents_reach_both_backends_as_text(gateway: Gateway) -> None:
    content: list[anthropic.types.ContentBlockParam] = [
        *_documents(),
        {"type": "text", "text": " Summarise."},
    ]
    message = gateway.client().messages.create(
        model="claude-echo", max_tokens=100, messages=[{"role": "user", "content": content}]
    )
    assert message.content[0].type == "text"
    assert message.content[0].text == "Echo: Plain memo text.Encoded notes. Summarise."
    sent = gateway.claude.received[-1].body["messages"][0]["content"]
    assert sent[1]["source"] == {"type": "text", "media_type": "text/plain",
                                 "data": "Encoded notes."}  # fmt: skip
    gateway.client().messages.create(
        model="gpt-4o-mini", max_tokens=100, messages=[{"role": "user", "content": content}]
    )
    parts = gateway.openai.received[-1].body["messages"][0]["content"]
    assert [p["text"] for p in parts] == ["Memo\n\nPlain memo text.", "Encoded notes.",
                                          " Summarise."]  # fmt: skip


def test_what_chat_completions_has_words_for_is_carried(gateway: Gateway) -> None:
    weather = {
        "name": "get_weather",
        "description": "Weather",
        "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
    turns = [
        *ASK,
        {"role": "assistant", "content": [
            {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "P"}}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "no service",
             "is_error": True}]},
    ]  # fmt: skip
    gateway.client().messages.create(
        model="gpt-4o-mini", max_tokens=100, tools=[weather], messages=turns,  # type: ignore[arg-type, list-item]
        system=[{"type": "text", "text": "You are A."}, {"type": "text", "text": "Be brief."}],
        tool_choice={"type": "any", "disable_parallel_tool_use": True},
    )  # fmt: skip
    sent = gateway.openai.received[-1].body
    assert sent["messages"][0] == {"role": "system", "content": "You are A.\n\nBe brief."}
    assert sent["tool_choice"] == "required" and sent["parallel_tool_calls"] is False
    assert sent["messages"][-1] == {"role": "tool", "tool_call_id": "toolu_1",
                                    "content": "Error: no service"}  # fmt: skip
    gateway.client().messages.create(
        model="claude-echo", max_tokens=100, tools=[weather], messages=turns,  # type: ignore[arg-type, list-item]
        tool_choice={"type": "any", "disable_parallel_tool_use": True},
    )  # fmt: skip
    native = gateway.claude.received[-1].body
    assert native["tool_choice"] == {"type": "any", "disable_parallel_tool_use": True}
    assert native["messages"][-1]["content"][0]["is_error"] is True


def test_count_tokens(gateway: Gateway) -> None:
    client = gateway.client()
    counted = client.messages.count_tokens(model="claude-echo", messages=ASK)  # type: ignore[arg-type]
    assert counted.input_tokens == count_tokens(gateway.claude.received[-1].body)
    assert gateway.claude.received[-1].path == "/v1/messages/count_tokens"
    before = len(gateway.openai.received)
    estimated = client.messages.count_tokens(model="gpt-4o-mini", messages=ASK)  # type: ignore[arg-type]
    assert estimated.input_tokens == len("Weather in Paris?") // 4 + 4
    assert len(gateway.openai.received) == before  # the gateway's own estimate
    with pytest.raises(anthropic.BadRequestError):
        client.messages.count_tokens(model="claude-echo", messages=[])


@pytest.mark.parametrize("model", ["claude-echo", "gpt-4o-mini"])
def test_the_tool_runner_falls_back_from_threads(gateway: Gateway, model: str) -> None:
    calls: list[str] = []

    @beta_tool
    def get_weather(city: str, unit: str = "celsius") -> str:
        """Weather in a city.

        Args:
            city: The city.
            unit: Degrees in.
        """
        calls.append(city)
        return f"Sunny in {city}"

    upstream = gateway.claude if model == "claude-echo" else gateway.openai
    before = len(upstream.received)
    runner = gateway.client().beta.messages.tool_runner(
        model=model, max_tokens=100, tools=[get_weather], messages=ASK,  # type: ignore[arg-type]
    )  # fmt: skip
    final = runner.until_done()
    assert calls == ["Paris"]
    sent = [r.body for r in upstream.received[before:]]
    assert all("thread" not in body for body in sent)
    assert len(sent) == 2  # the question, then the whole conversation with the tool's result
    if model == "claude-echo":
        assert final.content[0].type == "text" and final.content[0].text == (
            "Result: Sunny in Paris"
        )
        roles = [turn["role"] for turn in sent[1]["messages"]]
        assert roles == ["user", "assistant", "user"] and sent[1]["tools"]
    else:
        assert final.content[0].type == "text" and final.content[0].text == TEXT
        roles = [m["role"] for m in sent[1]["messages"]]
        assert roles == ["user", "assistant", "tool"] and sent[1]["tools"]
        assert sent[1]["messages"][2]["content"] == "Sunny in Paris"


def test_a_thread_is_refused_in_the_sdks_terms(gateway: Gateway) -> None:
    answer = httpx.post(
        f"{gateway.url}/v1/messages",
        json={"model": "claude-echo", "max_tokens": 10, "messages": ASK, "thread": {}},
        headers={"x-api-key": KEY},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["details"] == {"error_code": "thread_unsupported_request"}


def test_a_native_stream_failing_ends_with_an_error_event(gateway: Gateway) -> None:
    with (
        pytest.raises(anthropic.APIStatusError),
        gateway.client().messages.stream(
            model="claude-dies",
            max_tokens=10,
            messages=ASK,  # type: ignore[arg-type]
        ) as stream,
    ):
        stream.get_final_message()


@pytest.mark.parametrize("model", ["claude-echo", "gpt-4o-mini"])
def test_each_call_is_one_record_with_its_tokens(gateway: Gateway, model: str) -> None:
    client = gateway.client()
    with client.messages.stream(model=model, max_tokens=10, messages=ASK) as stream:  # type: ignore[arg-type]
        stream.get_final_message()
        streamed = stream.response.headers["x-request-id"]
    counted = client.messages.with_raw_response.count_tokens(model=model, messages=ASK)  # type: ignore[arg-type]
    ids = {streamed: (15, 7) if model == "claude-echo" else (11, 5),
           counted.headers["x-request-id"]: (0, 0)}  # fmt: skip
    records = _records(gateway, set(ids))
    assert sorted(r["request_id"] for r in records) == sorted(ids)
    for record in records:
        assert (record["tokens_in"], record["tokens_out"]) == ids[record["request_id"]]
        assert record["endpoint"] in ("messages", "count_tokens")
        assert record["status"] == 200 and record["outcome"] == "completed"


def _records(gateway: Gateway, request_ids: set[str]) -> list[dict[str, Any]]:
    async def read() -> list[dict[str, Any]]:
        store = SQLiteEvidenceStore(gateway.root / "evidence.db")
        try:
            return [r.fields() async for r in store.since(None) if r.request_id in request_ids]
        finally:
            await store.aclose()

    deadline = time.monotonic() + 10
    while True:
        records = asyncio.run(read())
        if len(records) >= len(request_ids) or time.monotonic() > deadline:
            return records
        time.sleep(0.1)
