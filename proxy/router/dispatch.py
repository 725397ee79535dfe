"""Try the targets of a call in order until one answers; fall back only before the first byte."""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections.abc import Awaitable, Callable

from governance.sensitivity.request_text import message_texts
from proxy.call import Call, Reply
from proxy.providers.base import Provider, ProviderRequest, UpstreamError
from proxy.router import dialect_bridge
from proxy.router.breakers import BreakerBoard, BreakerOpen, TargetBreaker
from proxy.router.hypie import HyPIE
from proxy.router.stats import RouteStats
from proxy.router.targets import Target, TargetTable
from proxy.router.token_estimate import expected_tokens, prompt_tokens
from proxy.router.usage_fallback import UsageFallback
from proxy.wire.errors import GatewayError

__all__ = ["Dispatcher"]

OnUpstreamError = Callable[[str, str], None]
Forward = Callable[[Call, Provider, ProviderRequest], Awaitable[Reply]]
# Wraps each upstream attempt (a span per attempt when tracing is on).
TraceAttempt = Callable[[Call, Target, ProviderRequest, Forward], Awaitable[Reply]]


class Dispatcher:
    """The innermost step of the chain. A failure that another backend could avoid (connect,
    timeout, 429, 5xx) moves on to the next target; one about the request itself does not."""

    def __init__(
        self,
        table: TargetTable,
        on_upstream_error: OnUpstreamError,
        breakers: BreakerBoard | None = None,
        router: HyPIE | None = None,
        stats: RouteStats | None = None,
        max_attempts: int = 4,
        retry_after_budget_s: float = 0.0,
        trace_attempt: TraceAttempt | None = None,
    ) -> None:
        self.trace_attempt = trace_attempt
        self._max_attempts = max_attempts
        self._retry_after_budget_s = retry_after_budget_s
        self.table = table
        self._on_upstream_error = on_upstream_error
        self._breakers = breakers
        self._router = router
        self._stats = stats

    async def __call__(self, call: Call) -> Reply:
        targets = self.table.resolve(call.model)
        if call.endpoint == "completions":
            targets = [t for t in targets if dialect_bridge.serves(t.provider, call.endpoint)]
            if not targets:
                raise dialect_bridge.no_backend(call.model, call.endpoint)
        if self._router is not None:
            targets = self._order(call, targets)
        allowed = call.allowed_providers
        if allowed is not None:
            # Governance narrowed the backends; never fall back to one it did not allow.
            targets = [t for t in targets if t.provider.name in allowed]
        failures: list[tuple[Target, UpstreamError]] = []
        open_circuits: list[Target] = []
        budget = self._retry_after_budget_s
        for _ in range(2):  # a second pass only after waiting out a short Retry-After
            for target in targets[: self._max_attempts - len(failures)]:
                breaker = self._breakers.for_target(target.route) if self._breakers else None
                if breaker is not None and not breaker.allows():
                    open_circuits.append(target)
                    continue
                try:
                    reply = await self._attempt(call, target, breaker)
                except BreakerOpen:
                    open_circuits.append(target)
                    continue
                except UpstreamError as exc:
                    self._on_upstream_error(target.provider.name, exc.kind)
                    failures.append((target, exc))
                    if not exc.retryable:
                        raise
                    continue
                reply.attempts = [_describe(t, e) for t, e in failures]
                return reply
            wait = _rate_limited_for(failures)
            if wait is None or wait > budget or len(failures) >= self._max_attempts:
                break
            # Every backend asked to wait, briefly: wait (with jitter) and go round once more.
            await asyncio.sleep(wait * random.uniform(1.0, 1.1))
            budget = -1.0
        if not failures and open_circuits:
            assert self._breakers is not None
            raise _all_open(call.model, open_circuits, self._breakers.reset_s)
        raise _exhausted(failures)

    def _order(self, call: Call, targets: list[Target]) -> list[Target]:
        """Specialists first when the prompt is confidently theirs, then the ranked rest."""
        assert self._router is not None
        if len(targets) > 1:
            ranked = self._router.rank(call.model, targets, expected_tokens(call))
            targets = [r.target for r in ranked]
            spec = self._router.strategy_for(call.model)
            call.route_reason = spec.strategy if spec is not None else "priority"
        special = self._router.specialist(call.model, lambda: _last_user_text(call))
        if special is None:
            return targets
        routes, call.route_reason = special
        first = [t for route in routes for t in self.table.resolve(route)]
        return first + [t for t in targets if t.route not in routes]

    async def _attempt(self, call: Call, target: Target, breaker: TargetBreaker | None) -> Reply:
        started = time.perf_counter()
        try:
            if breaker is None:
                reply = await self._send(call, target)
            else:
                reply = await breaker.call(functools.partial(self._send, call, target))
        except UpstreamError:
            call.failed_upstream_s += time.perf_counter() - started
            self._measure(target, False, started, call)
            raise
        self._measure(target, True, started, call)
        return reply

    def _measure(self, target: Target, ok: bool, started: float, call: Call) -> None:
        if self._stats is not None:
            self._stats.record(target.route, ok, time.perf_counter() - started, call.stream)

    async def _send(self, call: Call, target: Target) -> Reply:
        same = target.model == call.body.get("model") and not call.body_changed
        request = ProviderRequest(
            request_id=call.request_id,
            model=target.model,
            body=call.body if same else {**call.body, "model": target.model},
            raw=call.raw if same else None,
            headers=call.upstream_headers,
        )
        if self.trace_attempt is not None:
            return await self.trace_attempt(call, target, request, _forward)
        return await _forward(call, target.provider, request)


async def _forward(call: Call, provider: Provider, request: ProviderRequest) -> Reply:
    endpoint = call.endpoint
    if endpoint == "embeddings":
        return await provider.embed(request)
    if endpoint == "count_tokens":
        return await dialect_bridge.count_tokens(provider, request, prompt_tokens(call))
    usage = UsageFallback(call)
    if endpoint == "messages":
        return await dialect_bridge.messages(provider, request, call.stream, call.model, usage)
    if endpoint == "completions":
        reply = await dialect_bridge.text_completion(provider, request, call.stream)
        return usage.counted(reply, "completions")
    if call.turn is not None:
        reply = await dialect_bridge.responses(provider, request, call.stream, call.turn)
    elif call.stream:
        reply = await provider.stream(request)
    else:
        reply = await provider.complete(request)
    return usage.counted(reply, "chat")


def _rate_limited_for(failures: list[tuple[Target, UpstreamError]]) -> float | None:
    """The shortest Retry-After when every failure so far was a rate limit that gave one."""
    delays = [e.retry_after for _, e in failures if e.status == 429]
    if not failures or len(delays) != len(failures) or None in delays:
        return None
    return min(d for d in delays if d is not None)


def _last_user_text(call: Call) -> str:
    messages = call.body.get("messages")
    users = [
        m for m in (messages if isinstance(messages, list) else [])
        if isinstance(m, dict) and m.get("role") == "user"
    ]  # fmt: skip
    return " ".join(message_texts(users[-1:]))


def _all_open(model: str, targets: list[Target], reset_s: float) -> GatewayError:
    names = ", ".join(t.route for t in targets)
    return GatewayError(
        503,
        f"Every backend for '{model}' is failing and its circuit breaker is open: {names}.",
        code="circuit_open",
        headers={"retry-after": f"{max(1, round(reset_s))}"},
    )


def _describe(target: Target, exc: UpstreamError) -> str:
    return f"{target.route}: {exc.status} {exc.message}"


def _exhausted(failures: list[tuple[Target, UpstreamError]]) -> GatewayError:
    if len(failures) == 1:
        return failures[0][1]
    errors = [e for _, e in failures]
    tried = "; ".join(_describe(t, e) for t, e in failures)
    if all(e.status == 429 for e in errors):
        delays = [e.retry_after for e in errors if e.retry_after is not None]
        headers = {"retry-after": f"{min(delays):g}"} if delays else {}
        return GatewayError(
            429,
            f"Every backend is rate-limited. Tried: {tried}",
            code="rate_limit_exceeded",
            headers=headers,
        )
    if all(e.kind == "pool" for e in errors):
        return GatewayError(
            503,
            f"Every backend's connections are busy. Tried: {tried}",
            code="upstream_busy",
            headers={"retry-after": "1"},
        )
    if errors[-1].kind == "timeout":
        return GatewayError(
            504,
            f"Every backend failed, the last by timing out. Tried: {tried}",
            code="upstream_timeout",
        )
    return GatewayError(502, f"Every backend failed. Tried: {tried}", code="upstream_error")
