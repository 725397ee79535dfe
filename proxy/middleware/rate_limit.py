"""Rate-limit stage: requests and tokens per minute, and spend per day, for each org, team or key
whose policy file sets `limits`. Over a limit: 429 with Retry-After and OpenAI's error shape.
Answers carry `x-ratelimit-*` headers for the tightest limit, as OpenAI's do."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

from governance.policy.effective import Quota
from proxy.call import Call, Next, Principal, Reply
from proxy.limits import Hit, Limiter, WindowResult
from proxy.router.token_estimate import estimate_tokens
from proxy.wire.errors import GatewayError

__all__ = ["RateLimitStage"]

_WINDOW_S = 60.0
_DAY_S = 86_400.0
_MICRO = 1_000_000  # spend is counted in micro-dollars

CostOf = Callable[[str, int, int], float | None]


class _Counter(NamedTuple):
    """One per-minute counter a principal's calls go against."""

    kind: str  # requests | tokens
    quota: Quota
    key: str
    limit: int


class _Plan(NamedTuple):
    """What a principal's calls count, worked out once per principal and policy."""

    quotas: tuple[Quota, ...]
    counters: tuple[_Counter, ...]
    budgets: tuple[tuple[Quota, str], ...]  # (quota, its spend key)
    # What a call settles once its usage is known.
    token_keys: tuple[str, ...]
    spend_keys: tuple[str, ...]


class _Counted(NamedTuple):
    counter: _Counter
    result: WindowResult


# A principal's plan is kept until its policy changes; the principals are the configured keys,
# so this bound is only a guard.
_MAX_PLANS = 10_000


class RateLimitStage:
    def __init__(self, limiter: Limiter, cost_of: CostOf) -> None:
        self._limiter = limiter
        self._cost_of = cost_of
        self._plans: dict[Principal, _Plan] = {}

    async def __call__(self, call: Call, next_: Next) -> Reply:
        quotas = call.verdict.policy.quotas if call.verdict is not None else ()
        if not quotas:
            return await next_(call)
        principal = call.principal
        plan = self._plans.get(principal)
        if plan is None or plan.quotas is not quotas:
            if len(self._plans) >= _MAX_PLANS:
                self._plans.clear()
            plan = self._plans[principal] = _plan_for(quotas, principal)
        for quota, key in plan.budgets:  # before anything is counted: a refusal counts nothing
            await self._check_budget(quota, key, principal)
        tokens = estimate_tokens(call)
        hits = [Hit(c.key, tokens if c.kind == "tokens" else 1, c.limit) for c in plan.counters]
        # One limiter call for every quota (one Redis round trip), counted all or none.
        results = await self._limiter.hit(hits, _WINDOW_S) if hits else []
        counted = []
        for counter, result in zip(plan.counters, results, strict=True):
            if not result.allowed:
                raise _too_many(counter.kind, counter.limit, counter.quota, principal, result)
            counted.append(_Counted(counter, result))
        reply = await next_(call)
        # The gateway's own limits replace whatever an upstream said about its own.
        headers = [h for h in reply.headers if not h[0].startswith(b"x-ratelimit-")]
        headers.extend(_headers(counted))
        reply.headers = headers
        if (plan.token_keys or plan.spend_keys) and call.cache != "hit":
            # Once the answer is out (a stream's usage is on the reply by then), so the client
            # never waits for the counters.
            settle = functools.partial(
                self._settle, plan.token_keys, plan.spend_keys, tokens, reply
            )
            call.after_reply.append(settle)
        return reply

    async def _check_budget(self, quota: Quota, key: str, principal: Principal) -> None:
        assert quota.usd_per_day is not None
        limit = int(quota.usd_per_day * _MICRO)
        # Nothing is counted up front: the cost is known only once the answer is in.
        (result,) = await self._limiter.hit([Hit(key, 0, limit)], _DAY_S)
        if result.remaining <= 0:
            who = _who(quota, principal)
            raise GatewayError(
                429,
                f"Daily spend limit of ${quota.usd_per_day:g} reached for {who}. "
                f"Please try again in {result.retry_after_s or _DAY_S:g}s.",
                code="insufficient_quota",
                type="insufficient_quota",
                headers={"retry-after": f"{result.retry_after_s or 3600:g}"},
            )

    async def _settle(
        self, token_keys: tuple[str, ...], spend_keys: tuple[str, ...], estimate: int, reply: Reply
    ) -> None:
        """Replace the token estimate by the upstream's count, and add what the call cost."""
        usage = reply.usage or {}
        total = usage.get("total_tokens")
        if token_keys and isinstance(total, int) and total != estimate:
            await self._limiter.adjust(token_keys, total - estimate, _WINDOW_S)
        prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
        if spend_keys and isinstance(prompt, int) and isinstance(completion, int):
            cost = self._cost_of(reply.route, prompt, completion)
            if cost:
                await self._limiter.adjust(spend_keys, round(cost * _MICRO), _DAY_S)


def _plan_for(quotas: tuple[Quota, ...], principal: Principal) -> _Plan:
    counters = []
    for quota in quotas:
        scope = _scope(quota, principal)
        if quota.rpm is not None:
            counters.append(_Counter("requests", quota, f"requests:{scope}", quota.rpm))
        if quota.tpm is not None:
            counters.append(_Counter("tokens", quota, f"tokens:{scope}", quota.tpm))
    budgets = tuple(
        (q, f"spend:{_scope(q, principal)}") for q in quotas if q.usd_per_day is not None
    )
    token_keys = tuple(c.key for c in counters if c.kind == "tokens")
    return _Plan(quotas, tuple(counters), budgets, token_keys, tuple(key for _, key in budgets))


def _scope(quota: Quota, principal: Principal) -> str:
    if quota.level == "org":
        return principal.org
    if quota.level == "team":
        return f"{principal.org}/{principal.team}"
    return f"{principal.org}/{principal.team}/{principal.key_id}"


def _who(quota: Quota, principal: Principal) -> str:
    name = {"org": principal.org, "team": principal.team, "key": principal.key_id}[quota.level]
    return f"{quota.level} '{name}'"


def _too_many(
    kind: str, limit: int, quota: Quota, principal: Principal, result: WindowResult
) -> GatewayError:
    wait = f"{result.retry_after_s:g}"
    return GatewayError(
        429,
        f"Rate limit reached for {kind} per minute ({_who(quota, principal)}): limit {limit}. "
        f"Please try again in {wait}s.",
        code="rate_limit_exceeded",
        type=kind,
        headers={"retry-after": wait, f"x-ratelimit-limit-{kind}": str(limit)},
    )


_HEADER_NAMES = {
    kind: (f"x-ratelimit-limit-{kind}".encode(), f"x-ratelimit-remaining-{kind}".encode())
    for kind in ("requests", "tokens")
}


def _headers(counted: list[_Counted]) -> list[tuple[bytes, bytes]]:
    tightest: dict[str, _Counted] = {}
    for count in counted:
        known = tightest.get(count.counter.kind)
        if known is None or count.result.remaining < known.result.remaining:
            tightest[count.counter.kind] = count
    out: list[tuple[bytes, bytes]] = []
    for kind, (limit_name, remaining_name) in _HEADER_NAMES.items():
        tight = tightest.get(kind)
        if tight is not None:
            out.append((limit_name, str(tight.counter.limit).encode()))
            out.append((remaining_name, str(tight.result.remaining).encode()))
    return out
