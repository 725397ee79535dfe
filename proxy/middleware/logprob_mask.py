"""Masks, in the token log probabilities of a whole chat answer, what the answer's scan masks in
its text: a value split over several tokens is found in their joined text, the token where it
begins carries its mask, the others lose their part of it, and the alternatives of every token it
touches are dropped (they spell pieces of the same value)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from governance.sensitivity import EntityType, Finding, Pseudonyms, TextAction, rewrite, scan_text

__all__ = ["mask_logprobs"]


def mask_logprobs(
    entries: list[dict[str, Any]], decide: Callable[[EntityType], TextAction]
) -> bool:
    """Masks `entries` (chat's `logprobs.content`) in place; whether anything changed."""
    tokens = [_token(e) for e in entries]
    text = "".join(tokens)
    findings = [f for f in scan_text(text).findings if decide(f.type) != "allow"]
    if not findings:
        return False
    masks = {f.start: _mask(text, f, decide) for f in findings}
    covered = [False] * len(text)
    for finding in findings:
        covered[finding.start : finding.end] = [True] * (finding.end - finding.start)
    start = 0
    for entry, token in zip(entries, tokens, strict=True):
        end = start + len(token)
        if any(covered[start:end]):
            kept = "".join(
                masks.get(i, "") if covered[i] else text[i] for i in range(start, end)
            )  # fmt: skip
            entry.update(token=kept, bytes=list(kept.encode()), top_logprobs=[])
        start = end
    return True


def _mask(text: str, finding: Finding, decide: Callable[[EntityType], TextAction]) -> str:
    value = text[finding.start : finding.end]
    return rewrite(value, [finding._replace(start=0, end=len(value))], decide, Pseudonyms())


def _token(entry: dict[str, Any]) -> str:
    token = entry.get("token")
    return token if isinstance(token, str) else ""
