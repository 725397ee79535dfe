"""The gateway's own usage for answers that come without the upstream's (pure: events in,
events and the reply's usage out)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Mapping

import orjson

from proxy.call import Call, Reply
from proxy.router.usage_fallback import Form, UsageFallback
from proxy.wire.sse import DONE

PROMPT = "x" * 400  # 100 tokens, plus 4 of framing


def call() -> Call:
    body = {"model": "m", "messages": [{"role": "user", "content": PROMPT}], "stream": True}
    return Call("r1", "chat", body, orjson.dumps(body), "m", True)


async def events(items: list[bytes]) -> AsyncGenerator[bytes, None]:
    for item in items:
        yield item


def data(obj: object) -> bytes:
    return b"data: " + orjson.dumps(obj) + b"\n\n"


def run(
    items: list[bytes], form: Form, take: int | None = None, reply: Reply | None = None
) -> tuple[Reply, list[bytes]]:
    """The events the watched stream gives (the first `take` of them, then closed) and the
    reply they leave."""
    reply = reply or Reply(200, "up/m")

    async def go() -> list[bytes]:
        watched = UsageFallback(call()).stream(reply, events(items), form)
        out = []
        async for event in watched:
            out.append(event)
            if take is not None and len(out) == take:
                break
        await watched.aclose()
        return out

    return reply, asyncio.run(go())


def chunk(delta: Mapping[str, object]) -> bytes:
    return data({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                 "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})  # fmt: skip


def test_a_chat_stream_with_usage_passes_as_it_is() -> None:
    usage = {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    items = [chunk({"content": "Hello"}), data({"choices": [], "usage": usage}), DONE]
    reply, out = run(items, "chat")
    assert out == items and not reply.usage_estimated and reply.usage is None  # the pump's job


def test_a_chat_stream_without_usage_gets_the_estimate_as_its_usage_chunk() -> None:
    args = '{"city": "Paris"}'  # 17 characters, with "Hi there" 25: 7 tokens
    call_delta = {"tool_calls": [{"index": 0, "function": {"arguments": args}}]}
    items = [chunk({"content": "Hi there"}), chunk(call_delta), DONE]
    reply, out = run(items, "chat")
    expected = {"prompt_tokens": 104, "completion_tokens": 7, "total_tokens": 111}
    assert reply.usage_estimated and reply.usage == expected
    assert out[:2] == items[:2] and out[-1] == items[-1]
    usage_chunk = orjson.loads(out[2][len(b"data: ") :])
    assert usage_chunk == {"id": "c1", "object": "chat.completion.chunk", "created": 1,
                           "model": "m", "choices": [], "usage": expected}  # fmt: skip


def test_a_stream_closed_early_is_counted_as_far_as_it_went() -> None:
    items = [chunk({"content": "abcd" * 5}), chunk({"content": "efgh"}), DONE]
    reply, out = run(items, "chat", take=1)
    assert out == items[:1]
    assert reply.usage_estimated and reply.usage == {
        "prompt_tokens": 104, "completion_tokens": 5, "total_tokens": 109,
    }  # fmt: skip


def test_a_native_messages_stream_cut_short_keeps_its_input_count() -> None:
    usage = {"input_tokens": 25, "output_tokens": 1}
    start = {"type": "message_start", "message": {"usage": usage}}
    text = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta",
            "text": "y" * 40}}  # fmt: skip
    end = {"type": "message_delta", "delta": {}, "usage": {"output_tokens": 30}}
    items = [b"event: e\n" + data(e) for e in (start, text, end)]
    # What the provider read from message_start as it passed.
    read = Reply(200, "up/m", usage={"prompt_tokens": 25, "completion_tokens": 1})
    reply, _ = run(items, "messages", take=2, reply=read)
    assert reply.usage_estimated
    assert reply.usage == {"prompt_tokens": 25, "completion_tokens": 10, "total_tokens": 35}


def test_a_whole_messages_stream_is_the_upstreams() -> None:
    reply, out = run([data({"type": "message_delta", "usage": {"output_tokens": 3}})], "messages")
    assert len(out) == 1 and not reply.usage_estimated
