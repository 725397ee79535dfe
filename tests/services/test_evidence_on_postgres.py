"""The evidence store's tests (tests/unit/governance/evidence/test_evidence.py) on the real
PostgreSQL: the same tests, with the fixture below in place of the SQLite one."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from governance.evidence import EvidenceStore
from governance.evidence.postgres_store import PostgresEvidenceStore
from tests.support.services import drop_table, postgres_dsn

# In the suite's own order, which pytest keeps: later tests build on what earlier ones left.
from tests.unit.governance.evidence.test_evidence import (  # isort: skip
    test_a_written_ledger_verifies,
    test_batches_bigger_than_one_insert_verify,
    test_an_edited_record_is_named,
    test_a_deleted_record_is_named,
    test_a_wrong_key_fails_everything,
    test_truncation_after_a_checkpoint_is_caught,
    test_several_writers_keep_their_own_chains,
    test_a_batch_written_twice_counts_once,
    test_a_different_record_at_a_stored_place_is_a_conflict,
)
from tests.unit.governance.evidence.test_evidence import Tamper

__all__ = [
    "test_a_batch_written_twice_counts_once",
    "test_a_deleted_record_is_named",
    "test_a_different_record_at_a_stored_place_is_a_conflict",
    "test_a_written_ledger_verifies",
    "test_a_wrong_key_fails_everything",
    "test_an_edited_record_is_named",
    "test_batches_bigger_than_one_insert_verify",
    "test_several_writers_keep_their_own_chains",
    "test_truncation_after_a_checkpoint_is_caught",
]


@pytest.fixture
async def store_and_tamper() -> AsyncIterator[tuple[EvidenceStore, Tamper]]:
    dsn = postgres_dsn()
    table = f"evidence_test_{uuid.uuid4().hex[:10]}"
    store = PostgresEvidenceStore(dsn, table=table)
    yield store, Tamper("postgres", f"{dsn}|{table}")
    await store.aclose()
    await drop_table(dsn, table)
