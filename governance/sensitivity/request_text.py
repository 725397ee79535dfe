"""Where a request body carries text: every place a scan must look and a rewrite may change."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["Path", "chat_texts", "embedding_texts", "replace_texts"]

Path = tuple[str | int, ...]


def chat_texts(body: Mapping[str, Any]) -> Iterator[tuple[Path, str]]:
    """Message contents (string and text parts), names, tool-call arguments and tool results."""
    messages = body.get("messages")
    if not isinstance(messages, list):
        return
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, str):
            yield ("messages", i, "content"), content
        elif isinstance(content, list):
            for j, part in enumerate(content):
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    yield ("messages", i, "content", j, "text"), part["text"]
        if isinstance(message.get("name"), str):
            yield ("messages", i, "name"), message["name"]
        calls = message.get("tool_calls")
        if isinstance(calls, list):
            for k, tool_call in enumerate(calls):
                function = tool_call.get("function") if isinstance(tool_call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                    yield (
                        ("messages", i, "tool_calls", k, "function", "arguments"),
                        function["arguments"],
                    )


def embedding_texts(body: Mapping[str, Any]) -> Iterator[tuple[Path, str]]:
    value = body.get("input")
    if isinstance(value, str):
        yield ("input",), value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield ("input", i), item


def replace_texts(body: dict[str, Any], replacements: Mapping[Path, str]) -> dict[str, Any]:
    """A copy of `body` with the texts at `replacements` changed; the original is untouched and
    only the containers on a changed path are copied."""
    out: dict[str, Any] = dict(body)
    for path, text in replacements.items():
        node: Any = out
        for key in path[:-1]:
            child = node[key]
            child = list(child) if isinstance(child, list) else dict(child)
            node[key] = child
            node = child
        node[path[-1]] = text
    return out
