"""Placeholders back into answers: whole bodies, and streams cut at every possible place."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import Pseudonyms
from proxy.call import Reply
from proxy.middleware.pseudonym_restore import restore_reply
from proxy.wire.sse import DONE, json_event


def pseudonyms() -> Pseudonyms:
    names = Pseudonyms()
    assert names.placeholder_for("EMAIL", "jo@example.com") == "<EMAIL_1>"
    assert names.placeholder_for("CREDIT_CARD", "4111 1111 1111 1111") == "<CREDIT_CARD_1>"
    return names


def chunk(choice: dict[str, Any]) -> bytes:
    return json_event({"id": "c", "object": "chat.completion.chunk", "choices": [choice]})


async def replay(events: list[bytes]) -> AsyncGenerator[bytes, None]:
    for event in events:
        yield event


async def collect(reply: Reply) -> list[dict[str, Any]]:
    assert reply.events is not None
    out = []
    async for event in reply.events:
        if event != DONE:
            out.append(orjson.loads(event[6:]))
    return out


def test_a_whole_answer_is_restored_in_content_and_tool_arguments() -> None:
    body = {
        "choices": [
            {"index": 0, "message": {"content": "Mail <EMAIL_1> now", "tool_calls": [
                {"function": {"name": "f", "arguments": '{"to": "<EMAIL_1>", "x": "<NOPE_1>"}'}}
            ]}}
        ]
    }  # fmt: skip
    reply = restore_reply(Reply(200, "up/m", body=orjson.dumps(body)), pseudonyms())
    message = orjson.loads(reply.body or b"")["choices"][0]["message"]
    assert message["content"] == "Mail jo@example.com now"
    assert message["tool_calls"][0]["function"]["arguments"] == (
        '{"to": "jo@example.com", "x": "<NOPE_1>"}'
    )


@given(st.lists(st.integers(1, 12), min_size=1, max_size=30))
async def test_a_stream_is_restored_wherever_the_chunks_are_cut(sizes: list[int]) -> None:
    text = "Dear <EMAIL_1>, card <CREDIT_CARD_1> is fine; 3 < 4 and <b>bold</b> <EMAIL_"
    pieces, at = [], 0
    for size in sizes * 10:
        if at >= len(text):
            break
        pieces.append(text[at : at + size])
        at += size
    pieces.append(text[at:])
    args = '{"to": "<EMAIL_1>"}'
    events = [chunk({"index": 0, "delta": {"role": "assistant", "content": ""}})]
    events += [chunk({"index": 0, "delta": {"content": p}}) for p in pieces]
    events += [
        chunk(
            {
                "index": 1,
                "delta": {"tool_calls": [{"index": 0, "function": {"arguments": args[i : i + 4]}}]},
            }
        )
        for i in range(0, 20, 4)
    ]
    events += [chunk({"index": 0, "delta": {}, "finish_reason": "stop"}),
               chunk({"index": 1, "delta": {}, "finish_reason": "tool_calls"}), DONE]  # fmt: skip
    reply = restore_reply(Reply(200, "up/m", events=replay(events)), pseudonyms())
    chunks = await collect(reply)
    content = "".join(
        c["choices"][0]["delta"].get("content") or ""
        for c in chunks
        if c["choices"][0]["index"] == 0
    )
    assert content == text.replace("<EMAIL_1>", "jo@example.com").replace(
        "<CREDIT_CARD_1>", "4111 1111 1111 1111"
    )
    arguments = "".join(
        call["function"]["arguments"]
        for c in chunks
        for call in c["choices"][0]["delta"].get("tool_calls") or []
    )
    assert arguments == '{"to": "jo@example.com"}'


def test_an_escaped_placeholder_is_still_restored() -> None:
    body = b'{"choices": [{"index": 0, "message": {"content": "Mail \\u003cEMAIL_1\\u003e"}}]}'
    reply = restore_reply(Reply(200, "up/m", body=body), pseudonyms())
    assert orjson.loads(reply.body or b"")["choices"][0]["message"]["content"] == (
        "Mail jo@example.com"
    )


def test_a_text_completion_is_restored_whole_and_streamed() -> None:
    body = {"choices": [{"index": 0, "text": "Mail <EMAIL_1>", "finish_reason": "stop"}]}
    reply = restore_reply(Reply(200, "up/m", body=orjson.dumps(body)), pseudonyms(), "completions")
    assert orjson.loads(reply.body or b"")["choices"][0]["text"] == "Mail jo@example.com"


async def test_a_text_completion_stream_holds_a_split_placeholder_until_its_end() -> None:
    def text(piece: str, finish: str | None = None) -> bytes:
        choice = {"index": 0, "text": piece, "finish_reason": finish}
        return json_event({"id": "c", "object": "text_completion", "choices": [choice]})

    events = [text("Mail <EMA"), text("IL_1> and <EM"), text("", "stop"), DONE]
    reply = restore_reply(Reply(200, "up/m", events=replay(events)), pseudonyms(), "completions")
    chunks = await collect(reply)
    assert [c["choices"][0]["text"] for c in chunks] == ["Mail ", "jo@example.com and ", "<EM"]


async def test_a_messages_stream_is_restored_per_block_before_it_stops() -> None:
    def event(data: dict[str, Any]) -> bytes:
        return f"event: {data['type']}\ndata: ".encode() + orjson.dumps(data) + b"\n\n"

    def delta(index: int, kind: str, field: str, piece: str) -> bytes:
        body = {"type": kind, field: piece}
        return event({"type": "content_block_delta", "index": index, "delta": body})

    events = [
        event({"type": "message_start", "message": {"content": []}}),
        delta(0, "text_delta", "text", "To <EMAIL"),
        delta(0, "text_delta", "text", "_1> and <EMAIL_"),
        event({"type": "content_block_stop", "index": 0}),
        delta(1, "input_json_delta", "partial_json", '{"to": "<EM'),
        delta(1, "input_json_delta", "partial_json", 'AIL_1>"}'),
        event({"type": "content_block_stop", "index": 1}),
        event({"type": "message_stop"}),
    ]
    reply = restore_reply(Reply(200, "c/m", events=replay(events)), pseudonyms(), "messages")
    assert reply.events is not None
    out = [orjson.loads(e.split(b"data: ", 1)[1]) async for e in reply.events]
    texts = [e["delta"].get("text") for e in out if e["type"] == "content_block_delta"]
    assert "".join(t for t in texts if t) == "To jo@example.com and <EMAIL_"
    kinds = [e["type"] for e in out]
    assert kinds.index("content_block_stop") == 4  # the held "<EMAIL_" went out before it
    arguments = [e["delta"].get("partial_json") for e in out if "delta" in e and e["index"] == 1]
    assert "".join(a for a in arguments if a) == '{"to": "jo@example.com"}'


def test_a_whole_message_is_restored_in_text_and_tool_input() -> None:
    message = {"type": "message", "content": [
        {"type": "text", "text": "Mail <EMAIL_1>"},
        {"type": "tool_use", "id": "<EMAIL_1>", "name": "send", "input": {"to": ["<EMAIL_1>"]}},
    ]}  # fmt: skip
    reply = restore_reply(Reply(200, "c/m", body=orjson.dumps(message)), pseudonyms(), "messages")
    content = orjson.loads(reply.body or b"")["content"]
    assert content[0]["text"] == "Mail jo@example.com"
    assert content[1]["input"] == {"to": ["jo@example.com"]} and content[1]["id"] == "<EMAIL_1>"
