"""The seam between the cache stage and where entries live."""

from __future__ import annotations

from typing import Protocol

__all__ = ["CacheBackend"]


class CacheBackend(Protocol):
    name: str

    async def get(self, key: str) -> bytes | None:
        """The entry, or None when absent, expired, or the backend cannot answer right now."""

    async def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Best effort: a backend that cannot store right now drops the entry."""

    async def aclose(self) -> None: ...
