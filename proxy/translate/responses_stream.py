"""Chat-completions chunks as the Responses API's typed stream events, one writer per call:
`response.created`, `response.in_progress`, output items and content parts opened, text and
function-call argument deltas, everything closed, then `response.completed` (or
`response.incomplete`); a failure after the first byte ends it with `error` and
`response.failed`. Every event carries its `sequence_number`.

`ChatAssembly` puts the chunks back together as one chat completion (what is stored)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from proxy.translate.responses_logprobs import chat_token_logprobs, delta_logprobs, part_logprobs
from proxy.translate.responses_request import ResponseTurn
from proxy.translate.responses_response import (
    function_call_item,
    item_id,
    message_item,
    refusal_part,
    response_object,
    response_usage,
    status_of,
    text_part,
)
from proxy.wire.errors import GatewayError

__all__ = ["ChatAssembly", "ResponseStreamWriter", "response_error_code"]

# Codes a failed Response may carry (the spec's ResponseErrorCode); anything else is a server error.
_ERROR_CODES = frozenset({"server_error", "rate_limit_exceeded", "invalid_prompt"})


def response_error_code(error: GatewayError) -> str:
    """The code of a stream's `error` event and its `response.failed`, one and the same: the
    event has no `type`, so its code is all a client (pydantic-ai, dspy) tells the failure by,
    and a gateway code such as `upstream_error` would read as an unknown error."""
    return error.code if error.code in _ERROR_CODES else "server_error"


@dataclass(slots=True)
class _Part:
    kind: str  # output_text | refusal
    text: str = ""
    logprobs: list[dict[str, Any]] = field(default_factory=list)  # chat's token entries

    def whole(self) -> dict[str, Any]:
        if self.kind == "refusal":
            return refusal_part(self.text)
        return text_part(self.text, part_logprobs(self.logprobs))


@dataclass(slots=True)
class _Message:
    output_index: int
    item_id: str
    parts: list[_Part] = field(default_factory=list)


@dataclass(slots=True)
class _Call:
    output_index: int
    item_id: str
    call_id: str
    name: str
    arguments: str = ""


@dataclass(slots=True)
class ChatAssembly:
    """The first choice of a chat stream, whole: text, refusal, tool calls, finish, usage."""

    text: str = ""
    refusal: str | None = None
    logprobs: list[dict[str, Any]] = field(default_factory=list)
    calls: dict[int, dict[str, Any]] = field(default_factory=dict)
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None

    def feed(self, chunk: dict[str, Any]) -> None:
        if isinstance(chunk.get("usage"), dict):
            self.usage = chunk["usage"]
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict) or (choice.get("index") or 0) != 0:
                continue
            delta = choice.get("delta") or {}
            if isinstance(delta.get("content"), str):
                self.text += delta["content"]
            if isinstance(delta.get("refusal"), str):
                self.refusal = (self.refusal or "") + delta["refusal"]
            self.logprobs.extend(chat_token_logprobs(choice))
            for call in delta.get("tool_calls") or []:
                index = int(call.get("index") or 0)
                kept = self.calls.setdefault(
                    index, {"id": "", "type": "function", "function": {"name": "", "arguments": ""}}
                )
                function = call.get("function") or {}
                kept["id"] = call.get("id") or kept["id"]
                kept["function"]["name"] += function.get("name") or ""
                kept["function"]["arguments"] += function.get("arguments") or ""
            if choice.get("finish_reason") is not None:
                self.finish_reason = choice["finish_reason"]

    def completion(self) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": self.text or None}
        if self.refusal is not None:
            message["refusal"] = self.refusal
        if self.calls:
            message["tool_calls"] = [self.calls[i] for i in sorted(self.calls)]
        choice: dict[str, Any] = {
            "index": 0, "message": message, "finish_reason": self.finish_reason,
        }  # fmt: skip
        if self.logprobs:
            choice["logprobs"] = {"content": self.logprobs}
        return {"choices": [choice], "usage": self.usage}


class ResponseStreamWriter:
    """Also the stream's dialect for the pump: it ends a failed stream in sequence."""

    watch_usage = False  # usage is picked up here, from the chunks

    def __init__(self, turn: ResponseTurn) -> None:
        self._turn = turn
        self._sequence = 0
        self._output: list[dict[str, Any] | None] = []
        self._message: _Message | None = None  # the open message
        self._calls: dict[int, _Call] = {}
        self._open_calls: list[int] = []
        self._finish: str | None = None
        self.usage: dict[str, Any] | None = None

    def start(self) -> list[bytes]:
        snapshot = response_object(self._turn, "in_progress", [])
        return [
            self._event("response.created", response=snapshot),
            self._event("response.in_progress", response=snapshot),
        ]

    def feed(self, chunk: dict[str, Any]) -> list[bytes]:
        out: list[bytes] = []
        if isinstance(chunk.get("usage"), dict):
            self.usage = chunk["usage"]
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict) or (choice.get("index") or 0) != 0:
                continue
            delta = choice.get("delta") or {}
            content = delta.get("content")
            logprobs = chat_token_logprobs(choice) if self._turn.logprobs else []
            if isinstance(content, str) and (content or logprobs):
                out.extend(self._part_delta("output_text", content, logprobs))
            refusal = delta.get("refusal")
            if isinstance(refusal, str) and refusal:
                out.extend(self._part_delta("refusal", refusal, []))
            for call in delta.get("tool_calls") or []:
                out.extend(self._call_delta(call))
            if choice.get("finish_reason") is not None:
                self._finish = choice["finish_reason"]
        return out

    def finish(self) -> list[bytes]:
        status, incomplete = status_of(self._finish)
        item_status = "incomplete" if status == "incomplete" else "completed"
        out = self._close_message(item_status)
        for index in self._open_calls:
            out.extend(self._close_call(self._calls[index], item_status))
        self._open_calls = []
        output = [item for item in self._output if item is not None]
        final = response_object(self._turn, status, output, response_usage(self.usage), incomplete)
        kind = "response.completed" if status == "completed" else "response.incomplete"
        out.append(self._event(kind, response=final))
        return out

    def stream_error(self, error: GatewayError) -> bytes:
        code = response_error_code(error)
        failed = response_object(
            self._turn,
            "failed",
            [item for item in self._output if item is not None],
            error={"code": code, "message": error.message},
        )
        return self._event(
            "error", code=code, message=error.message, param=error.param
        ) + self._event("response.failed", response=failed)

    def _part_delta(self, kind: str, delta: str, logprobs: list[dict[str, Any]]) -> list[bytes]:
        """Text or refusal for the open message; a part of another kind is closed first."""
        out: list[bytes] = []
        message = self._message
        if message is None:
            index = len(self._output)
            self._output.append(None)
            message = self._message = _Message(index, item_id(self._turn, "msg", index))
            item = message_item(message.item_id, [], "in_progress")
            out.append(self._event("response.output_item.added", output_index=index, item=item))
        if not message.parts or message.parts[-1].kind != kind:
            if message.parts:
                out.extend(self._close_part(message))
            message.parts.append(_Part(kind))
            out.append(
                self._event(
                    "response.content_part.added",
                    **self._place(message),
                    part=_Part(kind).whole(),
                )
            )
        part = message.parts[-1]
        part.text += delta
        part.logprobs.extend(logprobs)
        if kind == "refusal":
            out.append(self._event("response.refusal.delta", **self._place(message), delta=delta))
        else:
            out.append(
                self._event(
                    "response.output_text.delta",
                    **self._place(message),
                    delta=delta,
                    logprobs=delta_logprobs(logprobs),
                )
            )
        return out

    def _place(self, message: _Message) -> dict[str, Any]:
        return {
            "item_id": message.item_id,
            "output_index": message.output_index,
            "content_index": len(message.parts) - 1,
        }

    def _close_part(self, message: _Message) -> list[bytes]:
        part = message.parts[-1]
        place = self._place(message)
        if part.kind == "refusal":
            done = self._event("response.refusal.done", **place, refusal=part.text)
        else:
            logprobs = delta_logprobs(part.logprobs)
            done = self._event("response.output_text.done", **place, text=part.text,
                               logprobs=logprobs)  # fmt: skip
        return [done, self._event("response.content_part.done", **place, part=part.whole())]

    def _close_message(self, status: str) -> list[bytes]:
        message = self._message
        if message is None:
            return []
        self._message = None
        out = self._close_part(message)
        item = message_item(message.item_id, [p.whole() for p in message.parts], status)
        self._output[message.output_index] = item
        out.append(
            self._event("response.output_item.done", output_index=message.output_index, item=item)
        )
        return out

    def _call_delta(self, delta: dict[str, Any]) -> list[bytes]:
        out: list[bytes] = []
        position = int(delta.get("index") or 0)
        function = delta.get("function") or {}
        call = self._calls.get(position)
        if call is None:
            out.extend(self._close_message("completed"))
            index = len(self._output)
            self._output.append(None)
            call = _Call(
                index,
                item_id(self._turn, "fc", index),
                delta.get("id") or item_id(self._turn, "call", index),
                function.get("name") or "",
            )
            self._calls[position] = call
            self._open_calls.append(position)
            item = function_call_item(call.item_id, call.call_id, call.name, "", "in_progress")
            out.append(self._event("response.output_item.added", output_index=index, item=item))
        elif function.get("name"):
            call.name += function["name"]
        arguments = function.get("arguments")
        if isinstance(arguments, str) and arguments:
            call.arguments += arguments
            out.append(
                self._event(
                    "response.function_call_arguments.delta",
                    item_id=call.item_id,
                    output_index=call.output_index,
                    delta=arguments,
                )
            )
        return out

    def _close_call(self, call: _Call, status: str) -> list[bytes]:
        item = function_call_item(call.item_id, call.call_id, call.name, call.arguments, status)
        self._output[call.output_index] = item
        return [
            self._event(
                "response.function_call_arguments.done",
                item_id=call.item_id,
                output_index=call.output_index,
                name=call.name,
                arguments=call.arguments,
            ),
            self._event("response.output_item.done", output_index=call.output_index, item=item),
        ]

    def _event(self, kind: str, **fields: Any) -> bytes:
        data = orjson.dumps({"type": kind, **fields, "sequence_number": self._sequence})
        self._sequence += 1
        return b"event: " + kind.encode() + b"\ndata: " + data + b"\n\n"
