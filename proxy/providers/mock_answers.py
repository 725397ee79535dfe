"""Deterministic OpenAI-shaped answers computed from the request alone (the `mock` backend).

Same request, same answer: text echoes the last user message; with tools it calls one, with
arguments built from the tool's JSON schema; with a JSON response_format it answers JSON that
fits the schema. Pure functions over plain data.
"""

from __future__ import annotations

import base64
import hashlib
import math
import struct
from typing import Any

import orjson

__all__ = ["MAX_DIMENSIONS", "chat_chunks", "chat_completion", "embeddings", "estimate_tokens"]

Json = dict[str, Any]


def estimate_tokens(text: str) -> int:
    # About four characters a token for English, as OpenAI's rule of thumb says.
    return max(1, math.ceil(len(text) / 4)) if text else 0


def chat_completion(body: Json, created: int) -> Json:
    plan = _plan(body)
    choices = []
    for index in range(_n(body)):
        message: Json = {"role": "assistant", "content": plan.content, "refusal": None}
        if plan.tool_call is not None:
            message["tool_calls"] = [plan.tool_call]
        choices.append(
            {
                "index": index,
                "message": message,
                "logprobs": _logprobs(body, plan.pieces),
                "finish_reason": plan.finish_reason,
            }
        )
    return {
        "id": _completion_id(body),
        "object": "chat.completion",
        "created": created,
        "model": body.get("model", "mock"),
        "choices": choices,
        "usage": _usage(body, plan.completion_tokens * len(choices)),
        "system_fingerprint": "mock",
    }


def chat_chunks(body: Json, created: int) -> list[Json]:
    """The stream of `chat.completion.chunk` objects, usage chunk last (always present)."""
    plan = _plan(body)
    head = {
        "id": _completion_id(body),
        "object": "chat.completion.chunk",
        "created": created,
        "model": body.get("model", "mock"),
        "system_fingerprint": "mock",
    }

    def chunk(index: int, delta: Json, finish: str | None = None, logprobs: Any = None) -> Json:
        choice = {"index": index, "delta": delta, "logprobs": logprobs, "finish_reason": finish}
        return {**head, "choices": [choice]}

    chunks: list[Json] = []
    n = _n(body)
    for index in range(n):
        first: Json = {"role": "assistant", "content": None if plan.tool_call else ""}
        chunks.append(chunk(index, first))
        for piece in plan.pieces:
            chunks.append(chunk(index, {"content": piece}, logprobs=_logprobs(body, [piece])))
        if plan.tool_call is not None:
            chunks.extend(chunk(index, {"tool_calls": [d]}) for d in _tool_call_deltas(plan))
        chunks.append(chunk(index, {}, plan.finish_reason))
    chunks.append({**head, "choices": [], "usage": _usage(body, plan.completion_tokens * n)})
    return chunks


# The largest vector the mock makes (OpenAI's largest model makes 3,072).
MAX_DIMENSIONS = 4096


def embeddings(body: Json) -> Json:
    inputs = body.get("input")
    items = (
        inputs
        if isinstance(inputs, list) and inputs and not isinstance(inputs[0], int)
        else [inputs]
    )
    requested = body.get("dimensions")
    dims = requested if isinstance(requested, int) else 16
    as_base64 = body.get("encoding_format") == "base64"
    data = []
    prompt_tokens = 0
    for index, item in enumerate(items):
        text = item if isinstance(item, str) else orjson.dumps(item).decode()
        prompt_tokens += len(item) if isinstance(item, list) else estimate_tokens(text)
        vector = _unit_vector(text, dims)
        embedding: Any = (
            base64.b64encode(struct.pack(f"<{dims}f", *vector)).decode() if as_base64 else vector
        )
        data.append({"object": "embedding", "index": index, "embedding": embedding})
    return {
        "object": "list",
        "data": data,
        "model": body.get("model", "mock"),
        "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
    }


class _Plan:
    __slots__ = ("completion_tokens", "content", "finish_reason", "pieces", "tool_call")

    def __init__(self, content: str | None, tool_call: Json | None, finish: str) -> None:
        self.content = content
        self.tool_call = tool_call
        self.finish_reason = finish
        self.pieces = _pieces(content or "")
        args = tool_call["function"]["arguments"] if tool_call else ""
        self.completion_tokens = len(self.pieces) + estimate_tokens(args)


def _plan(body: Json) -> _Plan:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    tool = _chosen_tool(body)
    if tool is not None and last.get("role") != "tool":
        arguments = orjson.dumps(_example(tool.get("parameters") or {})).decode()
        call_id = "call_" + hashlib.sha256(arguments.encode()).hexdigest()[:24]
        call = {
            "id": call_id,
            "type": "function",
            "function": {"name": tool.get("name", "tool"), "arguments": arguments},
        }
        return _Plan(None, call, "tool_calls")
    content = _content(body, last)
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    pieces = _pieces(content)
    if isinstance(limit, int) and 0 < limit < len(pieces):
        return _Plan("".join(pieces[:limit]), None, "length")
    return _Plan(content, None, "stop")


def _content(body: Json, last: Json) -> str:
    response_format = body.get("response_format") or {}
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    if kind == "json_schema":
        wrapper = response_format.get("json_schema")
        schema = wrapper.get("schema") if isinstance(wrapper, dict) else None
        return orjson.dumps(_example(schema or {})).decode()
    if kind == "json_object":
        return orjson.dumps({"answer": _text_of(last.get("content"))[:200]}).decode()
    if last.get("role") == "tool":
        return f"Mock answer from the tool result: {_text_of(last.get('content'))[:200]}"
    return f"Mock answer to: {_text_of(last.get('content'))[:200]}"


def _chosen_tool(body: Json) -> Json | None:
    tools: list[Json] = [
        t["function"]
        for t in body.get("tools") or []
        if isinstance(t, dict) and isinstance(t.get("function"), dict)
    ]
    choice = body.get("tool_choice", "auto")
    if not tools or choice == "none":
        return None
    if isinstance(choice, dict):
        function = choice.get("function")
        wanted = function.get("name") if isinstance(function, dict) else None
        return next((t for t in tools if t.get("name") == wanted), tools[0])
    return tools[0]


def _example(schema: Any, depth: int = 0) -> Any:
    """A small value that fits a JSON schema: enough for structured-output parsers. Any JSON
    may arrive as a schema (the client wrote it), so every part is checked for its shape."""
    if depth > 8 or not isinstance(schema, dict):
        return None if depth > 8 else "mock"
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    for key in ("anyOf", "oneOf", "allOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            return _example(branches[0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties")
        if not isinstance(props, dict):
            return {}
        return {name: _example(sub, depth + 1) for name, sub in props.items()}
    if kind == "array":
        return [_example(schema.get("items") or {}, depth + 1)]
    return {"string": "mock", "integer": 1, "number": 1.5, "boolean": True, "null": None}.get(
        kind if isinstance(kind, str) else "string", "mock"
    )


def _tool_call_deltas(plan: _Plan) -> list[Json]:
    call = plan.tool_call or {}
    function = call.get("function") or {}
    args: str = function.get("arguments", "")
    deltas: list[Json] = [
        {
            "index": 0,
            "id": call.get("id"),
            "type": "function",
            "function": {"name": function.get("name"), "arguments": ""},
        }
    ]
    deltas.extend(
        {"index": 0, "function": {"arguments": args[i : i + 8]}} for i in range(0, len(args), 8)
    )
    return deltas


def _pieces(text: str) -> list[str]:
    words = text.split(" ")
    pieces = [w + " " for w in words[:-1]] + [words[-1]]
    return [p for p in pieces if p]


def _logprobs(body: Json, pieces: list[str]) -> Json | None:
    if body.get("logprobs") is not True:
        return None
    requested = body.get("top_logprobs")
    top = requested if isinstance(requested, int) else 0
    content = []
    for piece in pieces:
        entry = {"token": piece, "logprob": 0.0, "bytes": list(piece.encode())}
        content.append({**entry, "top_logprobs": [entry] * min(top, 1)})
    return {"content": content, "refusal": None}


def _usage(body: Json, completion_tokens: int) -> Json:
    prompt = sum(
        estimate_tokens(_text_of(m.get("content"))) + 4
        for m in body.get("messages") or []
        if isinstance(m, dict)
    )
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt + completion_tokens,
    }


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            t for p in content if isinstance(p, dict) and isinstance(t := p.get("text"), str)
        )
    return ""


def _n(body: Json) -> int:
    n = body.get("n")
    return n if isinstance(n, int) and n > 0 else 1


def _completion_id(body: Json) -> str:
    return "chatcmpl-mock" + hashlib.sha256(orjson.dumps(body)).hexdigest()[:20]


def _unit_vector(text: str, dims: int) -> list[float]:
    digest = b""
    counter = 0
    while len(digest) < dims * 2:
        digest += hashlib.sha256(f"{counter}:{text}".encode()).digest()
        counter += 1
    raw = [
        (int.from_bytes(digest[i * 2 : i * 2 + 2], "little") / 32767.5) - 1.0 for i in range(dims)
    ]
    norm = math.sqrt(sum(v * v for v in raw)) or 1.0
    return [v / norm for v in raw]
