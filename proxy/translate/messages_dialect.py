"""`/v1/messages` (and its count_tokens) speaks Anthropic's dialect: Messages bodies in, Messages
answers and Anthropic error shapes out, `event: error` ending a failed stream. The chain judges
the Messages body itself; the dispatcher sends it natively to an Anthropic backend and through
chat completions to any other (proxy/router/dialect_bridge.py)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

import orjson

from proxy.call import Call, Reply
from proxy.translate.messages_request import validate_messages_request
from proxy.wire.errors import GatewayError, bad_request

__all__ = ["MessagesDialect"]

_ERROR_TYPES = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
    404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
    502: "api_error", 503: "api_error", 529: "overloaded_error", 504: "timeout_error",
}  # fmt: skip


class MessagesDialect:
    watch_usage = False  # usage is picked up from Messages events where they are made or read

    def __init__(
        self, validate: Callable[[dict[str, Any]], None] = validate_messages_request
    ) -> None:
        self._validate = validate

    def parse(self, body: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], bytes]:
        self._validate(body)
        if _decode_text_documents(body):  # now they are text every stage and backend can read
            return body, orjson.dumps(body)
        return body, raw

    def error_body(self, error: GatewayError) -> bytes:
        return orjson.dumps({"type": "error", "error": _error(error)})

    def stream_error(self, error: GatewayError) -> bytes:
        data = orjson.dumps({"type": "error", "error": _error(error)})
        return b"event: error\ndata: " + data + b"\n\n"

    def reply(self, reply: Reply, call: Call) -> Reply:
        return reply  # the dispatcher answers Messages calls in Messages already


def _error(error: GatewayError) -> dict[str, Any]:
    kind = _ERROR_TYPES.get(error.status, "api_error")
    out: dict[str, Any] = {"type": kind, "message": error.message}
    if error.details is not None:
        out["details"] = error.details
    return out


def _decode_text_documents(body: dict[str, Any]) -> bool:
    """Turns each base64 document of a text type into a `text` source, so that its text is
    scanned (base64 is not) and reaches every backend as text; True if any changed."""
    changed = False
    for turn in body["messages"]:
        content = turn.get("content")
        for block in content if isinstance(content, list) else ():
            for document in _documents(block):
                source = document["source"]
                if source.get("type") != "base64":
                    continue
                media_type = str(source.get("media_type") or "")
                if not media_type.startswith("text/"):
                    continue  # a PDF: binary to a scan, as images are
                document["source"] = {
                    "type": "text", "media_type": "text/plain", "data": _text_of(source),
                }  # fmt: skip
                changed = True
    return changed


def _documents(block: dict[str, Any]) -> list[dict[str, Any]]:
    if block.get("type") == "document" and isinstance(block.get("source"), dict):
        return [block]
    inner = block.get("content") if block.get("type") == "tool_result" else None
    return [d for b in inner if isinstance(b, dict) for d in _documents(b)] if isinstance(
        inner, list
    ) else []  # fmt: skip


def _text_of(source: dict[str, Any]) -> str:
    try:
        return base64.b64decode(str(source.get("data") or ""), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise bad_request(
            "A text document's base64 data is not valid base64 of UTF-8 text.",
            param="messages",
        ) from None
