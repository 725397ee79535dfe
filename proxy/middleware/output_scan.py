"""Optional scan of the model's answer (`governance.scan_responses`).

A whole answer is scanned before the client sees it: finding types whose action is `redact` or
stricter are masked, and the counts go to evidence. A streamed answer has left before it can be
judged whole, so its text is scanned once it ends and the counts go to evidence only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

import orjson

from governance.policy import text_actions
from governance.policy.document import ACTION_STRICTNESS, Action
from governance.sensitivity import EntityType, Level, Pseudonyms, TextAction, rewrite, scan_text
from proxy.call import Call, Reply
from proxy.middleware.logprob_mask import mask_logprobs
from proxy.wire.sse import event_data, is_done

__all__ = ["ActionFor", "mask_answer", "output_actions", "scan_output"]

ActionFor = Callable[[EntityType], Action]
# The endpoints whose answers are text (a Responses answer is chat's inside the chain).
_ANSWERED = frozenset({"chat", "completions", "messages", "responses"})
_STREAM_TEXT_LIMIT = 1 << 20  # what a stream's scan looks at, at most


def output_actions(call: Call, type_levels: Mapping[EntityType, Level]) -> ActionFor:
    """What the call's policy does with each finding type of an answer."""
    assert call.verdict is not None
    policy = call.verdict.policy

    def action_for(entity: EntityType) -> Action:
        return text_actions(policy, frozenset({entity}), type_levels)[entity]

    return action_for


def scan_output(call: Call, reply: Reply, action_for: ActionFor) -> Reply:
    if reply.status != 200 or call.endpoint not in _ANSWERED:
        return reply
    if reply.events is not None:
        reply.events = _watch_stream(call, reply.events)
    elif reply.body is not None:
        reply.body = _scan_body(call, reply.body, action_for)
    return reply


def _mask_or_keep(action_for: ActionFor) -> Callable[[EntityType], TextAction]:
    def decide(entity: EntityType) -> TextAction:
        strict = ACTION_STRICTNESS[action_for(entity)] >= ACTION_STRICTNESS["redact"]
        return "redact" if strict else "allow"

    return decide


def _scan_body(call: Call, body: bytes, action_for: ActionFor) -> bytes:
    try:
        answer = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    counts, changed = mask_answer(answer, action_for)
    call.response_findings = dict(counts)
    return orjson.dumps(answer) if changed else body


def mask_answer(answer: Any, action_for: ActionFor) -> tuple[Counter[str], bool]:
    """Masks, in place, the findings of a whole chat answer whose action is `redact` or
    stricter; their counts, and whether anything changed."""
    counts: Counter[str] = Counter()
    decide = _mask_or_keep(action_for)
    changed = False
    for holder, key in _answer_texts(answer):
        text = holder[key]
        findings = scan_text(text).findings
        counts.update(f.type for f in findings)
        masked = rewrite(text, findings, decide, Pseudonyms())
        if masked != text:
            holder[key], changed = masked, True
    for entries in _token_logprobs(answer):  # the same text again, token by token: not counted
        changed = mask_logprobs(entries, decide) or changed
    return counts, changed


def _token_logprobs(answer: Any) -> list[list[dict[str, Any]]]:
    out = []
    for choice in answer.get("choices") or [] if isinstance(answer, dict) else []:
        logprobs = choice.get("logprobs") if isinstance(choice, dict) else None
        content = logprobs.get("content") if isinstance(logprobs, dict) else None
        if isinstance(content, list):
            out.append([e for e in content if isinstance(e, dict)])
    return out


def _answer_texts(answer: Any) -> list[tuple[Any, Any]]:
    """Where an answer holds text: chat messages (content, refusal) and tool calls, text
    completions, and a Messages answer's blocks (text, thinking, every string of a tool call's
    input)."""
    out: list[tuple[Any, Any]] = []
    if isinstance(answer, dict) and answer.get("type") == "message":
        for block in answer.get("content") or []:
            _strings(block, out)
        return out
    for choice in answer.get("choices") or [] if isinstance(answer, dict) else []:
        if isinstance(choice, dict) and isinstance(choice.get("text"), str):
            out.append((choice, "text"))
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        for key in ("content", "refusal"):
            if isinstance(message.get(key), str):
                out.append((message, key))
        for tool_call in message.get("tool_calls") or []:
            function = tool_call.get("function") if isinstance(tool_call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                out.append((function, "arguments"))
    return out


def _strings(node: Any, out: list[tuple[Any, Any]]) -> None:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else ()  # fmt: skip
    for key, value in items:
        if isinstance(value, str) and key not in ("type", "id", "signature", "name"):
            out.append((node, key))
        else:
            _strings(value, out)


async def _watch_stream(
    call: Call, events: AsyncGenerator[bytes, None]
) -> AsyncGenerator[bytes, None]:
    pieces: list[str] = []
    size = 0
    try:
        async for event in events:
            # Counted before the last byte goes (evidence records them then): [DONE], or a
            # Messages stream's message_stop.
            if is_done(event) or event.startswith(b"event: message_stop"):
                call.response_findings = _counts(pieces)
            elif size < _STREAM_TEXT_LIMIT:
                size += _collect(event, pieces)
            yield event
        if call.response_findings is None:  # a stream that ended without [DONE]
            call.response_findings = _counts(pieces)
    finally:
        await events.aclose()


def _counts(pieces: list[str]) -> dict[str, int]:
    return dict(Counter(str(f.type) for f in scan_text("".join(pieces)).findings))


def _collect(event: bytes, pieces: list[str]) -> int:
    data = event_data(event)
    if data is None or not data.startswith(b"{"):
        return 0
    chunk = orjson.loads(data)
    added = 0
    delta = chunk.get("delta") if chunk.get("type") == "content_block_delta" else None
    for key in ("text", "partial_json", "thinking"):  # a Messages event's text
        if isinstance(delta, dict) and isinstance(delta.get(key), str):
            pieces.append(delta[key])
            added += len(delta[key])
    for choice in chunk.get("choices") or []:
        if isinstance(choice.get("text"), str):  # a text completion's
            pieces.append(choice["text"])
            added += len(choice["text"])
        delta = choice.get("delta") or {}
        for key in ("content", "refusal"):
            if isinstance(delta.get(key), str):
                pieces.append(delta[key])
                added += len(delta[key])
        for tool_call in delta.get("tool_calls") or []:
            arguments = (tool_call.get("function") or {}).get("arguments")
            if isinstance(arguments, str):
                pieces.append(arguments)
                added += len(arguments)
    return added
