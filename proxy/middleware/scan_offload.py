"""Scans too costly for the event loop run on a few threads of their own, under the call's
deadline, bounded per key and in total.

A scan first runs inline with a budget of a few milliseconds (most prompts finish in tens of
microseconds); one that runs out of it, or is too big to try, continues here. Its budget is the
call's: past the deadline, or once the call has ended (its 503 sent, its client gone), the scan
stops at its next step, so no CPU is spent on an answer nobody will get. A key may have
`per_key` scans here at once (beyond: 429), all keys `in_flight` (beyond: 503), so one client's
big bodies cannot take every thread from everyone else.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from governance.sensitivity.scan_budget import ScanBudget, ScanStopped, spending
from proxy.wire.errors import GatewayError

__all__ = ["ScanOffload"]

T = TypeVar("T")
_GRACE_S = 0.25


class ScanOffload:
    def __init__(self, threads: int, per_key: int, in_flight: int) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="metaqore-scan")
        self._per_key = per_key
        self._max_in_flight = in_flight
        self._by_key: Counter[str] = Counter()
        self.in_flight = 0
        self.offloaded = 0
        self.stopped = 0
        self.refused = 0

    async def scan(self, key: str, budget: ScanBudget, work: Callable[[], T]) -> T:
        """`work()` on a scan thread under `budget`; it stops when the budget does, or when
        the awaiting call is cancelled."""
        if self._by_key[key] >= self._per_key:
            self.refused += 1
            raise GatewayError(
                429,
                f"This key already has {self._per_key} large request(s) being scanned; "
                "retry when they are answered.",
                code="too_many_large_requests",
                headers={"retry-after": "1"},
            )
        if self.in_flight >= self._max_in_flight:
            self.refused += 1
            raise GatewayError(
                503,
                "The gateway is scanning as many large requests as it can; retry shortly.",
                code="governance_busy",
                headers={"retry-after": "1"},
            )
        self._by_key[key] += 1
        self.in_flight += 1
        self.offloaded += 1

        def spend() -> T:
            with spending(budget):
                return work()

        # The budget stops the thread at the deadline; the wait ends there even if a step of
        # the scan has not come back yet.
        wait_s = max(0.0, budget.deadline - time.perf_counter()) + _GRACE_S
        try:
            return await asyncio.wait_for(asyncio.wrap_future(self._pool.submit(spend)), wait_s)
        except (ScanStopped, TimeoutError, asyncio.CancelledError):
            self.stopped += 1  # past the deadline, or the call ended (its client is gone)
            raise
        finally:
            budget.cancelled = True  # an early exit (client gone) stops the thread too
            self.in_flight -= 1
            self._by_key[key] -= 1
            if not self._by_key[key]:
                del self._by_key[key]

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` on a scan thread, unbounded by budget (a rewrite after an offloaded scan)."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    def metrics(self) -> Iterator[Any]:
        yield GaugeMetricFamily(
            "metaqore_scans_offloaded_in_flight",
            "Scans running (or waiting) on scan threads.",
            value=self.in_flight,
        )
        for name, value, what in (
            ("metaqore_scans_offloaded", self.offloaded, "Scans moved off the event loop."),
            ("metaqore_scans_stopped", self.stopped, "Offloaded scans stopped unfinished."),
            ("metaqore_scans_refused", self.refused, "Large scans refused (429 or 503)."),
        ):
            yield CounterMetricFamily(name, what, value=value)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
