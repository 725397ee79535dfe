"""Cache stage, innermost: exact-match answers per tenant, streamed or not.

The key is a hash of the tenant scope and the canonical request as governance left it (after
redaction or pseudonymization, so raw values never shape a key, and a cached answer holding
placeholders is restored with the caller's own values on the way out). The stream flag and
`user` are not part of it: one entry serves a call streamed or not. Only completed answers are
stored; a stream is teed into the cache only if it ended with [DONE] (a provider fails a stream
at an event a client could not read, or at an error event, so such a stream never gets there),
and an entry that cannot be replayed is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from governance.hashing import feed
from proxy.cache import CacheBackend
from proxy.call import Call, Next, Reply
from proxy.wire.completion_stream import assemble, replay
from proxy.wire.sse import event_data, is_done

__all__ = ["CacheSettings", "CacheStage", "cached_reply"]

log = logging.getLogger("metaqore.cache")
_NOT_IN_KEY = frozenset({"stream", "stream_options", "user"})
# Answers replayed from the cache are chat completions (a stream replayed as chunks) or
# embeddings; the other endpoints' answers are not cached. A Responses call is a chat call
# inside the chain (its endpoint turns the answer into a Response object).
_CHAT_SHAPED = frozenset({"chat", "responses"})
_CACHED = _CHAT_SHAPED | {"embeddings"}


@dataclass(frozen=True)
class CacheSettings:
    ttl_s: float
    scope: Literal["org", "team"]
    only_deterministic: bool


class CacheStage:
    def __init__(self, backend: CacheBackend, settings: CacheSettings) -> None:
        self._backend = backend
        self._settings = settings

    async def __call__(self, call: Call, next_: Next) -> Reply:
        key = self.key_for(call)
        if key is None:
            call.cache = "bypass"
            return await next_(call)
        entry = await self._backend.get(key)
        hit = cached_reply(entry, call) if entry is not None else None
        if hit is not None:
            call.cache = "hit"
            return hit
        call.cache = "miss"
        reply = await next_(call)
        if reply.status != 200:
            return reply
        if reply.events is None:
            if reply.body is not None:
                # The upstream's JSON goes in as it came (a Fragment is written, not re-parsed),
                # taken now: outer stages put pseudonymized values back into `reply.body`.
                kept: dict[str, Any] = {
                    "route": reply.route,
                    "answer": orjson.Fragment(reply.body),
                }
                call.after_reply.append(functools.partial(self._store, key, kept))
        elif call.endpoint in _CHAT_SHAPED:
            reply.events = self._tee(key, reply.route, reply.events)
        return reply

    def key_for(self, call: Call) -> str | None:
        """The entry's key, or None when this call must not be cached."""
        if call.no_cache or call.endpoint not in _CACHED:
            return None
        body = call.body
        if call.endpoint in _CHAT_SHAPED and self._settings.only_deterministic:
            deterministic = body.get("temperature") == 0 or body.get("seed") is not None
            if not deterministic:
                return None
        principal = call.principal
        scope = (
            principal.org
            if self._settings.scope == "org"
            else (f"{principal.org}/{principal.team}")
        )
        canonical = orjson.dumps(
            {k: v for k, v in body.items() if k not in _NOT_IN_KEY},
            option=orjson.OPT_SORT_KEYS,
        )
        digest = hashlib.sha256(f"{call.endpoint}\0{scope}\0".encode())
        feed(digest, canonical)
        return digest.hexdigest()

    async def _store(self, key: str, entry: dict[str, Any]) -> None:
        await self._backend.set(key, orjson.dumps(entry), self._settings.ttl_s)

    async def _tee(
        self, key: str, route: str, events: AsyncGenerator[bytes, None]
    ) -> AsyncGenerator[bytes, None]:
        seen: list[bytes] = []
        try:
            async for event in events:
                seen.append(event)
                yield event
        finally:
            await events.aclose()
        # Only reached when the stream ended normally; a broken one raised above. The events are
        # kept as they came (a streamed hit replays them) and assembled into a completion only
        # if a non-streamed call reads them.
        if seen and is_done(seen[-1]):
            await self._store(key, {"route": route, "events": b"".join(seen).decode()})


def cached_reply(entry: bytes, call: Call) -> Reply | None:
    """The answer an entry holds, in the form the call asked for; None (a miss) when it holds
    none that can be served, whatever is wrong with it."""
    try:
        return _replayed(entry, call)
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("request %s: a cache entry could not be replayed; a miss", call.request_id)
        return None


def _replayed(entry: bytes, call: Call) -> Reply | None:
    stored = orjson.loads(entry)
    route = str(stored["route"])
    answer = stored.get("answer")
    if answer is None:
        events = [e.encode() + b"\n\n" for e in str(stored["events"]).split("\n\n") if e]
        # Every event is read (a bad one raises): only a stream that spells a whole answer,
        # with no error event and ending in [DONE], is worth serving.
        answer = assemble(events)
        if answer is None:
            return None
        if call.stream:
            return Reply(status=200, route=route, usage=_usage_of(events), events=_events(events))
    if not isinstance(answer, dict):
        return None
    reply = Reply(status=200, route=route, usage=answer.get("usage"))
    if call.stream:
        reply.events = _events(replay(answer, include_usage=True))
    else:
        reply.body = orjson.dumps(answer)
    return reply


def _usage_of(events: list[bytes]) -> dict[str, Any] | None:
    for event in reversed(events):
        data = event_data(event) if b'"usage"' in event else None
        chunk = orjson.loads(data) if data and data.startswith(b"{") else None
        if isinstance(chunk, dict) and isinstance(chunk.get("usage"), dict):
            return dict(chunk["usage"])
    return None


async def _events(events: list[bytes]) -> AsyncGenerator[bytes, None]:
    for event in events:
        yield event
