"""The stream pump's messages to the ASGI server: how a stream ends, whole or broken."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

from proxy.call import Reply
from proxy.errors import GatewayError
from proxy.stream_pump import pump_stream

CHUNK = b'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'
DONE = b"data: [DONE]\n\n"


async def _pump(events: list[bytes], fail: GatewayError | None = None) -> list[dict[str, Any]]:
    async def upstream() -> AsyncGenerator[bytes, None]:
        for event in events:
            yield event
        if fail is not None:
            raise fail

    sent: list[dict[str, Any]] = []
    complete = asyncio.Event()

    async def send(message: dict[str, Any]) -> None:
        assert not complete.is_set(), "nothing may follow the end of the response"
        sent.append(message)
        if message.get("more_body") is False:
            complete.set()

    async def receive() -> dict[str, Any]:
        # As uvicorn does: the client is there until the response is complete.
        await complete.wait()
        return {"type": "http.disconnect"}

    reply = Reply(status=200, route="up/m", events=upstream())
    await pump_stream(send, receive, reply, [], False, lambda: None)
    return sent


async def test_done_ends_the_response_in_the_same_message() -> None:
    sent = await _pump([CHUNK, DONE])
    assert [m.get("body") for m in sent[1:]] == [CHUNK, DONE]
    assert [m.get("more_body") for m in sent[1:]] == [True, False]


async def test_a_stream_without_done_is_ended_by_an_empty_message() -> None:
    sent = await _pump([CHUNK, b"event: message_stop\ndata: {}\n\n"])
    assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}
    assert len(sent) == 4


async def test_a_failure_after_done_sends_nothing_more() -> None:
    sent = await _pump([CHUNK, DONE], fail=GatewayError(502, "late", code="upstream_error"))
    assert sent[-1]["body"] == DONE and sent[-1]["more_body"] is False
    assert len(sent) == 3


async def test_a_failure_mid_stream_ends_with_an_error_event_and_done() -> None:
    sent = await _pump([CHUNK], fail=GatewayError(502, "broke", code="upstream_error"))
    tail = sent[-1]
    assert tail["more_body"] is False
    assert b'"code":"upstream_error"' in tail["body"] and tail["body"].endswith(DONE)
