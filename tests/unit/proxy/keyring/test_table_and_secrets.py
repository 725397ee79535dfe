"""The in-memory key table (expiry, grace, revocation, a broken stored policy) and the sealing
of an idempotent rotation's secret."""

from __future__ import annotations

import time
from dataclasses import replace

from proxy.config.keys import digest_of
from proxy.keyring import new_secret
from proxy.keyring.key_secret import request_digest, seal, unseal
from proxy.keyring.record import iso
from proxy.keyring.table import KeyTable
from tests.support.key_store_contract import new_row


def test_expiry_bounds_the_key_and_its_grace() -> None:
    row, secret = new_row()
    now = time.time()
    old = new_secret()
    row = replace(
        row, version=1, expires_at=iso(now + 10), previous_sha256=digest_of(old).hex(),
        previous_expires_at=iso(now + 60),
    )  # fmt: skip
    table = KeyTable()
    table.apply([row])
    assert table.principal_for(digest_of(secret), now) is not None
    assert table.principal_for(digest_of(old), now + 5) is not None
    assert table.principal_for(digest_of(secret), now + 11) is None
    assert table.principal_for(digest_of(old), now + 11) is None  # the grace ends with the key
    assert row.status(now + 11) == "expired"
    assert row.previous_until(now + 5) == row.previous_expires_at


def test_a_newer_row_replaces_every_secret_of_the_key() -> None:
    row, secret = new_row()
    table = KeyTable()
    table.apply([replace(row, version=1)])
    later = new_secret()
    table.apply([replace(row, version=2, secret_sha256=digest_of(later).hex())])
    assert table.principal_for(digest_of(secret), time.time()) is None
    assert table.principal_for(digest_of(later), time.time()) is not None
    table.apply([replace(row, version=3, revoked_at=iso(time.time()))])
    assert table.principal_for(digest_of(later), time.time()) is None
    assert len(table) == 0 and table.version == 3 and table.seen_any


def test_a_row_whose_policy_does_not_load_is_left_out() -> None:
    row, secret = new_row(policy='{"colour": "blue"}')
    table = KeyTable()
    table.apply([replace(row, version=1)])
    assert table.principal_for(digest_of(secret), time.time()) is None


def test_a_key_policy_is_kept_for_the_policy_stage() -> None:
    row, _ = new_row(policy='{"max_tokens": 10}')
    table = KeyTable()
    table.apply([replace(row, version=4)])
    kept = table.policy_of(row.id)
    assert kept is not None and kept[0] == 4 and kept[1].max_tokens == 10
    plain, _ = new_row()
    table.apply([replace(plain, version=5)])
    assert table.policy_of(plain.id) is None  # nothing of its own: the tree's alone


def test_a_sealed_secret_needs_the_idempotency_key() -> None:
    secret = new_secret()
    digest = request_digest("key_1", b'{"grace_s":0}')
    sealed = seal(secret, "idempotency-key-0001", digest)
    assert unseal(sealed, "idempotency-key-0001", digest) == secret
    assert unseal(sealed, "idempotency-key-0002", digest) != secret
    assert secret.removeprefix("mq-") not in sealed
