"""Where a request body carries text: every string a model or a provider reads, which is every
string leaf of the body (and every key that is not a field name of the APIs), except a short
named list of places that carry no user text: the model, a message's role, and enumerated
options holding one of their known values. A known option holding anything else is scanned
like any other text, so an unknown value never passes unjudged.

Long base64 payloads of images, audio and files are binary to a model; they are not scanned as
text (decoding them is out of reach by design), only the data URL's header before them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["KeyOf", "Path", "body_texts", "message_texts", "replace_texts"]


@dataclass(frozen=True, slots=True)
class KeyOf:
    """The last step of a path that names an object's key itself, not the value under it."""

    name: str


Path = tuple[str | int | KeyOf, ...]


class _Skip:
    """A terminal of the table below: the values a place may hold without being scanned."""

    __slots__ = ("values",)

    def __init__(self, values: frozenset[str] | None) -> None:
        self.values = values  # None: any value (the model, roles)

    def skips(self, value: str) -> bool:
        return self.values is None or value in self.values


_ANY = _Skip(None)


def _one_of(*values: str) -> _Skip:
    return _Skip(frozenset(values))


_BINARY: Final = object()  # a place that may hold a base64 payload
_EACH = "*"  # any index of a list

_PART = {
    "type": _one_of("text", "image_url", "input_audio", "file", "refusal", "image", "document"),
    "image_url": {"url": _BINARY, "detail": _one_of("auto", "low", "high")},
    "input_audio": {"data": _BINARY, "format": _one_of("wav", "mp3")},
    "file": {"file_data": _BINARY},
    "cache_control": {"type": _one_of("ephemeral")},
}
_TOOL = {"type": _one_of("function", "custom"), "function": {"strict": _ANY}}
_CHAT: dict[str, Any] = {
    "model": _ANY,
    "messages": {
        _EACH: {
            "role": _one_of("system", "developer", "user", "assistant", "tool", "function"),
            "content": {_EACH: _PART},
            "tool_calls": {_EACH: {"type": _one_of("function", "custom")}},
            "audio": {},
        }
    },
    "tools": {_EACH: _TOOL},
    "tool_choice": _one_of("auto", "none", "required"),
    "function_call": _one_of("auto", "none"),
    "response_format": {"type": _one_of("text", "json_object", "json_schema")},
    "reasoning_effort": _one_of("none", "minimal", "low", "medium", "high"),
    "service_tier": _one_of("auto", "default", "flex", "scale", "priority"),
    "modalities": {_EACH: _one_of("text", "audio")},
    "verbosity": _one_of("low", "medium", "high"),
    "prediction": {"type": _one_of("content")},
    "audio": {"format": _one_of("wav", "aac", "mp3", "flac", "opus", "pcm16")},
    "web_search_options": {"search_context_size": _one_of("low", "medium", "high")},
}
_EMBEDDINGS: dict[str, Any] = {"model": _ANY, "encoding_format": _one_of("float", "base64")}
_COMPLETIONS: dict[str, Any] = {"model": _ANY}

# Anthropic's Messages bodies (`/v1/messages` and its count_tokens): a block's payload may be
# binary (an image's or a PDF's base64), a thinking block's signature is opaque to any reader.
_BLOCK: dict[str, Any] = {
    "type": _one_of(
        "text", "image", "document", "tool_use", "tool_result", "thinking",
        "redacted_thinking", "search_result", "server_tool_use",
    ),
    "source": {
        "type": _one_of("base64", "url", "text", "content", "file"),
        "media_type": _one_of(
            "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "text/plain"
        ),
        "data": _BINARY,
    },
    "signature": _BINARY,
    "data": _BINARY,  # a redacted thinking block's encrypted content
    "cache_control": {"type": _one_of("ephemeral"), "ttl": _one_of("5m", "1h")},
}  # fmt: skip
_BLOCK["content"] = {_EACH: _BLOCK}  # a tool result's or a document's blocks
_BLOCK["source"]["content"] = {_EACH: _BLOCK}
_MESSAGES: dict[str, Any] = {
    "model": _ANY,
    "messages": {_EACH: {"role": _one_of("user", "assistant"), "content": {_EACH: _BLOCK}}},
    "system": {_EACH: _BLOCK},
    "tools": {_EACH: {"cache_control": _BLOCK["cache_control"]}},
    "tool_choice": {"type": _one_of("auto", "any", "tool", "none")},
    "thinking": {"type": _one_of("enabled", "disabled")},
    "output_config": {"format": {"type": _one_of("json_schema")}},
    "service_tier": _one_of("auto", "standard_only"),
}
_TABLES = {
    "chat": _CHAT,
    "embeddings": _EMBEDDINGS,
    "completions": _COMPLETIONS,
    "messages": _MESSAGES,
    "count_tokens": _MESSAGES,
    "responses": _CHAT,  # the chain judges a Responses call in its chat-completions form
}

# Field names of the OpenAI and Anthropic request bodies and JSON Schema's keywords: a key that
# is one of these is a word of the API, not text of the user's. Any other key is scanned.
# fmt: off
_FIELD_NAMES = frozenset({
    "model", "messages", "role", "content", "name", "tool_calls", "tool_call_id", "id", "type",
    "function", "arguments", "text", "image_url", "url", "detail", "input_audio", "data",
    "format", "file", "file_id", "file_data", "filename", "refusal", "audio", "tools",
    "description", "parameters", "strict", "tool_choice", "parallel_tool_calls",
    "response_format", "json_schema", "schema", "stream", "stream_options", "include_usage", "n",
    "max_tokens", "max_completion_tokens", "temperature", "top_p", "seed", "logprobs",
    "top_logprobs", "stop", "user", "metadata", "prediction", "frequency_penalty",
    "presence_penalty", "logit_bias", "reasoning_effort", "service_tier", "modalities",
    "verbosity", "store", "web_search_options", "search_context_size", "user_location",
    "approximate", "city", "country", "region", "timezone", "prompt_cache_key",
    "safety_identifier", "input", "encoding_format", "dimensions", "system", "stop_sequences",
    "top_k", "thinking", "budget_tokens", "input_schema", "tool_use_id", "is_error", "source",
    "media_type", "cache_control", "disable_parallel_tool_use", "properties", "items", "required",
    "enum", "const", "default", "examples", "title", "additionalProperties", "anyOf", "oneOf",
    "allOf", "not", "definitions", "defs", "$defs", "$ref", "$schema", "$id", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern",
    "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "nullable",
    "patternProperties", "prefixItems", "contains", "propertyNames", "if", "then", "else",
    "dependentRequired", "dependentSchemas", "deprecated", "readOnly", "writeOnly", "multipleOf",
    "unevaluatedProperties", "unevaluatedItems", "contentEncoding", "contentMediaType",
    "output_config", "signature", "citations", "enabled", "context", "ttl", "effort", "prompt",
    "suffix", "echo", "best_of",
})
# fmt: on

_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_DATA_URL = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,")
# A payload this long that is valid base64 is binary; shorter ones are cheap to scan anyway.
_MIN_BINARY_CHARS = 256


def body_texts(endpoint: str, body: Mapping[str, Any]) -> list[tuple[Path, str]]:
    """Every text of a request body a scan must see, with its place."""
    out: list[tuple[Path, str]] = []
    _walk(body, (), _TABLES.get(endpoint), out)  # an unknown endpoint: every string
    return out


def message_texts(messages: object) -> Iterator[str]:
    """The texts of chat messages (contents, string or parts), for a prompt's classifier."""
    for message in messages if isinstance(messages, list) else ():
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            yield content
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    yield part["text"]


def _walk(node: Any, path: Path, table: Any, out: list[tuple[Path, str]]) -> None:
    if isinstance(node, str):
        if table is _BINARY:
            _binary_text(node, path, out)
        elif not (isinstance(table, _Skip) and table.skips(node)):
            out.append((path, node))
    elif isinstance(node, dict):
        inner = table if isinstance(table, dict) else None
        for key, value in node.items():
            if key not in _FIELD_NAMES:
                out.append(((*path, KeyOf(key)), key))
            _walk(value, (*path, key), inner.get(key) if inner is not None else None, out)
    elif isinstance(node, list):
        inner = table.get(_EACH) if isinstance(table, dict) else None
        for index, value in enumerate(node):
            _walk(value, (*path, index), inner, out)


def _binary_text(value: str, path: Path, out: list[tuple[Path, str]]) -> None:
    """A data URL's header is scanned, its base64 payload is not; anything else is text."""
    header = _DATA_URL.match(value)
    start = header.end() if header is not None else 0
    payload = len(value) - start
    if payload >= _MIN_BINARY_CHARS and _BASE64.fullmatch(value, start) is not None:
        if start:
            out.append((path, value[:start]))
        return
    out.append((path, value))


def replace_texts(body: dict[str, Any], replacements: Mapping[Path, str]) -> dict[str, Any]:
    """A copy of `body` with the texts at `replacements` changed (a `KeyOf` path renames the
    key); the original is untouched and only the containers on a changed path are copied."""
    out: dict[str, Any] = dict(body)
    copied: set[int] = {id(out)}
    renames = [(path, text) for path, text in replacements.items() if isinstance(path[-1], KeyOf)]
    for path, text in replacements.items():
        if not isinstance(path[-1], KeyOf):
            _parent_copy(out, path, copied)[path[-1]] = text
    # Deepest first: a key's path names its ancestors' keys as they were.
    for path, text in sorted(renames, key=lambda item: -len(item[0])):
        key = path[-1]
        assert isinstance(key, KeyOf)
        parent = _parent_copy(out, path, copied)
        renamed = text
        while renamed in parent and renamed != key.name:
            renamed += "_"  # two keys masked alike stay two keys
        items = list(parent.items())
        parent.clear()
        parent.update((renamed if k == key.name else k, v) for k, v in items)
    return out


def _parent_copy(body: dict[str, Any], path: Path, copied: set[int]) -> Any:
    """The container that holds `path`'s last step, every container above it copied once."""
    node: Any = body
    for key in path[:-1]:
        assert not isinstance(key, KeyOf)
        child = node[key]
        if id(child) not in copied:
            child = list(child) if isinstance(child, list) else dict(child)
            copied.add(id(child))
            node[key] = child
        node = child
    return node
