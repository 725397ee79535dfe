"""Finding records in a SQL store a page at a time: newest first, filtered by request id, key,
decision and time, continued from an opaque cursor (never an offset, never the whole table)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from governance.evidence.record import StoredRecord
from governance.evidence.sql import COLUMNS

__all__ = ["RecordQuery", "cursor_after", "parse_cursor", "record_ts", "search_sql"]

# Where a page ended: (ts, writer_id, seq) of its last record, the order's full key.
Position = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class RecordQuery:
    request_id: str | None = None
    key_id: str | None = None
    # "deny" finds every denial; "deny:<rule>" that rule's only.
    decision: str | None = None
    since: str | None = None  # record_ts form, inclusive
    until: str | None = None  # record_ts form, exclusive
    after: Position | None = None
    limit: int = 50


def record_ts(text: str) -> str:
    """An ISO-8601 time as records stamp it (UTC, microseconds), so that text order is time
    order; ValueError if it is not one. A time without a zone is taken as UTC."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def cursor_after(record: StoredRecord) -> str:
    raw = orjson.dumps([record.ts, record.writer_id, record.seq])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_cursor(text: str) -> Position:
    """The position a cursor names; ValueError if it is not one `cursor_after` made."""
    try:
        ts, writer_id, seq = orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, TypeError) as exc:
        raise ValueError("not a cursor from a previous page") from exc
    if not (isinstance(ts, str) and isinstance(writer_id, str) and isinstance(seq, int)):
        raise ValueError("not a cursor from a previous page")
    return ts, writer_id, seq


def search_sql(
    table: str,
    query: RecordQuery,
    mark: Callable[[int], str],
    field: Callable[[str], str],
) -> tuple[str, list[object]]:
    """The statement and its parameters; `mark(n)` writes the n-th placeholder (from 1),
    `field(name)` reads a top-level field of the record's JSON (the stores' SQL differs)."""
    where: list[str] = []
    params: list[object] = []

    def bind(value: object) -> str:
        params.append(value)
        return mark(len(params))

    if query.request_id is not None:
        where.append(f"request_id = {bind(query.request_id)}")
    if query.key_id is not None:
        where.append(f"{field('key_id')} = {bind(query.key_id)}")
    if query.decision is not None:
        decision = field("decision")
        if ":" in query.decision:
            where.append(f"{decision} = {bind(query.decision)}")
        else:
            exact, prefix = bind(query.decision), bind(query.decision + ":%")
            where.append(f"({decision} = {exact} OR {decision} LIKE {prefix})")
    if query.since is not None:
        where.append(f"ts >= {bind(query.since)}")
    if query.until is not None:
        where.append(f"ts < {bind(query.until)}")
    if query.after is not None:
        ts, writer_id, seq = query.after
        where.append(f"(ts, writer_id, seq) < ({bind(ts)}, {bind(writer_id)}, {bind(seq)})")
    condition = f"WHERE {' AND '.join(where)} " if where else ""
    sql = (
        f"SELECT {COLUMNS} FROM {table} {condition}"
        f"ORDER BY ts DESC, writer_id DESC, seq DESC LIMIT {bind(query.limit)}"
    )
    return sql, params
