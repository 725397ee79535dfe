"""What every KeyStore must do, run against SQLite (tests/unit) and PostgreSQL (tests/services)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest

from proxy.config.keys import digest_of
from proxy.keyring import KeyRow, KeyStore, new_key_id, new_secret
from proxy.keyring.key_secret import request_digest, seal, unseal
from proxy.keyring.record import iso
from proxy.keyring.store import (
    ANSWERS_KEPT_S,
    IdempotencyConflict,
    KeyNotFound,
    KeyRevoked,
    RotationRequest,
)
from proxy.keyring.table import KeyTable


def new_row(name: str = "app", org: str = "acme", policy: str = "{}") -> tuple[KeyRow, str]:
    secret = new_secret()
    now = iso(time.time())
    row = KeyRow(
        new_key_id(), name, org, "default", policy, digest_of(secret).hex(), None, None,
        now, now, None, None, 0,
    )  # fmt: skip
    return row, secret


def rotation(
    key_id: str, grace_s: float, idempotency_key: str | None = None
) -> tuple[RotationRequest, str]:
    secret = new_secret()
    now = time.time()
    digest = request_digest(key_id, b'{"grace_s":%d}' % grace_s) if idempotency_key else None
    sealed = seal(secret, idempotency_key, digest) if idempotency_key and digest else None
    request = RotationRequest(
        key_id, digest_of(secret).hex(), iso(now + grace_s), iso(now), idempotency_key, digest,
        sealed,
    )  # fmt: skip
    return request, secret


async def creates_and_reads(store: KeyStore) -> None:
    row, _ = new_row(policy='{"models":["gpt-4o*"]}')
    stored = await store.create(row)
    assert stored.version > 0
    assert await store.get(row.id) == stored
    assert await store.get("key_missing") is None


async def pages_in_id_order(store: KeyStore) -> None:
    made = [await store.create(new_row(name=f"k{i}")[0]) for i in range(7)]
    ids = sorted(r.id for r in made)
    seen: list[str] = []
    after = None
    while True:
        page = await store.page(after, 3)
        seen.extend(r.id for r in page)
        if len(page) < 3:
            break
        after = page[-1].id
    assert seen == ids


async def feeds_changes_in_version_order(store: KeyStore) -> None:
    table = KeyTable()
    first, secret = new_row()
    await store.create(first)
    table.apply(await store.changes(table.version))
    assert table.principal_for(digest_of(secret), time.time()) is not None
    # Nothing new: an empty read.
    assert await store.changes(table.version) == []
    await store.revoke(first.id, iso(time.time()))
    changed = await store.changes(table.version)
    assert [r.id for r in changed] == [first.id]
    table.apply(changed)
    assert table.principal_for(digest_of(secret), time.time()) is None


async def rotates_with_grace(store: KeyStore) -> None:
    row, old = new_row()
    await store.create(row)
    request, new = rotation(row.id, 60)
    rotated = (await store.rotate(request)).row
    assert rotated.secret_sha256 == digest_of(new).hex()
    assert rotated.previous_sha256 == digest_of(old).hex()
    table = KeyTable()
    table.apply(await store.changes(0))
    now = time.time()
    assert table.principal_for(digest_of(old), now) is not None
    assert table.principal_for(digest_of(new), now) is not None
    assert table.principal_for(digest_of(old), now + 61) is None  # the grace ends
    assert table.principal_for(digest_of(new), now + 61) is not None


async def replays_an_idempotent_rotation(store: KeyStore) -> None:
    row, _ = new_row()
    await store.create(row)
    idem = "0f5e8d6c-retry-4c1b-9a77"
    first, secret = rotation(row.id, 30, idem)
    done = await store.rotate(first)
    retry, other_secret = rotation(row.id, 30, idem)  # a new secret drawn, same request
    again = await store.rotate(retry)
    assert again.row == done.row
    assert again.replayed_sealed is not None
    assert retry.request_digest is not None
    assert unseal(again.replayed_sealed, idem, retry.request_digest) == secret != other_secret
    assert (await store.get(row.id)) == done.row  # rotated once
    different, _ = rotation(row.id, 31, idem)
    with pytest.raises(IdempotencyConflict):
        await store.rotate(different)


async def forgets_answers_after_a_day(store: KeyStore) -> None:
    row, _ = new_row()
    await store.create(row)
    idem = "idempotency-forgotten-0001"
    first, _ = rotation(row.id, 0, idem)
    done = await store.rotate(first)
    retry, _ = rotation(row.id, 0, idem)
    a_day_later = replace(retry, now=iso(time.time() + ANSWERS_KEPT_S + 60))
    again = await store.rotate(a_day_later)
    assert again.replayed_sealed is None and again.row.version > done.row.version


async def revokes_once(store: KeyStore) -> None:
    row, _ = new_row()
    await store.create(row)
    gone = await store.revoke(row.id, iso(time.time()))
    assert gone.revoked_at is not None
    assert (await store.revoke(row.id, iso(time.time() + 5))).revoked_at == gone.revoked_at
    with pytest.raises(KeyRevoked):
        await store.rotate(rotation(row.id, 0)[0])
    with pytest.raises(KeyNotFound):
        await store.revoke("key_missing", iso(time.time()))
    with pytest.raises(KeyNotFound):
        await store.rotate(rotation("key_missing", 0)[0])


async def concurrent_changes_keep_versions_unique(store: KeyStore) -> None:
    rows = [new_row(name=f"c{i}")[0] for i in range(10)]
    stored = await asyncio.gather(*(store.create(r) for r in rows))
    versions = [r.version for r in stored]
    assert len(set(versions)) == len(versions)


CONTRACT = [
    creates_and_reads,
    pages_in_id_order,
    feeds_changes_in_version_order,
    rotates_with_grace,
    replays_an_idempotent_rotation,
    forgets_answers_after_a_day,
    revokes_once,
    concurrent_changes_keep_versions_unique,
]
