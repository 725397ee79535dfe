"""Validation of `/v1/messages` bodies at the edge, in the shapes Anthropic's API accepts, so
that the translation only ever reads a well-formed request and a malformed one is a 400 naming
the field (as `messages.0.content`, Anthropic's way), never a failure inside the gateway."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from proxy.wire.errors import GatewayError, bad_request

__all__ = ["validate_count_tokens_request", "validate_messages_request"]

_MODEL_NAME = re.compile(r" or instance of _\w+")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _Text(_Open):
    type: Literal["text"]
    text: str


class _Source(_Open):
    type: str
    media_type: str | None = None
    data: str | None = None
    url: str | None = None


class _Image(_Open):
    type: Literal["image"]
    source: _Source


class _Document(_Open):
    type: Literal["document"]
    source: dict[str, Any]
    title: str | None = None
    context: str | None = None


class _ToolUse(_Open):
    type: Literal["tool_use"]
    id: str
    name: str
    input: dict[str, Any]


class _Other(_Open):
    """Blocks the translation passes over (thinking, search results, server tools …)."""

    type: str


_KNOWN = frozenset({"text", "image", "document", "tool_use", "tool_result"})


def _block_kind(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) and kind in _KNOWN else "other"


_ResultBlock = Annotated[
    Annotated[_Text, Tag("text")]
    | Annotated[_Image, Tag("image")]
    | Annotated[_Document, Tag("document")]
    | Annotated[_Other, Tag("other")],
    Discriminator(_block_kind),
]


class _ToolResult(_Open):
    type: Literal["tool_result"]
    tool_use_id: str
    content: str | list[_ResultBlock] | None = None
    is_error: bool | None = None


_Block = Annotated[
    Annotated[_Text, Tag("text")]
    | Annotated[_Image, Tag("image")]
    | Annotated[_Document, Tag("document")]
    | Annotated[_ToolUse, Tag("tool_use")]
    | Annotated[_ToolResult, Tag("tool_result")]
    | Annotated[_Other, Tag("other")],
    Discriminator(_block_kind),
]


class _Message(_Open):
    role: Literal["user", "assistant"]
    content: str | list[_Block]


class _Tool(_Open):
    name: str = Field(min_length=1)
    description: str | None = None
    input_schema: dict[str, Any] | None = None


class _ToolChoice(_Open):
    type: Literal["auto", "any", "tool", "none"]
    name: str | None = None
    disable_parallel_tool_use: bool | None = None


class _Metadata(_Open):
    user_id: str | None = None


class _Format(_Open):
    type: Literal["json_schema"]
    schema_: dict[str, Any] = Field(alias="schema")


class _OutputConfig(_Open):
    format: _Format | None = None


class _Thinking(_Open):
    type: Literal["enabled", "disabled"]
    budget_tokens: int | None = Field(None, ge=1)


class _CountTokensRequest(_Open):
    model: str = Field(min_length=1)
    messages: list[_Message] = Field(min_length=1)
    system: str | list[_Text] | None = None
    tools: list[_Tool] | None = None
    tool_choice: _ToolChoice | None = None
    thinking: _Thinking | None = None
    output_config: _OutputConfig | None = None


class _MessagesRequest(_CountTokensRequest):
    max_tokens: int = Field(ge=1)
    stop_sequences: list[str] | None = None
    stream: bool | None = None
    temperature: float | None = Field(None, ge=0, le=1)
    top_p: float | None = Field(None, ge=0, le=1)
    top_k: int | None = Field(None, ge=0)
    metadata: _Metadata | None = None


def validate_messages_request(body: dict[str, Any]) -> None:
    _validate(_MessagesRequest, body)


def validate_count_tokens_request(body: dict[str, Any]) -> None:
    _validate(_CountTokensRequest, body)


def _validate(model: type[_Open], body: dict[str, Any]) -> None:
    if "thread" in body:
        # Server-held threads are not kept here; the anthropic SDK's tool runner reads this
        # code and sends the whole conversation instead.
        raise GatewayError(
            400,
            "thread: this gateway keeps no server-side threads; send the whole conversation.",
            param="thread",
            details={"error_code": "thread_unsupported_request"},
        )
    try:
        model.model_validate(body)
    except ValidationError as exc:
        raise _invalid(exc) from None


def _invalid(exc: ValidationError) -> GatewayError:
    """Anthropic names a place as `messages.0.content`; a union's member names are not part
    of it."""
    # The deepest error names the real fault: a union's shallow ones say what else it might be.
    error = max(exc.errors(include_url=False), key=lambda e: len(e["loc"]))
    message = _MODEL_NAME.sub("", error["msg"])
    place = _place(error["loc"])
    if error["type"] == "missing":
        return bad_request(f"{place}: Field required", param=place)
    return bad_request(f"{place}: {message}", param=place or None)


def _place(loc: tuple[int | str, ...]) -> str:
    """The field path without the union members' tags: `str`, `list[…]`, a model's `_Name`,
    and a block's kind right after its index."""
    parts: list[str] = []
    after_index = False
    for part in loc:
        if isinstance(part, int):
            parts.append(str(part))
            after_index = True
            continue
        tag = not part.isidentifier() or part.startswith("_") or part in _TYPE_TAGS
        if not tag and not (after_index and part in _BLOCK_TAGS):
            parts.append(part)
        after_index = False
    return ".".join(parts)


_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "none"})
_BLOCK_TAGS = _KNOWN | {"other"}
