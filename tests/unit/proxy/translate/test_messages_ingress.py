"""Messages requests as chat completions (for a backend that does not speak Messages) and chat
answers as Messages, pure functions."""

from __future__ import annotations

import orjson
import pytest

from proxy.translate.messages_ingress import (
    MessagesStreamWriter,
    chat_body_from_messages,
    message_from_completion,
)
from proxy.translate.stop_sequences import StopScanner, cut_at_stop
from proxy.wire.errors import GatewayError


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


def test_stop_sequences_are_enforced_whole_and_streamed() -> None:
    calls = [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    choice = {"index": 0, "message": {"content": "Hi END there", "tool_calls": calls},
              "finish_reason": "tool_calls"}  # fmt: skip
    message = message_from_completion({"id": "x", "choices": [choice]}, "m", ["END"])
    assert message["content"] == [{"type": "text", "text": "Hi "}]  # nothing after the stop
    assert (message["stop_reason"], message["stop_sequence"]) == ("stop_sequence", "END")
    unmatched = message_from_completion({"choices": [{"finish_reason": "stop"}]}, "m", ["END"])
    assert (unmatched["stop_reason"], unmatched["stop_sequence"]) == ("end_turn", None)
    writer = MessagesStreamWriter("m", ["END"])
    events = writer.feed({"id": "x", "choices": [{"index": 0, "delta": {"content": "Hi E"}}]})
    events += writer.feed({"choices": [{"index": 0, "delta": {"content": "ND more"}}]})
    assert writer.stopped
    events += writer.finish()
    data = [orjson.loads(e.split(b"data: ", 1)[1]) for e in events]
    text = "".join(d["delta"]["text"] for d in data if d["type"] == "content_block_delta")
    assert text == "Hi "  # "E" held back until "ND" made the sequence
    assert data[-2]["delta"] == {"stop_reason": "stop_sequence", "stop_sequence": "END"}


def test_cut_at_stop_takes_the_sequence_that_ends_first() -> None:
    assert cut_at_stop("abcd", ["abc", "b"]) == ("a", "b")
    assert cut_at_stop("abcd", ["bc", "c"]) == ("a", "bc")
    assert cut_at_stop("abcd", ["x", ""]) == ("abcd", None)
    scanner = StopScanner(["xyz"])
    assert [scanner.feed(p) for p in ("ab", "cx", "y")] + [scanner.flush()] == ["", "ab", "c", "xy"]
    scanner = StopScanner(["xyz"])
    assert [scanner.feed(p) for p in ("abx", "yzq", "more")] == ["a", "b", ""]
    assert scanner.matched == "xyz"
