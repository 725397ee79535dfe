"""Rewrite findings out of a text (typed masks or stable placeholders) and put them back.

Placeholders look like `<EMAIL_1>`: the same value gets the same placeholder within a call, so
the model can still refer to "the same address", and the answer is restored on the way out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal, cast

from governance.sensitivity.findings import EntityType, Finding

__all__ = ["Pseudonyms", "StreamRestorer", "TextAction", "mask_for", "restore", "rewrite"]

TextAction = Literal["allow", "redact", "pseudonymize"]

_PLACEHOLDER = re.compile(r"<([A-Z][A-Z_]*)_(\d{1,6})>")
_PLACEHOLDER_PREFIX = re.compile(r"<[A-Z_]*\d*$")
_LONGEST_PLACEHOLDER = len("<MEDICAL_RECORD_NUMBER_999999>")


def mask_for(entity: EntityType) -> str:
    return f"[REDACTED_{entity}]"


@dataclass
class Pseudonyms:
    """The placeholders handed out for one call; never stored, never logged."""

    _by_placeholder: dict[str, str] = field(default_factory=dict)
    _by_value: dict[tuple[EntityType, str], str] = field(default_factory=dict)
    _counters: dict[EntityType, int] = field(default_factory=dict)

    def placeholder_for(self, entity: EntityType, value: str) -> str:
        known = self._by_value.get((entity, value))
        if known is not None:
            return known
        number = self._counters.get(entity, 0) + 1
        self._counters[entity] = number
        placeholder = f"<{entity}_{number}>"
        self._by_value[(entity, value)] = placeholder
        self._by_placeholder[placeholder] = value
        return placeholder

    def skip_taken(self, text: str) -> None:
        """Number new placeholders past those `text` already holds (a conversation's earlier
        turns, stored pseudonymized), so a new value never takes an earlier one's name."""
        for match in _PLACEHOLDER.finditer(text):
            # A name that is no entity type only holds a counter nothing reads.
            entity, number = cast(EntityType, match.group(1)), int(match.group(2))
            if number > self._counters.get(entity, 0):
                self._counters[entity] = number

    def value_of(self, placeholder: str) -> str | None:
        return self._by_placeholder.get(placeholder)

    def __bool__(self) -> bool:
        return bool(self._by_placeholder)


def rewrite(
    text: str,
    findings: Iterable[Finding],
    action_for: Callable[[EntityType], TextAction],
    pseudonyms: Pseudonyms,
) -> str:
    """`text` with each finding masked or replaced by its placeholder, per its action."""
    pieces: list[str] = []
    position = 0
    for finding in sorted(findings):
        action = action_for(finding.type)
        if action == "allow":
            continue
        pieces.append(text[position : finding.start])
        value = text[finding.start : finding.end]
        if action == "redact":
            pieces.append(mask_for(finding.type))
        else:
            pieces.append(pseudonyms.placeholder_for(finding.type, value))
        position = finding.end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def restore(text: str, pseudonyms: Pseudonyms) -> str:
    if "<" not in text:
        return text

    def back(match: re.Match[str]) -> str:
        return pseudonyms.value_of(match.group()) or match.group()

    return _PLACEHOLDER.sub(back, text)


class StreamRestorer:
    """Restores placeholders in text that arrives in pieces, holding back only a tail that could
    still grow into a placeholder (at most the length of the longest one)."""

    def __init__(self, pseudonyms: Pseudonyms) -> None:
        self._pseudonyms = pseudonyms
        self._held = ""

    def feed(self, piece: str) -> str:
        text = self._held + piece
        self._held = ""
        cut = text.rfind("<")
        near_end = cut != -1 and len(text) - cut < _LONGEST_PLACEHOLDER
        if near_end and _PLACEHOLDER_PREFIX.match(text, cut):
            text, self._held = text[:cut], text[cut:]
        return restore(text, self._pseudonyms)

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def flush(self) -> str:
        held, self._held = self._held, ""
        return restore(held, self._pseudonyms)
