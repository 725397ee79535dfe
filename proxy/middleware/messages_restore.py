"""Put pseudonymized values back into a Messages answer, whole or streamed (the `/v1/messages`
counterpart of pseudonym_restore.py). In a stream each content block's text, thinking or tool
input JSON holds back only a tail that could still become a placeholder, released before the
block's `content_block_stop`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import orjson

from governance.sensitivity import Pseudonyms, StreamRestorer, restore
from proxy.wire.sse import event_data

__all__ = ["restore_message", "restore_message_events"]

# A delta's type → the field of it that carries text.
_DELTA_TEXT = {
    "text_delta": "text",
    "input_json_delta": "partial_json",
    "thinking_delta": "thinking",
}


def restore_message(body: bytes, pseudonyms: Pseudonyms) -> bytes:
    try:
        message = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    if not isinstance(message, dict) or not isinstance(message.get("content"), list):
        return body
    message["content"] = [_restored(block, pseudonyms) for block in message["content"]]
    return orjson.dumps(message)


def _restored(value: Any, pseudonyms: Pseudonyms) -> Any:
    """Every string in a content block (text, thinking, a tool call's input) restored."""
    if isinstance(value, str):
        return restore(value, pseudonyms)
    if isinstance(value, dict):
        return {k: v if k in ("type", "id", "signature") else _restored(v, pseudonyms)
                for k, v in value.items()}  # fmt: skip
    if isinstance(value, list):
        return [_restored(v, pseudonyms) for v in value]
    return value


async def restore_message_events(
    events: AsyncGenerator[bytes, None], pseudonyms: Pseudonyms
) -> AsyncGenerator[bytes, None]:
    blocks: dict[int, tuple[str, StreamRestorer]] = {}  # index → (delta type, its restorer)
    try:
        async for event in events:
            data = event_data(event)
            if data is None or not data.startswith(b"{"):
                yield event
                continue
            parsed = orjson.loads(data)
            kind = parsed.get("type")
            if kind == "content_block_delta":
                yield _delta(parsed, blocks, pseudonyms)
            elif kind == "content_block_stop" and int(parsed.get("index") or 0) in blocks:
                index = int(parsed.get("index") or 0)
                delta_type, restorer = blocks.pop(index)
                held = restorer.flush()
                if held:
                    delta = {"type": delta_type, _DELTA_TEXT[delta_type]: held}
                    yield _event({"type": "content_block_delta", "index": index, "delta": delta})
                yield event
            else:
                yield event
    finally:
        await events.aclose()


def _delta(
    event: dict[str, Any], blocks: dict[int, tuple[str, StreamRestorer]], pseudonyms: Pseudonyms
) -> bytes:
    delta = event.get("delta") or {}
    field = _DELTA_TEXT.get(str(delta.get("type")))
    if field is None or not isinstance(delta.get(field), str):
        return _event(event)
    index = int(event.get("index") or 0)
    if index not in blocks:
        blocks[index] = (str(delta["type"]), StreamRestorer(pseudonyms))
    delta[field] = blocks[index][1].feed(delta[field])
    return _event(event)


def _event(data: dict[str, Any]) -> bytes:
    return b"event: " + str(data["type"]).encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"
