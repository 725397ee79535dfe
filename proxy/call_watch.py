"""Ending a call from outside the task that serves it.

Three things end a call before its answer is whole: the client hangs up (ASGI's
`http.disconnect`), its deadline passes, or the server stops (`GracefulStop`). Each puts its
reason on the call first (`Call.ended`, read by the stages the cancellation unwinds through, the
evidence stage among them), then cancels the task; the endpoint and the stream pump turn the
cancellation into the answer the reason stands for. Cancelling the task also cancels the
upstream request: aiohttp closes a connection whose answer was not read to the end.
"""

from __future__ import annotations

import asyncio

from proxy.asgi_io import Receive
from proxy.call import Call
from proxy.call_end import CLIENT_GONE, CallEnd
from proxy.graceful_stop import GracefulStop

__all__ = ["CallWatch"]


class CallWatch:
    __slots__ = ("_born", "_loop", "_stop", "_task", "_timer", "_watcher", "call", "ended",
                 "finished")  # fmt: skip

    def __init__(self, stop: GracefulStop) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._task = task
        self._stop = stop
        self._loop = asyncio.get_running_loop()
        self._born = self._loop.time()
        self._timer: asyncio.TimerHandle | None = None
        self._watcher: asyncio.Task[None] | None = None
        self.call: Call | None = None
        self.ended: CallEnd | None = None
        # Set just before the answer's last byte is sent: from then on nothing ends the call
        # (once a response is complete, uvicorn answers receive() with a disconnect).
        self.finished = False

    def start(self, receive: Receive, call: Call, deadline_s: float, past: CallEnd) -> None:
        """Watch the client (its request body read to the end), the deadline and the server."""
        self.call = call
        self._watcher = self._loop.create_task(self._watch(receive))
        self.deadline(deadline_s, past)
        self._stop.watch(self)

    def deadline(self, after_s: float, past: CallEnd) -> None:
        """End the call with `past` once `after_s` have passed since it arrived (replacing any
        deadline set before)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_at(self._born + after_s, self.end, past)

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
        if self._timer is not None:
            self._timer.cancel()
        if self._watcher is not None:
            self._watcher.cancel()
            self._stop.forget(self)

    async def _watch(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self.end(CLIENT_GONE)
