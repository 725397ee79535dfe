"""`POST /v1/responses` served by backends that do not speak chat completions' wire format
either: Anthropic (through the existing Messages translation) and the built-in mock."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_anthropic import FakeAnthropic
from tests.support.servers import ServerThread

WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeAnthropic, str]]:
    fake = FakeAnthropic()
    root: Path = tmp_path_factory.mktemp("responses-backends")
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: claude, kind: anthropic, base_url: "{upstream.url}",
                      api_key: anthropic-secret, models: [claude-echo], default_max_tokens: 100}}
                  - {{name: mock, kind: mock, models: [mock-chat]}}
                evidence: {{hmac_key: backends-test-key-0123456789}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield fake, server.url


def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="any", max_retries=0)


def test_anthropic_backend(gateway: tuple[FakeAnthropic, str]) -> None:
    fake, url = gateway
    first = client(url).responses.create(
        model="claude-echo", input="Hello Claude", instructions="Be brief.", max_output_tokens=50
    )
    assert first.output_text == "Echo: Hello Claude"
    sent = fake.received[-1].body
    assert sent["system"] == "Be brief." and sent["max_tokens"] == 50
    called = client(url).responses.create(
        model="claude-echo", input="Weather?", tools=[WEATHER],  # type: ignore[list-item]
        previous_response_id=first.id,
    )  # fmt: skip
    call = next(item for item in called.output if item.type == "function_call")
    assert call.name == "get_weather"
    assert [m["role"] for m in fake.received[-1].body["messages"]] == ["user", "assistant", "user"]
    with client(url).responses.stream(
        model="claude-echo", previous_response_id=called.id, tools=[WEATHER],  # type: ignore[list-item]
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "21 C"}],
    ) as stream:  # fmt: skip
        final = stream.get_final_response()
    assert final.status == "completed" and final.usage is not None
    result = fake.received[-1].body["messages"][-1]["content"][0]
    assert result["type"] == "tool_result" and result["tool_use_id"] == call.call_id


def test_mock_backend(gateway: tuple[FakeAnthropic, str]) -> None:
    _, url = gateway
    made = client(url).responses.create(model="mock-chat", input="Hi")
    assert made.output_text and made.status == "completed"
    with client(url).responses.stream(model="mock-chat", input="Hi") as stream:
        streamed = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
        assert streamed == stream.get_final_response().output_text != ""


def test_logprobs_where_the_backend_has_them(gateway: tuple[FakeAnthropic, str]) -> None:
    """The mock computes token log probabilities; Anthropic has none to give, so its parts
    carry an empty list (as a chat answer from it says `logprobs: null`)."""
    _, url = gateway
    include = ["message.output_text.logprobs"]
    mocked = client(url).responses.create(model="mock-chat", input="Hi", include=include)
    tokens = mocked.output[0].content[0].logprobs  # type: ignore[union-attr]
    assert tokens and "".join(t.token for t in tokens) == mocked.output_text
    claude = client(url).responses.create(model="claude-echo", input="Hi", include=include)
    assert claude.output_text == "Echo: Hi" and claude.output[0].content[0].logprobs == []  # type: ignore[union-attr]
