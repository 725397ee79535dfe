"""The Responses API (`POST /v1/responses`) as OpenAI answers it: the Response object, or its
typed SSE events (`event:` and `data:` lines, each with its `sequence_number`), for
tests/support/fake_openai.py. Shapes checked against the spec in
tests/unit/support/test_fake_responses.py.

The answer follows the model asked for, as the chat fake's does: `echo` answers the text of
the last input item (a function call's output included), `leaky` an SSN and an email of its
own (`LEAK`), anything else `TEXT`; offered
tools call the first one unless the last input item is a function call's output;
`fail-mid-stream` streams a little, then `error` and `response.failed`; `cut-stream` stops
before the response is done; `failed` answers a
whole Response whose status is `failed`; `whole-items` streams items without deltas.
`refusal` refuses (a `refusal` part, streamed as `response.refusal.delta`s), naming the last
input's text as `echo` does.
`include: ["message.output_text.logprobs"]` gets each text piece's token logprobs (with
`top_logprobs` alternatives), on the parts and on the deltas, as OpenAI sends them.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["LEAK", "TEXT", "TOOL_ARGS", "response_events", "response_object"]

TEXT_PIECES = ["Native ", "hello ", "wörld"]
TEXT = "".join(TEXT_PIECES)
TOOL_ARGS = '{"city": "Paris"}'
LEAK = "Native: Jane's SSN is 123-45-6789, mail jane@example.com"
REFUSAL = "Native refuses: "

RESPONSE_ID = "resp_fakenative1"
USAGE = {
    "input_tokens": 11,
    "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
    "output_tokens": 5,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 16,
}


def response_object(body: dict[str, Any], status: str = "completed") -> dict[str, Any]:
    output = _output(body) if status == "completed" else []
    return _response(body, status, output, USAGE if status == "completed" else None)


def response_events(body: dict[str, Any]) -> list[bytes]:
    """The whole stream, each event as its SSE bytes."""
    events: list[dict[str, Any]] = []
    model = body["model"]

    def add(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "sequence_number": len(events), **fields})

    add("response.created", response=_response(body, "in_progress", [], None))
    add("response.in_progress", response=_response(body, "in_progress", [], None))
    output = _output(body)
    for index, item in enumerate(output):
        _stream_item(add, index, item, whole=model == "whole-items")
        if model == "fail-mid-stream":
            message = "The model crashed."
            add("error", code="server_error", message=message, param=None)
            error = {"code": "server_error", "message": message}
            add("response.failed", response={**_response(body, "failed", [], None),
                                             "error": error})  # fmt: skip
            return [_sse(e) for e in events]
    add("response.completed", response=_response(body, "completed", output, USAGE))
    if model == "cut-stream":  # the connection ends before the response does
        return [_sse(e) for e in events[:5]]
    return [_sse(e) for e in events]


def _stream_item(add: Any, index: int, item: dict[str, Any], whole: bool) -> None:
    if item["type"] == "function_call":
        add("response.output_item.added", output_index=index,
            item={**item, "arguments": "", "status": "in_progress"})  # fmt: skip
        arguments = item["arguments"]
        for i in range(0, len(arguments), 7) if not whole else ():
            add("response.function_call_arguments.delta", item_id=item["id"], output_index=index,
                delta=arguments[i : i + 7])  # fmt: skip
        add("response.function_call_arguments.done", item_id=item["id"], output_index=index,
            name=item["name"], arguments=arguments)  # fmt: skip
        add("response.output_item.done", output_index=index, item=item)
        return
    part = item["content"][0]
    place = {"item_id": item["id"], "output_index": index, "content_index": 0}
    add("response.output_item.added", output_index=index,
        item={**item, "content": [], "status": "in_progress"})  # fmt: skip
    if part["type"] == "refusal":
        add("response.content_part.added", **place, part={**part, "refusal": ""})
        for piece in _pieces(part["refusal"]) if not whole else ():
            add("response.refusal.delta", **place, delta=piece)
        add("response.refusal.done", **place, refusal=part["refusal"])
        add("response.content_part.done", **place, part=part)
        add("response.output_item.done", output_index=index, item=item)
        return
    add("response.content_part.added", **place, part={**part, "text": ""})
    tokens = part["logprobs"]
    for i, piece in enumerate(_pieces(part["text"]) if not whole else ()):
        delta_tokens = _unsized(tokens[i : i + 1])
        add("response.output_text.delta", **place, delta=piece, logprobs=delta_tokens)
    add("response.output_text.done", **place, text=part["text"], logprobs=_unsized(tokens))
    add("response.content_part.done", **place, part=part)
    add("response.output_item.done", output_index=index, item=item)


def _output(body: dict[str, Any]) -> list[dict[str, Any]]:
    if _calls_a_tool(body):
        return [
            {
                "id": "fc_fake1", "type": "function_call", "status": "completed",
                "call_id": "call_fake1", "name": body["tools"][0]["name"], "arguments": TOOL_ARGS,
            }
        ]  # fmt: skip
    text = _answer_text(body)
    tokens = _logprobs(body, text)
    part: dict[str, Any] = {"type": "output_text", "text": text, "annotations": [],
                            "logprobs": tokens}  # fmt: skip
    if body["model"] == "refusal":
        part = {"type": "refusal", "refusal": REFUSAL + text}
    return [
        {"id": "msg_fake1", "type": "message", "role": "assistant", "status": "completed",
         "content": [part]}
    ]  # fmt: skip


def _response(
    body: dict[str, Any], status: str, output: list[dict[str, Any]], usage: dict[str, Any] | None
) -> dict[str, Any]:
    response: dict[str, Any] = {
        "id": RESPONSE_ID, "object": "response", "created_at": 1700000000, "status": status,
        "error": None, "incomplete_details": None, "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"), "model": body["model"],
        "output": output, "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": None, "reasoning": {"effort": None, "summary": None},
        "store": body.get("store", True), "temperature": body.get("temperature", 1.0),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"), "tools": body.get("tools") or [],
        "top_p": body.get("top_p", 1.0), "truncation": body.get("truncation", "disabled"),
        "metadata": {},
    }  # fmt: skip
    if status == "failed":
        response["error"] = {"code": "server_error", "message": "The model failed."}
    if usage is not None:
        response["usage"] = usage
    return response


def _calls_a_tool(body: dict[str, Any]) -> bool:
    items = body["input"] if isinstance(body["input"], list) else []
    last = items[-1] if items else {}
    return (
        bool(body.get("tools"))
        and body.get("tool_choice") != "none"
        and last.get("type") != "function_call_output"
    )


def _answer_text(body: dict[str, Any]) -> str:
    if body["model"] == "leaky":
        return LEAK
    if body["model"] not in ("echo", "refusal"):
        return TEXT
    items = body["input"] if isinstance(body["input"], list) else [{"content": body["input"]}]
    content = items[-1].get("content", items[-1].get("output"))  # a function call's output too
    if isinstance(content, str):
        return content
    return "".join(p.get("text") or "" for p in content or [] if isinstance(p, dict))


def _logprobs(body: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """A LogProb per streamed piece, when `include` asks for them."""
    if "message.output_text.logprobs" not in (body.get("include") or ()):
        return []
    top = int(body.get("top_logprobs") or 0)
    out = []
    for i, piece in enumerate(_pieces(text)):
        token = {"token": piece, "logprob": -0.5 * (i + 1), "bytes": list(piece.encode())}
        other = {"token": "alt", "logprob": -9.0, "bytes": list(b"alt")}
        out.append({**token, "top_logprobs": [token, other][:top]})
    return out


def _unsized(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Logprobs as a delta carries them (ResponseLogProb: no bytes)."""
    def bare(token: dict[str, Any]) -> dict[str, Any]:
        return {"token": token["token"], "logprob": token["logprob"]}

    return [{**bare(t), "top_logprobs": [bare(a) for a in t["top_logprobs"]]} for t in tokens]


def _pieces(text: str) -> list[str]:
    if text == TEXT:
        return TEXT_PIECES
    return [text[i : i + 3] for i in range(0, len(text), 3)]


def _sse(event: dict[str, Any]) -> bytes:
    data = json.dumps(event, ensure_ascii=False).encode()
    return b"event: " + event["type"].encode() + b"\ndata: " + data + b"\n\n"
