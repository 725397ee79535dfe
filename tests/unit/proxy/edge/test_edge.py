"""The edge's parts on their own: the connection board, the access log's filter, the shared
probe, the descriptor-derived cap. The wire behaviour is in tests/e2e/test_edge.py."""

from __future__ import annotations

import asyncio
import logging
import resource

import pytest

from proxy.edge import ConnectionBoard, ProbeCache, QueryDropped, connection_cap


class _Connection:
    def __init__(self, name: str, closed: list[str]) -> None:
        self.name = name
        self._closed = closed

    def shed(self) -> None:
        self._closed.append(self.name)


def test_the_board_sheds_the_connection_idle_longest() -> None:
    closed: list[str] = []
    board = ConnectionBoard(cap=3)
    a, b, c, d, e = (_Connection(n, closed) for n in "abcde")
    for connection in (a, b, c):
        assert board.admit(connection)
    board.busy(a)
    board.idle(a)  # a served a request: now the most recently idle
    assert board.admit(d)
    assert closed == ["b"]
    board.busy(c)
    board.busy(d)
    board.busy(a)
    assert not board.admit(e)  # every connection busy: refused, nothing shed
    assert closed == ["b"]
    board.gone(c)
    assert board.admit(e)


def test_a_shed_connection_is_not_made_idle_again() -> None:
    closed: list[str] = []
    board = ConnectionBoard(cap=1)
    a, b = _Connection("a", closed), _Connection("b", closed)
    board.admit(a)
    board.admit(b)
    board.idle(a)  # a late callback of the shed connection
    board.busy(b)
    assert not board.admit(_Connection("c", closed))
    assert closed == ["a"]


def test_the_cap_follows_the_descriptor_limit() -> None:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert connection_cap(7) == 7
    if soft != resource.RLIM_INFINITY:
        assert connection_cap(None) == (soft - 64) // 2


def test_the_access_filter_drops_every_query() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/v1/models?api-key=sk-secret&x=1", "1.1", 200),
        None,
    )
    assert QueryDropped().filter(record)
    assert record.getMessage() == '127.0.0.1:5 - "GET /v1/models HTTP/1.1" 200'


def test_concurrent_callers_share_one_probe_and_a_hang_up_does_not_cancel_it() -> None:
    calls = 0

    async def probe() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return calls

    async def scenario() -> None:
        cache = ProbeCache(probe, ttl_s=60)
        impatient = asyncio.ensure_future(cache.get())
        await asyncio.sleep(0)
        impatient.cancel()
        results = await asyncio.gather(*(cache.get() for _ in range(20)))
        assert {value for value, _ in results} == {1}
        assert (await cache.get())[0] == 1  # served from the cache
        assert calls == 1

    asyncio.run(scenario())


def test_without_a_cache_time_every_round_probes_again() -> None:
    calls = 0

    async def probe() -> int:
        nonlocal calls
        calls += 1
        return calls

    async def scenario() -> None:
        cache = ProbeCache(probe, ttl_s=0)
        assert [(await cache.get())[0] for _ in range(3)] == [1, 2, 3]

    asyncio.run(scenario())


def test_a_failed_probe_is_not_kept() -> None:
    outcomes: list[int | Exception] = [RuntimeError("down"), 5]

    async def probe() -> int:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def scenario() -> None:
        cache = ProbeCache(probe, ttl_s=60)
        with pytest.raises(RuntimeError):
            await cache.get()
        assert (await cache.get())[0] == 5

    asyncio.run(scenario())
