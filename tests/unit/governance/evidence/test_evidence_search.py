"""Searching the ledger a page at a time: filters, newest first, cursors that neither skip nor
repeat, and times given in any ISO-8601 form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from governance.evidence import (
    GENESIS,
    EvidenceStore,
    RecordQuery,
    StoredRecord,
    cursor_after,
    link,
    parse_cursor,
    record_ts,
)
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from tests.support.evidence_records import KEYS, record


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[EvidenceStore]:
    """SQLite; tests/services/test_evidence_search_on_postgres.py runs these on PostgreSQL."""
    store = SQLiteEvidenceStore(tmp_path / "evidence.db")
    yield store
    await store.aclose()


async def fill(store: EvidenceStore) -> None:
    """Two writers, 12 records a minute apart, round the clock from 10:00: every third one a
    denial, keys alternating between `svc` and `batch`; w2's records share w1's times."""
    rows = []
    for writer in ("w1", "w2"):
        prev = GENESIS
        for n in range(12):
            r = record(n)
            r.request_id = f"{writer}-req-{n}"
            r.ts = f"2026-12-01T10:{n:02d}:00.000000Z"
            r.key_id = "svc" if n % 2 else "batch"
            r.decision = "deny:sensitive_data_blocked" if n % 3 == 0 else "allow"
            if n == 9:
                r.decision = "deny:model_not_allowed"
            body = r.canonical()
            digest = link(KEYS, writer, n + 1, prev, body)
            row = StoredRecord(writer, n + 1, r.request_id, r.ts, body.decode(), prev, digest)
            rows.append(row)
            prev = digest
    await store.append(rows)


def ids(page: list[StoredRecord]) -> list[str]:
    return [r.request_id for r in page]


async def test_newest_first_and_filtered_by_request_id(store: EvidenceStore) -> None:
    await fill(store)
    newest = await store.search(RecordQuery(limit=3))
    assert ids(newest) == ["w2-req-11", "w1-req-11", "w2-req-10"]
    assert ids(await store.search(RecordQuery(request_id="w1-req-4"))) == ["w1-req-4"]
    assert await store.search(RecordQuery(request_id="nobody")) == []


async def test_key_decision_and_time_filters_combine(store: EvidenceStore) -> None:
    await fill(store)
    denied = await store.search(RecordQuery(decision="deny", limit=100))
    assert sorted(ids(denied)) == sorted(f"w{w}-req-{n}" for w in (1, 2) for n in (0, 3, 6, 9))
    one_rule = await store.search(RecordQuery(decision="deny:model_not_allowed", limit=100))
    assert ids(one_rule) == ["w2-req-9", "w1-req-9"]
    window = RecordQuery(
        key_id="svc",
        since=record_ts("2026-12-01T10:03:00Z"),
        until=record_ts("2026-12-01T11:07:00+01:00"),  # 10:07 UTC, not included
        request_id=None,
        limit=100,
    )
    assert ids(await store.search(window)) == [
        "w2-req-5", "w1-req-5", "w2-req-3", "w1-req-3",
    ]  # fmt: skip


async def test_cursor_pages_cover_everything_once(store: EvidenceStore) -> None:
    await fill(store)
    seen: list[str] = []
    after = None
    while True:
        page = await store.search(RecordQuery(limit=5, after=after))
        seen += ids(page)
        if len(page) < 5:
            break
        after = parse_cursor(cursor_after(page[-1]))
    assert len(seen) == 24 and len(set(seen)) == 24
    assert seen == ids(await store.search(RecordQuery(limit=100)))


def test_times_and_cursors_are_checked() -> None:
    assert record_ts("2026-12-01T10:00:00Z") == "2026-12-01T10:00:00.000000Z"
    assert record_ts("2026-12-01T10:00:00") == "2026-12-01T10:00:00.000000Z"
    with pytest.raises(ValueError):
        record_ts("yesterday")
    for bad in ("", "not-base64!", "W10", "WyJhIiwiYiIsImMiXQ"):  # "", junk, [], ["a","b","c"]
        with pytest.raises(ValueError):
            parse_cursor(bad)
