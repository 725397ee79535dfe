"""A chat completion and its stream are two spellings of one answer: assemble a completion from
chunks (to cache a streamed answer) and replay a completion as chunks (to serve it streamed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from proxy.wire.sse import DONE, event_data, json_event

__all__ = ["assemble", "replay"]


def assemble(events: Iterable[bytes]) -> dict[str, Any] | None:
    """The completion a finished stream spelled, or None if the stream did not end in [DONE]."""
    head: dict[str, Any] = {}
    choices: dict[int, dict[str, Any]] = {}
    usage = None
    done = False
    for event in events:
        data = event_data(event)
        if data is None:
            continue
        if data.startswith(b"[DONE]"):
            done = True
            continue
        chunk = orjson.loads(data)
        if "error" in chunk:
            return None
        if not head:
            head = {k: chunk.get(k) for k in ("id", "created", "model", "system_fingerprint")}
        if chunk.get("usage"):
            usage = chunk["usage"]
        for part in chunk.get("choices") or []:
            _merge(choices.setdefault(int(part.get("index") or 0), _empty()), part)
    if not done or not head:
        return None
    completion: dict[str, Any] = {
        "id": head["id"],
        "object": "chat.completion",
        "created": head["created"],
        "model": head["model"],
        "choices": [_finish(index, choices[index]) for index in sorted(choices)],
    }
    if head.get("system_fingerprint") is not None:
        completion["system_fingerprint"] = head["system_fingerprint"]
    if usage is not None:
        completion["usage"] = usage
    return completion


def _empty() -> dict[str, Any]:
    return {"role": "assistant", "content": [], "refusal": [], "logprobs": [], "tool_calls": {},
            "finish_reason": None}  # fmt: skip


def _merge(into: dict[str, Any], part: dict[str, Any]) -> None:
    delta = part.get("delta") or {}
    if delta.get("role"):
        into["role"] = delta["role"]
    for key in ("content", "refusal"):
        if isinstance(delta.get(key), str):
            into[key].append(delta[key])
    logprobs = part.get("logprobs")
    if isinstance(logprobs, dict) and isinstance(logprobs.get("content"), list):
        into["logprobs"].extend(logprobs["content"])
    for call in delta.get("tool_calls") or []:
        slot = into["tool_calls"].setdefault(
            int(call.get("index") or 0), {"id": None, "type": "function", "name": "", "args": []}
        )
        if call.get("id"):
            slot["id"] = call["id"]
        function = call.get("function") or {}
        if function.get("name"):
            slot["name"] += function["name"]
        if isinstance(function.get("arguments"), str):
            slot["args"].append(function["arguments"])
    if part.get("finish_reason") is not None:
        into["finish_reason"] = part["finish_reason"]


def _finish(index: int, built: dict[str, Any]) -> dict[str, Any]:
    text = "".join(built["content"])
    refusal = "".join(built["refusal"]) or None
    message: dict[str, Any] = {
        "role": built["role"],
        # A tool-calling or refusing answer has null content, as OpenAI sends it.
        "content": text if text or not (built["tool_calls"] or refusal) else None,
        "refusal": refusal,
    }
    if built["tool_calls"]:
        message["tool_calls"] = [
            {
                "id": slot["id"],
                "type": slot["type"],
                "function": {"name": slot["name"], "arguments": "".join(slot["args"])},
            }
            for _, slot in sorted(built["tool_calls"].items())
        ]
    return {
        "index": index,
        "message": message,
        "logprobs": {"content": built["logprobs"], "refusal": None} if built["logprobs"] else None,
        "finish_reason": built["finish_reason"] or "stop",
    }


def replay(completion: dict[str, Any], include_usage: bool) -> list[bytes]:
    """The completion as the SSE events of a stream: role, content (with its token logprobs),
    refusal, tool calls, finish, usage."""
    head = {
        "id": completion.get("id"),
        "object": "chat.completion.chunk",
        "created": completion.get("created"),
        "model": completion.get("model"),
    }
    if completion.get("system_fingerprint") is not None:
        head["system_fingerprint"] = completion["system_fingerprint"]

    def chunk(
        index: int, delta: dict[str, Any], finish: str | None = None, logprobs: Any = None
    ) -> bytes:
        choice = {"index": index, "delta": delta, "logprobs": logprobs, "finish_reason": finish}
        return json_event({**head, "choices": [choice]})

    events = []
    for choice in completion.get("choices") or []:
        index = int(choice.get("index") or 0)
        message = choice.get("message") or {}
        events.append(chunk(index, {"role": "assistant", "content": "", "refusal": None}))
        if message.get("content"):
            logprobs = choice.get("logprobs")
            events.append(chunk(index, {"content": message["content"]}, logprobs=logprobs))
        if message.get("refusal"):
            events.append(chunk(index, {"refusal": message["refusal"]}))
        for position, call in enumerate(message.get("tool_calls") or []):
            function = call.get("function") or {}
            tool = {
                "index": position,
                "id": call.get("id"),
                "type": "function",
                "function": {"name": function.get("name"), "arguments": function.get("arguments")},
            }
            events.append(chunk(index, {"tool_calls": [tool]}))
        events.append(chunk(index, {}, choice.get("finish_reason") or "stop"))
    if include_usage and completion.get("usage") is not None:
        events.append(json_event({**head, "choices": [], "usage": completion["usage"]}))
    events.append(DONE)
    return events
