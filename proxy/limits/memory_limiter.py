"""Counters in this process: right for one gateway process, or when Redis is unreachable."""

from __future__ import annotations

import time
from collections.abc import Sequence

from proxy.limits.limiter import Hit, WindowResult, decide

__all__ = ["MemoryLimiter"]


class MemoryLimiter:
    def __init__(self) -> None:
        # key -> (start of the current window, previous count, current count)
        self._windows: dict[str, tuple[float, int, int]] = {}

    def _roll(self, key: str, window_s: float, now: float) -> tuple[float, int, int]:
        start = now - now % window_s
        known = self._windows.get(key)
        if known is None or known[0] < start - window_s:
            return start, 0, 0
        if known[0] < start:
            return start, known[2], 0
        return known

    async def hit(self, hits: Sequence[Hit], window_s: float) -> list[WindowResult]:
        now = time.time()
        rolled, results, fits = [], [], True
        for key, amount, limit in hits:
            start, previous, current = window = self._roll(key, window_s, now)
            result = decide(previous, current, now - start, amount, limit, window_s)
            fits = fits and result.allowed
            rolled.append(window)
            results.append(result)
        if fits:
            for (key, amount, _), (start, previous, current) in zip(hits, rolled, strict=True):
                self._windows[key] = (start, previous, current + amount)
        return results

    async def adjust(self, keys: Sequence[str], amount: int, window_s: float) -> None:
        now = time.time()
        for key in keys:
            start, previous, current = self._roll(key, window_s, now)
            self._windows[key] = (start, previous, max(0, current + amount))

    async def aclose(self) -> None:
        self._windows.clear()
