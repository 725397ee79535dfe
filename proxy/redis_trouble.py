"""Trouble with Redis, counted every time and logged at most every 30 s: the side channels
(cache, limits, breaker sharing, events) degrade quietly instead of flooding the log."""

from __future__ import annotations

import logging
import time

__all__ = ["RedisTrouble"]


class RedisTrouble:
    def __init__(self, log: logging.Logger, what: str, every_s: float = 30.0) -> None:
        self._log = log
        self._what = what
        self._every_s = every_s
        self._last = float("-inf")
        self.count = 0

    def __call__(self, exc: BaseException) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self._last >= self._every_s:
            self._last = now
            self._log.warning("%s (%s)", self._what, exc)
