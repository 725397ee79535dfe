"""The real openai SDK, sync and async, through the real gateway to a fake upstream."""

from __future__ import annotations

import asyncio
import base64
import struct
from typing import Any

import openai
import pytest

from tests.conftest import CLIENT_KEY, UPSTREAM_KEY
from tests.support.fake_openai import TEXT, TOOL_ARGS, USAGE, FakeOpenAI

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
HELLO = [{"role": "user", "content": "Say hello"}]


@pytest.fixture
def client(gateway_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway_url}/v1", api_key=CLIENT_KEY, max_retries=0)


@pytest.fixture
def aclient(gateway_url: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{gateway_url}/v1", api_key=CLIENT_KEY, max_retries=0)


def _streamed_tool_call(client: openai.OpenAI, model: str) -> Any:
    """Stream a tool-calling answer and return the tool call the SDK reassembled."""
    with client.chat.completions.stream(
        model=model, messages=HELLO, tools=[WEATHER_TOOL]
    ) as stream:  # type: ignore[arg-type]
        final = stream.get_final_completion()
    assert final.choices[0].finish_reason == "tool_calls"
    return final.choices[0].message.tool_calls[0]  # type: ignore[index]


def test_non_streaming_completion(client: openai.OpenAI, fake: FakeOpenAI) -> None:
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert answer.choices[0].message.content == TEXT
    assert answer.choices[0].finish_reason == "stop"
    assert answer.usage is not None and answer.usage.total_tokens == USAGE["total_tokens"]
    sent = fake.received[-1]
    assert sent.path == "/a/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {UPSTREAM_KEY}"
    assert CLIENT_KEY not in str(sent.headers)
    assert sent.body == {"model": "gpt-4o-mini", "messages": HELLO}


def test_streaming_with_and_without_usage(client: openai.OpenAI, fake: FakeOpenAI) -> None:
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == TEXT
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)  # the gateway asked for usage, and hid it
    assert fake.received[-1].body["stream_options"] == {"include_usage": True}

    with_usage = list(
        client.chat.completions.create(
            model="gpt-4o-mini", messages=HELLO, stream=True, stream_options={"include_usage": True}
        )
    )
    assert with_usage[-1].choices == []
    assert with_usage[-1].usage is not None and with_usage[-1].usage.prompt_tokens == 11


def test_tools_non_stream_and_streamed_deltas(client: openai.OpenAI) -> None:
    answer = client.chat.completions.create(
        model="gpt-4o-mini", messages=HELLO, tools=[WEATHER_TOOL]
    )  # type: ignore[list-item]
    call = answer.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert call.function.name == "get_weather" and call.function.arguments == TOOL_ARGS
    assert answer.choices[0].finish_reason == "tool_calls"

    streamed = _streamed_tool_call(client, "gpt-4o-mini")
    assert streamed.function.name == "get_weather"
    assert streamed.function.arguments == TOOL_ARGS


def test_n_response_format_seed_logprobs_and_unknown_fields_pass_through(
    client: openai.OpenAI, fake: FakeOpenAI
) -> None:
    answer = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=HELLO,
        n=2,
        seed=42,
        logprobs=True,
        top_logprobs=2,
        response_format={"type": "json_object"},
        extra_body={"future_param": {"nested": [1, 2]}, "reasoning_effort": "low"},
    )
    assert len(answer.choices) == 2
    body = fake.received[-1].body
    assert body["n"] == 2 and body["seed"] == 42 and body["logprobs"] is True
    assert body["response_format"] == {"type": "json_object"}
    assert body["future_param"] == {"nested": [1, 2]} and body["reasoning_effort"] == "low"


def test_embeddings_float_and_base64(client: openai.OpenAI, fake: FakeOpenAI) -> None:
    result = client.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert [d.index for d in result.data] == [0, 1]
    assert result.data[0].embedding == pytest.approx([0.25, -0.5, 0.75])
    assert fake.received[-1].path == "/a/v1/embeddings"
    floats = client.embeddings.create(
        model="text-embedding-3-small", input="a", encoding_format="float"
    )
    assert floats.data[0].embedding == pytest.approx([0.25, -0.5, 0.75])


def test_models_list_and_retrieve(client: openai.OpenAI) -> None:
    ids = {m.id for m in client.models.list()}
    assert {"gpt-4o-mini", "mock-chat", "fallback"} <= ids
    assert "only-disabled" not in ids  # its only provider has no key in the environment
    assert client.models.retrieve("gpt-4o-mini").id == "gpt-4o-mini"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("no-such-model")


def test_raw_response_carries_gateway_headers(client: openai.OpenAI) -> None:
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=HELLO, extra_headers={"x-request-id": "trace-123"}
    )
    assert raw.headers["x-request-id"] == "trace-123"
    assert raw.headers["x-metaqore-route"] == "up1/gpt-4o-mini"
    assert raw.headers["x-metaqore-cache"] == "bypass"
    assert raw.headers["x-metaqore-decision"] == "allow"
    assert raw.headers["x-metaqore-sensitivity"]
    assert float(raw.headers["x-metaqore-overhead-ms"]) >= 0
    # Allow-listed upstream headers pass, the upstream account's ids and cookies do not.
    assert raw.headers["x-ratelimit-remaining-requests"] == "99"
    assert "openai-organization" not in raw.headers and "set-cookie" not in raw.headers
    assert raw.parse().choices[0].message.content == TEXT


def test_provider_qualified_model_and_alias_fallback(
    client: openai.OpenAI, fake: FakeOpenAI
) -> None:
    raw = client.chat.completions.with_raw_response.create(model="up2/gpt-4o-mini", messages=HELLO)
    assert raw.headers["x-metaqore-route"] == "up2/gpt-4o-mini"
    assert fake.received[-1].path == "/b/v1/chat/completions"
    assert fake.received[-1].headers["authorization"] == "Bearer second-upstream-key"

    fake.received.clear()
    raw = client.chat.completions.with_raw_response.create(model="fallback", messages=HELLO)
    assert raw.headers["x-metaqore-route"] == "up2/gpt-4o-mini"
    assert [r.body["model"] for r in fake.received] == ["fail-500", "gpt-4o-mini"]


def test_mock_provider_streams_tool_calls_and_json(client: openai.OpenAI) -> None:
    call = _streamed_tool_call(client, "mock-chat")
    assert call.function.name == "get_weather"
    assert call.function.arguments == '{"city":"mock"}'
    plain = client.chat.completions.create(model="mock-chat", messages=HELLO)
    assert plain.choices[0].message.content == "Mock answer to: Say hello"
    again = client.chat.completions.create(model="mock-chat", messages=HELLO)
    assert again.choices[0].message.content == plain.choices[0].message.content


async def test_async_client_stream_and_complete(aclient: openai.AsyncOpenAI) -> None:
    answer, stream = await asyncio.gather(
        aclient.chat.completions.create(model="gpt-4o-mini", messages=HELLO),  # type: ignore[arg-type]
        aclient.chat.completions.create(
            model="gpt-4o-mini",
            messages=HELLO,  # type: ignore[arg-type]
            stream=True,
        ),
    )
    assert answer.choices[0].message.content == TEXT
    text = "".join([c.choices[0].delta.content or "" async for c in stream])
    assert text == TEXT
    embedding = await aclient.embeddings.create(model="mock-embed", input="hi")
    assert len(embedding.data[0].embedding) == 16
    await aclient.close()


def test_mock_embeddings_are_deterministic_base64(client: openai.OpenAI) -> None:
    raw = client.embeddings.with_raw_response.create(
        model="mock-embed", input="hi", encoding_format="base64", dimensions=4
    )
    encoded = raw.http_response.json()["data"][0]["embedding"]
    vector = struct.unpack("<4f", base64.b64decode(encoded))
    assert sum(v * v for v in vector) == pytest.approx(1.0, rel=1e-5)
    again = client.embeddings.create(model="mock-embed", input="hi", dimensions=4)
    assert again.data[0].embedding == pytest.approx(list(vector), rel=1e-6)
