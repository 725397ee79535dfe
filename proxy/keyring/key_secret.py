"""A key's secret: `mq-` and 32 random bytes (base64url).

An idempotent rotation answers a retry with the same secret, yet the store keeps no secret: the
first answer's secret is kept XORed with an HMAC keyed by the Idempotency-Key, which only the
client holds."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["new_secret", "request_digest", "seal", "unseal"]

_PREFIX = "mq-"
_CONTEXT = b"metaqore key rotation\0"


def new_secret() -> str:
    return _text(secrets.token_bytes(32))


def _text(raw: bytes) -> str:
    return _PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def request_digest(key_id: str, body: bytes) -> str:
    """What was asked: the key and the canonical body (a reused header must ask the same)."""
    return hashlib.sha256(key_id.encode() + b"\0" + body).hexdigest()


def _pad(idempotency_key: str, digest: str) -> bytes:
    return hmac.new(idempotency_key.encode(), _CONTEXT + digest.encode(), hashlib.sha256).digest()


def _raw(secret: str) -> bytes:
    text = secret.removeprefix(_PREFIX)
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal(secret: str, idempotency_key: str, digest: str) -> str:
    raw = _raw(secret)
    return bytes(a ^ b for a, b in zip(raw, _pad(idempotency_key, digest), strict=True)).hex()


def unseal(sealed: str, idempotency_key: str, digest: str) -> str:
    pad = _pad(idempotency_key, digest)
    return _text(bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), pad, strict=True)))
