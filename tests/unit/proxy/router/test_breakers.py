"""Circuit breakers: opening on health failures only, one half-open probe, peer transitions."""

from __future__ import annotations

import asyncio

import pytest

from proxy.call import Reply
from proxy.providers.base import UpstreamError
from proxy.router.breakers import BreakerBoard, BreakerOpen, State


def failure(status: int = 502, kind: str = "status") -> UpstreamError:
    return UpstreamError(status, "boom", kind=kind, retryable=True)  # type: ignore[arg-type]


class Backend:
    def __init__(self) -> None:
        self.calls = 0
        self.error: UpstreamError | None = None
        self.delay = 0.0

    async def send(self) -> Reply:
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return Reply(200, "up/m", body=b"{}")


async def test_health_failures_open_the_breaker_and_the_cause_reaches_the_caller() -> None:
    seen: list[tuple[str, State]] = []
    board = BreakerBoard(fail_max=3, reset_s=60)
    board.on_change(lambda target, state: seen.append((target, state)))
    breaker, backend = board.for_target("up/m"), Backend()
    backend.error = failure(429)  # rate limits say nothing about health
    for _ in range(5):
        with pytest.raises(UpstreamError):
            await breaker.call(backend.send)
    assert breaker.state == "closed"
    backend.error = failure(kind="timeout")
    for _ in range(3):
        with pytest.raises(UpstreamError) as caught:
            await breaker.call(backend.send)
        assert caught.value.kind == "timeout"
    assert breaker.state == "open" and not breaker.allows()
    assert seen == [("up/m", "open")]
    with pytest.raises(BreakerOpen):
        await breaker.call(backend.send)
    assert board.states() == {"up/m": {"state": "open", "failures": 3}}


async def test_half_open_lets_exactly_one_probe_through() -> None:
    board = BreakerBoard(fail_max=1, reset_s=0.05)
    breaker, backend = board.for_target("up/m"), Backend()
    backend.error = failure()
    with pytest.raises(UpstreamError):
        await breaker.call(backend.send)
    await asyncio.sleep(0.06)
    assert breaker.allows()
    backend.error, backend.delay = None, 0.05
    results = await asyncio.gather(
        *(breaker.call(backend.send) for _ in range(10)), return_exceptions=True
    )
    assert backend.calls == 2  # the failure, then one probe
    assert sum(isinstance(r, Reply) for r in results) == 1
    assert all(isinstance(r, BreakerOpen) for r in results if not isinstance(r, Reply))
    assert breaker.state == "closed"


async def test_a_failed_probe_reopens() -> None:
    board = BreakerBoard(fail_max=1, reset_s=0.05)
    breaker, backend = board.for_target("up/m"), Backend()
    backend.error = failure()
    with pytest.raises(UpstreamError):
        await breaker.call(backend.send)
    await asyncio.sleep(0.06)
    with pytest.raises(UpstreamError):
        await breaker.call(backend.send)
    assert breaker.state == "open" and not breaker.allows()


def test_peer_transitions_apply_without_echo() -> None:
    seen: list[tuple[str, State]] = []
    board = BreakerBoard(fail_max=5, reset_s=60)
    board.on_change(lambda target, state: seen.append((target, state)))
    breaker = board.for_target("up/m")
    breaker.apply_from_peer("open")
    assert breaker.state == "open" and not breaker.allows()
    breaker.apply_from_peer("closed")
    assert breaker.state == "closed" and seen == []
