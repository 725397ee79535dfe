"""The ledger writer. A record is linked into this writer's chain and appended to its local
spool (one write() into the page cache) before the call's answer is sent; a task per spool
then writes the store from it in batches, off the request path.

So a process crash loses no answered call, and neither does a store that is down (at start-up
too): the spool holds the records and is replayed, in order, when the store comes back. At
start-up the spools of writers that died are replayed as well, each under its own writer id.
Memory holds no record while it waits: the spool does.

Durability `sync` answers only once the record is committed to the store or, while the store
fails, fsynced in the spool. Back-pressure: once `queue_size` records wait for the store, a
completed answer waits for room (or, refusing unrecorded answers, is refused).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from governance.evidence.hash_chain import GENESIS, ChainKeys, link
from governance.evidence.record import EvidenceRecord, StoredRecord
from governance.evidence.spool import Spool
from governance.evidence.spool_cursor import SpoolCursor
from governance.evidence.spool_drain import DrainSettings, SpoolDrain
from governance.evidence.spool_recovery import OrphanSpool, claim_orphans
from governance.evidence.spool_rows import SpoolCorrupt, encode_row
from governance.evidence.store import EvidenceStore
from governance.evidence.writer_health import WriterHealth
from governance.failure_log import describe_failure

__all__ = ["Durability", "EvidenceLedger", "LedgerSettings"]

log = logging.getLogger("metaqore.evidence")

Durability = Literal["batched", "sync"]
_HEAD_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class LedgerSettings:
    spool_root: Path
    durability: Durability = "batched"
    queue_size: int = 100_000
    batch_size: int = 256
    flush_s: float = 0.05
    unhealthy_after_s: float = 10.0
    # Answer 503 (instead of answering unrecorded) once the writer is unhealthy or full.
    refuse_unrecorded: bool = False
    close_timeout_s: float = 10.0
    # A configured writer id continues its chain across restarts; a generated one is new.
    writer_id_fixed: bool = False


class EvidenceLedger:
    def __init__(
        self, store: EvidenceStore, keys: ChainKeys, writer_id: str, settings: LedgerSettings
    ) -> None:
        self.store = store
        self.keys = keys
        self.writer_id = writer_id
        self.settings = settings
        self.durability = settings.durability
        self.health = WriterHealth(settings.unhealthy_after_s)
        self._sync = settings.durability == "sync"
        self._spool: Spool | None = None
        self._seq, self._prev = 0, GENESIS
        self._committed = 0  # the last seq of this chain known to be in the store
        self._synced = 0  # sync durability, store failing: the last seq fsynced in the spool
        self._syncing: asyncio.Future[None] | None = None
        self._waiters: deque[tuple[int, asyncio.Future[None]]] = deque()
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self._own: SpoolDrain | None = None
        self._orphans: list[tuple[OrphanSpool, SpoolDrain]] = []
        self._orphan_rows = 0
        self._tasks: list[asyncio.Task[bool]] = []

    async def start(self) -> None:
        """Lock this writer's spool, find its chain's head, claim dead writers' spools and
        start writing. Needs no store: one that is down is written once it is back."""
        spool, head = await self._open_spool()
        self._spool, self.writer_id = spool, spool.writer_id
        if head is not None:
            self._seq, self._prev = head
            self._committed = self._synced = head[0]
        spool.begin(self._seq + 1)
        settings = DrainSettings(self.settings.batch_size, self.settings.flush_s)
        if self._sync:
            settings = DrainSettings(self.settings.batch_size, 0.0)  # calls wait on commits
        cursor = SpoolCursor(self.writer_id, spool.segments, live=True)
        self._own = self._drain(cursor, settings, self._wake, self._own_committed)
        for orphan in claim_orphans(self.settings.spool_root, self.writer_id):
            cursor = SpoolCursor(orphan.writer_id, orphan.segments, live=False)
            self._orphans.append((orphan, self._drain(cursor, settings, None, self._replayed)))
            self._orphan_rows += orphan.rows()
            log.info("replaying the spool of evidence writer %s", orphan.writer_id)
        if self._orphan_rows:
            self.health.waiting_since = time.monotonic()
        self._tasks = [
            asyncio.create_task(self._own.run(), name=f"evidence-writer-{self.writer_id}"),
            asyncio.create_task(self._replay_orphans(), name="evidence-replay"),
        ]

    async def _open_spool(self) -> tuple[Spool, tuple[int, str] | None]:
        root, durable = self.settings.spool_root, self._sync
        spool = Spool.open(root, self.writer_id, durable=durable)
        head = spool.head()
        if head is not None or not self.settings.writer_id_fixed:
            return spool, head
        try:
            return spool, await asyncio.wait_for(self.store.head(self.writer_id), _HEAD_TIMEOUT_S)
        except Exception as exc:
            # Neither the spool nor the store can say where this chain ended: guessing could
            # fork it, so this process writes a chain of its own.
            renamed = f"{self.writer_id}.{secrets.token_hex(4)}"
            log.warning(
                "evidence writer %s: its head is unknown (no spool, store unreachable: %s); "
                "writing chain %s instead", self.writer_id, type(exc).__name__, renamed,
            )  # fmt: skip
            spool.retire(None, keep_head=False)
            return Spool.open(root, renamed, durable=durable), None

    def _drain(
        self,
        cursor: SpoolCursor,
        settings: DrainSettings,
        wake: asyncio.Event | None,
        on_committed: Callable[[list[StoredRecord]], None],
    ) -> SpoolDrain:
        return SpoolDrain(
            self.store, cursor, self.health, settings, wake=wake,
            on_committed=on_committed, on_failed=self._store_failed,
        )  # fmt: skip

    async def _replay_orphans(self) -> bool:
        while self._orphans:
            orphan, drain = self._orphans[0]
            try:
                done = await drain.run()
            finally:
                drain.cursor.close()
            del self._orphans[0]
            if done:
                orphan.remove()
                log.info("the spool of evidence writer %s is in the store", orphan.writer_id)
            else:
                orphan.release()
        return True

    # -- the request path ---------------------------------------------------------------------

    def append(self, record: EvidenceRecord) -> int:
        """Link `record` into the chain and spool it now (one write, no fsync); its seq.
        OSError when the spool cannot take it."""
        spool = self._spool
        if spool is None:
            raise RuntimeError("the evidence ledger is not running")
        if not record.request_id.isprintable():  # a spool line's fields hold no tab or LF
            raise ValueError("an evidence record's request id must be printable")
        canonical = record.canonical()
        seq, prev = self._seq + 1, self._prev
        digest = link(self.keys, self.writer_id, seq, prev, canonical)
        line = encode_row(seq, record.request_id, record.ts, prev, digest, canonical)
        try:
            spool.append(line, seq)
        except OSError as exc:
            self.health.spool_error = exc.strerror or type(exc).__name__
            raise
        self.health.spool_error = None
        self._seq, self._prev = seq, digest
        if self.health.waiting_since is None:
            self.health.waiting_since = time.monotonic()
        self._wake.set()
        return seq

    def record_now(self, record: EvidenceRecord) -> int | None:
        """Spool `record` if nothing need wait for it (batched, room left): its seq; None:
        `submit` it."""
        if self._sync or self.full:
            return None
        return self.append(record)

    async def submit(self, record: EvidenceRecord) -> int:
        """Spool `record` once there is room; in sync durability, return once it is durable.
        Its seq."""
        await self._wait_for_room()
        seq = self.append(record)
        await self.settle(seq)
        return seq

    async def _wait_for_room(self) -> None:
        """Back-pressure: return once fewer than `queue_size` records wait for the store."""
        while self.full:
            self._room.clear()
            await self._room.wait()

    async def settle(self, seq: int) -> None:
        """Sync durability: return once record `seq` is committed (or, while the store fails,
        fsynced in the spool). Batched: at once."""
        if self._sync:
            await self._durable(seq)

    @property
    def full(self) -> bool:
        return self._seq - self._committed >= self.settings.queue_size

    @property
    def refusing(self) -> bool:
        """Whether calls should be refused rather than answered unrecorded."""
        return self.settings.refuse_unrecorded and (self.full or self.health.problem() is not None)

    async def _durable(self, seq: int) -> None:
        while seq > self._committed and seq > self._synced:
            if self.health.last_error is not None:  # the store fails: the spool must hold it
                await self._fsync_spool()
                continue
            done = asyncio.get_running_loop().create_future()
            self._waiters.append((seq, done))
            await done

    async def _fsync_spool(self) -> None:
        if self._syncing is None:
            assert self._spool is not None
            through = self._seq
            self._syncing = asyncio.ensure_future(asyncio.to_thread(self._spool.syncer()))
            try:
                await asyncio.shield(self._syncing)
                self._synced = max(self._synced, through)
            finally:
                self._syncing = None
        else:
            await asyncio.shield(self._syncing)

    # -- the drains' news ---------------------------------------------------------------------

    def _own_committed(self, rows: list[StoredRecord]) -> None:
        self._committed = max(self._committed, rows[-1].seq)
        while self._waiters and self._waiters[0][0] <= self._committed:
            _, done = self._waiters.popleft()
            if not done.done():
                done.set_result(None)
        if not self.full:
            self._room.set()
        self.health.committed(len(rows), still_waiting=self.pending > 0)

    def _replayed(self, rows: list[StoredRecord]) -> None:
        self._orphan_rows -= len(rows)
        self.health.committed(len(rows), still_waiting=self.pending > 0)

    def _store_failed(self) -> None:
        """Sync durability: callers waiting for a commit fsync the spool instead."""
        while self._waiters:
            _, done = self._waiters.popleft()
            if not done.done():
                done.set_result(None)

    # -- reporting ----------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Records spooled, not yet known to be in the store (dead writers' spools included)."""
        return self._seq - self._committed + max(self._orphan_rows, 0)

    def oldest_unwritten_s(self) -> float:
        """Age of the oldest record not yet in the store (read from the spools); 0 when none
        waits or none can be read."""
        drains = [drain for _, drain in self._orphans]
        if self._own is not None and self._seq > self._committed:
            drains.append(self._own)
        stamps: list[str] = []
        for drain in drains:
            try:
                rows = drain.cursor.read(1)
            except (OSError, SpoolCorrupt):  # the drain reports it; a scrape must not fail
                continue
            stamps.extend(row.ts for row in rows[:1])
        if not stamps:
            return 0.0
        oldest = datetime.fromisoformat(min(stamps)).timestamp()
        return max(0.0, time.time() - oldest)

    async def aclose(self) -> None:
        """Write what is spooled (for at most `close_timeout_s`), then stop. What is left stays
        in the spool for the next start; the store stays open for its owner to close."""
        if not self._tasks or self._own is None or self._spool is None:
            return
        self._own.stop()
        everything = asyncio.gather(*self._tasks)
        try:
            await asyncio.wait_for(everything, self.settings.close_timeout_s)
        except TimeoutError:
            log.warning(
                "evidence: %d records not yet in the store at shutdown stay in the spool %s",
                self.pending, self.settings.spool_root,
            )  # fmt: skip
        except Exception as exc:
            log.error("evidence writer failed while stopping: %s", describe_failure(exc))
        self._own.cursor.close()
        for orphan, _ in self._orphans:
            orphan.release()
        if self._committed == self._seq:
            self._spool.retire((self._seq, self._prev), keep_head=self.settings.writer_id_fixed)
        else:
            self._spool.release()
        self._tasks = []
