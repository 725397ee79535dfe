"""Ending a call from outside the task that serves it.

Three things end a call before its answer is whole: the client hangs up (ASGI's
`http.disconnect`), its deadline passes, or the server stops (graceful_stop.py). Each puts its
reason on the call first (`Call.ended`, read by the stages the cancellation unwinds through, the
evidence stage among them), then cancels the task; the endpoint and the stream pump turn the
cancellation into the answer the reason stands for. Cancelling the task also cancels the
upstream request: aiohttp closes a connection whose answer was not read to the end.

One timer looks at every call in flight each `TICK_S`, rather than a timer and a watching task
per call: on uvloop those cost about 17 µs a call, most of it for calls that end within
milliseconds. So a deadline is kept to within a tick, and a client is watched (a task waiting on
ASGI's receive()) once its call has lived through a tick: a client that hangs up is noticed at
most two ticks after its call began, or one tick after it left.
"""

from __future__ import annotations

import asyncio

from proxy.call import Call
from proxy.http.asgi_io import Receive
from proxy.wire.call_end import CLIENT_GONE, CallEnd

__all__ = ["TICK_S", "CallWatch", "LiveCalls"]

TICK_S = 0.1


class LiveCalls:
    """The calls in flight."""

    def __init__(self) -> None:
        self._calls: set[CallWatch] = set()
        self._tick: asyncio.TimerHandle | None = None
        # Set once the server has stopped taking calls: a call that arrives now ends at once.
        self.closed: CallEnd | None = None

    def add(self, watch: CallWatch) -> None:
        if self.closed is not None:
            watch.end(self.closed)
            return
        self._calls.add(watch)
        if self._tick is None:
            self._tick = asyncio.get_running_loop().call_later(TICK_S, self._look)

    def discard(self, watch: CallWatch) -> None:
        self._calls.discard(watch)

    def end_all(self, why: CallEnd) -> None:
        self.closed = why
        for watch in list(self._calls):
            watch.end(why)

    def _look(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        for watch in list(self._calls):
            watch.look(now)
        self._tick = loop.call_later(TICK_S, self._look) if self._calls else None


class CallWatch:
    __slots__ = ("_born", "_due", "_live", "_loop", "_past", "_receive", "_task", "_watcher",
                 "call", "ended", "finished")  # fmt: skip

    def __init__(self, live: LiveCalls) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._task = task
        self._live = live
        self._loop = asyncio.get_running_loop()
        self._born = self._loop.time()
        self._due = 0.0
        self._past: CallEnd | None = None
        self._receive: Receive | None = None
        self._watcher: asyncio.Task[None] | None = None
        self.call: Call | None = None
        self.ended: CallEnd | None = None
        # Set just before the answer's last byte is sent: from then on nothing ends the call
        # (once a response is complete, uvicorn answers receive() with a disconnect).
        self.finished = False

    def start(self, receive: Receive, call: Call, deadline_s: float, past: CallEnd) -> None:
        """Watch the call (its request body read to the end) from now on."""
        self.call = call
        self._receive = receive
        self.deadline(deadline_s, past)
        self._live.add(self)

    def deadline(self, after_s: float, past: CallEnd) -> None:
        """End the call with `past` once `after_s` have passed since it arrived (replacing any
        deadline set before)."""
        self._due = self._born + after_s
        self._past = past

    def look(self, now: float) -> None:
        if now >= self._due and self._past is not None:
            self.end(self._past)
        elif self._watcher is None and self._receive is not None and now - self._born >= TICK_S:
            self._watcher = self._loop.create_task(self._watch(self._receive))

    def end(self, why: CallEnd) -> None:
        if self.finished or self.ended is not None:
            return
        self.ended = why
        if self.call is not None:
            self.call.ended = why
        self._task.cancel()

    def absorb(self) -> CallEnd | None:
        """Inside `except CancelledError`: the reason, if the cancellation was this watch's (the
        task is then no longer cancelling); None if it came from elsewhere."""
        if self.ended is None:
            return None
        self._task.uncancel()
        return self.ended

    def close(self) -> None:
        self.finished = True
        self._live.discard(self)
        if self._watcher is not None:
            self._watcher.cancel()

    async def _watch(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self.end(CLIENT_GONE)
