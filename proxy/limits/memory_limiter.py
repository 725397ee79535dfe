"""Counters in this process: right for one gateway process, or when Redis is unreachable."""

from __future__ import annotations

import time

from proxy.limits.limiter import WindowResult, decide

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

    async def hit(self, key: str, amount: int, limit: int, window_s: float) -> WindowResult:
        now = time.time()
        start, previous, current = self._roll(key, window_s, now)
        result = decide(previous, current, now - start, amount, limit, window_s)
        self._windows[key] = (start, previous, current + amount if result.allowed else current)
        return result

    async def adjust(self, key: str, amount: int, window_s: float) -> None:
        now = time.time()
        start, previous, current = self._roll(key, window_s, now)
        self._windows[key] = (start, previous, max(0, current + amount))

    async def aclose(self) -> None:
        self._windows.clear()
