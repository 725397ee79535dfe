"""One writer's spool into the store: batch after batch, in sequence order, retried until the
store takes it. A batch the store already holds (its commit was acknowledged to nobody) counts
as written; a chain conflict stops this drain for good (the rows stay in the spool)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from governance.evidence.record import StoredRecord
from governance.evidence.spool_cursor import SpoolCursor
from governance.evidence.spool_rows import SpoolCorrupt
from governance.evidence.store import ChainConflict, EvidenceStore
from governance.evidence.writer_health import WriterHealth
from governance.failure_log import describe_failure

__all__ = ["DrainSettings", "SpoolDrain"]

log = logging.getLogger("metaqore.evidence")

_RETRY_DELAYS = (0.05, 0.2, 1.0, 2.0)


@dataclass(frozen=True, slots=True)
class DrainSettings:
    batch_size: int
    # Wait this long for a batch to fill (group commit): one commit costs about as much CPU as
    # twenty inserted rows. 0: write what is there at once.
    flush_s: float


class SpoolDrain:
    def __init__(
        self,
        store: EvidenceStore,
        cursor: SpoolCursor,
        health: WriterHealth,
        settings: DrainSettings,
        *,
        wake: asyncio.Event | None = None,
        on_committed: Callable[[list[StoredRecord]], None] = lambda rows: None,
        on_failed: Callable[[], None] = lambda: None,
    ) -> None:
        self.cursor = cursor
        self._store = store
        self._health = health
        self._settings = settings
        # Set by each append to a live spool; None: the spool is complete (a dead writer's).
        self._wake = wake
        self._stopping = False
        self._on_committed = on_committed
        self._on_failed = on_failed

    def stop(self) -> None:
        """Write what is spooled, then return (the owner bounds how long that may take)."""
        self._stopping = True
        if self._wake is not None:
            self._wake.set()

    async def run(self) -> bool:
        """True once everything spooled is in the store; False after a chain conflict."""
        batch_size = self._settings.batch_size
        while True:
            rows = self._read(batch_size)
            if rows is None:
                return False
            if not rows:
                if self._wake is None or self._stopping:
                    return True
                self._wake.clear()  # nothing was appended since the read: no await between
                await self._wake.wait()
                continue
            if len(rows) < batch_size and self._settings.flush_s and not self._stopping:
                await asyncio.sleep(self._settings.flush_s)
                rows = self._read(batch_size)
            if not rows or not await self._commit(rows):
                return False
            self.cursor.acknowledge(len(rows))
            self._on_committed(rows)

    def _read(self, limit: int) -> list[StoredRecord] | None:
        """The next rows; None when the spool cannot be read (an integrity error)."""
        try:
            return self.cursor.read(limit)
        except (SpoolCorrupt, OSError) as exc:
            self._health.conflicted(exc)
            return None

    async def _commit(self, rows: list[StoredRecord]) -> bool:
        attempt = 0
        while True:
            if attempt:
                self._health.retries += 1
            try:
                await self._store.append(rows)
                return True
            except ChainConflict as exc:
                self._health.conflicted(exc)
                return False
            except Exception as exc:
                self._health.failed(exc)
                log.warning(
                    "evidence write failed (%d records of chain %s held, kept in the spool): "
                    "%s; retrying", len(rows), self.cursor.writer_id, describe_failure(exc),
                )  # fmt: skip
                self._on_failed()
                await asyncio.sleep(_RETRY_DELAYS[min(attempt, len(_RETRY_DELAYS) - 1)])
                attempt += 1
