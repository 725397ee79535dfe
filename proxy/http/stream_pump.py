"""Send a streamed reply to the client as its events arrive.

On the way it keeps the usage chunk (and hides it from clients that did not ask for it), and turns
a mid-stream failure, or the call being ended (deadline, server stopping; see call_watch.py), into
an SSE error event plus `[DONE]`; a client that hangs up cancels the upstream.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

import orjson

from governance.failure_log import describe_failure
from proxy.call import Reply
from proxy.http.asgi_io import Send
from proxy.http.call_watch import CallWatch
from proxy.wire.errors import GatewayError
from proxy.wire.sse import error_tail, event_data, is_done

__all__ = ["StreamDialect", "pump_stream"]


class StreamDialect(Protocol):
    watch_usage: bool

    def stream_error(self, error: GatewayError) -> bytes: ...


log = logging.getLogger("metaqore.stream")
_BROKE = GatewayError(500, "The gateway failed while streaming this answer.", code="internal_error")


async def pump_stream(
    send: Send,
    watch: CallWatch,
    reply: Reply,
    headers: list[tuple[bytes, bytes]],
    client_wants_usage: bool,
    on_first_byte: Callable[[], None],
    dialect: StreamDialect | None = None,
) -> int:
    """Returns the status the stream ended with: 200 when whole, else what ended it."""
    assert reply.events is not None
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
        pick_usage = dialect.watch_usage if dialect is not None else True
        await _pass_events(send, watch, reply, pick_usage, client_wants_usage, on_first_byte)
        return 200
    except asyncio.CancelledError:
        end = watch.absorb()
        if end is None:
            raise
        if end.client_there:
            await _send_tail(send, end.error, dialect)
        return end.error.status
    except OSError:  # the client's socket is gone (uvicorn's send raises this in some versions)
        return 499
    except Exception as exc:
        return await _failed(send, watch, exc, dialect)
    finally:
        await events.aclose()


async def _pass_events(
    send: Send,
    watch: CallWatch,
    reply: Reply,
    pick_usage: bool,
    wanted: bool,
    on_first_byte: Callable[[], None],
) -> None:
    """Every event to the client as it arrives, then the end of the response."""
    assert reply.events is not None
    first_sent = False
    async for event in reply.events:
        # find, not `in`: see sse.is_done
        if pick_usage and event.find(b'"usage"') >= 0 and _keep_usage(event, reply) and not wanted:
            continue
        # [DONE] ends the response in the same write (once complete, uvicorn answers
        # receive() with a disconnect, so the watch must know first).
        last = is_done(event)
        watch.finished = last
        await send({"type": "http.response.body", "body": event, "more_body": not last})
        if not first_sent:
            first_sent = True
            on_first_byte()
    if not watch.finished:
        watch.finished = True
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _failed(
    send: Send, watch: CallWatch, exc: Exception, dialect: StreamDialect | None
) -> int:
    """The status of a stream that `exc` broke; the client gets an error tail unless the
    answer was already whole."""
    if not isinstance(exc, GatewayError):
        log.error("stream failed: %s", describe_failure(exc))
    if watch.finished:  # the answer was whole and sent; what broke came after it
        return 200
    watch.finished = True
    error = exc if isinstance(exc, GatewayError) else _BROKE
    await _send_tail(send, error, dialect)
    return error.status


async def _send_tail(send: Send, error: GatewayError, dialect: StreamDialect | None) -> None:
    """End a stream that failed after its first byte, in the endpoint's dialect."""
    tail = dialect.stream_error(error) if dialect is not None else error_tail(error)
    await send({"type": "http.response.body", "body": tail, "more_body": False})


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
