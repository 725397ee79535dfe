"""The seam every response store implements (SQLite, PostgreSQL): sealed rows by id and owner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["ResponseStore", "StoredResponse"]


@dataclass(frozen=True, slots=True)
class StoredResponse:
    id: str
    # Who may read it back: the principal that made it (org, team and key id).
    owner: str
    expires_at: float
    sealed: bytes


class ResponseStore(Protocol):
    async def put(self, entry: StoredResponse) -> None:
        """Written (committed) when this returns; replaces a row with the same id."""

    async def get(self, response_id: str, owner: str, now: float) -> bytes | None:
        """The sealed content, or None when absent, expired or another owner's."""

    async def delete(self, response_id: str, owner: str) -> bool:
        """Whether a row of this owner was deleted."""

    async def purge(self, now: float) -> int:
        """Deletes expired rows; how many."""

    async def aclose(self) -> None: ...
