"""A Messages call on a backend that does not speak Messages: the request as chat completions,
the answer (whole or streamed) back as Messages; the reverse of the anthropic provider's
translation (pure, no I/O)."""

from __future__ import annotations

from typing import Any

import orjson

from proxy.translate.stop_sequences import StopScanner, cut_at_stop
from proxy.wire.errors import bad_request

__all__ = ["MessagesStreamWriter", "chat_body_from_messages", "message_from_completion"]

_STOP = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use",
         "content_filter": "refusal", "function_call": "tool_use"}  # fmt: skip


def chat_body_from_messages(body: dict[str, Any]) -> dict[str, Any]:
    """A validated Messages body as a chat-completions body, for a backend that does not speak
    Messages. What chat completions cannot say is dropped: thinking (blocks and budget), top_k,
    cache_control, citations. `stop_sequences` stay with the gateway, which enforces them
    (proxy/translate/stop_sequences.py): a backend would not say which one ended its text."""
    messages: list[dict[str, Any]] = []
    system = body.get("system")
    if system:
        text = system if isinstance(system, str) else "\n\n".join(b["text"] for b in system)
        messages.append({"role": "system", "content": text})
    for turn in body["messages"]:
        messages.extend(_turn(turn))
    out: dict[str, Any] = {"model": body["model"], "messages": messages}
    if body.get("max_tokens") is not None:
        out["max_tokens"] = body["max_tokens"]
    for name in ("temperature", "top_p", "stream"):
        if body.get(name) is not None:
            out[name] = body[name]
    user = (body.get("metadata") or {}).get("user_id")
    if isinstance(user, str):
        out["user"] = user
    if body.get("tools"):
        out["tools"] = [
            {"type": "function", "function": {"name": t["name"],
             "description": t.get("description", ""), "parameters": t.get("input_schema", {})}}
            for t in body["tools"]
        ]  # fmt: skip
    _tool_choice(body.get("tool_choice") or {}, out)
    fmt = (body.get("output_config") or {}).get("format")
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        schema = {"name": "output", "schema": fmt.get("schema") or {}, "strict": True}
        out["response_format"] = {"type": "json_schema", "json_schema": schema}
    return out


def _tool_choice(choice: dict[str, Any], out: dict[str, Any]) -> None:
    kind = choice.get("type")
    if kind == "tool":
        out["tool_choice"] = {"type": "function", "function": {"name": choice.get("name")}}
    elif kind in _CHOICE:
        out["tool_choice"] = _CHOICE[kind]
    if choice.get("disable_parallel_tool_use") is True and out.get("tools"):
        out["parallel_tool_calls"] = False


_CHOICE = {"auto": "auto", "any": "required", "none": "none"}


def _turn(turn: dict[str, Any]) -> list[dict[str, Any]]:
    role, content = turn.get("role"), turn.get("content")
    if isinstance(content, str):
        return [{"role": role, "content": content}]
    blocks = content if isinstance(content, list) else []
    if role == "assistant":
        text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
        calls = [
            {"id": b.get("id"), "type": "function", "function": {
                "name": b.get("name"), "arguments": orjson.dumps(b.get("input") or {}).decode()}}
            for b in blocks if b.get("type") == "tool_use"
        ]  # fmt: skip
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        if calls:
            message["tool_calls"] = calls
        return [message]
    out: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "tool_result":
            out.append(_tool_message(block))
        elif kind == "text":
            parts.append({"type": "text", "text": block.get("text", "")})
        elif kind == "image":
            source = block.get("source") or {}
            url = (
                source.get("url") or f"data:{source.get('media_type')};base64,{source.get('data')}"
            )
            parts.append({"type": "image_url", "image_url": {"url": url}})
        elif kind == "document":
            parts.append(_document_part(block))
    if parts:
        out.append({"role": "user", "content": parts})
    return out


def _tool_message(block: dict[str, Any]) -> dict[str, Any]:
    result = block.get("content")
    text = (
        result
        if isinstance(result, str)
        else "".join(_block_text(b) for b in result or [] if isinstance(b, dict))
    )
    if block.get("is_error") is True:  # chat completions has no flag for it: the text says it
        text = f"Error: {text}"
    return {"role": "tool", "tool_call_id": block.get("tool_use_id"), "content": text}


def _block_text(block: dict[str, Any]) -> str:
    if block.get("type") == "document":
        part = _document_part(block)
        return str(part.get("text", ""))
    return str(block.get("text", ""))


def _document_part(block: dict[str, Any]) -> dict[str, Any]:
    """A document as a chat part: its text (a title first), or a PDF as a file part."""
    source = block.get("source") or {}
    kind = source.get("type")
    if kind == "text":
        text = str(source.get("data", ""))
    elif kind == "content":
        content = source.get("content")
        text = content if isinstance(content, str) else "\n".join(
            str(b.get("text", "")) for b in content or [] if isinstance(b, dict)
        )  # fmt: skip
    elif kind == "base64":
        data = f"data:{source.get('media_type')};base64,{source.get('data')}"
        name = str(block.get("title") or "document.pdf")
        return {"type": "file", "file": {"filename": name, "file_data": data}}
    else:
        raise bad_request(
            f"A document from a '{kind}' source cannot be sent to this model's backend.",
            param="messages",
        )
    title = block.get("title")
    return {"type": "text", "text": f"{title}\n\n{text}" if title else text}


def message_from_completion(
    completion: dict[str, Any], model: str, stops: list[str]
) -> dict[str, Any]:
    """`stops`: the call's stop sequences, which the gateway enforces (the text is cut at the
    first to appear, and nothing after it, tool calls included, was said)."""
    choice = (completion.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    text, sequence = cut_at_stop(message.get("content") or "", stops)
    refusal = message.get("refusal") if sequence is None else None
    if isinstance(refusal, str):  # Messages has no refusal block: what the model said
        text += refusal
    content: list[dict[str, Any]] = []
    if text:
        content.append({"type": "text", "text": text})
    for call in message.get("tool_calls") or [] if sequence is None else []:
        function = call.get("function") or {}
        try:
            arguments = orjson.loads(function.get("arguments") or "{}")
        except orjson.JSONDecodeError:
            arguments = {}
        content.append({"type": "tool_use", "id": call.get("id"), "name": function.get("name"),
                        "input": arguments})  # fmt: skip
    usage = completion.get("usage") or {}
    finish = str(choice.get("finish_reason") or "stop")
    stop_reason = "stop_sequence" if sequence is not None else _STOP.get(finish, "end_turn")
    if isinstance(refusal, str):
        stop_reason = "refusal"
    return {
        "id": f"msg_{completion.get('id', '')}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": sequence,
        "usage": {
            "input_tokens": int(usage.get("prompt_tokens") or 0),
            "output_tokens": int(usage.get("completion_tokens") or 0),
        },
    }


def _event(name: str, data: dict[str, Any]) -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps({"type": name, **data}) + b"\n\n"


class MessagesStreamWriter:
    """chat.completion.chunk objects in, Messages SSE events out. The closing message_delta
    waits for the usage chunk, which comes after the finish chunk. Once one of `stops` has
    appeared in the text, `stopped` is True: the answer ends there, and the caller stops
    reading the backend (which then stops generating)."""

    def __init__(self, model: str, stops: list[str]) -> None:
        self._model = model
        self._scanner = StopScanner(stops)
        self._started = False
        self._block: int = -1
        self._block_kind = ""
        self._tools: dict[int, int] = {}  # tool call index → content block index
        self._stop: str | None = None
        self._refused = False
        self.usage: dict[str, Any] | None = None

    @property
    def stopped(self) -> bool:
        return self._scanner.matched is not None

    def feed(self, chunk: dict[str, Any]) -> list[bytes]:
        out: list[bytes] = []
        if self.stopped:
            return out
        if not self._started:
            self._started = True
            message: dict[str, Any] = {
                "id": f"msg_{chunk.get('id', '')}",
                "type": "message",
                "role": "assistant",
                "model": self._model,
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 0, "output_tokens": 0},
            }
            out.append(_event("message_start", {"message": message}))
        if isinstance(chunk.get("usage"), dict):
            self.usage = chunk["usage"]
        for choice in chunk.get("choices") or []:
            if choice.get("index", 0) != 0:
                continue  # Messages has one answer per call
            out.extend(self._delta(choice.get("delta") or {}))
            if self.stopped:
                out.extend(self._close_block())
                break
            if choice.get("finish_reason"):
                out.extend(self._text(self._scanner.flush()))
                self._stop = _STOP.get(str(choice["finish_reason"]), "end_turn")
                out.extend(self._close_block())
        return out

    def finish(self) -> list[bytes]:
        out = [] if self.stopped else self._text(self._scanner.flush())
        out.extend(self._close_block())
        usage = self.usage or {}
        sequence = self._scanner.matched
        stop = "stop_sequence" if sequence is not None else self._stop or "end_turn"
        if self._refused and sequence is None:
            stop = "refusal"
        delta = {"stop_reason": stop, "stop_sequence": sequence}
        out.append(_event("message_delta", {"delta": delta, "usage": {
            "input_tokens": int(usage.get("prompt_tokens") or 0),
            "output_tokens": int(usage.get("completion_tokens") or 0)}}))  # fmt: skip
        out.append(_event("message_stop", {}))
        return out

    def _delta(self, delta: dict[str, Any]) -> list[bytes]:
        out: list[bytes] = []
        if isinstance(delta.get("content"), str):
            out.extend(self._text(self._scanner.feed(delta["content"])))
        if self.stopped:
            return out
        if isinstance(delta.get("refusal"), str) and delta["refusal"]:
            out.extend(self._text(self._scanner.flush() + delta["refusal"]))
            self._refused = True
        if delta.get("tool_calls"):  # the text is over: what it held back goes first
            out.extend(self._text(self._scanner.flush()))
        for call in delta.get("tool_calls") or []:
            position = int(call.get("index") or 0)
            function = call.get("function") or {}
            if position not in self._tools:
                block = {"type": "tool_use", "id": call.get("id"), "name": function.get("name"),
                         "input": {}}  # fmt: skip
                out.extend(self._open(block, f"tool{position}"))
                self._tools[position] = self._block
            if function.get("arguments"):
                piece = {"type": "input_json_delta", "partial_json": function["arguments"]}
                out.append(
                    _event("content_block_delta", {"index": self._tools[position], "delta": piece})
                )
        return out

    def _text(self, text: str) -> list[bytes]:
        if not text:
            return []
        out = [] if self._block_kind == "text" else self._open({"type": "text", "text": ""}, "text")
        out.append(_event("content_block_delta", {"index": self._block, "delta": {
            "type": "text_delta", "text": text}}))  # fmt: skip
        return out

    def _open(self, block: dict[str, Any], kind: str) -> list[bytes]:
        out = self._close_block()
        self._block += 1
        self._block_kind = kind
        out.append(_event("content_block_start", {"index": self._block, "content_block": block}))
        return out

    def _close_block(self) -> list[bytes]:
        if not self._block_kind:
            return []
        self._block_kind = ""
        return [_event("content_block_stop", {"index": self._block})]
