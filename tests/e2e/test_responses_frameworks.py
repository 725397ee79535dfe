"""Frameworks whose default is the Responses API, through the gateway: the OpenAI Agents SDK
running a tool loop with its default model, and LangChain's `ChatOpenAI(use_responses_api=True)`.
"""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from agents import (
    Agent,
    Runner,
    function_tool,
    set_default_openai_api,
    set_default_openai_client,
    set_tracing_disabled,
)
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from openai import AsyncOpenAI

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import TEXT, FakeOpenAI
from tests.support.fake_responses import TEXT as NATIVE_TEXT
from tests.support.servers import ServerThread

KEY = "sk-frameworks-0123456789"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    root: Path = tmp_path_factory.mktemp("frameworks")
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: [gpt-4o-mini, tool-once]}}
                  - {{name: native, kind: openai, base_url: "{upstream.url}/n/v1", api_key: k,
                      responses: native, models: [native-tool]}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                evidence: {{hmac_key: frameworks-test-key-0123456789}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield fake, server.url


@function_tool
def get_weather(city: str) -> str:
    """Weather in a city."""
    return f"21 C in {city}"


def _agent_run(url: str, streamed: bool, chained: bool = False, model: str = "tool-once") -> str:
    """`chained`: the SDK keeps the conversation on the server (previous_response_id) and
    sends only what is new each turn."""

    async def run() -> str:
        client = AsyncOpenAI(base_url=f"{url}/v1", api_key=KEY, max_retries=0)
        set_default_openai_client(client, use_for_tracing=False)
        set_default_openai_api("responses")  # the SDK's default, said out loud
        set_tracing_disabled(True)
        agent = Agent(name="weather", instructions="Use tools.", tools=[get_weather],
                      model=model)  # fmt: skip
        chaining = {"auto_previous_response_id": True} if chained else {}
        if not streamed:
            done = await Runner.run(agent, "Weather in Paris?", max_turns=4, **chaining)
            return str(done.final_output)
        result = Runner.run_streamed(agent, "Weather in Paris?", max_turns=4, **chaining)
        async for _ in result.stream_events():
            pass
        return str(result.final_output)

    return asyncio.run(run())


@pytest.mark.parametrize(("streamed", "chained"), [(False, False), (True, False), (False, True)])
def test_agents_sdk_tool_loop(
    gateway: tuple[FakeOpenAI, str], streamed: bool, chained: bool
) -> None:
    fake, url = gateway
    before = len(fake.received)
    assert _agent_run(url, streamed, chained) == TEXT
    calls = fake.received[before:]
    assert len(calls) == 2  # the tool call, then the answer after its result
    assert calls[-1].body["messages"][-1] == {
        "role": "tool", "tool_call_id": "call_fake1", "content": "21 C in Paris",
    }  # fmt: skip
    assert all(c.path == "/v1/chat/completions" for c in calls)
    # Chained or not, the upstream sees the whole conversation (chained: from the store).
    assert calls[-1].body["messages"][:2] == [
        {"role": "system", "content": "Use tools."},
        {"role": "user", "content": "Weather in Paris?"},
    ]


@pytest.mark.parametrize(("streamed", "chained"), [(False, False), (True, True)])
def test_agents_sdk_tool_loop_on_a_native_backend(
    gateway: tuple[FakeOpenAI, str], streamed: bool, chained: bool
) -> None:
    fake, url = gateway
    before = len(fake.received)
    assert _agent_run(url, streamed, chained, "native-tool") == NATIVE_TEXT
    calls = fake.received[before:]
    assert len(calls) == 2 and all(c.path == "/n/v1/responses" for c in calls)
    assert all(c.body["store"] is False for c in calls)  # the conversation is the gateway's
    last = calls[-1].body
    assert last["instructions"] == "Use tools."
    assert last["input"][0] == {
        "type": "message", "role": "user",
        "content": [{"type": "input_text", "text": "Weather in Paris?"}],
    }  # fmt: skip
    assert last["input"][-1] == {
        "type": "function_call_output", "call_id": "call_fake1", "output": "21 C in Paris",
    }  # fmt: skip


@tool
def lookup_weather(city: str) -> str:
    """Weather in a city."""
    return f"21 C in {city}"


def test_langchain_with_the_responses_api(gateway: tuple[FakeOpenAI, str]) -> None:
    fake, url = gateway
    chat = ChatOpenAI(
        model="gpt-4o-mini", base_url=f"{url}/v1", api_key=KEY,
        use_responses_api=True, max_retries=0,
    )  # fmt: skip
    answer = chat.invoke("Hello!")
    assert answer.text == TEXT and str(answer.id).startswith("resp_")  # the Responses API's
    assert "".join(chunk.text for chunk in chat.stream("Hello!")) == TEXT
    called = chat.bind_tools([lookup_weather]).invoke("Weather in Paris?")
    assert called.tool_calls[0]["name"] == "lookup_weather"
    assert called.tool_calls[0]["args"] == {"city": "Paris", "unit": "celsius"}
    assert fake.received[-1].body["tools"][0]["function"]["name"] == "lookup_weather"
