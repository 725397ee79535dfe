"""Stop sequences enforced by the gateway, for a Messages call served through chat completions.

Chat completions ends on a stop sequence without saying which one, or that one did at all
(`finish_reason` is `stop` either way), so the sequences are not sent upstream: the gateway cuts
the answer's text at the first sequence to appear, as Anthropic's generation would end there,
and reports it. A stream holds back a tail one character shorter than the longest sequence (text
that could still become one), released when the text ends without a match. Pure, no I/O.
"""

from __future__ import annotations

__all__ = ["StopScanner", "cut_at_stop"]


def cut_at_stop(text: str, stops: list[str]) -> tuple[str, str | None]:
    """The text before the sequence that ends first in `text`, and that sequence (the longer of
    two ending together); `text` whole and None when none occurs."""
    best: tuple[int, int, str] | None = None  # (end, -length, sequence)
    for sequence in stops:
        start = text.find(sequence) if sequence else -1
        if start >= 0:
            found = (start + len(sequence), -len(sequence), sequence)
            best = found if best is None or found < best else best
    if best is None:
        return text, None
    end, length, sequence = best
    return text[: end + length], sequence


class StopScanner:
    """Feed it the text as it streams; it returns what may be sent now. Once a sequence has
    appeared, `matched` names it and nothing more is returned."""

    def __init__(self, stops: list[str]) -> None:
        self._stops = [s for s in stops if s]
        self._keep = max((len(s) for s in self._stops), default=1) - 1
        self._held = ""
        self.matched: str | None = None

    def feed(self, text: str) -> str:
        if self.matched is not None:
            return ""
        buffer = self._held + text
        before, self.matched = cut_at_stop(buffer, self._stops)
        if self.matched is not None:
            self._held = ""
            return before
        cut = max(len(buffer) - self._keep, 0)
        self._held = buffer[cut:]
        return buffer[:cut]

    def flush(self) -> str:
        """The held tail, once the text is over without a match."""
        held, self._held = self._held, ""
        return held
