"""Share breaker transitions between replicas through Redis, never on the request path.

A transition is queued and published (`PUBLISH` plus, for an open breaker, a key that expires
after the reset timeout, so a replica that starts later learns it). Each replica subscribes and
applies what others announce. Redis being down leaves every replica with its own breakers and
counts an error; requests never wait on Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets

import orjson
import redis.asyncio as redis

from proxy.redis_trouble import RedisTrouble
from proxy.router.breakers import BreakerBoard, State

__all__ = ["BreakerSync"]

log = logging.getLogger("metaqore.breakers")
_CHANNEL = "metaqore:breakers"
_KEY = "metaqore:breaker:"
_RETRY_S = (0.2, 1.0, 3.0)


class BreakerSync:
    def __init__(self, board: BreakerBoard, url: str) -> None:
        self._board = board
        self._client = redis.Redis.from_url(url, socket_connect_timeout=1.0)
        self._origin = secrets.token_hex(8)
        self._outbox: asyncio.Queue[tuple[str, State]] = asyncio.Queue(maxsize=1000)
        self._tasks: list[asyncio.Task[None]] = []
        self.trouble = RedisTrouble(log, "breaker states not shared through Redis; local only")
        self.applied = 0
        board.on_change(self._announce)

    def _announce(self, target: str, state: State) -> None:
        if state == "half_open":
            return  # a local probe; peers keep waiting for its verdict
        with contextlib.suppress(asyncio.QueueFull):
            self._outbox.put_nowait((target, state))

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._publish_forever(), name="breaker-publish"),
            asyncio.create_task(self._listen_forever(), name="breaker-listen"),
        ]

    async def _publish_forever(self) -> None:
        while True:
            target, state = await self._outbox.get()
            for delay in (*_RETRY_S, None):
                try:
                    await self._publish(target, state)
                    break
                except (redis.RedisError, OSError) as exc:
                    self.trouble(exc)
                    if delay is None:
                        break  # give up on this one; the breakers stay right locally
                    await asyncio.sleep(delay)

    async def _publish(self, target: str, state: State) -> None:
        message = orjson.dumps({"origin": self._origin, "target": target, "state": state})
        async with self._client.pipeline(transaction=False) as pipe:
            if state == "open":
                pipe.set(_KEY + target, self._origin, px=int(self._board.reset_s * 1000))
            else:
                pipe.delete(_KEY + target)
            pipe.publish(_CHANNEL, message)
            await pipe.execute()

    async def _listen_forever(self) -> None:
        failures = 0
        while True:
            try:
                await self._listen()
            except (redis.RedisError, OSError) as exc:
                self.trouble(exc)
                await asyncio.sleep(_RETRY_S[min(failures, len(_RETRY_S) - 1)])
                failures += 1

    async def _listen(self) -> None:
        async with self._client.pubsub() as pubsub:
            await pubsub.subscribe(_CHANNEL)
            # Subscribed first, then read what is already open: nothing falls in between.
            async for key in self._client.scan_iter(match=_KEY + "*"):
                origin = await self._client.get(key)
                if origin is not None and _text(origin) != self._origin:
                    self._apply(_text(key).removeprefix(_KEY), "open")
            async for message in pubsub.listen():
                if message.get("type") != "message":
                    continue
                event = orjson.loads(message["data"])
                if event.get("origin") != self._origin:
                    self._apply(str(event["target"]), event["state"])

    def _apply(self, target: str, state: State) -> None:
        self._board.for_target(target).apply_from_peer(state)
        self.applied += 1

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._client.aclose()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
