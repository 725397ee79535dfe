"""Stored conversations as the Responses endpoint uses them: sealed, bound to an owner, kept
for `ttl_s`; expired rows are purged now and then on the way."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson

from proxy.call import Principal
from proxy.response_store.sealing import Sealer
from proxy.response_store.store import ResponseStore, StoredResponse

__all__ = ["Conversation", "ResponseState", "owner_of"]

_PURGE_EVERY_S = 60.0


@dataclass(frozen=True, slots=True)
class Conversation:
    """One stored response, in the form governance let through."""

    response: dict[str, Any]
    # The chat messages a follow-up continues from: prior turns, this input, this output
    # (instructions are not inherited).
    context: list[dict[str, Any]]
    # Where this response's own input sits in `context`.
    input_from: int
    input_to: int


def owner_of(principal: Principal) -> str:
    return orjson.dumps([principal.org, principal.team, principal.key_id]).decode()


class ResponseState:
    def __init__(self, store: ResponseStore, sealer: Sealer, ttl_s: float) -> None:
        self.store = store
        self._sealer = sealer
        self._ttl_s = ttl_s
        self._purged = time.time()

    async def save(self, owner: str, conversation: Conversation) -> None:
        now = time.time()
        response_id = conversation.response["id"]
        plain = orjson.dumps(
            {
                "response": conversation.response,
                "context": conversation.context,
                "input": [conversation.input_from, conversation.input_to],
            }
        )
        sealed = self._sealer.seal(response_id, owner, plain)
        await self.store.put(StoredResponse(response_id, owner, now + self._ttl_s, sealed))
        if now - self._purged > _PURGE_EVERY_S:
            self._purged = now
            await self.store.purge(now)

    async def load(self, response_id: str, owner: str) -> Conversation | None:
        sealed = await self.store.get(response_id, owner, time.time())
        if sealed is None:
            return None
        data = orjson.loads(self._sealer.open(response_id, owner, sealed))
        start, end = data["input"]
        return Conversation(data["response"], data["context"], start, end)

    async def delete(self, response_id: str, owner: str) -> bool:
        return await self.store.delete(response_id, owner)

    async def aclose(self) -> None:
        await self.store.aclose()
