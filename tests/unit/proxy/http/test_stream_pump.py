"""The stream pump's messages to the ASGI server: how a stream ends, whole, broken, or ended by
the gateway (client gone, deadline, server stopping)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

from proxy.call import Call, Reply
from proxy.http.call_watch import CallWatch, LiveCalls
from proxy.http.stream_pump import pump_stream
from proxy.wire.call_end import CLIENT_GONE, SERVER_SHUTDOWN, CallEnd, past_deadline
from proxy.wire.errors import GatewayError

CHUNK = b'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'
DONE = b"data: [DONE]\n\n"


async def _pump(
    events: list[bytes], fail: GatewayError | None = None, end: CallEnd | None = None
) -> tuple[list[dict[str, Any]], int, Call]:
    stalled = asyncio.Event()

    async def upstream() -> AsyncGenerator[bytes, None]:
        for event in events:
            yield event
        if fail is not None:
            raise fail
        if end is not None:
            stalled.set()
            await asyncio.sleep(60)  # until the watch ends the call

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

    call = Call(request_id="r", endpoint="chat", body={}, raw=b"", model="m", stream=True)
    watch = CallWatch(LiveCalls())
    watch.start(receive, call, 60, past_deadline("routing.total_timeout_s", 60))
    if end is not None:
        asyncio.get_running_loop().create_task(_end_when(stalled, watch, end))
    reply = Reply(status=200, route="up/m", events=upstream())
    try:
        status = await pump_stream(send, watch, reply, [], False, lambda: None)
    finally:
        watch.close()
    return sent, status, call


async def _end_when(stalled: asyncio.Event, watch: CallWatch, end: CallEnd) -> None:
    await stalled.wait()
    watch.end(end)


async def test_done_ends_the_response_in_the_same_message() -> None:
    sent, status, _ = await _pump([CHUNK, DONE])
    assert [m.get("body") for m in sent[1:]] == [CHUNK, DONE]
    assert [m.get("more_body") for m in sent[1:]] == [True, False]
    assert status == 200


async def test_a_stream_without_done_is_ended_by_an_empty_message() -> None:
    sent, _, _ = await _pump([CHUNK, b"event: message_stop\ndata: {}\n\n"])
    assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}
    assert len(sent) == 4


async def test_a_failure_after_done_sends_nothing_more() -> None:
    sent, status, _ = await _pump(
        [CHUNK, DONE], fail=GatewayError(502, "late", code="upstream_error")
    )
    assert sent[-1]["body"] == DONE and sent[-1]["more_body"] is False
    assert len(sent) == 3 and status == 200


async def test_a_failure_mid_stream_ends_with_an_error_event_and_done() -> None:
    sent, status, _ = await _pump([CHUNK], fail=GatewayError(502, "broke", code="upstream_error"))
    tail = sent[-1]
    assert tail["more_body"] is False and status == 502
    assert b'"code":"upstream_error"' in tail["body"] and tail["body"].endswith(DONE)
    assert b'"type":"server_error"' in tail["body"]  # the status is gone: the type says 5xx


async def test_a_stream_the_gateway_ends_gets_an_error_event_and_done() -> None:
    for end, code in ((SERVER_SHUTDOWN, b"server_shutdown"), (past_deadline("x", 1), b"deadline")):
        sent, status, call = await _pump([CHUNK], end=end)
        tail = sent[-1]
        assert tail["more_body"] is False and tail["body"].endswith(DONE)
        assert code in tail["body"] and status == end.error.status
        assert call.ended is end


async def test_a_client_that_left_gets_nothing_more() -> None:
    sent, status, call = await _pump([CHUNK], end=CLIENT_GONE)
    assert [m.get("body") for m in sent[1:]] == [CHUNK]
    assert status == 499 and call.ended is CLIENT_GONE
