"""API keys in the evidence SQLite file (WAL). sqlite3 blocks, so every statement runs on one
thread that owns the connection; BEGIN IMMEDIATE serialises writers across processes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from governance.evidence.sqlite_file import SQLiteFile
from proxy.keyring.record import KeyRow
from proxy.keyring.rotation import answers_cutoff, replay, revoked, rotated, stored_answer
from proxy.keyring.sql import KeySql, update_values
from proxy.keyring.store import KeyNotFound, Rotation, RotationRequest

__all__ = ["SQLiteKeyStore"]

T = TypeVar("T")


class SQLiteKeyStore:
    def __init__(self, path: str | Path, table: str = "metaqore_keys") -> None:
        self.path = Path(path)
        self._sql = KeySql.of(table, numbered=False)
        self._file = SQLiteFile(self.path, "keys-sqlite", self._setup)

    def _setup(self, db: sqlite3.Connection) -> None:
        _in_transaction(db, lambda: [db.execute(s) for s in self._sql.schema("INTEGER")])

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._file.run(work)

    async def _write(self, work: Callable[[sqlite3.Connection, int], T]) -> T:
        """`work` in one IMMEDIATE transaction, handed the next version of the change counter."""

        def transaction(db: sqlite3.Connection) -> T:
            def both() -> T:
                (version,) = db.execute(self._sql.tick).fetchone()
                return work(db, int(version))

            return _in_transaction(db, both)

        return await self._run(transaction)

    async def create(self, row: KeyRow) -> KeyRow:
        def write(db: sqlite3.Connection, version: int) -> KeyRow:
            stored = KeyRow.from_tuple((*row.values()[:-1], version))
            db.execute(self._sql.insert, stored.values())
            return stored

        return await self._write(write)

    async def get(self, key_id: str) -> KeyRow | None:
        rows = await self._select(self._sql.by_id, (key_id,))
        return rows[0] if rows else None

    async def page(self, after: str | None, limit: int) -> list[KeyRow]:
        return await self._select(self._sql.page, (after or "", limit))

    async def changes(self, since: int) -> list[KeyRow]:
        return await self._select(self._sql.changes, (since,))

    async def _select(self, sql: str, params: tuple[object, ...]) -> list[KeyRow]:
        def read(db: sqlite3.Connection) -> list[KeyRow]:
            return [KeyRow.from_tuple(r) for r in db.execute(sql, params).fetchall()]

        return await self._run(read)

    async def rotate(self, request: RotationRequest) -> Rotation:
        sql = self._sql

        def write(db: sqlite3.Connection, version: int) -> Rotation:
            if request.idempotency_key is not None:
                db.execute(sql.forget_answers, (answers_cutoff(request.now),))
                stored = db.execute(sql.stored_answer, (request.idempotency_key,)).fetchone()
                again = replay(stored, request)
                if again is not None:
                    return again
            found = db.execute(sql.by_id, (request.key_id,)).fetchone()
            if found is None:
                raise KeyNotFound(request.key_id)
            row = rotated(KeyRow.from_tuple(found), request, version)
            db.execute(sql.update, update_values(row))
            if request.idempotency_key is not None:
                db.execute(
                    sql.keep_answer,
                    (request.idempotency_key, row.id, request.request_digest,
                     stored_answer(row), request.sealed_secret, request.now),
                )  # fmt: skip
            return Rotation(row)

        return await self._write(write)

    async def revoke(self, key_id: str, now: str) -> KeyRow:
        def write(db: sqlite3.Connection, version: int) -> KeyRow:
            found = db.execute(self._sql.by_id, (key_id,)).fetchone()
            if found is None:
                raise KeyNotFound(key_id)
            row = KeyRow.from_tuple(found)
            if row.revoked_at is not None:
                return row
            row = revoked(row, now, version)
            db.execute(self._sql.update, update_values(row))
            return row

        return await self._write(write)

    async def aclose(self) -> None:
        await self._file.aclose()


def _in_transaction(db: sqlite3.Connection, work: Callable[[], T]) -> T:
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work()
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return result
