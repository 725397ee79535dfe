"""Ending calls in flight: once the grace period is over every call still running is ended as
cut by the server, a call past its deadline is ended, and the stop signal reaches the gateway as
well as the server."""

from __future__ import annotations

import asyncio
import os
import signal
from types import FrameType
from typing import Any

from proxy.call import Call
from proxy.http.call_watch import CallWatch, LiveCalls
from proxy.http.graceful_stop import GracefulStop, on_stop_signal
from proxy.wire.call_end import SERVER_SHUTDOWN, CallEnd, past_deadline


async def _in_flight(live: LiveCalls, deadline_s: float = 60) -> CallEnd | None:
    """A call that waits on its upstream until something ends it; what ended it."""

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(60)  # the client stays
        return {"type": "http.disconnect"}

    watch = CallWatch(live)
    call = Call(request_id="r", endpoint="chat", body={}, raw=b"", model="m", stream=False)
    watch.start(receive, call, deadline_s, past_deadline("routing.total_timeout_s", deadline_s))
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        if watch.absorb() is None:
            raise
    finally:
        watch.close()
    assert call.ended is watch.ended
    return watch.ended


async def test_calls_still_running_when_the_grace_period_ends_are_ended() -> None:
    live = LiveCalls()
    stop = GracefulStop(grace_s=0.2, calls=live)
    running = asyncio.ensure_future(_in_flight(live))
    await asyncio.sleep(0)
    stop.begin()
    stop.begin()  # a second signal does not restart the clock
    assert await asyncio.wait_for(running, 5) is SERVER_SHUTDOWN
    # Nothing new may start once the grace period is over.
    assert await asyncio.wait_for(_in_flight(live), 5) is SERVER_SHUTDOWN


async def test_a_call_past_its_deadline_is_ended() -> None:
    ended = await asyncio.wait_for(_in_flight(LiveCalls(), deadline_s=0.05), 5)
    assert ended is not None and ended.error.code == "deadline_exceeded"


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
