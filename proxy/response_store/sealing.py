"""Stored content sealed with AES-256-GCM; the row's id and owner are authenticated with it, so
a row copied under another id or owner does not open."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["SealBroken", "Sealer"]

_NONCE = 12
_INFO = b"metaqore responses store v1"


class SealBroken(Exception):
    """The content was changed, or sealed with another key, id or owner."""


class Sealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("an AES-256 key is 32 bytes")
        self._aead = AESGCM(key)

    @classmethod
    def derive(cls, secret: bytes) -> Sealer:
        """A key of its own from any secret (HKDF-SHA256), so the secret's other uses (the
        evidence chain's HMAC) never share a key with this cipher."""
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)
        return cls(key)

    def seal(self, response_id: str, owner: str, plain: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, plain, _bound(response_id, owner))

    def open(self, response_id: str, owner: str, sealed: bytes) -> bytes:
        try:
            return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], _bound(response_id, owner))
        except InvalidTag:
            raise SealBroken(response_id) from None


def _bound(response_id: str, owner: str) -> bytes:
    return response_id.encode() + b"\0" + owner.encode()
