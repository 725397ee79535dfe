"""Entries in Redis, shared by every replica. A slow or absent Redis is a miss, never an error:
reads give up after `timeout_s`, writes happen in the background."""

from __future__ import annotations

import asyncio
import logging

import redis.asyncio as redis

from proxy.redis_trouble import RedisTrouble

__all__ = ["RedisCache"]

log = logging.getLogger("metaqore.cache")


class RedisCache:
    name = "redis"

    def __init__(self, url: str, prefix: str = "metaqore:cache:", timeout_s: float = 0.05) -> None:
        self._client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s)
        self._prefix = prefix
        self._timeout_s = timeout_s
        self._writes: set[asyncio.Task[None]] = set()
        self.trouble = RedisTrouble(log, "cache in Redis unavailable; serving without it")

    async def get(self, key: str) -> bytes | None:
        try:
            value = await asyncio.wait_for(self._client.get(self._prefix + key), self._timeout_s)
        except (redis.RedisError, OSError, TimeoutError) as exc:
            self.trouble(exc)
            return None
        return value if isinstance(value, bytes) else None

    async def set(self, key: str, value: bytes, ttl_s: float) -> None:
        task = asyncio.get_running_loop().create_task(self._write(key, value, ttl_s))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self, key: str, value: bytes, ttl_s: float) -> None:
        try:
            await asyncio.wait_for(
                self._client.set(self._prefix + key, value, px=int(ttl_s * 1000)), 1.0
            )
        except (redis.RedisError, OSError, TimeoutError) as exc:
            self.trouble(exc)

    async def aclose(self) -> None:
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)
        await self._client.aclose()
