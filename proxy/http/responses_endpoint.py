"""`POST /v1/responses`: the OpenAI Responses API over the same hot-endpoint machinery and stage
chain as chat completions. The body becomes a chat call (proxy/translate/responses_request.py);
the chain's own Responses stages load and store the conversation; the chat answer comes back as
a Response object or its typed event stream."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import orjson

from proxy.call import Call, Reply
from proxy.http.model_endpoint import CallPath, ModelEndpoint
from proxy.http.stream_pump import StreamDialect
from proxy.translate.responses_request import open_turn, validate_responses
from proxy.translate.responses_response import output_of
from proxy.translate.responses_stream import ResponseStreamWriter, response_error_code
from proxy.wire.errors import GatewayError
from proxy.wire.sse import event_data

__all__ = ["ResponsesDialect", "ResponsesEndpoint"]


class ResponsesDialect:
    watch_usage = False  # usage is picked up while translating, from the chat chunks

    def parse(self, body: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], bytes]:
        validate_responses(body)
        return body, raw

    def error_body(self, error: GatewayError) -> bytes:
        return error.body()

    def stream_error(self, error: GatewayError) -> bytes:
        """A stream that failed before its writer existed (each writer ends its own)."""
        data = {
            "type": "error", "code": response_error_code(error), "message": error.message,
            "param": error.param, "sequence_number": 0,
        }  # fmt: skip
        return b"event: error\ndata: " + orjson.dumps(data) + b"\n\n"

    def reply(self, reply: Reply, call: Call) -> Reply:
        turn = call.turn
        assert turn is not None
        if reply.events is not None:
            turn.writer = writer = ResponseStreamWriter(turn)
            reply.events = _translated(reply.events, reply, writer)
        elif reply.body is not None and reply.status == 200:
            reply.body = orjson.dumps(output_of(turn, orjson.loads(reply.body)))
        return reply


class ResponsesEndpoint(ModelEndpoint):
    def __init__(self, path: CallPath) -> None:
        super().__init__(path, "responses", ResponsesDialect())

    def _open_call(
        self, body: dict[str, Any], raw: bytes, headers: dict[bytes, bytes], request_id: str
    ) -> Call:
        call = super()._open_call(body, raw, headers, request_id)
        call.turn, call.body = open_turn(call.body)
        # What goes on is the translation; the client's bytes stay `raw`, hashed for evidence.
        call.body_changed = True
        return call

    def _stream_dialect(self, call: Call) -> StreamDialect:
        writer = call.turn.writer if call.turn is not None else None
        return writer if writer is not None else super()._stream_dialect(call)


async def _translated(
    events: AsyncGenerator[bytes, None], reply: Reply, writer: ResponseStreamWriter
) -> AsyncGenerator[bytes, None]:
    try:
        for out in writer.start():
            yield out
        async for event in events:
            data = event_data(event)
            if data is None or not data.startswith(b"{"):
                continue
            for out in writer.feed(orjson.loads(data)):
                yield out
            if writer.usage is not None:
                reply.usage = writer.usage
        for out in writer.finish():
            yield out
    finally:
        await events.aclose()
