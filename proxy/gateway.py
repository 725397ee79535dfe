"""Everything a running gateway owns, built from one config at start-up and closed at shutdown.

Each part has its own builder: routing (proxy/router/build.py), the policy tree, scan threads
and judging stages (proxy/middleware/judging.py, shared with `metaqore policy explain`),
evidence (proxy/middleware/evidence_setup.py), the keys API's feed (proxy/keyring/feed.py),
stored Responses (proxy/response_store/build.py) and traces (proxy/telemetry); this class puts
them together in the design's order. The endpoints (proxy/http/app.py) are each handed the
parts they use, never the whole gateway.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from governance.compliance import soc2_files
from governance.evidence import utc_now
from governance.sensitivity import DEFAULT_TYPE_LEVELS
from proxy.cache import CacheBackend, MemoryCache, RedisCache
from proxy.call import Endpoint, Next, Stage
from proxy.config.gateway_config import CacheConfig, LoadedConfig
from proxy.config.keys import KeyRing
from proxy.config.sections import LimitsConfig
from proxy.http.call_watch import LiveCalls
from proxy.http.graceful_stop import GracefulStop
from proxy.keyring.admin import KeyAdmin
from proxy.keyring.feed import build_key_feed
from proxy.limits import Limiter, MemoryLimiter, RedisLimiter
from proxy.metrics import GatewayMetrics
from proxy.middleware import AuthStage, compose
from proxy.middleware.cache import CacheSettings, CacheStage
from proxy.middleware.evidence import base_record, outcome_of
from proxy.middleware.evidence_health import EvidenceCollector
from proxy.middleware.evidence_setup import Evidence, build_evidence
from proxy.middleware.judging import build_judging
from proxy.middleware.principals import Principals
from proxy.middleware.rate_limit import RateLimitStage
from proxy.middleware.response_state import ResponseHistoryStage, ResponseKeepStage
from proxy.response_store.build import build_response_state
from proxy.router.build import build_routing
from proxy.telemetry import build_tracing
from proxy.telemetry.json_logs import LogContextStage

if TYPE_CHECKING:
    from proxy.telemetry.spans import Tracing

__all__ = ["Gateway"]


class Gateway:
    def __init__(self, loaded: LoadedConfig) -> None:
        self.loaded = loaded
        self.config = config = loaded.config
        self.metrics = GatewayMetrics()
        self.calls = LiveCalls()
        self.stopping = GracefulStop(config.server.shutdown_grace_s, self.calls)
        self.routing = routing = build_routing(
            loaded, self.metrics.upstream_error, self.metrics.breaker
        )
        ring = KeyRing.from_config(config.keys)
        # Sensitivity, policy and compliance (one set, and one scan memo): in both chains, and
        # run alone by the admin explain.
        self.judging = build_judging(loaded, ring.enabled, routing.candidates)
        self.policies = self.judging.policies
        self.metrics.add_source(self.judging.offload.metrics)
        self.evidence = self._evidence()
        self.ledger = self.evidence.ledger if self.evidence is not None else None
        self.events = self.evidence.events if self.evidence is not None else None
        self.key_feed = build_key_feed(loaded, self.ledger)
        self.principals, self.key_admin = self._keys(ring)
        self.limiter = _limiter(config.limits)
        self.cache = _cache_backend(config.cache)
        self.tracing = self._tracing()
        self.responses = build_response_state(loaded)
        self.handle, self.handle_responses = self._chains()

    def _evidence(self) -> Evidence | None:
        """The ledger (SOC 2 in the policy tree asks more of it), its health on /metrics."""
        tree, routing = self.policies.tree, self.routing
        soc2 = tree is not None and bool(soc2_files(tree))
        evidence = build_evidence(
            self.loaded, soc2=soc2, cost=routing.cost, configured=routing.table.configured
        )
        if evidence is not None:
            self.metrics.registry.register(EvidenceCollector(evidence.ledger))
        return evidence

    def _keys(self, ring: KeyRing) -> tuple[Principals, KeyAdmin | None]:
        """Who a key is (the config's, then the keys API's), and the keys API itself, which
        needs evidence on (every change is recorded). An API key's policy joins the tree."""
        feed, ledger = self.key_feed, self.ledger
        principals = Principals(ring, feed.table if feed is not None else None)
        if feed is None:
            return principals, None
        self.policies.key_policies = feed.table.policy_of
        if ledger is None:
            return principals, None
        return principals, KeyAdmin(feed, ledger, self.policies.for_principal, principals.in_config)

    def _tracing(self) -> Tracing | None:
        """Off: no wrapper, no hook, nothing per call."""
        config, ledger, routing = self.config, self.ledger, self.routing
        tracing = build_tracing(
            config.telemetry,
            {p.name: p.kind for p in config.providers},
            routing.table.configured,
            lambda: ledger.writer_id if ledger is not None else None,
        )
        if tracing is not None:
            routing.dispatcher.trace_attempt = tracing.attempt
        return tracing

    def _chains(self) -> tuple[Next, Next]:
        """The chat chain, and the Responses endpoint's with its stored state."""
        governance = self.config.governance
        output_levels = (
            {**DEFAULT_TYPE_LEVELS, **governance.type_levels}
            if governance.enabled and governance.scan_responses
            else None
        )
        history = ResponseHistoryStage(self.responses)
        keep = ResponseKeepStage(self.responses, output_levels)
        dispatcher = self.routing.dispatcher
        return (
            compose(self._traced(self._stages()), dispatcher),
            compose(self._traced(self._stages(history, keep)), dispatcher),
        )

    def _traced(self, stages: list[Stage]) -> list[Stage]:
        return self.tracing.wrap(stages) if self.tracing is not None else stages

    def _stages(self, *state: Stage) -> list[Stage]:
        """The chain in the order the design fixes: evidence, auth, sensitivity, policy,
        compliance, rate limits, cache. The Responses endpoint's chain adds its `state` stages:
        the history before the judging stages (prior turns are judged with the new input), the
        keeping after them (what is stored is what governance let through)."""
        stages: list[Stage] = []
        if self.config.telemetry.log_format == "json":
            stages.append(LogContextStage())
        if self.evidence is not None:
            stages.append(self.evidence.stage)
        stages.append(AuthStage(self.principals.principal_for))
        stages.extend(state[:1])
        judging = self.judging.stages
        stages.extend(judging)
        stages.extend(state[1:])
        if judging:
            stages.append(RateLimitStage(self.limiter, self.routing.cost))
        if self.cache is not None:
            cache = self.config.cache
            kept = CacheSettings(cache.ttl_s, cache.scope, cache.only_deterministic)
            stages.append(CacheStage(self.cache, kept))
        return stages

    async def record_rejection(
        self, request_id: str, endpoint: Endpoint, credential: str | None, status: int,
        code: str | None, started: float,
    ) -> None:  # fmt: skip
        """Evidence for a request turned away before it became a call (bad JSON, 413 …)."""
        if self.evidence is None:
            return
        principal = self.principals.principal_for(credential)
        outcome = "client_disconnected" if status == 499 else outcome_of(status)
        record = base_record(request_id, utc_now(), endpoint, principal, status, outcome)
        record.error_code = code
        record.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        await self.evidence.stage.record_error(record)

    async def start(self) -> None:
        if self.ledger is not None:
            await self.ledger.start()
        if self.events is not None:
            await self.events.start()
        if self.routing.breaker_sync is not None:
            await self.routing.breaker_sync.start()
        if self.key_feed is not None:
            await self.key_feed.start()

    async def aclose(self) -> None:
        """Write the evidence spool into the store first, then close."""
        if self.key_feed is not None:
            await self.key_feed.aclose()
        if self.ledger is not None:
            await self.ledger.aclose()
            await self.ledger.store.aclose()
        if self.events is not None:
            await self.events.aclose()
        if self.cache is not None:
            await self.cache.aclose()
        if self.routing.breaker_sync is not None:
            await self.routing.breaker_sync.aclose()
        await self.limiter.aclose()
        if self.responses is not None:
            await self.responses.aclose()
        for provider in self.routing.providers.values():
            await provider.aclose()
        self.judging.offload.close()
        if self.tracing is not None:
            self.tracing.close()


def _limiter(config: LimitsConfig) -> Limiter:
    if config.backend == "redis" and config.redis_url is not None:
        return RedisLimiter(config.redis_url)
    return MemoryLimiter()


def _cache_backend(config: CacheConfig) -> CacheBackend | None:
    if not config.enabled:
        return None
    if config.backend == "redis" and config.redis_url is not None:
        return RedisCache(config.redis_url)
    return MemoryCache(config.max_entries, config.max_bytes)
