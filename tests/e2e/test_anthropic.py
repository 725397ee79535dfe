"""The anthropic provider end to end: the openai SDK through the gateway to a fake Messages
upstream, checking what went up (translated) and what came back (translated back)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_anthropic import FakeAnthropic
from tests.support.openai_spec import SPEC, validate
from tests.support.servers import ServerThread

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
MODELS = ["claude-echo", "claude-429", "claude-overloaded", "claude-dies"]


@pytest.fixture(scope="module")
def anthropic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeAnthropic, str]]:
    fake = FakeAnthropic()
    root = tmp_path_factory.mktemp("anthropic")
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - name: claude
                    kind: anthropic
                    base_url: "{upstream.url}"
                    api_key: anthropic-secret
                    models: {MODELS}
                    default_max_tokens: 1000
                evidence: {{enabled: false}}
                breakers: {{enabled: false}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as gateway:
            yield fake, gateway.url


def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="any", max_retries=0)


def test_a_conversation_is_translated_both_ways(anthropic: tuple[FakeAnthropic, str]) -> None:
    fake, url = anthropic
    messages: list[Any] = [
        {"role": "system", "content": "Be brief."},
        {"role": "developer", "content": "Use metric units."},
        {"role": "user", "content": [
            {"type": "text", "text": "Look: "},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
        ]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}},
            {"id": "call_2", "type": "function",
             "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'}},
        ]},
        {"role": "tool", "tool_call_id": "call_1", "content": "cold"},
        {"role": "tool", "tool_call_id": "call_2", "content": "warm"},
        {"role": "user", "content": "And now?"},
    ]  # fmt: skip
    answer = client(url).chat.completions.create(
        model="claude-echo", messages=messages, stop="END", temperature=0.2, user="u-7"
    )
    assert answer.choices[0].message.content == "Echo: And now?"
    assert answer.choices[0].finish_reason == "stop"
    assert answer.usage is not None and answer.usage.prompt_tokens == 15
    assert answer.usage.prompt_tokens_details.cached_tokens == 3  # type: ignore[union-attr]
    sent = fake.received[-1]
    assert sent.path == "/v1/messages"
    assert sent.headers["x-api-key"] == "anthropic-secret"
    assert sent.headers["anthropic-version"] == "2023-06-01"
    body = sent.body
    assert body["system"] == "Be brief.\n\nUse metric units."
    assert body["max_tokens"] == 1000 and body["stop_sequences"] == ["END"]
    assert body["metadata"] == {"user_id": "u-7"} and body["temperature"] == 0.2
    assert [t["role"] for t in body["messages"]] == ["user", "assistant", "user"]
    source = {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}
    assert body["messages"][0]["content"][1] == {"type": "image", "source": source}
    assert [b["input"] for b in body["messages"][1]["content"]] == [
        {"city": "Oslo"},
        {"city": "Rome"},
    ]
    results = body["messages"][2]["content"]
    assert [b["type"] for b in results] == ["tool_result", "tool_result", "text"]
    assert results[1] == {"type": "tool_result", "tool_use_id": "call_2", "content": "warm"}


def test_a_stop_sequence_ends_the_answer_with_finish_reason_stop(
    anthropic: tuple[FakeAnthropic, str],
) -> None:
    """Chat's `stop` is Anthropic's `stop_sequences`; its `stop_reason: stop_sequence` is
    chat's `finish_reason: stop`, whole and streamed, the text cut before the sequence."""
    fake, url = anthropic
    ask = {"model": "claude-echo", "messages": [{"role": "user", "content": "one two three"}]}
    whole = client(url).chat.completions.create(**ask, stop=["two", "zzz"])  # type: ignore[call-overload]
    assert fake.received[-1].body["stop_sequences"] == ["two", "zzz"]
    assert whole.choices[0].message.content == "Echo: one "
    assert whole.choices[0].finish_reason == "stop"
    chunks = list(client(url).chat.completions.create(**ask, stop="two", stream=True))  # type: ignore[call-overload]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert (text, [f for f in finishes if f]) == ("Echo: one ", ["stop"])


def test_tools_stream_and_json_schema(anthropic: tuple[FakeAnthropic, str]) -> None:
    fake, url = anthropic
    ask = [{"role": "user", "content": "Weather?"}]
    called = client(url).chat.completions.create(
        model="claude-echo",
        messages=ask,
        tools=[WEATHER],
        tool_choice="required",  # type: ignore[list-item]
    )
    assert fake.received[-1].body["tool_choice"] == {"type": "any"}
    call = called.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "get_weather",
        {"city": "Paris"},
    )
    assert called.choices[0].finish_reason == "tool_calls"

    stream = client(url).chat.completions.create(
        model="claude-echo", messages=ask, tools=[WEATHER], stream=True,  # type: ignore[list-item]
        stream_options={"include_usage": True},
    )  # fmt: skip
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    arguments = "".join(
        t.function.arguments or ""
        for c in chunks
        if c.choices
        for t in c.choices[0].delta.tool_calls or []
    )
    assert text == "Echo: Weather?" and json.loads(arguments) == {"city": "Paris"}
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 22
    if SPEC.exists():
        for chunk in chunks:
            validate("CreateChatCompletionStreamResponse", chunk.model_dump(exclude_unset=True))

    structured = client(url).chat.completions.create(
        model="claude-echo", messages=ask,
        response_format={"type": "json_schema", "json_schema": {"name": "a", "schema": {
            "type": "object", "properties": {"answer": {"type": "string"}}}}},
    )  # fmt: skip
    assert fake.received[-1].body["tool_choice"] == {"type": "tool", "name": "json_response"}
    assert json.loads(structured.choices[0].message.content.removeprefix("Echo: Weather?")) == {  # type: ignore[union-attr]
        "answer": "yes"
    }
    assert structured.choices[0].finish_reason == "stop"


def test_errors_map_to_openai_shapes(anthropic: tuple[FakeAnthropic, str]) -> None:
    _, url = anthropic
    ask = [{"role": "user", "content": "hi"}]
    with pytest.raises(openai.RateLimitError) as limited:
        client(url).chat.completions.create(model="claude-429", messages=ask)  # type: ignore[arg-type]
    assert limited.value.response.headers["retry-after"] == "3"
    with pytest.raises(openai.APIStatusError) as overloaded:
        client(url).chat.completions.create(model="claude-overloaded", messages=ask)  # type: ignore[arg-type]
    assert overloaded.value.status_code == 502 and "Overloaded" in overloaded.value.message
    stream = client(url).chat.completions.create(model="claude-dies", messages=ask, stream=True)  # type: ignore[arg-type]
    with pytest.raises(openai.APIError) as died:
        list(stream)
    assert "overloaded_error" in died.value.message
    with pytest.raises(openai.BadRequestError):
        client(url).embeddings.create(model="claude-echo", input="x")
