"""Everything a running gateway owns, built from one config at start-up and closed at shutdown.

Each part has its own builder: routing (proxy/router/build.py), the judging stages
(proxy/middleware/judging.py, shared with `metaqore policy explain`), evidence
(proxy/middleware/evidence_setup.py); this class puts them together in the design's order.
"""

from __future__ import annotations

import time

from governance.compliance import soc2_files
from governance.evidence import utc_now
from governance.sensitivity import DEFAULT_TYPE_LEVELS
from proxy.cache import CacheBackend, MemoryCache, RedisCache
from proxy.call import Endpoint, Principal, Stage
from proxy.config.gateway_config import CacheConfig, LoadedConfig
from proxy.config.keys import KeyRing, digest_of
from proxy.config.sections import LimitsConfig
from proxy.http.call_watch import LiveCalls
from proxy.http.graceful_stop import GracefulStop
from proxy.keyring.feed import build_key_feed
from proxy.limits import Limiter, MemoryLimiter, RedisLimiter
from proxy.metrics import GatewayMetrics
from proxy.middleware import AuthStage, compose
from proxy.middleware.cache import CacheSettings, CacheStage
from proxy.middleware.evidence import base_record, outcome_of
from proxy.middleware.evidence_health import EvidenceCollector
from proxy.middleware.evidence_setup import build_evidence
from proxy.middleware.judging import judging_stages, load_policies, scan_offload
from proxy.middleware.rate_limit import RateLimitStage
from proxy.middleware.response_state import ResponseHistoryStage, ResponseKeepStage
from proxy.response_store.build import build_response_state
from proxy.router.build import build_routing
from proxy.telemetry import build_tracing
from proxy.telemetry.json_logs import LogContextStage

__all__ = ["Gateway"]


class Gateway:
    def __init__(self, loaded: LoadedConfig) -> None:
        self.loaded = loaded
        self.config = config = loaded.config
        self.metrics = GatewayMetrics()
        self.calls = LiveCalls()
        self.stopping = GracefulStop(config.server.shutdown_grace_s, self.calls)
        self.keys = KeyRing.from_config(config.keys)
        self.routing = routing = build_routing(
            loaded, self.metrics.upstream_error, self.metrics.breaker
        )
        # The parts the admin and probe routes read.
        self.providers, self.table, self.router = routing.providers, routing.table, routing.router
        self.breakers, self.breaker_sync = routing.breakers, routing.breaker_sync
        self.stats = routing.stats
        self.policies = load_policies(loaded, self.keys.enabled)
        soc2 = self.policies.tree is not None and bool(soc2_files(self.policies.tree))
        self.evidence = build_evidence(
            loaded, soc2=soc2, cost=routing.cost, configured=routing.table.configured
        )
        self.ledger = self.evidence.ledger if self.evidence is not None else None
        self.key_feed = build_key_feed(loaded, self.ledger)
        self.policies.key_policies = self.key_feed.table.policy_of if self.key_feed else None
        self.events = self.evidence.events if self.evidence is not None else None
        if self.ledger is not None:
            self.metrics.registry.register(EvidenceCollector(self.ledger))
        self.limiter = _limiter(config.limits)
        self.cache = _cache_backend(config.cache)
        self.offload = scan_offload(loaded)
        self.metrics.add_source(self.offload.metrics)
        # Sensitivity, policy and compliance (one set, and one scan memo): in both chains, and
        # run alone by the admin explain.
        self.judging = judging_stages(loaded, self.policies, routing.candidates, self.offload)
        ledger = self.ledger
        self.tracing = build_tracing(
            config.telemetry,
            {p.name: p.kind for p in config.providers},
            routing.table.configured,
            lambda: ledger.writer_id if ledger is not None else None,
        )
        if self.tracing is not None:  # off: no wrapper, no hook, nothing per call
            routing.dispatcher.trace_attempt = self.tracing.attempt
        self.handle = compose(self._traced(self._stages()), routing.dispatcher)
        self.responses = build_response_state(loaded)
        governance = config.governance
        output_levels = (
            {**DEFAULT_TYPE_LEVELS, **governance.type_levels}
            if governance.enabled and governance.scan_responses
            else None
        )
        history = ResponseHistoryStage(self.responses)
        keep = ResponseKeepStage(self.responses, output_levels)
        self.handle_responses = compose(
            self._traced(self._stages(history, keep)), routing.dispatcher
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
        stages.append(AuthStage(self.principal_for))
        stages.extend(state[:1])
        judging = self.judging
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
        principal = self.principal_for(credential)
        outcome = "client_disconnected" if status == 499 else outcome_of(status)
        record = base_record(request_id, utc_now(), endpoint, principal, status, outcome)
        record.error_code = code
        record.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        await self.evidence.stage.record_error(record)

    def principal_for(self, credential: str | None) -> Principal | None:
        """The config's keys, then the keys API's (from memory); None: 401."""
        ring, feed = self.keys, self.key_feed
        if feed is None or not feed.table.seen_any:
            return ring.principal_for(credential)
        if not credential:
            return None
        digest = digest_of(credential)
        return ring.lookup(digest) or feed.table.principal_for(digest, time.time())

    def keys_in_config(self) -> list[Principal]:
        return self.keys.principals()

    def principal_named(self, name: str) -> Principal | None:
        """The principal of a config key's name or an API key's id (for explain)."""
        named = self.keys.named(name)
        if named is None and self.key_feed is not None:
            named = self.key_feed.table.principal_of(name)
        return named

    def provider_states(self) -> dict[str, str]:
        states = {name: "enabled" for name in self.providers}
        for name, reason in self.loaded.disabled_providers.items():
            states[name] = f"disabled: {reason}"
        return states

    async def start(self) -> None:
        if self.ledger is not None:
            await self.ledger.start()
        if self.events is not None:
            await self.events.start()
        if self.breaker_sync is not None:
            await self.breaker_sync.start()
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
        if self.breaker_sync is not None:
            await self.breaker_sync.aclose()
        await self.limiter.aclose()
        if self.responses is not None:
            await self.responses.aclose()
        for provider in self.providers.values():
            await provider.aclose()
        self.offload.close()
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
