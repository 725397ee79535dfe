"""How long a scan may run: a deadline, and a flag its caller sets when the call has ended.

A scan's cost depends on what it is given (a text of digit groups costs thousands of times a
text of words), so the scanner checks its budget as it goes (between texts and windows, and at
each candidate a detector weighs) and stops with `ScanStopped` once the deadline has passed or
its caller has let go; the work after that is one candidate's. The budget belongs to the thread
that scans (inline on the event loop, or a scan thread), so scans in parallel never share one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ScanBudget", "ScanStopped", "check_budget", "spending"]

# Reading the clock costs more than a candidate's check; it is read every eighth check.
_CLOCK_MASK = 7


class ScanStopped(TimeoutError):
    """The scan ran out of its budget, or its call ended, before it finished."""


class ScanBudget:
    __slots__ = ("cancelled", "checks", "deadline", "stopped")

    def __init__(self, seconds: float) -> None:
        self.deadline = time.perf_counter() + seconds
        self.cancelled = False
        self.stopped = False
        self.checks = 0  # steps of work begun (tests count the work done after a stop)


class _ThisThread(threading.local):
    # A class default, so that a thread with no budget reads None without a failed lookup
    # (getattr with a default on a bare threading.local costs 0.6 us).
    budget: ScanBudget | None = None


_local = _ThisThread()


@contextmanager
def spending(budget: ScanBudget) -> Iterator[ScanBudget]:
    """Scans in this thread run under `budget` until the block ends."""
    previous = _local.budget
    _local.budget = budget
    try:
        yield budget
    finally:
        _local.budget = previous


def check_budget() -> None:
    """One step of scan work: raises ScanStopped when this thread's budget is spent."""
    budget = _local.budget
    if budget is None:
        return
    # Inline rather than a method: it runs at every candidate of every scan.
    budget.checks += 1
    if budget.cancelled or (
        not budget.checks & _CLOCK_MASK and time.perf_counter() > budget.deadline
    ):
        budget.stopped = True
        raise ScanStopped
