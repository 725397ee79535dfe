"""Rate-limit stage: requests and tokens per minute for each org, team or key whose policy file
sets `limits`. Over a limit: 429 with Retry-After and OpenAI's error shape. Answers carry
`x-ratelimit-*` headers for the tightest limit, as OpenAI's do."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from governance.policy.effective import Quota
from proxy.call import Call, Next, Principal, Reply
from proxy.errors import GatewayError
from proxy.limits import Limiter, WindowResult
from proxy.token_estimate import estimate_tokens

__all__ = ["RateLimitStage"]

_WINDOW_S = 60.0


@dataclass(frozen=True, slots=True)
class _Counted:
    kind: str  # requests | tokens
    key: str
    limit: int
    amount: int
    result: WindowResult


class RateLimitStage:
    def __init__(self, limiter: Limiter) -> None:
        self._limiter = limiter

    async def __call__(self, call: Call, next_: Next) -> Reply:
        quotas = call.verdict.policy.quotas if call.verdict is not None else ()
        if not quotas:
            return await next_(call)
        tokens = estimate_tokens(call)
        counted: list[_Counted] = []
        for quota in quotas:
            for kind, limit, amount in _limits(quota, tokens):
                key = f"{kind}:{_scope(quota, call.principal)}"
                result = await self._limiter.hit(key, amount, limit, _WINDOW_S)
                if not result.allowed:
                    await self._undo(counted)
                    raise _too_many(kind, limit, quota, call.principal, result)
                counted.append(_Counted(kind, key, limit, amount, result))
        reply = await next_(call)
        reply.headers = [h for h in reply.headers if not h[0].startswith(b"x-ratelimit-")]
        reply.headers.extend(_headers(counted))
        token_counts = [c for c in counted if c.kind == "tokens"]
        if token_counts:
            if reply.events is None:
                await self._correct(token_counts, tokens, reply)
            else:
                reply.events = self._correct_after(reply.events, token_counts, tokens, reply)
        return reply

    async def _undo(self, counted: list[_Counted]) -> None:
        for count in counted:
            await self._limiter.adjust(count.key, -count.amount, _WINDOW_S)

    async def _correct(self, counted: list[_Counted], estimate: int, reply: Reply) -> None:
        total = (reply.usage or {}).get("total_tokens")
        if isinstance(total, int) and total != estimate:
            for count in counted:
                await self._limiter.adjust(count.key, total - estimate, _WINDOW_S)

    async def _correct_after(
        self,
        events: AsyncGenerator[bytes, None],
        counted: list[_Counted],
        estimate: int,
        reply: Reply,
    ) -> AsyncGenerator[bytes, None]:
        try:
            async for event in events:
                yield event
        finally:
            await events.aclose()
        await self._correct(counted, estimate, reply)


def _limits(quota: Quota, tokens: int) -> list[tuple[str, int, int]]:
    out = []
    if quota.rpm is not None:
        out.append(("requests", quota.rpm, 1))
    if quota.tpm is not None:
        out.append(("tokens", quota.tpm, tokens))
    return out


def _scope(quota: Quota, principal: Principal) -> str:
    if quota.level == "org":
        return principal.org
    if quota.level == "team":
        return f"{principal.org}/{principal.team}"
    return f"{principal.org}/{principal.team}/{principal.key_id}"


def _too_many(
    kind: str, limit: int, quota: Quota, principal: Principal, result: WindowResult
) -> GatewayError:
    who = {"org": principal.org, "team": principal.team, "key": principal.key_id}[quota.level]
    wait = f"{result.retry_after_s:g}"
    return GatewayError(
        429,
        f"Rate limit reached for {kind} per minute ({quota.level} '{who}'): limit {limit}. "
        f"Please try again in {wait}s.",
        code="rate_limit_exceeded",
        type=kind,
        headers={"retry-after": wait, f"x-ratelimit-limit-{kind}": str(limit)},
    )


def _headers(counted: list[_Counted]) -> list[tuple[bytes, bytes]]:
    out: list[tuple[bytes, bytes]] = []
    for kind in ("requests", "tokens"):
        mine = [c for c in counted if c.kind == kind]
        if mine:
            tightest = min(mine, key=lambda c: c.result.remaining)
            out.append((f"x-ratelimit-limit-{kind}".encode(), str(tightest.limit).encode()))
            remaining = str(tightest.result.remaining).encode()
            out.append((f"x-ratelimit-remaining-{kind}".encode(), remaining))
    return out
