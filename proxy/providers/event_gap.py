"""The longest wait for a stream's next whole SSE event."""

from __future__ import annotations

import time

__all__ = ["EventGap"]


class EventGap:
    """aiohttp's `sock_read` bounds each socket read, so an upstream trickling an event a few
    bytes at a time, each read in time, could hold a stream open for ever. This bounds the whole
    event; it is checked as bytes arrive (while none arrive, `sock_read` fires first)."""

    __slots__ = ("_last", "_limit_s")

    def __init__(self, limit_s: float) -> None:
        self._limit_s = limit_s
        self._last = time.monotonic()

    def event_arrived(self) -> None:
        self._last = time.monotonic()

    def overdue(self) -> bool:
        return time.monotonic() - self._last > self._limit_s
