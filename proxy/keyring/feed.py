"""Keeps a process's key table current: reads the rows changed since its version every
`keys_poll_s`, and at once when a peer announces a change on Redis (when configured). Never on
the request path: a store or Redis that fails leaves the table as it was and is retried."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import redis.asyncio as redis

from governance.evidence import EvidenceLedger
from proxy.config.gateway_config import LoadedConfig
from proxy.keyring.store import KeyStore
from proxy.keyring.table import KeyTable
from proxy.middleware.evidence_setup import open_key_store
from proxy.redis_trouble import RedisTrouble

__all__ = ["KeyFeed", "build_key_feed"]

log = logging.getLogger("metaqore.keys")
CHANNEL = "metaqore:keys"
_RETRY_S = (0.2, 1.0, 3.0)


class KeyFeed:
    def __init__(
        self, store: KeyStore, table: KeyTable, poll_s: float, redis_url: str | None = None
    ) -> None:
        self.store = store
        self.table = table
        self._poll_s = poll_s
        self._client = (
            redis.Redis.from_url(redis_url, socket_connect_timeout=1.0) if redis_url else None
        )
        self._wake = asyncio.Event()
        # One read at a time: two overlapping reads could apply an older row over a newer one.
        self._reading = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self.trouble = RedisTrouble(log, "key changes not announced through Redis; polling only")
        self.store_errors = 0

    async def start(self) -> None:
        await self.refresh()
        self._tasks = [asyncio.create_task(self._poll_forever(), name="keys-poll")]
        if self._client is not None:
            self._tasks.append(asyncio.create_task(self._listen_forever(), name="keys-listen"))

    async def refresh(self) -> None:
        """Read what changed; a failing store is logged and retried at the next poll."""
        try:
            async with self._reading:
                self.table.apply(await self.store.changes(self.table.version))
        except Exception as exc:  # the table stays as it was: keys keep working, none is added
            self.store_errors += 1
            log.warning("key changes not read (%s); retrying", type(exc).__name__)

    async def changed(self) -> None:
        """After a change made here: apply it now and tell the other processes."""
        await self.refresh()
        if self._client is None:
            return
        try:
            await self._client.publish(CHANNEL, b"changed")
        except (redis.RedisError, OSError) as exc:
            self.trouble(exc)

    async def _poll_forever(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll_s)
            self._wake.clear()
            await self.refresh()

    async def _listen_forever(self) -> None:
        assert self._client is not None
        failures = 0
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    failures = 0
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._wake.set()
            except (redis.RedisError, OSError) as exc:
                self.trouble(exc)
                await asyncio.sleep(_RETRY_S[min(failures, len(_RETRY_S) - 1)])
                failures += 1

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._client is not None:
            await self._client.aclose()
        await self.store.aclose()


def build_key_feed(loaded: LoadedConfig, ledger: EvidenceLedger | None) -> KeyFeed | None:
    """The keys API is on with an `admin` section and evidence (every change is recorded)."""
    admin = loaded.config.admin
    if admin is None or ledger is None:
        return None
    store = open_key_store(loaded.config.evidence, loaded.path.parent)
    return KeyFeed(store, KeyTable(), admin.keys_poll_s, admin.redis_url)
