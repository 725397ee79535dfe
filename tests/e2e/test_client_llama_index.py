"""llama-index's `OpenAI` (chat completions) and `OpenAIResponses` (the Responses API, translated
and native) through the gateway, in the pinned venv (tests/support/pinned): chat, complete,
streams, async, structured prediction, a tool call, a FunctionAgent's loop, and a policy block as
the openai SDK's exception llama-index passes on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import fake_responses, pinned
from tests.support.client_gateway import (
    BLOCKED,
    BLOCKED_CODE,
    KEY,
    SECRET,
    ClientGateway,
    client_gateway,
)
from tests.support.fake_openai import TEXT

__all__ = ["client_gateway"]

# (llm class, model): chat completions, Responses translated to chat, Responses passed through.
KINDS = {
    "chat": ("chat", "gpt-4o-mini"),
    "responses": ("responses", "gpt-4o-mini"),
    "native": ("responses", "native-mini"),
}


def _run(g: ClientGateway, scenario: str, kind: str, *extra: str) -> Any:
    return pinned.run("llama_index_calls", scenario, g.base_url, KEY, *KINDS[kind], *extra)


def _text(kind: str) -> str:
    return fake_responses.TEXT if kind == "native" else TEXT


@pytest.mark.parametrize("kind", KINDS)
def test_chat_complete_and_streams(client_gateway: ClientGateway, kind: str) -> None:
    text = _text(kind)
    assert _run(client_gateway, "chat", kind) == {
        "chat": text,
        "complete": text,
        "stream": text,
        "stream_complete": text,
    }
    assert _run(client_gateway, "async_chat", kind) == {"chat": text, "stream": text}


@pytest.mark.parametrize("kind", KINDS)
def test_structured_predict(client_gateway: ClientGateway, kind: str) -> None:
    assert _run(client_gateway, "structured", kind) == {"city": "Paris"}


@pytest.mark.parametrize("kind", KINDS)
def test_tool_call_and_agent_loop(client_gateway: ClientGateway, kind: str) -> None:
    assert _run(client_gateway, "tool_call", kind) == "21 C in Paris"
    assert _run(client_gateway, "agent", kind) == _text(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_policy_block(client_gateway: ClientGateway, kind: str) -> None:
    error = _run(client_gateway, "blocked", kind, f"Deploy with {SECRET}")
    assert (error["type"], error["status"]) == ("PermissionDeniedError", 403), error
    assert BLOCKED in error["message"] and BLOCKED_CODE in error["message"]
    assert SECRET not in error["message"]
