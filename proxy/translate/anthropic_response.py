"""Anthropic Messages answers → OpenAI chat completions, whole or as a stream (pure, no I/O)."""

from __future__ import annotations

import json
import time
from typing import Any

import orjson

from proxy.translate.anthropic_request import JSON_TOOL

__all__ = ["NativeWatch", "StreamTranslator", "finish_reason", "to_completion", "usage_of"]

_FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


def finish_reason(stop_reason: str | None, json_mode: bool) -> str:
    reason = _FINISH.get(stop_reason or "end_turn", "stop")
    return "stop" if json_mode and reason == "tool_calls" else reason


def usage_of(usage: dict[str, Any]) -> dict[str, Any]:
    cached = int(usage.get("cache_read_input_tokens") or 0)
    created = int(usage.get("cache_creation_input_tokens") or 0)
    prompt = int(usage.get("input_tokens") or 0) + cached + created
    completion = int(usage.get("output_tokens") or 0)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": cached},
    }


def to_completion(message: dict[str, Any], model: str, json_mode: bool) -> dict[str, Any]:
    text: list[str] = []
    calls: list[dict[str, Any]] = []
    for block in message.get("content") or []:
        if block.get("type") == "text":
            text.append(block.get("text", ""))
        elif block.get("type") == "tool_use":
            arguments = _json_text(block.get("input") or {})
            if json_mode and block.get("name") == JSON_TOOL:
                text.append(arguments)
            else:
                calls.append(
                    {
                        "id": block.get("id"),
                        "type": "function",
                        "function": {"name": block.get("name"), "arguments": arguments},
                    }
                )
    answer: dict[str, Any] = {
        "role": "assistant",
        "content": "".join(text) if text or not calls else None,
        "refusal": None,
    }
    if calls:
        answer["tool_calls"] = calls
    return {
        "id": f"chatcmpl-{message.get('id', '')}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": answer,
                "logprobs": None,
                "finish_reason": finish_reason(message.get("stop_reason"), json_mode),
            }
        ],
        "usage": usage_of(message.get("usage") or {}),
    }


class StreamTranslator:
    """Feed it each Messages event (its JSON); it returns the chat.completion.chunk objects to
    send. Unknown events and pings give nothing; an `error` event raises StreamError."""

    def __init__(self, model: str, json_mode: bool) -> None:
        self._model = model
        self._json_mode = json_mode
        self._head: dict[str, Any] = {}
        self._usage: dict[str, Any] = {}
        self._tools: dict[int, int] = {}  # content block index → tool call index
        self.finished = False

    def feed(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        kind = event.get("type")
        if kind == "message_start":
            message = event.get("message") or {}
            self._usage = dict(message.get("usage") or {})
            self._head = {
                "id": f"chatcmpl-{message.get('id', '')}",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": self._model,
            }
            return [self._chunk({"role": "assistant", "content": "", "refusal": None})]
        if kind == "content_block_start":
            return self._block_start(event)
        if kind == "content_block_delta":
            return self._delta(event)
        if kind == "message_delta":
            self._usage.update(
                {k: v for k, v in (event.get("usage") or {}).items() if v is not None}
            )
            reason = (event.get("delta") or {}).get("stop_reason")
            return [self._chunk({}, finish_reason(reason, self._json_mode))]
        if kind == "message_stop":
            self.finished = True
            return [{**self._head, "choices": [], "usage": usage_of(self._usage)}]
        if kind == "error":
            raise stream_error(event)
        return []  # ping, and event types this gateway does not know yet

    def _block_start(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        block = event.get("content_block") or {}
        if block.get("type") != "tool_use" or (self._json_mode and block.get("name") == JSON_TOOL):
            return []
        position = len(self._tools)
        self._tools[int(event.get("index") or 0)] = position
        call = {
            "index": position,
            "id": block.get("id"),
            "type": "function",
            "function": {"name": block.get("name"), "arguments": ""},
        }
        return [self._chunk({"tool_calls": [call]})]

    def _delta(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        delta = event.get("delta") or {}
        if delta.get("type") == "text_delta":
            return [self._chunk({"content": delta.get("text", "")})]
        if delta.get("type") != "input_json_delta" or not delta.get("partial_json"):
            return []
        position = self._tools.get(int(event.get("index") or 0))
        if position is None:  # the forced JSON tool: its input is the answer's text
            return [self._chunk({"content": delta["partial_json"]})]
        call = {"index": position, "function": {"arguments": delta["partial_json"]}}
        return [self._chunk({"tool_calls": [call]})]

    def _chunk(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return {**self._head, "choices": [choice]}


class NativeWatch:
    """Reads the Messages events of a stream passed on as it is: puts its usage on the reply
    (in chat completions' names) as message_start and message_delta pass; an `error` event
    raises StreamError."""

    def __init__(self, reply: Any) -> None:
        self._reply = reply
        self._usage: dict[str, Any] = {}

    def feed(self, event: dict[str, Any]) -> list[Any]:
        kind = event.get("type")
        if kind == "message_start":
            self._usage = dict((event.get("message") or {}).get("usage") or {})
        elif kind == "message_delta":
            self._usage.update(
                {k: v for k, v in (event.get("usage") or {}).items() if v is not None}
            )
        elif kind == "error":
            raise stream_error(event)
        else:
            return []
        self._reply.usage = usage_of(self._usage)
        return []


class StreamError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def stream_error(event: dict[str, Any]) -> StreamError:
    error = event.get("error") or {}
    return StreamError(str(error.get("type") or "api_error"), str(error.get("message") or ""))


def _json_text(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:  # an integer beyond 64 bits: the standard encoder keeps it
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
