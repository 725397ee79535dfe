"""The keys API's operations, shared by `/admin/keys` and `metaqore keys`: each change is made in
the store, applied to this process's table at once, announced to the others, and recorded as
evidence (who, what, when, which key; never a secret)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson

from governance.evidence import EvidenceLedger, EvidenceRecord, utc_now
from governance.policy import EffectivePolicy, PolicyError
from proxy.call import Principal
from proxy.config.keys import digest_of
from proxy.keyring.feed import KeyFeed
from proxy.keyring.key_secret import new_secret, request_digest, seal, unseal
from proxy.keyring.policy import key_document, key_policy
from proxy.keyring.record import KeyRow, iso, new_key_id, parse_iso
from proxy.keyring.requests import NewKey, RotateKey
from proxy.keyring.store import IdempotencyConflict, KeyNotFound, KeyRevoked, RotationRequest
from proxy.wire.errors import GatewayError

__all__ = ["CONFIG_PREFIX", "KeyAdmin"]

log = logging.getLogger("metaqore.keys")
T = TypeVar("T")
CONFIG_PREFIX = "cfg_"
MAX_PAGE = 100

# The tree's policy for (org, team, key id): what a key's own policy may only narrow.
ParentPolicy = Callable[[str, str, str], EffectivePolicy]


class KeyAdmin:
    def __init__(
        self,
        feed: KeyFeed,
        ledger: EvidenceLedger,
        parent_policy: ParentPolicy,
        config_keys: Callable[[], list[Principal]],
    ) -> None:
        self._feed = feed
        self._store = feed.store
        self._ledger = ledger
        self._parent = parent_policy
        self._config_keys = config_keys

    async def create(self, body: NewKey, who: str, request_id: str) -> dict[str, Any]:
        now = time.time()
        key_id = new_key_id()
        expires_at = _future(body.expires_at, now)
        try:
            document = key_document(body.policy, body.limits)
            key_policy(self._parent(body.org, body.team, key_id), document, key_id)
        except PolicyError as exc:
            raise GatewayError(400, str(exc), code="invalid_policy", param="policy") from None
        secret = new_secret()
        policy = orjson.dumps(document.model_dump(mode="json", exclude_unset=True)).decode()
        stamp = iso(now)
        row = KeyRow(
            key_id, body.name, body.org, body.team, policy, digest_of(secret).hex(), None, None,
            stamp, stamp, expires_at, None, 0,
        )  # fmt: skip
        row = await _stored(self._store.create(row))
        await self._changed(row, "create", who, request_id, 201)
        return {**view(row, now), "secret": secret}

    async def rotate(
        self, key_id: str, body: RotateKey, idempotency_key: str | None, who: str, request_id: str
    ) -> dict[str, Any]:
        self._not_config(key_id)
        now = time.time()
        secret = new_secret()
        digest = sealed = None
        if idempotency_key is not None:
            asked = orjson.dumps(body.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
            digest = request_digest(key_id, asked)
            sealed = seal(secret, idempotency_key, digest)
        request = RotationRequest(
            key_id, digest_of(secret).hex(), iso(now + body.grace_s), iso(now),
            idempotency_key, digest, sealed,
        )  # fmt: skip
        try:
            rotation = await _stored(self._store.rotate(request))
        except KeyNotFound:
            raise _not_found(key_id) from None
        except KeyRevoked:
            raise GatewayError(409, f"Key '{key_id}' is revoked.", code="key_revoked") from None
        except IdempotencyConflict:
            raise GatewayError(
                409,
                "This Idempotency-Key was used with another request; use a new one.",
                code="idempotency_key_reused",
            ) from None
        if rotation.replayed_sealed is not None:
            assert idempotency_key is not None and digest is not None
            secret = unseal(rotation.replayed_sealed, idempotency_key, digest)
        else:
            await self._changed(rotation.row, "rotate", who, request_id, 200)
        return {**view(rotation.row, now), "secret": secret}

    async def revoke(self, key_id: str, who: str, request_id: str) -> dict[str, Any]:
        self._not_config(key_id)
        now = iso(time.time())
        try:
            row = await _stored(self._store.revoke(key_id, now))
        except KeyNotFound:
            raise _not_found(key_id) from None
        if row.revoked_at == now:  # revoked by this call, not before it
            await self._changed(row, "revoke", who, request_id, 200)
        return view(row, time.time())

    async def get(self, key_id: str) -> dict[str, Any]:
        if key_id.startswith(CONFIG_PREFIX):
            for entry in self._config_keys():
                if CONFIG_PREFIX + entry.key_id == key_id:
                    return config_view(entry)
        row = await _stored(self._store.get(key_id))
        if row is None:
            raise _not_found(key_id)
        return view(row, time.time())

    async def page(self, after: str | None, limit: int) -> dict[str, Any]:
        """Config keys first (their ids sort before every API key's), then the store's, in id
        order; one page at a time, never the whole table."""
        configured = sorted(
            (config_view(entry) for entry in self._config_keys()), key=lambda k: k["id"]
        )
        items = [k for k in configured if after is None or k["id"] > after][: limit + 1]
        if len(items) <= limit:
            now = time.time()
            rows = await _stored(self._store.page(after, limit + 1 - len(items)))
            items.extend(view(row, now) for row in rows)
        more = len(items) > limit
        items = items[:limit]
        return {
            "object": "list",
            "data": items,
            "has_more": more,
            "next_after": items[-1]["id"] if more else None,
        }

    def _not_config(self, key_id: str) -> None:
        if key_id.startswith(CONFIG_PREFIX):
            if not any(CONFIG_PREFIX + p.key_id == key_id for p in self._config_keys()):
                raise _not_found(key_id)
            raise GatewayError(
                409,
                f"Key '{key_id}' comes from the config's 'keys' section; change it there.",
                code="key_managed_by_config",
            )

    async def _changed(
        self, row: KeyRow, what: str, who: str, request_id: str, status: int
    ) -> None:
        await self._feed.changed()
        record = EvidenceRecord(
            request_id=request_id, ts=utc_now(), endpoint=f"admin.keys.{what}", org=row.org,
            team=row.team, key_id=who, model=None, route=row.id, status=status,
            outcome="completed",
        )  # fmt: skip
        await self._ledger.submit(record)


def view(row: KeyRow, now: float) -> dict[str, Any]:
    """A key as the API shows it: never a secret, nor a secret's hash."""
    policy = orjson.loads(row.policy)
    limits = policy.pop("limits", None)
    return {
        "object": "key", "id": row.id, "name": row.name, "org": row.org, "team": row.team,
        "source": "api", "status": row.status(now), "policy": policy or None, "limits": limits,
        "created_at": row.created_at, "updated_at": row.updated_at,
        "expires_at": row.expires_at, "revoked_at": row.revoked_at,
        "previous_secret_expires_at": row.previous_until(now),
    }  # fmt: skip


def config_view(entry: Principal) -> dict[str, Any]:
    return {
        "object": "key", "id": CONFIG_PREFIX + entry.key_id, "name": entry.key_id,
        "org": entry.org, "team": entry.team, "source": "config", "status": "active",
        "policy": None, "limits": None, "created_at": None, "updated_at": None,
        "expires_at": None, "revoked_at": None, "previous_secret_expires_at": None,
    }  # fmt: skip


def _future(expires_at: str | None, now: float) -> str | None:
    if expires_at is None:
        return None
    try:
        moment = parse_iso(expires_at)
    except ValueError as exc:
        message = f"expires_at: not an ISO-8601 time with a time zone ({exc})"
        raise GatewayError(400, message, param="expires_at") from None
    if moment <= now:
        raise GatewayError(400, "expires_at: give a time in the future.", param="expires_at")
    return iso(moment)


async def _stored(work: Awaitable[T]) -> T:
    """A store that fails is a 503 in the API's dialect, never a bare 500."""
    try:
        return await work
    except (KeyNotFound, KeyRevoked, IdempotencyConflict):
        raise
    except Exception as exc:
        log.error("key store call failed: %s", type(exc).__name__)
        raise GatewayError(
            503, "The key store is unavailable; try again.", code="key_store_unavailable"
        ) from None


def _not_found(key_id: str) -> GatewayError:
    return GatewayError(404, f"No key '{key_id}'.", code="key_not_found")
