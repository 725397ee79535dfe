"""Counters in Redis, shared by every replica; one Lua script makes each check atomic.

When Redis cannot answer within `timeout_s`, the process counts on its own (a MemoryLimiter)
and says so in the log: limits loosen to per-process, requests never stall.
"""

from __future__ import annotations

import asyncio
import logging
import time

import redis.asyncio as redis

from proxy.limits.limiter import WindowResult, decide
from proxy.limits.memory_limiter import MemoryLimiter
from proxy.redis_trouble import RedisTrouble

__all__ = ["RedisLimiter"]

log = logging.getLogger("metaqore.limits")

# KEYS: current window, previous window. ARGV: amount, limit, window ms, elapsed ms, commit(0/1).
# Returns {allowed, previous, current}; the caller does the arithmetic's reporting.
_SCRIPT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local elapsed = tonumber(ARGV[4])
local weight = 1 - elapsed / window
if weight < 0 then weight = 0 end
local allowed = 0
if ARGV[5] == '0' or previous * weight + current + amount <= limit then
  allowed = 1
  current = redis.call('INCRBY', KEYS[1], amount)
  redis.call('PEXPIRE', KEYS[1], 2 * window)
end
return {allowed, previous, current}
"""


class RedisLimiter:
    def __init__(self, url: str, prefix: str = "metaqore:limit:", timeout_s: float = 0.05) -> None:
        self._client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s)
        self._script = self._client.register_script(_SCRIPT)
        self._prefix = prefix
        self._timeout_s = timeout_s
        self._local = MemoryLimiter()
        self.trouble = RedisTrouble(log, "rate limits in Redis unavailable; counting per process")

    async def hit(self, key: str, amount: int, limit: int, window_s: float) -> WindowResult:
        now = time.time()
        start = now - now % window_s
        keys = self._keys(key, start, window_s)
        args = [amount, limit, int(window_s * 1000), int((now - start) * 1000), 1]
        try:
            allowed, previous, current = await asyncio.wait_for(
                self._script(keys=keys, args=args), self._timeout_s
            )
        except (redis.RedisError, OSError, TimeoutError) as exc:
            self.trouble(exc)
            return await self._local.hit(key, amount, limit, window_s)
        before = int(current) - (amount if allowed else 0)
        return decide(int(previous), before, now - start, amount, limit, window_s)

    async def adjust(self, key: str, amount: int, window_s: float) -> None:
        now = time.time()
        start = now - now % window_s
        args = [amount, 0, int(window_s * 1000), int((now - start) * 1000), 0]
        try:
            await asyncio.wait_for(
                self._script(keys=self._keys(key, start, window_s), args=args), self._timeout_s
            )
        except (redis.RedisError, OSError, TimeoutError) as exc:
            self.trouble(exc)
            await self._local.adjust(key, amount, window_s)

    def _keys(self, key: str, start: float, window_s: float) -> list[str]:
        window = int(start // window_s)
        return [f"{self._prefix}{key}:{window}", f"{self._prefix}{key}:{window - 1}"]

    async def aclose(self) -> None:
        await self._client.aclose()
