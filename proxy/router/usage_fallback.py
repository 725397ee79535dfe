"""An answer's usage when its upstream gave none: the gateway's own count, so that every answered
call is charged to its token and spend limits and recorded with its tokens (fail closed).

A stream can end without the upstream's usage: cut at a stop sequence the gateway enforces, left
by its client, broken mid-way, or from a server that ignores `stream_options.include_usage`.
Then the prompt is the gateway's offline estimate of the governed request (token_estimate.py)
and the completion the text that came back (refusals, reasoning and tool-call arguments
included) at the same four characters a token; the reply says `usage_estimated`. A chat or text
completion stream that ends whole gets the estimate as its usage chunk before `[DONE]` (shown
only to a client that asked for usage), so every dialect reports it where it needs a number.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any, Literal

import orjson

from proxy.call import Call, Reply
from proxy.router.token_estimate import CHARS_PER_TOKEN, prompt_tokens
from proxy.wire.sse import event_data, json_event

__all__ = ["Form", "UsageFallback"]

# What the events (or body) of a reply are: chat completions, text completions, or Messages.
Form = Literal["chat", "completions", "messages"]

_TEXT_FIELDS = ("content", "refusal", "reasoning_content", "text")


class UsageFallback:
    """One call's: puts the estimate on a reply that ends without the upstream's usage."""

    __slots__ = ("_call",)

    def __init__(self, call: Call) -> None:
        self._call = call

    def counted(self, reply: Reply, form: Form) -> Reply:
        """`reply`, sure to have its usage once it ends (a stream is watched as it passes)."""
        if reply.events is not None:
            reply.events = self.stream(reply, reply.events, form)
        elif reply.status == 200 and reply.body and not _counted(reply.usage):
            answer = orjson.loads(reply.body)
            if isinstance(answer, dict):
                self.whole(reply, answer, form)
        return reply

    def whole(self, reply: Reply, answer: dict[str, Any], form: Form) -> dict[str, Any]:
        """The usage of a complete answer (`answer`, its parsed body): the upstream's, else
        the estimate (put on `reply`)."""
        if not _counted(reply.usage):
            reply.usage = self._estimate(_answer_chars(answer, form))
            reply.usage_estimated = True
        assert reply.usage is not None
        return reply.usage

    async def stream(
        self, reply: Reply, events: AsyncGenerator[bytes, None], form: Form
    ) -> AsyncGenerator[bytes, None]:
        """`events` as they are; what they carried is counted, and the estimate put on `reply`
        if they end, however they end, before the upstream's usage came."""
        chars, final, head = 0, False, None
        count, marker = _COUNTERS[form], _FINAL_MARKERS[form]
        try:
            async for event in events:
                data = event_data(event)
                if data is None:
                    yield event
                    continue
                if data.startswith(b"[DONE]"):
                    if not final and form != "messages":
                        final = True
                        reply.usage = self._estimate(chars, reply.usage)
                        reply.usage_estimated = True
                        yield json_event({**(head or {}), "choices": [], "usage": reply.usage})
                    yield event
                    continue
                try:
                    chunk = orjson.loads(data)
                except orjson.JSONDecodeError:
                    chunk = None
                if isinstance(chunk, dict):
                    chars += count(chunk)
                    # find, not `in`: see sse.is_done
                    if not final and data.find(marker) >= 0:
                        final = _is_final(chunk, form)
                    if head is None:
                        head = _head(chunk)
                yield event
        finally:
            await events.aclose()
            if not final:
                reply.usage = self._estimate(chars, reply.usage)
                reply.usage_estimated = True

    def _estimate(self, chars: int, known: dict[str, Any] | None = None) -> dict[str, Any]:
        """The upstream's prompt count where it gave one (a Messages stream's message_start),
        else the estimate; the completion the larger of what it said so far and the text's."""
        known = known or {}
        prompt = known.get("prompt_tokens")
        if not isinstance(prompt, int) or isinstance(prompt, bool):
            prompt = prompt_tokens(self._call)
        said = known.get("completion_tokens")
        completion = -(-chars // CHARS_PER_TOKEN)
        if isinstance(said, int) and not isinstance(said, bool):
            completion = max(completion, said)
        return {
            "prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }  # fmt: skip


def _counted(usage: dict[str, Any] | None) -> bool:
    if usage is None:
        return False
    return all(isinstance(usage.get(name), int) for name in ("prompt_tokens", "completion_tokens"))


def _is_final(chunk: dict[str, Any], form: Form) -> bool:
    """Whether this event carries the upstream's whole usage."""
    if form == "messages":
        return chunk.get("type") == "message_delta"
    usage = chunk.get("usage")
    return isinstance(usage, dict) and _counted(usage)


def _head(chunk: dict[str, Any]) -> dict[str, Any] | None:
    if "choices" not in chunk:
        return None
    return {k: chunk[k] for k in ("id", "object", "created", "model") if k in chunk}


def _messages_chars(event: dict[str, Any]) -> int:
    delta = event.get("delta") if event.get("type") == "content_block_delta" else None
    return _chars_of(delta, ("text", "partial_json", "thinking")) if isinstance(delta, dict) else 0


def _chat_chars(chunk: dict[str, Any]) -> int:
    total = 0
    for choice in chunk.get("choices") or ():
        if isinstance(choice, dict):
            total += _part_chars(choice.get("delta"))
    return total


def _completions_chars(chunk: dict[str, Any]) -> int:
    total = 0
    for choice in chunk.get("choices") or ():
        total += _part_chars(choice)
    return total


_COUNTERS: dict[Form, Callable[[dict[str, Any]], int]] = {
    "chat": _chat_chars, "completions": _completions_chars, "messages": _messages_chars,
}  # fmt: skip
# What an event that may carry the upstream's whole usage holds.
_FINAL_MARKERS: dict[Form, bytes] = {
    "chat": b'"usage"', "completions": b'"usage"', "messages": b"message_delta",
}  # fmt: skip


def _answer_chars(answer: dict[str, Any], form: Form) -> int:
    if form == "messages":
        content = answer.get("content")
        return sum(
            len(orjson.dumps(block.get("input"))) if block.get("type") == "tool_use"
            else len(str(block.get("text") or block.get("thinking") or ""))
            for block in content if isinstance(block, dict)
        ) if isinstance(content, list) else 0  # fmt: skip
    total = 0
    for choice in answer.get("choices") or ():
        if isinstance(choice, dict):
            total += _part_chars(choice if form == "completions" else choice.get("message"))
    return total


def _part_chars(part: object) -> int:
    """The text of a message, a delta or a text completion's choice, tool-call arguments
    included."""
    if not isinstance(part, dict):
        return 0
    total = 0
    for name in _TEXT_FIELDS:
        text = part.get(name)
        if text.__class__ is str:
            total += len(text)
    calls = part.get("tool_calls")
    for call in calls if isinstance(calls, list) else ():
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict):
            total += _chars_of(function, ("name", "arguments"))
    return total


def _chars_of(part: dict[str, Any], names: tuple[str, ...]) -> int:
    return sum(len(v) for k in names if isinstance(v := part.get(k), str))
