"""The response model and finish reasons of an answer (OpenAI's shape), for its span: read
from a whole body, or from a stream's events as they pass (only events that name a finish
reason are parsed)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

import orjson

from proxy.wire.sse import event_data

__all__ = ["ReplySummary", "summarize_body", "watch_events"]


@dataclass(slots=True)
class ReplySummary:
    model: str | None = None
    finish_reasons: list[str] = field(default_factory=list)


def summarize_body(body: bytes | None, summary: ReplySummary) -> None:
    try:
        parsed = orjson.loads(body or b"")
    except orjson.JSONDecodeError:
        return
    _take(parsed, summary)


async def watch_events(
    events: AsyncGenerator[bytes, None], summary: ReplySummary
) -> AsyncGenerator[bytes, None]:
    try:
        async for event in events:
            if summary.model is None or _names_a_finish(event):
                data = event_data(event)
                if data is not None and not data.startswith(b"[DONE]"):
                    with contextlib.suppress(orjson.JSONDecodeError):
                        _take(orjson.loads(data), summary)
            yield event
    finally:
        await events.aclose()


def _names_a_finish(event: bytes) -> bool:
    """Whether a `finish_reason` in the event is set (a string), without parsing it."""
    at = event.find(b'"finish_reason"')
    return at >= 0 and event[at + 15 : at + 18].lstrip(b": ").startswith(b'"')


def _take(parsed: Any, summary: ReplySummary) -> None:
    if not isinstance(parsed, dict):
        return
    model = parsed.get("model")
    if summary.model is None and isinstance(model, str):
        summary.model = model
    for choice in parsed.get("choices") or ():
        reason = choice.get("finish_reason") if isinstance(choice, dict) else None
        if isinstance(reason, str):
            summary.finish_reasons.append(reason)
