"""The keys tables and statements, shared by the SQL stores (placeholders differ)."""

from __future__ import annotations

from dataclasses import dataclass

from proxy.keyring.record import COLUMNS, KeyRow

__all__ = ["KeySql", "update_values"]

# What a change sets, in the order of `update_values`.
_CHANGED = (
    "secret_sha256", "previous_sha256", "previous_expires_at", "updated_at", "revoked_at",
    "version",
)  # fmt: skip


@dataclass(frozen=True)
class KeySql:
    """`table` names the keys table; the change counter and the idempotent answers live in
    `<table>_clock` and `<table>_requests`. `mark(n)` is the n-th placeholder (from 1)."""

    table: str
    marks: tuple[str, ...]

    @classmethod
    def of(cls, table: str, numbered: bool) -> KeySql:
        count = len(COLUMNS)
        return cls(table, tuple(f"${n}" if numbered else "?" for n in range(1, count + 1)))

    def schema(self, bigint: str) -> list[str]:
        t = self.table
        return [
            f"""CREATE TABLE IF NOT EXISTS {t} (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, org TEXT NOT NULL, team TEXT NOT NULL,
    policy TEXT NOT NULL, secret_sha256 TEXT NOT NULL, previous_sha256 TEXT,
    previous_expires_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    expires_at TEXT, revoked_at TEXT, version {bigint} NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {t}_version ON {t} (version)",
            f"CREATE TABLE IF NOT EXISTS {t}_clock "
            f"(id INTEGER PRIMARY KEY, version {bigint} NOT NULL)",
            f"INSERT INTO {t}_clock (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
            # The answers of rotations asked with an Idempotency-Key (the secret only sealed).
            f"""CREATE TABLE IF NOT EXISTS {t}_requests (
    idempotency_key TEXT PRIMARY KEY, key_id TEXT NOT NULL, request_digest TEXT NOT NULL,
    response TEXT NOT NULL, sealed_secret TEXT NOT NULL, created_at TEXT NOT NULL)""",
        ]

    @property
    def select(self) -> str:
        return f"SELECT {', '.join(COLUMNS)} FROM {self.table}"

    @property
    def by_id(self) -> str:
        return f"{self.select} WHERE id = {self.marks[0]}"

    @property
    def page(self) -> str:
        return f"{self.select} WHERE id > {self.marks[0]} ORDER BY id LIMIT {self.marks[1]}"

    @property
    def changes(self) -> str:
        return f"{self.select} WHERE version > {self.marks[0]} ORDER BY version"

    @property
    def insert(self) -> str:
        return f"INSERT INTO {self.table} ({', '.join(COLUMNS)}) VALUES ({', '.join(self.marks)})"

    @property
    def update(self) -> str:
        sets = ", ".join(
            f"{name} = {mark}" for name, mark in zip(_CHANGED, self.marks, strict=False)
        )
        return f"UPDATE {self.table} SET {sets} WHERE id = {self.marks[len(_CHANGED)]}"

    @property
    def tick(self) -> str:
        """Take the next version; the row stays locked until the commit, so versions commit
        in order."""
        return f"UPDATE {self.table}_clock SET version = version + 1 WHERE id = 1 RETURNING version"

    @property
    def stored_answer(self) -> str:
        return (
            f"SELECT request_digest, response, sealed_secret FROM {self.table}_requests "
            f"WHERE idempotency_key = {self.marks[0]}"
        )

    @property
    def forget_answers(self) -> str:
        """Answers older than the cutoff (ISO text sorts in time order)."""
        return f"DELETE FROM {self.table}_requests WHERE created_at < {self.marks[0]}"

    @property
    def keep_answer(self) -> str:
        return f"INSERT INTO {self.table}_requests VALUES ({', '.join(self.marks[:6])})"


def update_values(row: KeyRow) -> tuple[object, ...]:
    return (*(getattr(row, name) for name in _CHANGED), row.id)
