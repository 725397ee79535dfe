"""The Responses API ⇄ chat completions translation, as pure functions."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from proxy.translate.responses_request import ResponseTurn, open_turn, validate_responses
from proxy.translate.responses_response import items_from_messages, output_of
from proxy.translate.responses_stream import ChatAssembly, ResponseStreamWriter
from proxy.wire.errors import GatewayError


def chat_of(body: dict[str, Any]) -> dict[str, Any]:
    validate_responses(body)
    return open_turn(body)[1]


def test_fields_map_to_chat() -> None:
    chat = chat_of(
        {
            "model": "m", "input": "hi", "instructions": "Be brief.", "max_output_tokens": 9,
            "temperature": 0, "top_p": 0.5, "parallel_tool_calls": False, "stream": True,
            "tool_choice": {"type": "function", "name": "f"},
            "tools": [{"type": "function", "name": "f", "parameters": {"type": "object"}}],
            "text": {"format": {"type": "json_schema", "name": "S", "schema": {}, "strict": True}},
            "reasoning": {"effort": "low"},
        }
    )  # fmt: skip
    assert chat == {
        "model": "m",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
        "tools": [
            {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
        ],
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "parallel_tool_calls": False,
        "temperature": 0,
        "top_p": 0.5,
        "max_completion_tokens": 9,
        "response_format": {
            "type": "json_schema", "json_schema": {"name": "S", "schema": {}, "strict": True},
        },
        "reasoning_effort": "low",
    }  # fmt: skip
    assert chat_of({"model": "m", "input": "x", "text": {"format": {"type": "json_object"}}})[
        "response_format"
    ] == {"type": "json_object"}


def test_function_calls_of_one_turn_join_the_assistant_message() -> None:
    chat = chat_of(
        {
            "model": "m",
            "input": [
                {"role": "assistant", "content": [{"type": "output_text", "text": "Let me see."}]},
                {"type": "function_call", "call_id": "a", "name": "f", "arguments": "{}"},
                {"type": "function_call", "call_id": "b", "name": "g", "arguments": "{}"},
                {"type": "function_call_output", "call_id": "a", "output": "1"},
            ],
        }
    )
    assert chat["messages"][0]["content"] == "Let me see."
    assert [c["id"] for c in chat["messages"][0]["tool_calls"]] == ["a", "b"]
    assert chat["messages"][1] == {"role": "tool", "tool_call_id": "a", "content": "1"}


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({"tools": [{"type": "web_search"}]}, "tools[0].type", "unsupported_tool"),
        ({"tools": [{"type": "computer_use_preview"}]}, "tools[0].type", "unsupported_tool"),
        ({"tool_choice": {"type": "file_search"}}, "tool_choice", "invalid_value"),
        ({"text": {"format": {"type": "grammar"}}}, "text.format", "invalid_value"),
        ({"conversation": "conv_1"}, "conversation", None),
        ({"background": True}, "background", "unsupported_parameter"),
        ({"unknown": 1}, "unknown", "unknown_parameter"),
    ],
)
def test_what_chat_cannot_do_is_a_400(body: dict[str, Any], param: str, code: str | None) -> None:
    with pytest.raises(GatewayError) as error:
        validate_responses({"model": "m", "input": "x", **body})
    assert error.value.status == 400 and error.value.param == param
    if code is not None:
        assert error.value.code == code


@pytest.mark.parametrize(
    "item",
    [
        {"type": "item_reference", "id": "msg_1"},
        {"type": "reasoning", "summary": []},
        {"role": "user", "content": [{"type": "input_audio"}]},
        {"type": "function_call_output", "output": "no call id"},
    ],
)
def test_unsupported_items_are_a_400(item: dict[str, Any]) -> None:
    with pytest.raises(GatewayError) as error:
        chat_of({"model": "m", "input": [item]})
    assert error.value.status == 400 and (error.value.param or "").startswith("input[0]")


def test_a_length_stop_is_incomplete() -> None:
    turn, _ = open_turn({"model": "m", "input": "x"})
    completion = {
        "choices": [{"message": {"content": "cut"}, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
    }
    response = output_of(turn, completion)
    assert response["status"] == "incomplete"
    assert response["incomplete_details"] == {"reason": "max_output_tokens"}
    assert response["output"][0]["status"] == "incomplete"
    assert response["usage"]["total_tokens"] == 3


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def _streamed(
    turn: ResponseTurn, chunks: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], ChatAssembly]:
    """The events a writer makes of `chunks` (parsed), and the chunks assembled whole."""
    writer, assembly = ResponseStreamWriter(turn), ChatAssembly()
    events = writer.start()
    for chunk in chunks:
        events += writer.feed(chunk)
        assembly.feed(chunk)
    events += writer.finish()
    return [orjson.loads(e.split(b"data: ", 1)[1]) for e in events], assembly


def test_stream_writer_numbers_every_event_and_matches_the_whole_answer() -> None:
    turn, _ = open_turn({"model": "m", "input": "x"})
    chunks = [
        _chunk({"role": "assistant", "content": "Hi "}),
        _chunk({"content": "there"}),
        _chunk({"tool_calls": [{"index": 0, "id": "c",
                                "function": {"name": "f", "arguments": ""}}]}),
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"a":'}}]}),
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": "1}"}}]}),
        _chunk({}, "tool_calls"),
        {"choices": [], "usage": {"prompt_tokens": 4, "completion_tokens": 6, "total_tokens": 10}},
    ]  # fmt: skip
    data, assembly = _streamed(turn, chunks)
    assert [d["sequence_number"] for d in data] == list(range(len(data)))
    assert [d["type"] for d in data].count("response.output_item.done") == 2
    final = data[-1]["response"]
    assert final["output"] == output_of(turn, assembly.completion())["output"]
    assert final["usage"]["output_tokens"] == 6


def test_text_then_refusal_are_two_parts_of_one_message() -> None:
    turn, _ = open_turn({"model": "m", "input": "x"})
    chunks = [_chunk({"content": "Well"}), _chunk({"refusal": "No."}), _chunk({}, "stop")]
    data, assembly = _streamed(turn, chunks)
    parts = [(d["type"], d.get("content_index")) for d in data[2:-1]]
    assert parts == [
        ("response.output_item.added", None), ("response.content_part.added", 0),
        ("response.output_text.delta", 0), ("response.output_text.done", 0),
        ("response.content_part.done", 0), ("response.content_part.added", 1),
        ("response.refusal.delta", 1), ("response.refusal.done", 1),
        ("response.content_part.done", 1), ("response.output_item.done", None),
    ]  # fmt: skip
    final = data[-1]["response"]
    assert [p["type"] for p in final["output"][0]["content"]] == ["output_text", "refusal"]
    assert final["output"] == output_of(turn, assembly.completion())["output"]


def test_messages_back_as_items() -> None:
    items = items_from_messages(
        [
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": None,
             "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c", "content": "1"},
        ],
        "x",
    )  # fmt: skip
    assert [i["type"] for i in items] == ["message", "function_call", "function_call_output"]
    assert items[0]["content"] == [{"type": "input_text", "text": "q"}]
    assert items[2]["output"] == "1" and items[1]["call_id"] == "c"
