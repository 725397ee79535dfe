"""Stored Responses API conversations: sealed at rest, bound to the principal that made them,
kept for a TTL, in the ledger's database (SQLite by default, PostgreSQL at scale)."""

from proxy.response_store.sealing import Sealer
from proxy.response_store.state import Conversation, ResponseState
from proxy.response_store.store import ResponseStore, StoredResponse

__all__ = ["Conversation", "ResponseState", "ResponseStore", "Sealer", "StoredResponse"]
