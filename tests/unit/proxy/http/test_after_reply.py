"""Bookkeeping deferred until the answer is out: every step runs, in order, and one that fails
is logged without stopping the rest."""

from __future__ import annotations

import asyncio
import functools
import gc

import pytest

from proxy.call import Call
from proxy.http.model_endpoint import _after_reply


def test_steps_run_in_order_and_a_failure_is_logged_not_fatal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    call = Call(request_id="req_1", endpoint="chat", body={}, raw=b"{}", model="m", stream=False)
    ran: list[str] = []

    async def store() -> None:
        ran.append("store")

    async def broken() -> None:
        raise RuntimeError("limiter went away")

    async def evidence() -> None:
        ran.append("evidence")

    call.after_reply.extend([store, broken, evidence])
    asyncio.run(_after_reply(call))
    assert ran == ["store", "evidence"]
    assert "req_1: bookkeeping after the reply failed" in caplog.text
    # The failure's type and place, never its message: messages may quote request values.
    assert "RuntimeError at" in caplog.text and "in broken" in caplog.text
    assert "limiter went away" not in caplog.text


def test_a_finished_call_is_freed_without_the_garbage_collector() -> None:
    """Steps refer to their call; left on it they would make a cycle per request that only a
    full collection frees (memory grows between those under load)."""

    def live_calls() -> int:
        return sum(1 for o in gc.get_objects() if type(o) is Call)

    async def step(_call: Call) -> None:
        return None

    async def serve_one() -> None:
        call = Call(request_id="r", endpoint="chat", body={}, raw=b"{}", model="m", stream=False)
        call.after_reply.append(functools.partial(step, call))
        await _after_reply(call)

    gc.collect()
    before = live_calls()
    gc.disable()
    try:
        asyncio.run(serve_one())
        assert live_calls() == before
    finally:
        gc.enable()
