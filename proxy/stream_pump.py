"""Send a streamed reply to the client as its events arrive.

On the way it keeps the usage chunk (and hides it from clients that did not ask for it), turns a
mid-stream failure into an SSE error event plus `[DONE]`, and cancels the upstream when the
client hangs up.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

import orjson

from proxy.asgi_io import Receive, Send
from proxy.call import Reply
from proxy.errors import GatewayError
from proxy.sse import DONE, error_event, event_data

__all__ = ["StreamDialect", "StreamOutcome", "pump_stream"]


class StreamDialect(Protocol):
    watch_usage: bool

    def stream_error(self, error: GatewayError) -> bytes: ...


log = logging.getLogger("metaqore.stream")


@dataclass(slots=True)
class StreamOutcome:
    result: Literal["completed", "upstream_failed", "client_disconnected"]
    first_byte_s: float | None = None
    error: GatewayError | None = None


async def pump_stream(
    send: Send,
    receive: Receive,
    reply: Reply,
    headers: list[tuple[bytes, bytes]],
    client_wants_usage: bool,
    on_first_byte: Callable[[], None],
    dialect: StreamDialect | None = None,
) -> StreamOutcome:
    assert reply.events is not None
    task = asyncio.current_task()
    assert task is not None
    state = {"finished": False, "disconnected": False}

    async def watch_disconnect() -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                if not state["finished"]:
                    state["disconnected"] = True
                    task.cancel()
                return

    watch = dialect.watch_usage if dialect is not None else True
    wanted = client_wants_usage
    watcher = asyncio.create_task(watch_disconnect())
    outcome = StreamOutcome("completed")
    events = reply.events
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache"),
                    *headers,
                ],
            }
        )
        started = time.perf_counter()
        async for event in events:
            # find, not `in`: see sse.is_done
            if watch and event.find(b'"usage"') >= 0 and _keep_usage(event, reply) and not wanted:
                continue
            await send({"type": "http.response.body", "body": event, "more_body": True})
            if outcome.first_byte_s is None:
                outcome.first_byte_s = time.perf_counter() - started
                on_first_byte()
        state["finished"] = True
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except asyncio.CancelledError:
        if not state["disconnected"]:
            raise
        task.uncancel()
        outcome.result = "client_disconnected"
    except OSError:  # uvicorn raises this from send() once the client's socket is gone
        outcome.result = "client_disconnected"
    except Exception as exc:
        error = (
            exc
            if isinstance(exc, GatewayError)
            else GatewayError(
                500, "The gateway failed while streaming this answer.", code="internal_error"
            )
        )
        if not isinstance(exc, GatewayError):
            log.exception("stream failed")
        outcome.result, outcome.error = "upstream_failed", error
        state["finished"] = True
        tail = (
            dialect.stream_error(error)
            if dialect is not None
            else error_event(error.message, error.type or "server_error", error.code) + DONE
        )
        await send({"type": "http.response.body", "body": tail, "more_body": False})
    finally:
        watcher.cancel()
        await events.aclose()
    return outcome


def _keep_usage(event: bytes, reply: Reply) -> bool:
    """Record usage if this event carries it; True if it is the usage-only chunk."""
    data = event_data(event)
    if data is None or data.startswith(b"[DONE]"):
        return False
    try:
        chunk = orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    usage = chunk.get("usage") if isinstance(chunk, dict) else None
    if not isinstance(usage, dict):
        return False
    reply.usage = usage
    return not chunk.get("choices")
