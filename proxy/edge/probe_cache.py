"""One costly probe shared by every caller: callers that come while it runs wait for it, and
its result serves for `ttl_s` after, so the work is bounded however many calls arrive."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

__all__ = ["ProbeCache"]

T = TypeVar("T")


class ProbeCache(Generic[T]):
    def __init__(self, probe: Callable[[], Awaitable[T]], ttl_s: float) -> None:
        self._probe = probe
        self._ttl_s = ttl_s
        self._result: T | None = None
        self._taken_at = 0.0
        self._running: asyncio.Future[T] | None = None

    async def get(self) -> tuple[T, float]:
        """The result and its age in seconds."""
        if self._result is not None and time.monotonic() - self._taken_at < self._ttl_s:
            return self._result, time.monotonic() - self._taken_at
        if self._running is None:
            self._running = asyncio.ensure_future(self._run())
        # Shielded: one caller hanging up must not cancel the probe the others wait for.
        result = await asyncio.shield(self._running)
        return result, time.monotonic() - self._taken_at

    async def _run(self) -> T:
        try:
            result = await self._probe()
            self._result, self._taken_at = result, time.monotonic()
            return result
        finally:
            self._running = None
