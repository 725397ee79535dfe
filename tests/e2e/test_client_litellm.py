"""litellm as a client, the gateway as its OpenAI-compatible base (`openai/<model>`, `api_base`):
`completion`, `acompletion`, streaming, tools, `responses`, embeddings, and a policy block as
litellm's own exception with the gateway's message."""

from __future__ import annotations

import json
from typing import Any

import litellm
import pytest

from tests.support import fake_responses
from tests.support.client_gateway import (
    BLOCKED,
    EMAIL,
    KEY,
    PSEUDO,
    SECRET,
    ClientGateway,
    client_gateway,
)
from tests.support.fake_openai import TEXT, TOOL_ARGS

__all__ = ["client_gateway"]

HELLO = [{"role": "user", "content": "Say hello"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def _on(g: ClientGateway, key: str = KEY) -> dict[str, Any]:
    return {"api_base": g.base_url, "api_key": key, "num_retries": 0}


def test_completion(client_gateway: ClientGateway) -> None:
    answer: Any = litellm.completion(
        model="openai/gpt-4o-mini", messages=HELLO, **_on(client_gateway)
    )
    assert answer.choices[0].message.content == TEXT
    assert answer.usage.total_tokens == 16
    assert client_gateway.sent()["messages"] == HELLO


async def test_acompletion_and_stream(client_gateway: ClientGateway) -> None:
    answer: Any = await litellm.acompletion(
        model="openai/gpt-4o-mini", messages=HELLO, **_on(client_gateway)
    )
    assert answer.choices[0].message.content == TEXT
    stream: Any = await litellm.acompletion(
        model="openai/gpt-4o-mini", messages=HELLO, stream=True, **_on(client_gateway)
    )
    pieces = [chunk.choices[0].delta.content or "" async for chunk in stream]
    assert "".join(pieces) == TEXT


def test_streamed_tool_call(client_gateway: ClientGateway) -> None:
    stream: Any = litellm.completion(
        model="openai/gpt-4o-mini",
        messages=HELLO,
        tools=[WEATHER],
        stream=True,
        **_on(client_gateway),
    )
    chunks = list(stream)
    rebuilt: Any = litellm.stream_chunk_builder(chunks, messages=HELLO)
    call = rebuilt.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == json.loads(TOOL_ARGS)


@pytest.mark.parametrize("model", ["gpt-4o-mini", "native-mini"])
def test_responses(client_gateway: ClientGateway, model: str) -> None:
    answer: Any = litellm.responses(
        model=f"openai/{model}", input="Say hello", **_on(client_gateway)
    )
    text = TEXT if model == "gpt-4o-mini" else fake_responses.TEXT
    assert answer.output[0].content[0].text == text
    stream: Any = litellm.responses(
        model=f"openai/{model}", input="Say hello", stream=True, **_on(client_gateway)
    )
    deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
    assert "".join(deltas) == text


def test_embeddings(client_gateway: ClientGateway) -> None:
    answer: Any = litellm.embedding(
        model="openai/text-embedding-3-small", input=["alpha"], **_on(client_gateway)
    )
    assert answer.data[0]["embedding"] == [0.25, -0.5, 0.75]


def test_policy_block_is_an_api_error(client_gateway: ClientGateway) -> None:
    """litellm maps an OpenAI-compatible 403 to `APIError` (it does so for OpenAI's own)."""
    with pytest.raises(litellm.APIError) as caught:
        litellm.completion(
            model="openai/gpt-4o-mini",
            **_on(client_gateway),
            messages=[{"role": "user", "content": f"Deploy with {SECRET}"}],
        )
    assert caught.value.status_code == 403
    assert BLOCKED in caught.value.message
    assert SECRET not in caught.value.message


def test_pseudonyms_restored(client_gateway: ClientGateway) -> None:
    text = f"Write to {EMAIL}"
    answer: Any = litellm.completion(
        model="openai/echo",
        **_on(client_gateway, PSEUDO),
        messages=[{"role": "user", "content": text}],
    )
    assert answer.choices[0].message.content == text
    assert EMAIL not in json.dumps(client_gateway.sent())


@pytest.mark.parametrize("call", ["completion", "responses"])
def test_a_wrong_key_and_an_unknown_model_are_their_own_errors(
    client_gateway: ClientGateway, call: str
) -> None:
    def ask(model: str, key: str) -> None:
        on = _on(client_gateway, key)
        if call == "completion":
            litellm.completion(model=f"openai/{model}", messages=HELLO, **on)
        else:
            litellm.responses(model=f"openai/{model}", input="Say hello", **on)

    with pytest.raises(litellm.AuthenticationError):
        ask("gpt-4o-mini", "sk-wrong-0123456789")
    with pytest.raises(litellm.NotFoundError):
        ask("no-such-model", KEY)
