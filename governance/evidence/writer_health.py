"""How the evidence writer is doing, for /readyz, /metrics and `on_store_failure: refuse`."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

__all__ = ["WriterHealth"]

log = logging.getLogger("metaqore.evidence")


@dataclass(slots=True)
class WriterHealth:
    """Counters and the faults in force. Unhealthy: a chain conflict in the store (for good),
    the spool failing to take a record, or records waiting longer than `bound_s` for a commit."""

    bound_s: float
    written: int = 0
    commit_failures: int = 0
    retries: int = 0
    conflicts: int = 0
    conflict: str | None = None
    spool_error: str | None = None
    last_error: str | None = None
    # Monotonic time since when records have waited without a commit; None: nothing waits.
    waiting_since: float | None = None

    def committed(self, count: int, still_waiting: bool) -> None:
        self.written += count
        self.last_error = None
        self.waiting_since = time.monotonic() if still_waiting else None

    def failed(self, error: BaseException) -> None:
        self.commit_failures += 1
        # Its type only: /readyz shows it to anyone, and a message may name hosts or values.
        self.last_error = type(error).__name__

    def conflicted(self, error: BaseException) -> None:
        self.conflicts += 1
        self.conflict = str(error)
        log.error("evidence integrity error: %s; this chain is no longer written", error)

    def stalled_s(self) -> float:
        since = self.waiting_since
        return 0.0 if since is None else time.monotonic() - since

    def problem(self) -> str | None:
        """Why the writer is unhealthy, or None."""
        if self.conflict is not None:
            return f"integrity error: {self.conflict}"
        if self.spool_error is not None:
            return f"the spool cannot take records: {self.spool_error}"
        stalled = self.stalled_s()
        if stalled > self.bound_s:
            cause = f" ({self.last_error})" if self.last_error else ""
            return f"no commit for {stalled:.1f} s with records waiting{cause}"
        return None
