"""The SQLite key store keeps the KeyStore contract, shares a file across two stores (two
processes) and keeps no secret in clear."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from proxy.config.keys import digest_of
from proxy.keyring import KeyStore
from proxy.keyring.record import iso
from proxy.keyring.sqlite_store import SQLiteKeyStore
from proxy.keyring.table import KeyTable
from tests.support.key_store_contract import CONTRACT, new_row, rotation


@pytest.mark.parametrize("case", CONTRACT, ids=lambda c: c.__name__)
async def test_contract(case: Callable[[KeyStore], Awaitable[None]], tmp_path: Path) -> None:
    store = SQLiteKeyStore(tmp_path / "evidence.db")
    try:
        await case(store)
    finally:
        await store.aclose()


async def test_a_second_store_on_the_file_sees_changes(tmp_path: Path) -> None:
    one, two = SQLiteKeyStore(tmp_path / "e.db"), SQLiteKeyStore(tmp_path / "e.db")
    try:
        table = KeyTable()
        table.apply(await two.changes(0))
        row, secret = new_row()
        await one.create(row)
        table.apply(await two.changes(table.version))
        assert table.principal_for(digest_of(secret), time.time()) is not None
        await one.revoke(row.id, iso(time.time()))
        table.apply(await two.changes(table.version))
        assert table.principal_for(digest_of(secret), time.time()) is None
    finally:
        await one.aclose()
        await two.aclose()


async def test_no_secret_is_stored(tmp_path: Path) -> None:
    store = SQLiteKeyStore(tmp_path / "e.db")
    row, secret = new_row()
    await store.create(row)
    request, rotated_secret = rotation(row.id, 10, "idempotency-0123456789")
    await store.rotate(request)
    await store.aclose()
    dump = "\n".join(sqlite3.connect(tmp_path / "e.db").iterdump())
    for value in (secret, rotated_secret):
        assert value not in dump
        assert value.removeprefix("mq-") not in dump
    assert digest_of(rotated_secret).hex() in dump  # kept as its SHA-256 only
