"""Stored responses in a SQLite file (by default the ledger's own file, WAL): one dedicated
thread owns the connection, the event loop only awaits it; processes sharing the file see each
other's commits at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from governance.evidence.sqlite_file import SQLiteFile
from proxy.response_store.store import StoredResponse

__all__ = ["SQLiteResponseStore"]

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS metaqore_responses (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at REAL NOT NULL,
    sealed BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS metaqore_responses_expiry ON metaqore_responses (expires_at);
"""


class SQLiteResponseStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file = SQLiteFile(self.path, "responses-sqlite", lambda db: db.executescript(_SCHEMA))

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._file.run(work)

    async def put(self, entry: StoredResponse) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO metaqore_responses (id, owner, expires_at, sealed) "
                "VALUES (?, ?, ?, ?)",
                (entry.id, entry.owner, entry.expires_at, entry.sealed),
            )

        await self._run(write)

    async def get(self, response_id: str, owner: str, now: float) -> bytes | None:
        def read(db: sqlite3.Connection) -> bytes | None:
            row = db.execute(
                "SELECT sealed FROM metaqore_responses WHERE id = ? AND owner = ? "
                "AND expires_at > ?",
                (response_id, owner, now),
            ).fetchone()
            return bytes(row[0]) if row else None

        return await self._run(read)

    async def delete(self, response_id: str, owner: str) -> bool:
        def remove(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "DELETE FROM metaqore_responses WHERE id = ? AND owner = ?", (response_id, owner)
            )
            return cursor.rowcount > 0

        return await self._run(remove)

    async def purge(self, now: float) -> int:
        def remove(db: sqlite3.Connection) -> int:
            cursor = db.execute("DELETE FROM metaqore_responses WHERE expires_at <= ?", (now,))
            return cursor.rowcount

        return await self._run(remove)

    async def aclose(self) -> None:
        await self._file.aclose()
