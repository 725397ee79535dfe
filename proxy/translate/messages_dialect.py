"""`/v1/messages` speaks Anthropic's dialect: Messages bodies in, Messages answers and
Anthropic error shapes out, `event: error` ending a failed stream. Any backend serves it."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import orjson

from proxy.call import Call, Reply
from proxy.http.errors import GatewayError
from proxy.http.sse import event_data
from proxy.translate.messages_ingress import (
    MessagesStreamWriter,
    chat_body_from_messages,
    message_from_completion,
)
from proxy.translate.messages_request import validate_messages_request

__all__ = ["MessagesDialect"]

_ERROR_TYPES = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
    404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
    502: "api_error", 503: "api_error", 529: "overloaded_error", 504: "timeout_error",
}  # fmt: skip


class MessagesDialect:
    watch_usage = False  # usage is picked up while translating, from the OpenAI chunks

    def parse(self, body: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], bytes]:
        del raw  # the chain sees the translation, and the translation is what goes on
        validate_messages_request(body)
        chat = chat_body_from_messages(body)
        return chat, orjson.dumps(chat)

    def error_body(self, error: GatewayError) -> bytes:
        return orjson.dumps({"type": "error", "error": _error(error)})

    def stream_error(self, error: GatewayError) -> bytes:
        data = orjson.dumps({"type": "error", "error": _error(error)})
        return b"event: error\ndata: " + data + b"\n\n"

    def reply(self, reply: Reply, call: Call) -> Reply:
        if reply.events is not None:
            reply.events = _translated(reply.events, reply, MessagesStreamWriter(call.model))
        elif reply.body is not None and reply.status == 200:
            reply.body = orjson.dumps(message_from_completion(orjson.loads(reply.body), call.model))
        return reply


def _error(error: GatewayError) -> dict[str, str]:
    kind = _ERROR_TYPES.get(error.status, "api_error")
    return {"type": kind, "message": error.message}


async def _translated(
    events: AsyncGenerator[bytes, None], reply: Reply, writer: MessagesStreamWriter
) -> AsyncGenerator[bytes, None]:
    try:
        async for event in events:
            data = event_data(event)
            if data is None or data.startswith(b"[DONE]"):
                continue
            chunk = orjson.loads(data)
            for out in writer.feed(chunk):
                yield out
            if writer.usage is not None:
                reply.usage = writer.usage
        for out in writer.finish():
            yield out
    finally:
        await events.aclose()
