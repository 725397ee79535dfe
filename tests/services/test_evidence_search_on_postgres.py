"""The ledger search's tests (tests/unit/governance/evidence/test_evidence_search.py) on the
real PostgreSQL: the same tests, with the fixture below in place of the SQLite one."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from governance.evidence import EvidenceStore
from governance.evidence.postgres_store import PostgresEvidenceStore
from tests.support.services import drop_table, postgres_dsn
from tests.unit.governance.evidence.test_evidence_search import (
    test_cursor_pages_cover_everything_once,
    test_key_decision_and_time_filters_combine,
    test_newest_first_and_filtered_by_request_id,
)

__all__ = [
    "test_cursor_pages_cover_everything_once",
    "test_key_decision_and_time_filters_combine",
    "test_newest_first_and_filtered_by_request_id",
]


@pytest.fixture
async def store() -> AsyncIterator[EvidenceStore]:
    dsn = postgres_dsn()
    table = f"evidence_search_{uuid.uuid4().hex[:10]}"
    store = PostgresEvidenceStore(dsn, table=table)
    yield store
    await store.aclose()
    await drop_table(dsn, table)
