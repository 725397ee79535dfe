"""A fake Anthropic Messages upstream speaking the exact wire format, SSE included
(`event:` + `data:` lines, ping events, text, thinking, signature and input_json deltas, no
[DONE]), and `/v1/messages/count_tokens`.

By model: `claude-echo` answers "Echo: " and the last user turn's text (documents' text
included; "Result: " and the tool results' text after a tool result); with tools it calls the
first tool with {"city": "Paris"} (streamed in pieces) unless the turn answers a tool call;
with `output_config.format` the text is JSON in the schema's shape; with `thinking` enabled a
thinking block comes first; a stop sequence found in the answer cuts it there (stop_reason
`stop_sequence`, the sequence in `stop_sequence`). `claude-429` rate-limits,
`claude-overloaded` answers 529, `claude-dies` sends an `error` event mid-stream. Every request
is recorded, with its bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.support.servers import request_body

USAGE = {"input_tokens": 12, "output_tokens": 7, "cache_read_input_tokens": 3}
THINKING = {"type": "thinking", "thinking": "Weighing it.", "signature": "c2lnbmF0dXJlLTE="}


@dataclass
class AnthropicReceived:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes = b""


class FakeAnthropic:
    def __init__(self) -> None:
        self.received: list[AnthropicReceived] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        raw = await request_body(scope, receive, send)
        if raw is None:
            return
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        body = json.loads(raw)
        self.received.append(AnthropicReceived(scope["path"], headers, body, raw))
        model = body["model"]
        if scope["path"].endswith("/count_tokens"):
            await _json(send, 200, {"input_tokens": count_tokens(body)})
        elif model == "claude-429":
            await _json(
                send, 429, _error("rate_limit_error", "Slow down"), [(b"retry-after", b"3")]
            )
        elif model == "claude-overloaded":
            await _json(send, 529, _error("overloaded_error", "Overloaded"))
        elif body.get("stream"):
            await self._stream(body, send)
        else:
            await _json(send, 200, _message(body))

    async def _stream(self, body: dict[str, Any], send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream; charset=utf-8")],
            }
        )
        for name, data in _events(body):
            payload = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
            await send({"type": "http.response.body", "body": payload, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def count_tokens(body: dict[str, Any]) -> int:
    """A count of the fake's own: one token per four bytes of system, messages and tools."""
    counted = {k: body.get(k) for k in ("system", "messages", "tools")}
    return len(json.dumps(counted)) // 4


def _texts(block: dict[str, Any]) -> str:
    kind = block.get("type")
    if kind == "text":
        return str(block["text"])
    if kind == "document":
        source = block["source"]
        if source["type"] == "text":
            return str(source["data"])
        if source["type"] == "content":
            return "".join(_texts(b) for b in source["content"])
    if kind == "tool_result":
        content = block.get("content")
        if isinstance(content, str):
            return content
        return "".join(_texts(b) for b in content or [])
    return ""


def _last_user_text(body: dict[str, Any]) -> str:
    for turn in reversed(body["messages"]):
        if turn["role"] == "user":
            content = turn["content"]
            if isinstance(content, str):
                return content
            results = all(b.get("type") == "tool_result" for b in content)
            return "".join(_texts(b) for b in content if results or b["type"] != "tool_result")
    return ""


def _answers_a_tool(body: dict[str, Any]) -> bool:
    """The last turn holds only tool results (a turn with a question too asks anew)."""
    content = body["messages"][-1]["content"]
    return isinstance(content, list) and all(b.get("type") == "tool_result" for b in content)


def _tool_call(body: dict[str, Any]) -> dict[str, Any] | None:
    tools = body.get("tools") or []
    choice = body.get("tool_choice") or {}
    if not tools or choice.get("type") == "none" or _answers_a_tool(body):
        return None
    forced = choice.get("name")
    name = forced or tools[0]["name"]
    arguments = {"answer": "yes"} if forced == "json_response" else {"city": "Paris"}
    return {"type": "tool_use", "id": "toolu_fake1", "name": name, "input": arguments}


def _shaped(schema: dict[str, Any]) -> Any:
    """A value of the JSON schema's shape (objects, arrays, strings, numbers, booleans)."""
    kind = schema.get("type")
    if kind == "object":
        return {k: _shaped(v) for k, v in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [_shaped(schema.get("items") or {})]
    return {"integer": 7, "number": 1.5, "boolean": True}.get(str(kind), "Paris")


def _answer(body: dict[str, Any]) -> tuple[str, str | None]:
    """The answer's text and the stop sequence that cut it, if one did."""
    fmt = (body.get("output_config") or {}).get("format")
    if fmt is not None:
        return json.dumps(_shaped(fmt["schema"])), None
    prefix = "Result: " if _answers_a_tool(body) else "Echo: "
    text = prefix + _last_user_text(body)
    for sequence in body.get("stop_sequences") or []:
        if sequence in text:
            return text[: text.index(sequence)], sequence
    return text, None


def _message(body: dict[str, Any]) -> dict[str, Any]:
    call = _tool_call(body)
    text, sequence = _answer(body)
    content: list[dict[str, Any]] = []
    if (body.get("thinking") or {}).get("type") == "enabled":
        content.append(THINKING)
    content.append({"type": "text", "text": text})
    if call is not None and sequence is None:
        content.append(call)
    stop = "stop_sequence" if sequence else "tool_use" if call else "end_turn"
    return {
        "id": "msg_fake1",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": content,
        "stop_reason": stop,
        "stop_sequence": sequence,
        "usage": USAGE,
    }


def _block_events(index: int, block: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """A content block as content_block_start, its deltas in pieces, content_block_stop."""
    kind = block["type"]
    opened = {
        "text": {"type": "text", "text": ""},
        "thinking": {"type": "thinking", "thinking": ""},
        "tool_use": {**block, "input": {}},
    }[kind]
    start = {"type": "content_block_start", "index": index, "content_block": opened}
    deltas: list[dict[str, Any]] = []
    if kind == "text":
        text = block["text"]
        deltas = [{"type": "text_delta", "text": text[i : i + 4]} for i in range(0, len(text), 4)]
    elif kind == "thinking":
        deltas = [{"type": "thinking_delta", "thinking": block["thinking"]},
                  {"type": "signature_delta", "signature": block["signature"]}]  # fmt: skip
    else:
        arguments = json.dumps(block["input"])
        pieces = ["", arguments[:5], arguments[5:12], arguments[12:]]
        deltas = [{"type": "input_json_delta", "partial_json": p} for p in pieces]
    out = [("content_block_start", start)]
    out.extend(
        ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": d})
        for d in deltas
    )
    out.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    return out


def _events(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    message = _message(body)
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = {**USAGE, "output_tokens": 1}
    out: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": start}),
        ("ping", {"type": "ping"}),
    ]
    for index, block in enumerate(message["content"]):
        out.extend(_block_events(index, block))
        if body["model"] == "claude-dies":
            error = {"type": "overloaded_error", "message": "Overloaded"}
            return [*out, ("error", {"type": "error", "error": error})]
    out.append(("future_event_type", {"type": "future_event_type"}))
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": message["stop_sequence"]}
    usage = {"output_tokens": USAGE["output_tokens"]}
    out.append(("message_delta", {"type": "message_delta", "delta": delta, "usage": usage}))
    out.append(("message_stop", {"type": "message_stop"}))
    return out


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


async def _json(
    send: Any, status: int, body: Any, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), *(headers or [])]})  # fmt: skip
    await send({"type": "http.response.body", "body": data})
