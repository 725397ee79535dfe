"""One SQLite file (WAL) and the one thread that owns its connection.

sqlite3 blocks, so every statement runs on that thread and the event loop only awaits it. The
ledger, the keys API and the stored Responses share this way of opening the file.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

__all__ = ["SQLiteFile"]

T = TypeVar("T")


class SQLiteFile:
    def __init__(
        self, path: str | Path, thread_name: str, setup: Callable[[sqlite3.Connection], object]
    ) -> None:
        """`setup` runs once on the new connection (its schema)."""
        self.path = Path(path)
        self._setup = setup
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=thread_name)
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            if self.path.parent != Path():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            # First, so that switching to WAL waits for another process's lock too.
            db.execute("PRAGMA busy_timeout=10000")
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed transaction survives a process crash; only a
            # power loss can take back the last commits.
            db.execute("PRAGMA synchronous=NORMAL")
            self._setup(db)
            self._db = db
        return self._db

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, lambda: work(self._connect()))

    async def aclose(self) -> None:
        def close(db: sqlite3.Connection) -> None:
            db.close()

        if self._db is not None:
            await self.run(close)
            self._db = None
        self._thread.shutdown(wait=True)
