"""Stopping: the stop signal reaches the gateway as well as the server, and once the grace
period is over every call still running is ended as cut by the server."""

from __future__ import annotations

import asyncio
import os
import signal
from types import FrameType

from proxy.call_end import SERVER_SHUTDOWN, CallEnd
from proxy.graceful_stop import GracefulStop, on_stop_signal


class _Call:
    def __init__(self) -> None:
        self.ended: list[CallEnd] = []

    def end(self, why: CallEnd) -> None:
        self.ended.append(why)


async def test_calls_still_running_when_the_grace_period_ends_are_ended() -> None:
    stop = GracefulStop(grace_s=0.2)
    running, finished = _Call(), _Call()
    stop.watch(running)
    stop.watch(finished)
    stop.forget(finished)
    stop.begin()
    stop.begin()  # a second signal does not restart the clock
    await asyncio.sleep(0.3)
    assert running.ended == [SERVER_SHUTDOWN] and finished.ended == []
    late = _Call()
    stop.watch(late)  # nothing new may start once the grace period is over
    assert late.ended == [SERVER_SHUTDOWN]


async def test_the_stop_signal_reaches_the_gateway_and_the_handler_before_it() -> None:
    seen: list[str] = []
    arrived = asyncio.Event()

    def server_handler(signum: int, frame: FrameType | None) -> None:
        seen.append("server")

    def gateway_callback() -> None:
        seen.append("gateway")
        arrived.set()

    original = signal.signal(signal.SIGTERM, server_handler)
    try:
        undo = on_stop_signal(gateway_callback)
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(arrived.wait(), 5)
        undo()
        assert signal.getsignal(signal.SIGTERM) is server_handler
        assert sorted(seen) == ["gateway", "server"]
    finally:
        signal.signal(signal.SIGTERM, original)
