"""Request events for SIEM consumers on a Redis Stream: request.started, request.completed,
request.failed, request.denied.

Best effort by design: the evidence ledger is the record of what happened; this is a live feed.
Events leave through a bounded queue and a background task, so a slow or absent Redis never
delays a request: when the queue is full the newest events are counted as dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import orjson
import redis.asyncio as redis

from governance.evidence import EvidenceRecord
from proxy.call import Call
from proxy.redis_trouble import RedisTrouble

__all__ = ["RedisEventStream"]

log = logging.getLogger("metaqore.events")
_BATCH = 256
# What a SIEM needs from a record; bodies' hashes and chain fields stay in the ledger.
_EVENT_FIELDS = (
    "request_id", "ts", "org", "team", "key_id", "endpoint", "model", "route", "status",
    "outcome", "error_code", "decision", "policy_version", "sensitivity", "findings",
    "latency_ms", "tokens_in", "tokens_out", "usage_source",
)  # fmt: skip
_RETRY_S = (0.1, 0.5, 2.0, 5.0)


class RedisEventStream:
    def __init__(self, url: str, stream: str, maxlen: int, queue_size: int = 10_000) -> None:
        self.stream = stream
        self._maxlen = maxlen
        self._client = redis.Redis.from_url(url)
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=queue_size)
        self._task: asyncio.Task[None] | None = None
        self.published = 0
        self.dropped = 0
        self.trouble = RedisTrouble(log, "request events not published to Redis; retrying")

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="event-stream")

    def started(self, call: Call, ts: str, model: str) -> None:
        principal = call.principal
        self._publish(
            {
                "type": "request.started", "request_id": call.request_id, "ts": ts,
                "org": principal.org, "team": principal.team, "key_id": principal.key_id,
                "endpoint": call.endpoint, "model": model, "stream": call.stream,
            }
        )  # fmt: skip

    def finished(self, record: EvidenceRecord) -> None:
        kind = {"completed": "request.completed", "denied": "request.denied"}.get(
            record.outcome, "request.failed"
        )
        event = {name: getattr(record, name) for name in _EVENT_FIELDS}
        event["type"] = kind
        self._publish(event)

    def _publish(self, event: dict[str, Any]) -> None:
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped += 1

    async def _run(self) -> None:
        failures = 0
        while True:
            batch = [await self._queue.get()]
            while len(batch) < _BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            sent = False
            while not sent:
                try:
                    await self._send(batch)
                    sent, failures = True, 0
                except (redis.RedisError, OSError) as exc:
                    self.trouble(exc)
                    await asyncio.sleep(_RETRY_S[min(failures, len(_RETRY_S) - 1)])
                    failures += 1
                    if self._queue.full():  # Redis is down for long: shed this batch
                        self.dropped += len(batch)
                        break
            for _ in batch:
                self._queue.task_done()

    async def _send(self, batch: list[dict[str, Any]]) -> None:
        async with self._client.pipeline(transaction=False) as pipe:
            for event in batch:
                payload = {"type": event["type"], "data": orjson.dumps(event)}
                pipe.xadd(self.stream, payload, maxlen=self._maxlen, approximate=True)  # type: ignore[arg-type]
            await pipe.execute()
        self.published += len(batch)

    async def aclose(self, drain_s: float = 2.0) -> None:
        """Publish what is queued (for at most `drain_s`), then close the connection."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), drain_s)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._client.aclose()
