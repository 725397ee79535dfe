"""Send a streamed reply to the client as its events arrive.

On the way it keeps the usage chunk (and hides it from clients that did not ask for it), turns a
mid-stream failure into an SSE error event plus `[DONE]`, and cancels the upstream when the
client hangs up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

import orjson

from governance.failure_log import describe_failure
from proxy.asgi_io import Receive, Send
from proxy.call import Reply
from proxy.errors import GatewayError
from proxy.sse import DONE, error_event, event_data, is_done

__all__ = ["StreamDialect", "pump_stream"]


class StreamDialect(Protocol):
    watch_usage: bool

    def stream_error(self, error: GatewayError) -> bytes: ...


log = logging.getLogger("metaqore.stream")


async def pump_stream(
    send: Send,
    receive: Receive,
    reply: Reply,
    headers: list[tuple[bytes, bytes]],
    client_wants_usage: bool,
    on_first_byte: Callable[[], None],
    dialect: StreamDialect | None = None,
) -> None:
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
    first_sent = False
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
        async for event in events:
            # find, not `in`: see sse.is_done
            if watch and event.find(b'"usage"') >= 0 and _keep_usage(event, reply) and not wanted:
                continue
            # [DONE] ends the response in the same write (once complete, uvicorn answers
            # receive() with a disconnect, so the watcher must know first).
            last = is_done(event)
            state["finished"] = last
            await send({"type": "http.response.body", "body": event, "more_body": not last})
            if not first_sent:
                first_sent = True
                on_first_byte()
        if not state["finished"]:
            state["finished"] = True
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    except asyncio.CancelledError:
        if not state["disconnected"]:
            raise
        task.uncancel()
    except OSError:  # uvicorn raises this from send() once the client's socket is gone
        pass
    except Exception as exc:
        error = (
            exc
            if isinstance(exc, GatewayError)
            else GatewayError(
                500, "The gateway failed while streaming this answer.", code="internal_error"
            )
        )
        if not isinstance(exc, GatewayError):
            log.error("stream failed: %s", describe_failure(exc))
        if state["finished"]:  # the answer was whole and sent; what broke came after it
            return
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
