"""A fake Anthropic Messages upstream speaking the exact wire format, SSE included
(`event:` + `data:` lines, ping events, text and input_json deltas, no [DONE]).

By model: `claude-echo` answers the last user text; with tools it calls the first tool with
{"city": "Paris"} (streamed in pieces); `claude-429` rate-limits, `claude-overloaded` answers
529, `claude-dies` sends an `error` event mid-stream. Every request is recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.support.servers import request_body

USAGE = {"input_tokens": 12, "output_tokens": 7, "cache_read_input_tokens": 3}


@dataclass
class AnthropicReceived:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeAnthropic:
    def __init__(self) -> None:
        self.received: list[AnthropicReceived] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        raw = await request_body(scope, receive, send)
        if raw is None:
            return
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        body = json.loads(raw)
        self.received.append(AnthropicReceived(scope["path"], headers, body))
        model = body["model"]
        if model == "claude-429":
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


def _last_user_text(body: dict[str, Any]) -> str:
    for turn in reversed(body["messages"]):
        if turn["role"] == "user":
            content = turn["content"]
            if isinstance(content, str):
                return content
            return "".join(b.get("text", "") for b in content if b.get("type") == "text")
    return ""


def _tool_call(body: dict[str, Any]) -> dict[str, Any] | None:
    tools = body.get("tools") or []
    if not tools or (body.get("tool_choice") or {}).get("type") == "none":
        return None
    forced = (body.get("tool_choice") or {}).get("name")
    name = forced or tools[0]["name"]
    arguments = {"answer": "yes"} if forced == "json_response" else {"city": "Paris"}
    return {"type": "tool_use", "id": "toolu_fake1", "name": name, "input": arguments}


def _message(body: dict[str, Any]) -> dict[str, Any]:
    call = _tool_call(body)
    content: list[dict[str, Any]] = [{"type": "text", "text": f"Echo: {_last_user_text(body)}"}]
    if call is not None:
        content.append(call)
    return {
        "id": "msg_fake1",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": content,
        "stop_reason": "tool_use" if call else "end_turn",
        "stop_sequence": None,
        "usage": USAGE,
    }


def _events(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    start = {**_message(body), "content": [], "stop_reason": None}
    start["usage"] = {**USAGE, "output_tokens": 1}
    text = f"Echo: {_last_user_text(body)}"
    out: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": start}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": {"type": "text", "text": ""}}),
        ("ping", {"type": "ping"}),
    ]  # fmt: skip
    for i in range(0, len(text), 4):
        delta = {"type": "text_delta", "text": text[i : i + 4]}
        out.append(
            ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})
        )
    out.append(("content_block_stop", {"type": "content_block_stop", "index": 0}))
    if body["model"] == "claude-dies":
        return [
            *out,
            (
                "error",
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            ),
        ]
    call = _tool_call(body)
    if call is not None:
        block = {**call, "input": {}}
        out.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": 1, "content_block": block},
            )
        )
        arguments = json.dumps(call["input"])
        for piece in ["", arguments[:5], arguments[5:12], arguments[12:]]:
            delta = {"type": "input_json_delta", "partial_json": piece}
            out.append(
                ("content_block_delta", {"type": "content_block_delta", "index": 1, "delta": delta})
            )
        out.append(("content_block_stop", {"type": "content_block_stop", "index": 1}))
    out.append(("future_event_type", {"type": "future_event_type"}))
    stop = "tool_use" if call else "end_turn"
    delta = {"stop_reason": stop, "stop_sequence": None}
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
