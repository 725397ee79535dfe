"""A chat-completions answer as a Responses API `Response` object, and chat messages back as
Responses items (what `GET /v1/responses/{id}/input_items` lists). Pure functions.

Item ids are derived from the response id and the item's place, so the answer a client got and
the one stored for it name their items alike.
"""

from __future__ import annotations

import time
from typing import Any

from proxy.translate.responses_logprobs import chat_token_logprobs, part_logprobs
from proxy.translate.responses_request import ResponseTurn

__all__ = [
    "function_call_item",
    "item_id",
    "items_from_messages",
    "message_item",
    "output_of",
    "refusal_part",
    "response_object",
    "response_usage",
    "status_of",
    "text_part",
]

# finish_reason → why a response is incomplete
_INCOMPLETE = {"length": "max_output_tokens", "content_filter": "content_filter"}


def item_id(turn: ResponseTurn, kind: str, index: int) -> str:
    return f"{kind}_{turn.id.removeprefix('resp_')}_{index}"


def text_part(text: str, logprobs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": [], "logprobs": logprobs or []}


def refusal_part(refusal: str) -> dict[str, Any]:
    return {"type": "refusal", "refusal": refusal}


def message_item(item_id_: str, content: list[dict[str, Any]], status: str) -> dict[str, Any]:
    return {
        "id": item_id_,
        "type": "message",
        "role": "assistant",
        "status": status,
        "content": content,
    }


def function_call_item(
    item_id_: str, call_id: str, name: str, arguments: str, status: str
) -> dict[str, Any]:
    return {
        "id": item_id_,
        "type": "function_call",
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
        "status": status,
    }


def status_of(finish_reason: object) -> tuple[str, dict[str, str] | None]:
    reason = _INCOMPLETE.get(finish_reason) if isinstance(finish_reason, str) else None
    return ("incomplete", {"reason": reason}) if reason else ("completed", None)


def response_usage(usage: object) -> dict[str, Any] | None:
    if not isinstance(usage, dict):
        return None
    prompt = int(usage.get("prompt_tokens") or 0)
    completion = int(usage.get("completion_tokens") or 0)
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    reasoning = (usage.get("completion_tokens_details") or {}).get("reasoning_tokens") or 0
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": cached, "cache_write_tokens": 0},
        "output_tokens": completion,
        "output_tokens_details": {"reasoning_tokens": reasoning},
        "total_tokens": int(usage.get("total_tokens") or prompt + completion),
    }


def response_object(
    turn: ResponseTurn,
    status: str,
    output: list[dict[str, Any]],
    usage: dict[str, Any] | None = None,
    incomplete: dict[str, str] | None = None,
    error: dict[str, str] | None = None,
) -> dict[str, Any]:
    response = {
        "id": turn.id,
        "object": "response",
        "created_at": turn.created_at,
        "status": status,
        "completed_at": int(time.time()) if status == "completed" else None,
        "error": error,
        "incomplete_details": incomplete,
        "output": output,
        "store": turn.store,
        **turn.echo,
    }
    if usage is not None:  # the spec's `usage` is an object when present, never null
        response["usage"] = usage
    return response


def output_of(turn: ResponseTurn, completion: dict[str, Any]) -> dict[str, Any]:
    """The Response object for a whole chat completion (its first choice)."""
    choices = completion.get("choices") or [{}]
    choice = choices[0] if isinstance(choices[0], dict) else {}
    message = choice.get("message") or {}
    status, incomplete = status_of(choice.get("finish_reason"))
    item_status = "incomplete" if status == "incomplete" else "completed"
    output: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    if message.get("content"):
        logprobs = part_logprobs(chat_token_logprobs(choice)) if turn.logprobs else []
        parts.append(text_part(message["content"], logprobs))
    if message.get("refusal"):
        parts.append(refusal_part(message["refusal"]))
    if parts:
        output.append(message_item(item_id(turn, "msg", 0), parts, item_status))
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        output.append(
            function_call_item(
                item_id(turn, "fc", len(output)),
                call.get("id") or item_id(turn, "call", len(output)),
                function.get("name") or "",
                function.get("arguments") or "",
                item_status,
            )
        )
    usage = response_usage(completion.get("usage"))
    return response_object(turn, status, output, usage, incomplete)


def items_from_messages(messages: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """Chat messages as Responses input items, ids `{prefix}_{n}`."""
    items: list[dict[str, Any]] = []
    for message in messages:
        role = message.get("role")
        if role == "tool":
            items.append(
                {
                    "id": f"fco_{prefix}_{len(items)}",
                    "type": "function_call_output",
                    "call_id": message.get("tool_call_id"),
                    "output": _joined(message.get("content")),
                    "status": "completed",
                }
            )
            continue
        content = message.get("content")
        if content:
            kind = "output_text" if role == "assistant" else "input_text"
            items.append(
                {
                    "id": f"msg_{prefix}_{len(items)}",
                    "type": "message",
                    "role": role,
                    "status": "completed",
                    "content": _parts(content, kind),
                }
            )
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            items.append(
                function_call_item(
                    f"fc_{prefix}_{len(items)}",
                    call.get("id") or "",
                    function.get("name") or "",
                    function.get("arguments") or "",
                    "completed",
                )
            )
    return items


def _parts(content: object, kind: str) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [_text_part(content, kind)]
    parts: list[dict[str, Any]] = []
    for part in content if isinstance(content, list) else []:
        if part.get("type") == "text":
            parts.append(_text_part(part.get("text") or "", kind))
        elif part.get("type") == "image_url":
            image = part.get("image_url") or {}
            detail = image.get("detail") or "auto"
            parts.append({"type": "input_image", "image_url": image.get("url"), "detail": detail})
        elif part.get("type") == "file":
            parts.append({"type": "input_file", **(part.get("file") or {})})
    return parts


def _text_part(text: str, kind: str) -> dict[str, Any]:
    return text_part(text) if kind == "output_text" else {"type": kind, "text": text}


def _joined(content: object) -> str:
    if isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else []
    return "".join(p.get("text") or "" for p in parts if isinstance(p, dict))
