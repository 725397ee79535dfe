"""Put pseudonymized values back into the answer, whole or streamed, before the client sees it.

A placeholder split across chunks is reassembled: each text field holds back only a tail that
could still become a placeholder, and releases it with the choice's finish chunk at the latest.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import orjson

from governance.sensitivity import Pseudonyms, StreamRestorer, restore
from proxy.call import Reply
from proxy.middleware.messages_restore import restore_message, restore_message_events
from proxy.wire.sse import event_data, json_event

__all__ = ["restore_reply"]


def restore_reply(reply: Reply, pseudonyms: Pseudonyms, endpoint: str = "chat") -> Reply:
    """`endpoint` says the answer's shape: Messages for `messages`, else OpenAI's choices
    (a chat message or delta, or a text completion's `text`)."""
    messages = endpoint == "messages"
    if reply.events is not None:
        reply.events = (
            restore_message_events(reply.events, pseudonyms)
            if messages
            else _restore_events(reply.events, pseudonyms)
        )
    elif reply.body is not None and reply.status == 200:
        restored = restore_message if messages else _restore_body
        reply.body = restored(reply.body, pseudonyms)
    return reply


# A chat delta's text fields → their restorer's slot (tool calls use their index).
_TEXT_SLOTS = {"content": -1, "refusal": -2}
_SLOT_TEXTS = {slot: key for key, slot in _TEXT_SLOTS.items()}


def _may_hold_placeholder(raw: bytes) -> bool:
    # Some JSON encoders (Go's, by default) write "<" as \u003c.
    return raw.find(b"<") >= 0 or raw.find(b"\\u003") >= 0  # find: see sse.is_done


def _restore_body(body: bytes, pseudonyms: Pseudonyms) -> bytes:
    if not _may_hold_placeholder(body):
        return body
    try:
        answer = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    for choice in answer.get("choices") or [] if isinstance(answer, dict) else []:
        if isinstance(choice, dict) and isinstance(choice.get("text"), str):
            choice["text"] = restore(choice["text"], pseudonyms)  # a text completion
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        for key in ("content", "refusal"):
            if isinstance(message.get(key), str):
                message[key] = restore(message[key], pseudonyms)
        for call in message.get("tool_calls") or []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                function["arguments"] = restore(function["arguments"], pseudonyms)
    return orjson.dumps(answer)


async def _restore_events(
    events: AsyncGenerator[bytes, None], pseudonyms: Pseudonyms
) -> AsyncGenerator[bytes, None]:
    # (choice, -1 for content | -2 for refusal | tool index)
    fields: dict[tuple[int, int], StreamRestorer] = {}

    def field(choice: int, slot: int) -> StreamRestorer:
        restorer = fields.get((choice, slot))
        if restorer is None:
            restorer = fields[(choice, slot)] = StreamRestorer(pseudonyms)
        return restorer

    try:
        async for event in events:
            # Most chunks hold no "<" and nothing is held back: they pass untouched, unparsed.
            if not _may_hold_placeholder(event) and not (
                fields and any(r.holding for r in fields.values())
            ):
                yield event
                continue
            data = event_data(event)
            if data is None or data.startswith(b"[DONE]") or not data.startswith(b"{"):
                yield event
                continue
            chunk = orjson.loads(data)
            for choice in chunk.get("choices") or []:
                _restore_choice(choice, field, fields)
            yield json_event(chunk)
    finally:
        await events.aclose()


def _restore_choice(
    choice: dict[str, Any],
    field: Any,
    fields: dict[tuple[int, int], StreamRestorer],
) -> None:
    index = int(choice.get("index") or 0)
    # A text completion's chunk carries its text on the choice; a chat chunk, in a delta.
    delta = choice if isinstance(choice.get("text"), str) else choice.get("delta")
    if not isinstance(delta, dict):
        return
    if delta is choice:
        choice["text"] = field(index, -1).feed(choice["text"])
    for key, slot in _TEXT_SLOTS.items():
        if isinstance(delta.get(key), str):
            delta[key] = field(index, slot).feed(delta[key])
    for call in delta.get("tool_calls") or []:
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            function["arguments"] = field(index, int(call.get("index") or 0)).feed(
                function["arguments"]
            )
    if choice.get("finish_reason") is None:
        return
    # The choice is over: release whatever each of its fields still holds.
    for (owner, slot), restorer in list(fields.items()):
        if owner != index:
            continue
        held = restorer.flush()
        if not held:
            continue
        if slot == -1 and delta is choice:
            choice["text"] += held
        elif slot < 0:
            key = _SLOT_TEXTS[slot]
            delta[key] = (delta.get(key) or "") + held
        else:
            calls = delta.setdefault("tool_calls", [])
            calls.append({"index": slot, "function": {"arguments": held}})
