"""A governed Responses call for a native backend and its answer back, as pure functions:
the request is valid against the spec, and the fake upstream's answers (checked against the
spec here too) come back as the chat completion or chunks a translated backend would give."""

from __future__ import annotations

import json
from typing import Any

from proxy.translate.responses_native import ChunksOfEvents, completion_of, native_request
from proxy.translate.responses_request import open_turn, validate_responses
from proxy.translate.responses_stream import ChatAssembly
from tests.support.fake_responses import TEXT, TOOL_ARGS, response_events, response_object
from tests.support.openai_spec import validate, validate_response_event

# Each input item's own schema: the spec's `InputItem` union cannot tell an easy input message
# from an input message when both fit, so a valid list of parts fails its `oneOf`.
ITEM_SCHEMAS = {"message": "EasyInputMessage", "function_call": "FunctionToolCall",
                "function_call_output": "FunctionCallOutputItemParam"}  # fmt: skip
WEATHER = {"type": "function", "name": "w", "description": "Weather",
           "parameters": {"type": "object"}, "strict": True}  # fmt: skip


def native_of(body: dict[str, Any], stream: bool = False) -> dict[str, Any]:
    validate_responses(body)
    turn, chat = open_turn(body)
    chat.pop("metadata", None)  # the keep stage takes it out before any backend
    sent = native_request(chat, turn, stream)
    validate("CreateResponse", {**sent, "input": "x"})
    for item in sent["input"]:
        validate(ITEM_SCHEMAS[item["type"]], item)
    return sent


def test_every_field_the_chat_form_holds_goes_back() -> None:
    sent = native_of(
        {
            "model": "m", "instructions": "Be brief.", "temperature": 0.5, "top_p": 0.9,
            "max_output_tokens": 32, "parallel_tool_calls": False, "user": "u-1",
            "tools": [WEATHER], "tool_choice": {"type": "function", "name": "w"},
            "text": {"format": {"type": "json_schema", "name": "S", "schema": {"type": "object"},
                                "strict": True}, "verbosity": "low"},
            "reasoning": {"effort": "low", "summary": "concise"}, "truncation": "auto",
            "max_tool_calls": 3, "metadata": {"k": "v"},
            "input": [
                {"role": "developer", "content": "Use metric units."},
                {"role": "user", "content": [
                    {"type": "input_text", "text": "What is this?"},
                    {"type": "input_image", "image_url": "https://example.com/a.png",
                     "detail": "low"},
                    {"type": "input_file", "file_id": "file-1"},
                ]},
                {"role": "assistant", "content": [{"type": "output_text", "text": "Let me see."}]},
                {"type": "function_call", "call_id": "c1", "name": "w", "arguments": "{}"},
                {"type": "function_call_output", "call_id": "c1", "output": "sunny"},
            ],
        },
        stream=True,
    )  # fmt: skip
    assert sent == {
        "model": "m", "store": False, "stream": True, "instructions": "Be brief.",
        "input": [
            {"type": "message", "role": "developer",
             "content": [{"type": "input_text", "text": "Use metric units."}]},
            {"type": "message", "role": "user", "content": [
                {"type": "input_text", "text": "What is this?"},
                {"type": "input_image", "image_url": "https://example.com/a.png",
                 "detail": "low"},
                {"type": "input_file", "file_id": "file-1"},
            ]},
            {"type": "message", "role": "assistant", "content": "Let me see."},
            {"type": "function_call", "call_id": "c1", "name": "w", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c1", "output": "sunny"},
        ],
        "temperature": 0.5, "top_p": 0.9, "parallel_tool_calls": False, "user": "u-1",
        "max_output_tokens": 32, "tools": [WEATHER],
        "tool_choice": {"type": "function", "name": "w"},
        "text": {"format": {"type": "json_schema", "name": "S", "schema": {"type": "object"},
                            "strict": True}, "verbosity": "low"},
        "reasoning": {"summary": "concise", "effort": "low"}, "truncation": "auto",
        "max_tool_calls": 3,
    }  # fmt: skip


def test_json_object_and_a_plain_string() -> None:
    sent = native_of({"model": "m", "input": "hi", "text": {"format": {"type": "json_object"}}})
    assert sent["text"] == {"format": {"type": "json_object"}} and "instructions" not in sent
    assert sent["input"] == [
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}
    ]


def test_the_fakes_answers_follow_the_spec() -> None:
    for model in ("m", "fail-mid-stream", "whole-items"):
        for tools in ([], [WEATHER]):
            body = {"model": model, "input": "hi", "tools": tools}
            validate("Response", response_object(body))
            for event in response_events(body):
                validate_response_event(json.loads(event.split(b"data: ", 1)[1]))
    validate("Response", response_object({"model": "m", "input": "hi"}, "failed"))


def test_a_whole_response_is_a_chat_completion() -> None:
    completion = completion_of(response_object({"model": "m", "input": "hi"}))
    assert completion["choices"][0]["message"] == {"role": "assistant", "content": TEXT}
    assert completion["choices"][0]["finish_reason"] == "stop"
    assert completion["usage"]["prompt_tokens"] == 11
    assert completion["usage"]["completion_tokens"] == 5
    called = completion_of(response_object({"model": "m", "input": "hi", "tools": [WEATHER]}))
    choice = called["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["tool_calls"] == [
        {"id": "call_fake1", "type": "function", "function": {"name": "w", "arguments": TOOL_ARGS}}
    ]
    incomplete = {**response_object({"model": "m", "input": "hi"}), "status": "incomplete",
                  "incomplete_details": {"reason": "max_output_tokens"}}  # fmt: skip
    assert completion_of(incomplete)["choices"][0]["finish_reason"] == "length"


def assembled(body: dict[str, Any]) -> tuple[ChunksOfEvents, dict[str, Any]]:
    reader, assembly = ChunksOfEvents(), ChatAssembly()
    for event in response_events(body):
        for chunk in reader.feed(json.loads(event.split(b"data: ", 1)[1])):
            assembly.feed(chunk)
    return reader, assembly.completion()


def test_events_become_the_chunks_of_the_same_answer() -> None:
    for model in ("m", "whole-items"):
        reader, completion = assembled({"model": model, "input": "hi"})
        assert reader.done and reader.failure is None
        assert completion["choices"][0]["message"]["content"] == TEXT
        assert completion["choices"][0]["finish_reason"] == "stop"
        assert completion["usage"]["total_tokens"] == 16
        reader, completion = assembled({"model": model, "input": "hi", "tools": [WEATHER]})
        message = completion["choices"][0]["message"]
        assert message["tool_calls"][0]["function"] == {"name": "w", "arguments": TOOL_ARGS}
        assert message["tool_calls"][0]["id"] == "call_fake1"
        assert completion["choices"][0]["finish_reason"] == "tool_calls"


def test_a_failed_stream_is_a_failure() -> None:
    reader, _ = assembled({"model": "fail-mid-stream", "input": "hi"})
    assert not reader.done and reader.failure == ("server_error", "The model crashed.")
