"""The PostgreSQL key store keeps the KeyStore contract (each test in tables of its own)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import pytest

from proxy.keyring import KeyStore
from proxy.keyring.postgres_store import PostgresKeyStore
from tests.support.key_store_contract import CONTRACT
from tests.support.services import drop_table, postgres_dsn

pytestmark = pytest.mark.services


@pytest.mark.parametrize("case", CONTRACT, ids=lambda c: c.__name__)
async def test_contract(case: Callable[[KeyStore], Awaitable[None]]) -> None:
    dsn = postgres_dsn()
    table = f"keys_{uuid.uuid4().hex[:8]}"
    store = PostgresKeyStore(dsn, table=table)
    try:
        await case(store)
    finally:
        await store.aclose()
        for name in (table, f"{table}_clock", f"{table}_requests"):
            await drop_table(dsn, name)
