"""A Responses API request (`POST /v1/responses`) as a chat-completions body: input items to
messages, function tools, `text.format` to `response_format`. Pure functions over plain data.

What a chat-completions backend cannot do is refused with a 400 naming the field (built-in
tools, server-side conversations, background runs), never dropped.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy.translate.responses_include import check_include, request_logprobs
from proxy.translate.responses_input import add_item
from proxy.wire.errors import GatewayError, bad_request
from proxy.wire.invalid_body import check_body

if TYPE_CHECKING:
    from proxy.translate.responses_stream import ResponseStreamWriter

__all__ = ["ResponseTurn", "open_turn", "validate_responses"]

# Tools OpenAI runs on its own side; a chat-completions backend has nothing to run them with.
_BUILT_IN = "web search, file search, code interpreter, computer use and other built-in tools"
# Fields that only change what comes back, never what a model reads: repeated as they are.
_ECHOED = (
    "service_tier",
    "user",
    "safety_identifier",
    "prompt_cache_key",
    "prompt_cache_retention",
    "top_logprobs",
)
# Fields of the spec that ask OpenAI's side for what the gateway does itself or cannot do.
_UNSUPPORTED = {
    "background": "Background responses are not supported: this gateway answers while the "
    "request is open (stream it for a long answer), so there is nothing to poll or cancel.",
    "moderation": "Moderation by the backend is not supported: the gateway's policy judges "
    "every input and answer.",
    "context_management": "Server-side compaction is not supported: the gateway holds the "
    "conversation (previous_response_id) and sends it whole.",
}
# What a chat body cannot say, for a backend that speaks Responses natively: enumerated values
# and numbers only (a free string here would reach the backend unscanned).
_SUMMARIES = frozenset({"auto", "concise", "detailed"})


class _PromptCacheOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    ttl: Literal["30m"] | None = None
    mode: Literal["implicit", "explicit"] | None = None


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    model: str = Field(min_length=1)
    input: str | list[dict[str, Any]]
    instructions: str | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    text: dict[str, Any] | None = None
    max_output_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    metadata: dict[str, str] | None = None
    store: bool | None = None
    previous_response_id: str | None = None
    include: list[str] | None = None
    stream: bool | None = None
    stream_options: dict[str, Any] | None = None
    reasoning: dict[str, Any] | None = None
    truncation: Literal["auto", "disabled"] | None = None
    service_tier: str | None = None
    user: str | None = None
    safety_identifier: str | None = None
    prompt_cache_key: str | None = None
    prompt_cache_retention: str | None = None
    top_logprobs: int | None = Field(None, ge=0, le=20)
    max_tool_calls: int | None = None
    prompt_cache_options: _PromptCacheOptions | None = None
    moderation: dict[str, Any] | None = None
    context_management: list[dict[str, Any]] | None = None
    background: bool | None = None
    conversation: None = None
    prompt: None = None


@dataclass(slots=True)
class ResponseTurn:
    """One Responses call: what its answer repeats of the request, and where its stored
    conversation begins and ends among the chat messages."""

    id: str
    created_at: int
    # The Response object's fields that repeat the request (model, tools, text, metadata …).
    echo: dict[str, Any]
    store: bool
    previous_response_id: str | None
    # messages[0] is the instructions' system message, which a follow-up does not inherit.
    instructed: bool
    # How many chat messages came from the previous response (after the instructions).
    history: int = 0
    # `include` names message.output_text.logprobs: the answer's text parts carry them.
    logprobs: bool = False
    # Filled on the way back: the per-call stream writer.
    writer: ResponseStreamWriter | None = None
    # Request fields only a native Responses backend reads (proxy/translate/responses_native.py).
    native: dict[str, Any] = field(default_factory=dict)


def validate_responses(body: dict[str, Any]) -> None:
    check_body(body, _Request)
    _check_tools(body.get("tools") or [])
    _check_tool_choice(body.get("tool_choice"))
    _text_format(body.get("text"))
    check_include(body.get("include") or [])
    for name, why in _UNSUPPORTED.items():
        if body.get(name):
            raise bad_request(why, name, "unsupported_parameter")
    if body["input"] == [] and not body.get("previous_response_id"):
        raise bad_request("'input' cannot be empty.", "input", "empty_array")


def open_turn(body: dict[str, Any]) -> tuple[ResponseTurn, dict[str, Any]]:
    """The turn and the chat-completions body of a validated request (history not yet in)."""
    instructions = body.get("instructions")
    messages: list[dict[str, Any]] = []
    if instructions:
        messages.append({"role": "system", "content": instructions})
    raw_input = body["input"]
    items = [{"role": "user", "content": raw_input}] if isinstance(raw_input, str) else raw_input
    for index, item in enumerate(items):
        add_item(messages, item, f"input[{index}]")
    chat: dict[str, Any] = {"model": body["model"], "messages": messages}
    if body.get("stream") is True:
        chat["stream"] = True
        chat["stream_options"] = {"include_usage": True}
    tools = [_chat_tool(t) for t in body.get("tools") or []]
    if tools:
        chat["tools"] = tools
    choice = body.get("tool_choice")
    if choice is not None:
        chat["tool_choice"] = _chat_tool_choice(choice)
    _copy(body, chat, "parallel_tool_calls", "temperature", "top_p", "user")
    if body.get("max_output_tokens") is not None:
        chat["max_completion_tokens"] = body["max_output_tokens"]
    response_format = _text_format(body.get("text"))
    if response_format is not None:
        chat["response_format"] = response_format
    verbosity = (body.get("text") or {}).get("verbosity")
    if verbosity is not None:
        chat["verbosity"] = verbosity
    effort = (body.get("reasoning") or {}).get("effort")
    if effort is not None:
        chat["reasoning_effort"] = effort
    if body.get("metadata"):
        # Judged with the rest (it is stored and repeated back); taken out before the upstream.
        chat["metadata"] = dict(body["metadata"])
    turn = ResponseTurn(
        id=f"resp_{secrets.token_hex(24)}",
        created_at=int(time.time()),
        echo=_echo(body),
        store=body.get("store") is not False,
        previous_response_id=body.get("previous_response_id"),
        instructed=bool(instructions),
        logprobs=request_logprobs(body, chat),
        native=_native_only(body),
    )
    return turn, chat


def _native_only(body: dict[str, Any]) -> dict[str, Any]:
    native: dict[str, Any] = {}
    summary = (body.get("reasoning") or {}).get("summary")
    if summary in _SUMMARIES:
        native["reasoning"] = {"summary": summary}
    for name in ("truncation", "max_tool_calls", "prompt_cache_options"):
        if body.get(name) is not None:
            native[name] = body[name]
    return native


def _echo(body: dict[str, Any]) -> dict[str, Any]:
    text = body.get("text") or {}
    echo: dict[str, Any] = {
        "model": body["model"],
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "parallel_tool_calls": body.get("parallel_tool_calls") is not False,
        "previous_response_id": body.get("previous_response_id"),
        "temperature": body.get("temperature", 1.0),
        "top_p": body.get("top_p", 1.0),
        "text": {"format": text.get("format") or {"type": "text"}},
        "tool_choice": body.get("tool_choice") or "auto",
        "tools": [_echo_tool(t) for t in body.get("tools") or []],
        "metadata": dict(body.get("metadata") or {}),
        "reasoning": {"effort": (body.get("reasoning") or {}).get("effort"), "summary": None},
        "truncation": body.get("truncation") or "disabled",
    }
    for name in _ECHOED:
        if body.get(name) is not None:
            echo[name] = body[name]
    return echo


def _echo_tool(tool: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "function",
        "name": tool["name"],
        "description": tool.get("description"),
        "parameters": tool.get("parameters"),
        "strict": tool.get("strict"),
    }


def _copy(source: dict[str, Any], target: dict[str, Any], *names: str) -> None:
    for name in names:
        if source.get(name) is not None:
            target[name] = source[name]


def _check_tools(tools: list[dict[str, Any]]) -> None:
    for index, tool in enumerate(tools):
        kind = tool.get("type")
        if kind != "function":
            raise GatewayError(
                400,
                f"Tool type '{kind}' is not supported: this gateway serves the Responses API "
                f"over chat-completions backends, which cannot run {_BUILT_IN}. Use function "
                "tools.",
                code="unsupported_tool",
                param=f"tools[{index}].type",
            )
        if not isinstance(tool.get("name"), str) or not tool["name"]:
            raise bad_request(
                f"Missing required parameter: 'tools[{index}].name'.",
                f"tools[{index}].name",
                "missing_required_parameter",
            )


def _check_tool_choice(choice: object) -> None:
    if choice is None or choice in ("auto", "none", "required"):
        return
    function = isinstance(choice, dict) and choice.get("type") == "function"
    if function and isinstance(choice, dict) and isinstance(choice.get("name"), str):
        return
    raise bad_request(
        "Invalid 'tool_choice': this gateway supports 'auto', 'none', 'required' and "
        "{'type': 'function', 'name': ...}.",
        "tool_choice",
        "invalid_value",
    )


def _chat_tool(tool: dict[str, Any]) -> dict[str, Any]:
    function: dict[str, Any] = {"name": tool["name"]}
    for name in ("description", "parameters", "strict"):
        if tool.get(name) is not None:
            function[name] = tool[name]
    return {"type": "function", "function": function}


def _chat_tool_choice(choice: str | dict[str, Any]) -> str | dict[str, Any]:
    if isinstance(choice, str):
        return choice
    return {"type": "function", "function": {"name": choice["name"]}}


def _text_format(text: object) -> dict[str, Any] | None:
    if text is None:
        return None
    fmt = text.get("format") if isinstance(text, dict) else None
    if fmt is None:
        return None
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind == "text":
        return None
    if kind == "json_object":
        return {"type": "json_object"}
    if kind == "json_schema" and isinstance(fmt.get("name"), str):
        assert isinstance(fmt, dict)
        schema = {k: fmt[k] for k in ("name", "schema", "strict", "description") if k in fmt}
        return {"type": "json_schema", "json_schema": schema}
    raise bad_request(
        "Invalid 'text.format': expected 'text', 'json_object' or 'json_schema' with a name.",
        "text.format",
        "invalid_value",
    )
