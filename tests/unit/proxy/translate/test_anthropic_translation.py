"""OpenAI ⇄ Anthropic translation as pure functions: a property over generated conversations,
and the stream translator on the documented event sequences."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from proxy.translate.anthropic_request import to_messages_request
from proxy.translate.anthropic_response import StreamError, StreamTranslator, to_completion
from proxy.wire.errors import GatewayError

NAMES = st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True)
ARGS = st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.integers() | st.text())
CALLS = st.lists(st.tuples(NAMES, ARGS), max_size=3)


@given(text=st.text(), calls=CALLS)
# Integers beyond 64 bits, which orjson alone would turn into floats or refuse.
@example(text="", calls=[("a", {"a": -9223372036854775809})])
@example(text="", calls=[("a", {"a": 2**64 + 1})])
def test_openai_to_anthropic_and_back_keeps_text_tool_names_and_arguments(
    text: str, calls: list[tuple[str, dict[str, Any]]]
) -> None:
    tool_calls = [
        {"id": f"call_{i}", "type": "function",
         "function": {"name": name, "arguments": json.dumps(args)}}
        for i, (name, args) in enumerate(calls)
    ]  # fmt: skip
    body = {
        "model": "m",
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": text, "tool_calls": tool_calls},
        ],
    }
    request = to_messages_request(body, "claude", 100)
    # A fake Anthropic answers with exactly the assistant turn it was sent.
    message = {"id": "msg_1", "content": request["messages"][-1]["content"],
               "stop_reason": "tool_use" if calls else "end_turn", "usage": {}}  # fmt: skip
    answer = to_completion(message, "m", json_mode=False)["choices"][0]
    assert (answer["message"]["content"] or "") == text
    back = [
        (c["function"]["name"], json.loads(c["function"]["arguments"]))
        for c in answer["message"].get("tool_calls", [])
    ]
    assert back == calls
    assert answer["finish_reason"] == ("tool_calls" if calls else "stop")


def test_tool_choice_and_limits() -> None:
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    base = {"messages": [{"role": "user", "content": "x"}], "tools": tools}
    named = {"type": "function", "function": {"name": "f"}}
    cases: list[tuple[Any, dict[str, Any]]] = [
        ("auto", {"type": "auto"}),
        ("none", {"type": "none"}),
        ("required", {"type": "any"}),
        (named, {"type": "tool", "name": "f"}),
    ]
    for choice, expected in cases:
        assert (
            to_messages_request({**base, "tool_choice": choice}, "c", 9)["tool_choice"] == expected
        )
    serial = to_messages_request({**base, "parallel_tool_calls": False}, "c", 9)
    assert serial["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}
    assert to_messages_request({**base, "max_completion_tokens": 5}, "c", 9)["max_tokens"] == 5
    assert to_messages_request(base, "c", 9)["max_tokens"] == 9
    url = {
        "role": "user",
        "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}],
    }
    image = to_messages_request({"messages": [url]}, "c", 9)["messages"][0]["content"][0]
    assert image == {"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}


def events(*names: str) -> list[dict[str, Any]]:
    library: dict[str, dict[str, Any]] = {
        "start": {"type": "message_start",
                  "message": {"id": "msg_1", "usage": {"input_tokens": 4}}},
        "text": {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
        "hello": {"type": "content_block_delta", "index": 0,
                  "delta": {"type": "text_delta", "text": "Hello"}},
        "tool": {"type": "content_block_start", "index": 1, "content_block":
                 {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}},
        "args": {"type": "content_block_delta", "index": 1,
                 "delta": {"type": "input_json_delta", "partial_json": '{"a":1}'}},
        "stop": {"type": "message_delta", "delta": {"stop_reason": "max_tokens"},
                 "usage": {"output_tokens": 2}},
        "end": {"type": "message_stop"},
        "ping": {"type": "ping"},
    }  # fmt: skip
    return [library[name] for name in names]


def test_the_stream_translator_follows_the_documented_sequence() -> None:
    translator = StreamTranslator("m", json_mode=False)
    chunks = [c for e in events("start", "text", "ping", "hello", "tool", "args", "stop", "end")
              for c in translator.feed(e)]  # fmt: skip
    deltas = [c["choices"][0]["delta"] for c in chunks if c["choices"]]
    assert deltas[0] == {"role": "assistant", "content": "", "refusal": None}
    assert deltas[1] == {"content": "Hello"}
    assert deltas[2]["tool_calls"][0]["id"] == "toolu_1"
    assert deltas[3]["tool_calls"][0]["function"]["arguments"] == '{"a":1}'
    assert chunks[-2]["choices"][0]["finish_reason"] == "length"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] == 6
    assert translator.finished and len({c["id"] for c in chunks}) == 1


def test_an_error_event_raises() -> None:
    translator = StreamTranslator("m", json_mode=False)
    translator.feed(events("start")[0])
    with pytest.raises(StreamError) as caught:
        translator.feed({"type": "error", "error": {"type": "overloaded_error", "message": "x"}})
    assert caught.value.kind == "overloaded_error"


@pytest.mark.parametrize("arguments", ['{"a": NaN}', '{"a": Infinity}', "{"])
def test_tool_call_arguments_that_are_not_json_are_refused(arguments: str) -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": arguments}}
    body = {"model": "m", "messages": [{"role": "assistant", "content": "", "tool_calls": [call]}]}
    with pytest.raises(GatewayError) as caught:
        to_messages_request(body, "claude", 100)
    assert caught.value.status == 400
