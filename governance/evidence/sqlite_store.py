"""Evidence in one SQLite file (WAL): the zero-setup default.

sqlite3 blocks, so every statement runs on one dedicated thread that owns the connection; the
event loop only awaits it. Several processes may share the file (`--workers N`): each writes its
own chain and WAL serialises their commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from governance.evidence.record import StoredRecord
from governance.evidence.search import RecordQuery, search_sql
from governance.evidence.sql import (
    COLUMNS,
    pages_of_chain,
    pages_since,
    schema,
    stored_rows_queries,
)
from governance.evidence.sqlite_file import SQLiteFile
from governance.evidence.store import check_duplicates

__all__ = ["SQLiteEvidenceStore"]

T = TypeVar("T")

_TABLE = "evidence"
_MARKS = ("?", "?")
# 7 values a row: 896 host parameters, under SQLite's oldest limit of 999.
_ROWS_PER_INSERT = 128
_INSERT = (
    f"INSERT INTO {_TABLE} ({COLUMNS}) VALUES {{values}} ON CONFLICT (writer_id, seq) DO NOTHING"
)


class SQLiteEvidenceStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file = SQLiteFile(
            self.path, "evidence-sqlite", lambda db: db.executescript(schema(_TABLE, "INTEGER"))
        )

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._file.run(work)

    async def append(self, records: Sequence[StoredRecord]) -> None:
        # A few multi-row INSERTs rather than one statement per row: every row of executemany
        # takes the GIL back from the event loop's thread, mid-request.
        statements = []
        for start in range(0, len(records), _ROWS_PER_INSERT):
            chunk = records[start : start + _ROWS_PER_INSERT]
            values = ",".join(["(?,?,?,?,?,?,?)"] * len(chunk))
            params = [v for r in chunk for v in r]  # a StoredRecord is a row in column order
            statements.append((_INSERT.format(values=values), params))

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.execute("BEGIN IMMEDIATE")
                before = db.total_changes
                for sql, params in statements:
                    db.execute(sql, params)
                if db.total_changes - before < len(records):
                    # Some rows were there already (a batch replayed after a crash): they
                    # count as written if they are the same; else nothing is (rollback).
                    queries = stored_rows_queries(_TABLE, ("?", "?", "?"), records)
                    check_duplicates(records, (r for q, ps in queries for r in db.execute(q, ps)))

        await self._run(write)

    async def head(self, writer_id: str) -> tuple[int, str] | None:
        def read(db: sqlite3.Connection) -> tuple[int, str] | None:
            row = db.execute(
                "SELECT seq, hash FROM evidence WHERE writer_id = ? ORDER BY seq DESC LIMIT 1",
                (writer_id,),
            ).fetchone()
            return (int(row[0]), str(row[1])) if row else None

        return await self._run(read)

    async def writers(self) -> list[str]:
        def read(db: sqlite3.Connection) -> list[str]:
            rows = db.execute("SELECT DISTINCT writer_id FROM evidence ORDER BY writer_id")
            return [str(r[0]) for r in rows]

        return await self._run(read)

    def chain(self, writer_id: str) -> AsyncIterator[StoredRecord]:
        return pages_of_chain(self._page, _TABLE, _MARKS, writer_id)

    def since(self, ts: str | None) -> AsyncIterator[StoredRecord]:
        return pages_since(self._page, _TABLE, _MARKS, ts)

    async def search(self, query: RecordQuery) -> list[StoredRecord]:
        sql, params = search_sql(_TABLE, query, _qmark, _sqlite_field)
        return await self._page(sql, tuple(params))

    async def _page(self, sql: str, params: tuple[object, ...]) -> list[StoredRecord]:
        def read(db: sqlite3.Connection) -> list[StoredRecord]:
            return [StoredRecord(*row) for row in db.execute(sql, params)]

        return await self._run(read)

    async def aclose(self) -> None:
        await self._file.aclose()


def _qmark(_n: int) -> str:
    return "?"


def _sqlite_field(name: str) -> str:
    return f"json_extract(record, '$.{name}')"
