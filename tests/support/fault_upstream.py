"""A fake OpenAI-compatible upstream for the faults a call can meet after it was accepted.

What it does depends on the model asked for:
`hold` answers only after `hold_s` (a call the client or the gateway gives up on first);
`bad-json`, `bad-utf8`, `not-object`, `error-event` stream two good chunks, then that kind of
event, then the rest and `[DONE]`; `trickle` sends its answer (whole or streamed) a few bytes at a
time, each piece well inside any read timeout; `long-stream` streams a chunk every 50 ms for
`hold_s`. Anything else answers at once, as OpenAI would.

It counts the requests each model got (`arrived`) and, for the slow ones, those whose connection
the gateway closed before the answer was whole (`closed`): a cancelled upstream request is seen.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from tests.support.fake_openai import chunks, completion
from tests.support.servers import request_body

Send = Callable[[dict[str, Any]], Awaitable[None]]

BAD_EVENTS = {
    "bad-json": b"data: {not json at all\n\n",
    "bad-utf8": b'data: {"choices": [], "note": "\xff\xfe"}\n\n',
    "not-object": b"data: [1, 2, 3]\n\n",
    "error-event": b'data: {"error": {"message": "The engine is overloaded", '
    b'"type": "server_error", "param": null, "code": "overloaded"}}\n\n',
}
_PIECE_S = 0.05  # between trickled pieces and long-stream chunks


class FaultyUpstream:
    def __init__(self, hold_s: float = 20.0) -> None:
        self.hold_s = hold_s
        self.arrived: Counter[str] = Counter()
        self.closed: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        raw = await request_body(scope, receive, send)
        if raw is None:
            return
        body = json.loads(raw)
        model = body["model"]
        self.arrived[model] += 1
        gone = asyncio.Event()
        watcher = asyncio.create_task(_watch(receive, gone))
        try:
            if not await self._answer(model, body, send, gone):
                self.closed[model] += 1
        finally:
            watcher.cancel()

    async def _answer(
        self, model: str, body: dict[str, Any], send: Send, gone: asyncio.Event
    ) -> bool:
        """False when the gateway hung up before the answer was whole."""
        if model == "hold":
            try:
                await asyncio.wait_for(gone.wait(), self.hold_s)
                return False
            except TimeoutError:
                pass
        stream = body.get("stream") is True
        if model == "long-stream":
            return await self._long_stream(body, send, gone)
        if model == "trickle":
            data = _events(body) if stream else json.dumps(completion(body)).encode()
            return await _trickle(data, stream, send, gone)
        if not stream:
            await _start(send, b"application/json")
            await send(
                {"type": "http.response.body", "body": json.dumps(completion(body)).encode()}
            )
            return True
        events = _events(body)
        bad = BAD_EVENTS.get(model)
        if bad is not None:
            first = events.index(b"\n\n", events.index(b"\n\n") + 2) + 2  # after two chunks
            events = events[:first] + bad + events[first:]
        await _start(send, b"text/event-stream")
        await send({"type": "http.response.body", "body": events})
        return True

    async def _long_stream(self, body: dict[str, Any], send: Send, gone: asyncio.Event) -> bool:
        await _start(send, b"text/event-stream")
        piece = b"data: " + json.dumps(chunks(body)[1]).encode() + b"\n\n"
        for _ in range(int(self.hold_s / _PIECE_S)):
            if gone.is_set():
                return False
            await send({"type": "http.response.body", "body": piece, "more_body": True})
            await asyncio.sleep(_PIECE_S)
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n"})
        return True


async def _watch(receive: Any, gone: asyncio.Event) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    gone.set()


async def _start(send: Send, content_type: bytes) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]}
    )


def _events(body: dict[str, Any]) -> bytes:
    lines = [b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n" for c in chunks(body)]
    return b"".join(lines) + b"data: [DONE]\n\n"


async def _trickle(data: bytes, stream: bool, send: Send, gone: asyncio.Event) -> bool:
    """The first stream event whole (the stream has started), then the rest four bytes at a
    time."""
    await _start(send, b"text/event-stream" if stream else b"application/json")
    sent = data.index(b"\n\n") + 2 if stream else 0
    if sent:
        await send({"type": "http.response.body", "body": data[:sent], "more_body": True})
    while sent < len(data):
        if gone.is_set():
            return False
        await asyncio.sleep(_PIECE_S)
        await send({"type": "http.response.body", "body": data[sent : sent + 4], "more_body": True})
        sent += 4
    await send({"type": "http.response.body", "body": b""})
    return True
