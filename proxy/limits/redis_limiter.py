"""Counters in Redis, shared by every replica; one Lua script makes each check atomic.

When Redis cannot answer within `timeout_s`, the process counts on its own (a MemoryLimiter)
and says so in the log: limits loosen to per-process, requests never stall.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

import redis.asyncio as redis

from proxy.limits.limiter import Hit, WindowResult, decide
from proxy.limits.memory_limiter import MemoryLimiter
from proxy.redis_trouble import RedisTrouble

__all__ = ["RedisLimiter"]

log = logging.getLogger("metaqore.limits")

# KEYS: each hit's current and previous window, in pairs. ARGV: window ms, elapsed ms, commit
# (0/1), then each hit's amount and limit. Counts every hit or, when one does not fit, none.
# Returns {counted, then each hit's fits, previous, current (before counting)}.
_SCRIPT = """
local window = tonumber(ARGV[1])
local weight = 1 - tonumber(ARGV[2]) / window
if weight < 0 then weight = 0 end
local commit = ARGV[3] == '1'
local out = {1}
for i = 1, #KEYS / 2 do
  local current = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local amount, limit = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  local fits = 1
  if commit and previous * weight + current + amount > limit then
    fits = 0
    out[1] = 0
  end
  table.insert(out, fits)
  table.insert(out, previous)
  table.insert(out, current)
end
if out[1] == 1 then
  for i = 1, #KEYS / 2 do
    redis.call('INCRBY', KEYS[2 * i - 1], ARGV[2 + 2 * i])
    redis.call('PEXPIRE', KEYS[2 * i - 1], 2 * window)
  end
end
return out
"""


class RedisLimiter:
    def __init__(self, url: str, prefix: str = "metaqore:limit:", timeout_s: float = 0.05) -> None:
        self._client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s)
        self._script = self._client.register_script(_SCRIPT)
        self._prefix = prefix
        self._timeout_s = timeout_s
        self._local = MemoryLimiter()
        self.trouble = RedisTrouble(log, "rate limits in Redis unavailable; counting per process")

    async def hit(self, hits: Sequence[Hit], window_s: float) -> list[WindowResult]:
        now = time.time()
        start = now - now % window_s
        keys = [k for hit in hits for k in self._keys(hit.key, start, window_s)]
        limits = [n for hit in hits for n in (hit.amount, hit.limit)]
        try:
            answer = await self._run(keys, start, now, window_s, 1, limits)
        except (redis.RedisError, OSError, TimeoutError) as exc:
            self.trouble(exc)
            return await self._local.hit(hits, window_s)
        results = []
        for i, hit in enumerate(hits):
            fits, previous, current = (int(v) for v in answer[1 + 3 * i : 4 + 3 * i])
            result = decide(previous, current, now - start, hit.amount, hit.limit, window_s)
            if result.allowed != bool(fits):  # Redis's arithmetic is the one that counted
                wait = 0.0 if fits else max(1.0, result.retry_after_s)
                result = WindowResult(bool(fits), result.remaining, wait)
            results.append(result)
        return results

    async def adjust(self, keys: Sequence[str], amount: int, window_s: float) -> None:
        now = time.time()
        start = now - now % window_s
        windows = [k for key in keys for k in self._keys(key, start, window_s)]
        try:
            await self._run(windows, start, now, window_s, 0, [amount, 0] * len(keys))
        except (redis.RedisError, OSError, TimeoutError) as exc:
            self.trouble(exc)
            await self._local.adjust(keys, amount, window_s)

    async def _run(
        self, keys: list[str], start: float, now: float, window_s: float, commit: int,
        limits: list[int],
    ) -> list[int]:  # fmt: skip
        args = [int(window_s * 1000), int((now - start) * 1000), commit, *limits]
        answer = await asyncio.wait_for(self._script(keys=keys, args=args), self._timeout_s)
        return [int(v) for v in answer]

    def _keys(self, key: str, start: float, window_s: float) -> list[str]:
        window = int(start // window_s)
        return [f"{self._prefix}{key}:{window}", f"{self._prefix}{key}:{window - 1}"]

    async def aclose(self) -> None:
        await self._client.aclose()
