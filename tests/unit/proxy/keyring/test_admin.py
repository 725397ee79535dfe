"""The keys API's operations without HTTP: config keys paged before the store's, and a failing
store answered as a 503 in the API's dialect."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from governance.evidence import EvidenceLedger
from governance.policy import PERMISSIVE
from proxy.call import Principal
from proxy.keyring.admin import KeyAdmin
from proxy.keyring.feed import KeyFeed
from proxy.keyring.requests import RotateKey
from proxy.keyring.sqlite_store import SQLiteKeyStore
from proxy.keyring.store import KeyStore
from proxy.keyring.table import KeyTable
from proxy.wire.errors import GatewayError
from tests.support.key_store_contract import new_row

CONFIGURED = [Principal("acme", "default", "zeta"), Principal("acme", "web", "alpha")]


def admin_over(store: KeyStore) -> KeyAdmin:
    # Reads only: the ledger is never reached.
    return KeyAdmin(
        KeyFeed(store, KeyTable(), 1.0), cast(EvidenceLedger, None),
        lambda org, team, key: PERMISSIVE, lambda: CONFIGURED,
    )  # fmt: skip


async def test_pages_run_from_config_keys_into_the_store(tmp_path: Path) -> None:
    store = SQLiteKeyStore(tmp_path / "e.db")
    try:
        made = sorted([(await store.create(new_row(name=f"n{i}")[0])).id for i in range(3)])
        admin = admin_over(store)
        first = await admin.page(None, 3)
        ids = [k["id"] for k in first["data"]]
        assert ids == ["cfg_alpha", "cfg_zeta", made[0]] and first["has_more"]
        second = await admin.page(first["next_after"], 3)
        assert [k["id"] for k in second["data"]] == made[1:]
        assert not second["has_more"] and second["next_after"] is None
        assert (await admin.get("cfg_alpha"))["source"] == "config"
        with pytest.raises(GatewayError) as missing:
            await admin.get("cfg_nobody")
        assert missing.value.status == 404
    finally:
        await store.aclose()


class DownStore:
    """Every call fails as a database that went away does."""

    def __getattr__(self, name: str) -> Any:
        async def fail(*args: object) -> None:
            raise ConnectionRefusedError("store down")

        return fail


async def test_a_failing_store_is_a_503() -> None:
    admin = admin_over(cast(KeyStore, DownStore()))
    for work in (
        admin.page(None, 5),
        admin.get("key_x"),
        admin.rotate("key_x", RotateKey(), None, "admin:ops", "req_1"),
        admin.revoke("key_x", "admin:ops", "req_2"),
    ):
        with pytest.raises(GatewayError) as failed:
            await work
        assert failed.value.status == 503 and failed.value.code == "key_store_unavailable"
