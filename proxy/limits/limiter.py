"""The limiter seam and the sliding-window arithmetic both implementations share.

A sliding window is approximated by two fixed windows: the count so far in this minute plus the
previous minute's count weighted by how much of it still overlaps the last 60 seconds. That is
two integers per counter, exact enough for quotas, and atomic in one Redis script.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple, Protocol

__all__ = ["Hit", "Limiter", "WindowResult", "decide"]


class Hit(NamedTuple):
    """`amount` more against `limit` on the counter `key`."""

    key: str
    amount: int
    limit: int


class WindowResult(NamedTuple):
    """Two of these a call: a tuple costs a fraction of a frozen dataclass to build."""

    allowed: bool
    remaining: int
    retry_after_s: float


class Limiter(Protocol):
    async def hit(self, hits: Sequence[Hit], window_s: float) -> list[WindowResult]:
        """Count every hit against its limit per `window_s`, all or none: when one would
        exceed its limit nothing is counted. One result per hit, in order."""

    async def adjust(self, keys: Sequence[str], amount: int, window_s: float) -> None:
        """Correct earlier counts (estimates) by `amount`, which may be negative."""

    async def aclose(self) -> None: ...


def decide(
    previous: int, current: int, elapsed_s: float, amount: int, limit: int, window_s: float
) -> WindowResult:
    """Whether `amount` more fits; `elapsed_s` is the time since the current window began."""
    weight = max(0.0, 1.0 - elapsed_s / window_s)
    used = previous * weight + current
    if used + amount <= limit:
        # int() is floor here: what is left is never below -1 ulp.
        return WindowResult(True, int(limit - used - amount), 0.0)
    if current + amount > limit or previous == 0:
        wait = window_s - elapsed_s  # not even a fresh window would fit it: wait for the next
    else:
        # Wait until the previous window's share has decayed enough.
        needed_weight = (limit - current - amount) / previous
        wait = (1.0 - needed_weight) * window_s - elapsed_s
    return WindowResult(False, max(0, math.floor(limit - used)), max(1.0, math.ceil(wait)))
