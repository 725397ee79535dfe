"""Stored responses: sealed, bound to their owner, gone after their TTL (on the real SQLite
store)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from proxy.response_store import Conversation, ResponseState, Sealer
from proxy.response_store.sealing import SealBroken
from proxy.response_store.sqlite_store import SQLiteResponseStore

SEALER = Sealer.derive(b"a test secret of some length")


def test_a_seal_opens_only_for_its_id_and_owner() -> None:
    sealed = SEALER.seal("resp_1", "alice", b"content")
    assert SEALER.open("resp_1", "alice", sealed) == b"content"
    for response_id, owner in (("resp_2", "alice"), ("resp_1", "bob")):
        with pytest.raises(SealBroken):
            SEALER.open(response_id, owner, sealed)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealBroken):
        SEALER.open("resp_1", "alice", tampered)
    with pytest.raises(SealBroken):
        Sealer.derive(b"another secret of some length").open("resp_1", "alice", sealed)


def _conversation(response_id: str) -> Conversation:
    context = [{"role": "user", "content": "secret plan"}, {"role": "assistant", "content": "ok"}]
    return Conversation({"id": response_id, "output": []}, context, 0, 1)


def test_owner_ttl_and_delete(tmp_path: Path) -> None:
    async def run() -> None:
        state = ResponseState(SQLiteResponseStore(tmp_path / "db.sqlite"), SEALER, ttl_s=0.3)
        try:
            await state.save("alice", _conversation("resp_a"))
            loaded = await state.load("resp_a", "alice")
            assert loaded is not None and loaded.context[0]["content"] == "secret plan"
            assert await state.load("resp_a", "bob") is None
            assert not await state.delete("resp_a", "bob")
            await asyncio.sleep(0.4)
            assert await state.load("resp_a", "alice") is None  # expired
            await state.save("alice", _conversation("resp_b"))
            assert await state.delete("resp_b", "alice")
            assert await state.load("resp_b", "alice") is None
        finally:
            await state.aclose()

    asyncio.run(run())
    with sqlite3.connect(tmp_path / "db.sqlite") as db:
        sealed = [bytes(r[0]) for r in db.execute("SELECT sealed FROM metaqore_responses")]
    assert all(b"secret plan" not in s for s in sealed)
