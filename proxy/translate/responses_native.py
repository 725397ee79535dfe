"""A Responses call for a backend that speaks the Responses API itself. Pure functions.

The chain judges a Responses call in its chat-completions form (what every stage reads, what
is redacted or pseudonymized, what is stored); `native_request` is that governed form as a
Responses request again, stateless: `store: false` and the whole conversation as `input`,
because the gateway keeps the state (every replica sees it, and policy applies to it). The
backend's Response, or its typed events, come back as a chat completion or chunks
(`completion_of`, `ChunksOfEvents`), so the output scan, pseudonym restore and stored state
treat a native answer exactly as a translated one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from proxy.translate.responses_include import LOGPROBS
from proxy.translate.responses_logprobs import part_logprobs
from proxy.translate.responses_request import ResponseTurn
from proxy.translate.responses_response import items_from_messages

__all__ = ["ChunksOfEvents", "completion_of", "failure_of", "native_request"]

# chat body field → Responses request field, values as they are
_SAME = ("temperature", "top_p", "parallel_tool_calls", "user")
_FINISH = {"max_output_tokens": "length", "content_filter": "content_filter"}


def native_request(chat: dict[str, Any], turn: ResponseTurn, stream: bool) -> dict[str, Any]:
    """The governed chat body of a Responses call as a stateless Responses request."""
    messages: list[dict[str, Any]] = chat["messages"]
    body: dict[str, Any] = {"model": chat["model"], "store": False}
    if turn.instructed:
        body["instructions"] = messages[0]["content"]
        messages = messages[1:]
    body["input"] = [_input_item(item) for item in items_from_messages(messages, "in")]
    for name in _SAME:
        if name in chat:
            body[name] = chat[name]
    if "max_completion_tokens" in chat:
        body["max_output_tokens"] = chat["max_completion_tokens"]
    if chat.get("tools"):
        body["tools"] = [_tool(t["function"]) for t in chat["tools"]]
    choice = chat.get("tool_choice")
    if choice is not None:
        body["tool_choice"] = choice if isinstance(choice, str) else {
            "type": "function", "name": choice["function"]["name"],
        }  # fmt: skip
    text = _text(chat)
    if text:
        body["text"] = text
    reasoning = {**turn.native.get("reasoning", {})}
    if "reasoning_effort" in chat:
        reasoning["effort"] = chat["reasoning_effort"]
    if reasoning:
        body["reasoning"] = reasoning
    body.update({k: v for k, v in turn.native.items() if k != "reasoning"})
    if chat.get("logprobs") is True:  # what the request's `include` asked of the chat form
        body["include"] = [LOGPROBS]
        if "top_logprobs" in chat:
            body["top_logprobs"] = chat["top_logprobs"]
    if stream:
        body["stream"] = True
    return body


def _input_item(item: dict[str, Any]) -> dict[str, Any]:
    """An input item without the ids the gateway gave it (the backend stores nothing)."""
    out = {k: v for k, v in item.items() if k not in ("id", "status")}
    if out.get("type") == "message" and out.get("role") == "assistant":
        out["content"] = "".join(p.get("text") or "" for p in out["content"])
    return out


def _tool(function: dict[str, Any]) -> dict[str, Any]:
    tool: dict[str, Any] = {
        "type": "function",
        "name": function["name"],
        "parameters": function.get("parameters"),
        "strict": function.get("strict"),
    }
    if function.get("description") is not None:
        tool["description"] = function["description"]
    return tool


def _text(chat: dict[str, Any]) -> dict[str, Any]:
    text: dict[str, Any] = {}
    response_format = chat.get("response_format")
    if isinstance(response_format, dict):
        if response_format.get("type") == "json_schema":
            text["format"] = {"type": "json_schema", **response_format["json_schema"]}
        else:
            text["format"] = {"type": response_format["type"]}
    if "verbosity" in chat:
        text["verbosity"] = chat["verbosity"]
    return text


def failure_of(response: dict[str, Any]) -> tuple[str, str] | None:
    """(code, message) of a Response that failed, else None."""
    if response.get("status") != "failed":
        return None
    error = response.get("error") if isinstance(response.get("error"), dict) else {}
    assert isinstance(error, dict)
    return str(error.get("code") or "server_error"), str(error.get("message") or "failed")


def completion_of(response: dict[str, Any]) -> dict[str, Any]:
    """A whole Response as a chat completion (its text and their token logprobs, refusal,
    function calls, usage)."""
    text, refusal, calls, tokens = "", None, [], []
    for item in response.get("output") or []:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "message":
            for part in item.get("content") or []:
                if part.get("type") == "output_text":
                    text += part.get("text") or ""
                    tokens.extend(_logprobs(part))
                elif part.get("type") == "refusal":
                    refusal = (refusal or "") + (part.get("refusal") or "")
        elif item.get("type") == "function_call":
            calls.append(_tool_call(item))
    message: dict[str, Any] = {"role": "assistant", "content": text or None}
    if refusal is not None:
        message["refusal"] = refusal
    if calls:
        message["tool_calls"] = calls
    choice = {"index": 0, "message": message, "finish_reason": _finish(response, bool(calls))}
    if tokens:
        choice["logprobs"] = {"content": tokens, "refusal": None}
    completion = _frame(response, "chat.completion", [choice])
    usage = chat_usage(response.get("usage"))
    if usage is not None:
        completion["usage"] = usage
    return completion


def chat_usage(usage: object) -> dict[str, Any] | None:
    """A Response's usage in chat completions' names (what limits and evidence read)."""
    if not isinstance(usage, dict):
        return None
    prompt = int(usage.get("input_tokens") or 0)
    completion = int(usage.get("output_tokens") or 0)
    cached = (usage.get("input_tokens_details") or {}).get("cached_tokens") or 0
    reasoning = (usage.get("output_tokens_details") or {}).get("reasoning_tokens") or 0
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": int(usage.get("total_tokens") or prompt + completion),
        "prompt_tokens_details": {"cached_tokens": cached},
        "completion_tokens_details": {"reasoning_tokens": reasoning},
    }


def _logprobs(holder: dict[str, Any]) -> list[dict[str, Any]]:
    """The token logprobs of an output_text part or delta, as chat's entries."""
    entries = holder.get("logprobs")
    return part_logprobs([e for e in entries if isinstance(e, dict)]) if isinstance(
        entries, list
    ) else []  # fmt: skip


def _tool_call(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item.get("call_id") or "",
        "type": "function",
        "function": {"name": item.get("name") or "", "arguments": item.get("arguments") or ""},
    }


def _finish(response: dict[str, Any], called: bool) -> str:
    if response.get("status") == "incomplete":
        reason = (response.get("incomplete_details") or {}).get("reason")
        return _FINISH.get(str(reason), "length")
    return "tool_calls" if called else "stop"


def _frame(response: dict[str, Any], kind: str, choices: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{response.get('id') or 'native'}",
        "object": kind,
        "created": int(response.get("created_at") or 0),
        "model": response.get("model") or "",
        "choices": choices,
    }


@dataclass(slots=True)
class ChunksOfEvents:
    """A Responses event stream as chat completion chunks, one reader per stream. `done` once
    the response ended (completed or incomplete); `failure` once it failed."""

    done: bool = False
    failure: tuple[str, str] | None = None
    _response: dict[str, Any] = field(default_factory=dict)
    # output index of a function call → its tool call index, and the argument text sent
    _calls: dict[int, int] = field(default_factory=dict)
    _sent: dict[tuple[int, int], str] = field(default_factory=dict)

    def feed(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        kind = event.get("type")
        if kind in ("response.created", "response.in_progress"):
            self._response = event.get("response") or {}
        elif kind == "response.output_text.delta":
            return self._delta(event, "content", event.get("delta"), _logprobs(event))
        elif kind == "response.refusal.delta":
            return self._delta(event, "refusal", event.get("delta"))
        elif kind == "response.output_item.added":
            return self._call_added(event)
        elif kind == "response.function_call_arguments.delta":
            return self._arguments(event, event.get("delta"))
        elif kind == "response.output_item.done":
            return self._item_done(event)
        elif kind in ("response.completed", "response.incomplete"):
            return self._end(event.get("response") or {})
        elif kind == "response.failed":
            response = event.get("response") or {}
            self.failure = self.failure or failure_of(response) or ("server_error", "failed")
        elif kind == "error":
            self.failure = (str(event.get("code") or "server_error"), str(event.get("message")))
        return []

    def _chunk(
        self, delta: dict[str, Any], finish: str | None = None, tokens: list[Any] | None = None
    ) -> dict[str, Any]:
        choice: dict[str, Any] = {"index": 0, "delta": delta, "finish_reason": finish}
        if tokens:
            choice["logprobs"] = {"content": tokens, "refusal": None}
        return _frame(self._response, "chat.completion.chunk", [choice])

    def _delta(
        self, event: dict[str, Any], name: str, text: object, tokens: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        if not isinstance(text, str) or not (text or tokens):
            return []
        place = (int(event.get("output_index") or 0), int(event.get("content_index") or 0))
        self._sent[place] = self._sent.get(place, "") + text
        return [self._chunk({name: text}, tokens=tokens)]

    def _call_added(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        item = event.get("item") or {}
        if item.get("type") != "function_call":
            return []
        index = len(self._calls)
        self._calls[int(event.get("output_index") or 0)] = index
        call = _tool_call({**item, "arguments": ""})
        return [self._chunk({"tool_calls": [{"index": index, **call}]})]

    def _arguments(self, event: dict[str, Any], text: object) -> list[dict[str, Any]]:
        output_index = int(event.get("output_index") or 0)
        index = self._calls.get(output_index)
        if index is None or not isinstance(text, str) or not text:
            return []
        self._sent[(output_index, -1)] = self._sent.get((output_index, -1), "") + text
        return [self._chunk({"tool_calls": [{"index": index, "function": {"arguments": text}}]})]

    def _item_done(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        """What an item's deltas did not carry (a backend that sends whole items only)."""
        item = event.get("item") or {}
        output_index = int(event.get("output_index") or 0)
        if item.get("type") == "function_call":
            sent = self._sent.get((output_index, -1), "")
            rest = str(item.get("arguments") or "").removeprefix(sent)
            return self._arguments(event, rest)
        out: list[dict[str, Any]] = []
        if item.get("type") == "message":
            for content_index, part in enumerate(item.get("content") or []):
                name = "content" if part.get("type") == "output_text" else "refusal"
                whole = str(part.get("text" if name == "content" else "refusal") or "")
                carried = self._sent.get((output_index, content_index))
                if whole.startswith(carried or ""):
                    place = {"output_index": output_index, "content_index": content_index}
                    # Tokens too, when no delta carried any of this part.
                    fresh = carried is None and name == "content"
                    tokens: list[Any] = _logprobs(part) if fresh else []
                    out.extend(self._delta(place, name, whole[len(carried or "") :], tokens))
        return out

    def _end(self, response: dict[str, Any]) -> list[dict[str, Any]]:
        self.done = True
        self._response = response or self._response
        finish = self._chunk({}, _finish(response, bool(self._calls)))
        usage = chat_usage(response.get("usage"))
        if usage is None:
            return [finish]
        return [finish, {**_frame(response, "chat.completion.chunk", []), "usage": usage}]
