"""Responses input items as chat messages: `message` items (their `input_text`, `input_image`,
`input_file`, `output_text` and `refusal` parts), `function_call` items joined into the assistant
turn that made them, `function_call_output` items as tool messages. Anything else is a 400 naming
the item, never dropped."""

from __future__ import annotations

from typing import Any

from proxy.wire.errors import bad_request

__all__ = ["add_item"]


def add_item(messages: list[dict[str, Any]], item: object, where: str) -> None:
    if not isinstance(item, dict):
        raise bad_request(f"Invalid '{where}': expected an object.", where, "invalid_type")
    kind = item.get("type", "message")
    if kind == "message":
        messages.append(_message(item, where))
    elif kind == "function_call":
        _add_function_call(messages, item, where)
    elif kind == "function_call_output":
        messages.append(
            {
                "role": "tool",
                "tool_call_id": _text_field(item, "call_id", where),
                "content": _tool_output(item.get("output"), f"{where}.output"),
            }
        )
    else:
        raise bad_request(
            f"Input item type '{kind}' is not supported here: use messages, function_call "
            "and function_call_output items (or previous_response_id).",
            f"{where}.type",
            "unsupported_input_item",
        )


def _message(item: dict[str, Any], where: str) -> dict[str, Any]:
    role = item.get("role")
    if role not in ("user", "system", "developer", "assistant"):
        raise bad_request(f"Invalid '{where}.role': {role!r}.", f"{where}.role", "invalid_value")
    content = item.get("content")
    if isinstance(content, str):
        return {"role": role, "content": content}
    if not isinstance(content, list):
        raise bad_request(
            f"Invalid '{where}.content': expected a string or a list of parts.",
            f"{where}.content",
            "invalid_type",
        )
    parts = [_part(p, f"{where}.content[{i}]") for i, p in enumerate(content)]
    if role == "assistant":  # chat assistant turns carry text only
        return {"role": role, "content": "".join(p.get("text", "") for p in parts)}
    return {"role": role, "content": parts}


def _part(part: object, where: str) -> dict[str, Any]:
    if not isinstance(part, dict):
        raise bad_request(f"Invalid '{where}': expected an object.", where, "invalid_type")
    kind = part.get("type")
    if kind in ("input_text", "output_text"):
        return {"type": "text", "text": _text_field(part, "text", where)}
    if kind == "refusal":
        return {"type": "text", "text": _text_field(part, "refusal", where)}
    if kind == "input_image" and isinstance(part.get("image_url"), str):
        image: dict[str, Any] = {"url": part["image_url"]}
        if part.get("detail") is not None:
            image["detail"] = part["detail"]
        return {"type": "image_url", "image_url": image}
    if kind == "input_file":
        file = {k: part[k] for k in ("file_data", "file_id", "filename") if part.get(k)}
        if file.get("file_data") or file.get("file_id"):
            return {"type": "file", "file": file}
    raise bad_request(
        f"Content part {kind!r} is not supported here: use input_text, input_image (by URL "
        "or data URL) or input_file (file_data or file_id).",
        where,
        "unsupported_content",
    )


def _add_function_call(messages: list[dict[str, Any]], item: dict[str, Any], where: str) -> None:
    call = {
        "id": _text_field(item, "call_id", where),
        "type": "function",
        "function": {
            "name": _text_field(item, "name", where),
            "arguments": _text_field(item, "arguments", where),
        },
    }
    last = messages[-1] if messages else None
    # The function calls of one model turn are one assistant message, text before them included.
    if last is not None and last["role"] == "assistant":
        last.setdefault("tool_calls", []).append(call)
        return
    messages.append({"role": "assistant", "content": None, "tool_calls": [call]})


def _tool_output(output: object, where: str) -> str | list[dict[str, Any]]:
    if isinstance(output, str):
        return output
    if isinstance(output, list):
        parts = [_part(p, f"{where}[{i}]") for i, p in enumerate(output)]
        if all(p["type"] == "text" for p in parts):
            return parts
    raise bad_request(
        f"Invalid '{where}': expected a string or a list of input_text parts.",
        where,
        "invalid_type",
    )


def _text_field(item: dict[str, Any], name: str, where: str) -> str:
    value = item.get(name)
    if not isinstance(value, str):
        raise bad_request(
            f"Missing required parameter: '{where}.{name}'.",
            f"{where}.{name}",
            "missing_required_parameter",
        )
    return value
