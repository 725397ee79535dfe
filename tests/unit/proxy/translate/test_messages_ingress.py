"""Messages requests as chat completions (for a backend that does not speak Messages) and chat
answers as Messages, pure functions."""

from __future__ import annotations

import pytest

from proxy.http.errors import GatewayError
from proxy.translate.messages_ingress import (
    MessagesStreamWriter,
    chat_body_from_messages,
    message_from_completion,
)


def _chat(**fields: object) -> dict[str, object]:
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "q"}]}
    return chat_body_from_messages({**body, **fields})


def test_documents_become_text_or_file_parts() -> None:
    content = [
        {"type": "document", "title": "T",
         "source": {"type": "content", "content": [{"type": "text", "text": "a"},
                                                   {"type": "text", "text": "b"}]}},
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                        "data": "JVBERi0="}},
    ]  # fmt: skip
    parts = _chat(messages=[{"role": "user", "content": content}])["messages"][0]["content"]  # type: ignore[index]
    assert parts[0] == {"type": "text", "text": "T\n\na\nb"}
    data = "data:application/pdf;base64,JVBERi0="
    assert parts[1] == {"type": "file", "file": {"filename": "document.pdf", "file_data": data}}
    url = {"type": "document", "source": {"type": "url", "url": "https://x/a.pdf"}}
    with pytest.raises(GatewayError) as refused:
        _chat(messages=[{"role": "user", "content": [url]}])
    assert refused.value.status == 400


def test_tool_choice_and_thinking() -> None:
    tools = [{"name": "f", "input_schema": {"type": "object"}}]
    out = _chat(tools=tools, tool_choice={"type": "tool", "name": "f",
                                          "disable_parallel_tool_use": True},
                thinking={"type": "enabled", "budget_tokens": 9}, top_k=3)  # fmt: skip
    assert out["tool_choice"] == {"type": "function", "function": {"name": "f"}}
    assert out["parallel_tool_calls"] is False
    assert "thinking" not in out and "top_k" not in out


def test_a_named_stop_sequence_is_reported_whole_and_streamed() -> None:
    choice = {"index": 0, "message": {"content": "Hi"}, "finish_reason": "stop",
              "stop_reason": "END"}  # fmt: skip
    completion = {"id": "x", "choices": [choice]}
    message = message_from_completion(completion, "m", ["END"])
    assert (message["stop_reason"], message["stop_sequence"]) == ("stop_sequence", "END")
    unnamed = message_from_completion({"choices": [{"finish_reason": "stop"}]}, "m", ["END"])
    assert (unnamed["stop_reason"], unnamed["stop_sequence"]) == ("end_turn", None)
    writer = MessagesStreamWriter("m", ["END"])
    writer.feed({"id": "x", "choices": [{"index": 0, "delta": {"content": "Hi"}}]})
    writer.feed({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop",
                              "stop_reason": "END"}]})  # fmt: skip
    closing = writer.finish()[0]
    assert b'"stop_reason":"stop_sequence","stop_sequence":"END"' in closing
