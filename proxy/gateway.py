"""Everything a running gateway owns, built from one config at start-up and closed at shutdown."""

from __future__ import annotations

import logging
import time

from governance.compliance import soc2_files, soc2_startup_problems
from governance.evidence import EvidenceLedger, utc_now
from governance.policy import Backend, PolicyError
from governance.sensitivity import DEFAULT_TYPE_LEVELS
from proxy.cache import CacheBackend, MemoryCache, RedisCache
from proxy.call import Endpoint, Stage
from proxy.config.gateway_config import CacheConfig, ConfigError, LoadedConfig
from proxy.config.keys import KeyRing
from proxy.http.call_watch import LiveCalls
from proxy.http.graceful_stop import GracefulStop
from proxy.limits import Limiter, MemoryLimiter, RedisLimiter
from proxy.metrics import GatewayMetrics
from proxy.middleware import AuthStage, compose
from proxy.middleware.cache import CacheSettings, CacheStage
from proxy.middleware.event_stream import RedisEventStream
from proxy.middleware.evidence import EvidenceStage, base_record, outcome_of
from proxy.middleware.evidence_health import EvidenceCollector
from proxy.middleware.evidence_setup import build_ledger
from proxy.middleware.policy_source import PolicySource
from proxy.middleware.rate_limit import RateLimitStage
from proxy.middleware.scan_offload import ScanOffload
from proxy.middleware.sensitivity import SensitivitySettings, SensitivityStage
from proxy.middleware.verdict_stage import compliance_stage, policy_stage
from proxy.providers.base import Provider
from proxy.providers.build import build_provider
from proxy.router.breaker_sync import BreakerSync
from proxy.router.breakers import BreakerBoard
from proxy.router.dispatch import Dispatcher
from proxy.router.hypie import HyPIE
from proxy.router.skills import Skills
from proxy.router.stats import RouteStats
from proxy.router.targets import TargetTable, backends_of

__all__ = ["Gateway"]

log = logging.getLogger("metaqore")


class Gateway:
    def __init__(self, loaded: LoadedConfig) -> None:
        self.loaded = loaded
        self.config = config = loaded.config
        self.metrics = GatewayMetrics()
        self.calls = LiveCalls()
        self.stopping = GracefulStop(config.server.shutdown_grace_s, self.calls)
        for name, reason in loaded.disabled_providers.items():
            log.warning("provider %s is disabled: %s", name, reason)
        self.providers: dict[str, Provider] = {
            spec.name: build_provider(spec)
            for spec in config.providers
            if spec.name not in loaded.disabled_providers
        }
        self.backends = backends_of(config)
        self.keys = KeyRing.from_config(config.keys)
        self.table = TargetTable(config, self.providers, loaded.disabled_providers)
        self._candidates: dict[str, tuple[Backend, ...]] = {}
        self.policies = self._load_policies()
        soc2 = self.policies.tree is not None and bool(soc2_files(self.policies.tree))
        self.ledger: EvidenceLedger | None = (
            build_ledger(config.evidence, loaded.path.parent, soc2=soc2)
            if config.evidence.enabled
            else None
        )
        if self.ledger is not None:
            self.metrics.registry.register(EvidenceCollector(self.ledger))
        events = config.evidence.events
        self.events = (
            RedisEventStream(events.redis_url, events.stream, events.maxlen)
            if events is not None and self.ledger is not None
            else None
        )
        limits = config.limits
        self.limiter: Limiter = (
            RedisLimiter(limits.redis_url)
            if limits.backend == "redis" and limits.redis_url is not None
            else MemoryLimiter()
        )
        self.cache = _cache_backend(config.cache)
        breakers = config.breakers
        self.breakers = (
            BreakerBoard(breakers.fail_max, breakers.reset_timeout_s) if breakers.enabled else None
        )
        if self.breakers is not None:
            self.breakers.on_change(self.metrics.breaker)
        self.breaker_sync = (
            BreakerSync(self.breakers, breakers.redis_url)
            if self.breakers is not None and breakers.redis_url is not None
            else None
        )
        self._evidence = (
            EvidenceStage(
                self.ledger, self.ledger.keys, self.events, self._cost, self.table.configured
            )
            if self.ledger is not None
            else None
        )
        governance = config.governance
        self.offload = ScanOffload(
            governance.scan_threads, governance.scans_per_key, governance.scans_in_flight
        )
        self.metrics.add_source(self.offload.metrics)
        self.stats = RouteStats()
        self.router = HyPIE(
            {alias: config.alias_strategy(alias) for alias in config.aliases},
            self.stats,
            prices={
                f"{p.name}/{model}": price
                for p in config.providers
                for model, price in p.prices.items()
            },
            locality={p.name: p.locality for p in config.providers},
            healthy=self._healthy,
            skills=Skills(config.skills),
        )
        dispatcher = Dispatcher(
            self.table,
            self.metrics.upstream_error,
            self.breakers,
            self.router,
            self.stats,
            max_attempts=config.routing.max_attempts,
            retry_after_budget_s=config.routing.retry_after_budget_s,
        )
        self.handle = compose(self._stages(), dispatcher)

    def _healthy(self, route: str) -> bool:
        return self.breakers is None or self.breakers.for_target(route).allows()

    def _cost(self, route: str, prompt: int, completion: int) -> float | None:
        return self.router.cost_usd(route, prompt, completion)

    def _load_policies(self) -> PolicySource:
        governance, base = self.config.governance, self.loaded.path.parent
        try:
            root = base / governance.policies if governance.policies is not None else None
            policies = PolicySource(root)
        except PolicyError as exc:
            raise ConfigError(f"governance.policies: {exc}") from None
        if policies.tree is not None:
            problems = soc2_startup_problems(
                policies.tree, self.keys.enabled, self.config.evidence.enabled
            )
            if problems:
                raise ConfigError(problems[0])
        return policies

    def _stages(self) -> list[Stage]:
        """The chain in the order the design fixes: evidence, auth, sensitivity, policy,
        compliance, rate limits, cache."""
        stages: list[Stage] = []
        if self._evidence is not None:
            stages.append(self._evidence)
        stages.append(AuthStage(lambda: self.keys))
        governance = self.config.governance
        if governance.enabled:
            settings = SensitivitySettings(
                type_levels={**DEFAULT_TYPE_LEVELS, **governance.type_levels},
                inline_scan_chars=governance.inline_scan_chars,
                timeout_s=governance.timeout_s,
                scan_responses=governance.scan_responses,
                scan_memo_entries=governance.scan_memo_entries,
                inline_scan_s=governance.inline_scan_ms / 1000,
            )
            stages.append(
                SensitivityStage(self.policies.for_call, self.candidates, settings, self.offload)
            )
            stages.extend(
                [policy_stage(), compliance_stage(), RateLimitStage(self.limiter, self._cost)]
            )
        if self.cache is not None:
            cache = self.config.cache
            kept = CacheSettings(cache.ttl_s, cache.scope, cache.only_deterministic)
            stages.append(CacheStage(self.cache, kept))
        return stages

    def candidates(self, model: str) -> tuple[Backend, ...]:
        """The backends that could serve `model`, as governance sees them (fixed for the
        gateway's life, so worked out once per model; an unknown model raises every time)."""
        known = self._candidates.get(model)
        if known is None:
            names = self.table.provider_names(model)
            known = self._candidates[model] = tuple(self.backends[name] for name in names)
        return known

    async def record_rejection(
        self, request_id: str, endpoint: Endpoint, credential: str | None, status: int,
        code: str | None, started: float,
    ) -> None:  # fmt: skip
        """Evidence for a request turned away before it became a call (bad JSON, 413 …)."""
        if self.ledger is None:
            return
        principal = self.keys.principal_for(credential)
        outcome = "client_disconnected" if status == 499 else outcome_of(status)
        record = base_record(request_id, utc_now(), endpoint, principal, status, outcome)
        record.error_code = code
        record.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        assert self._evidence is not None
        await self._evidence.record_error(record)

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

    async def aclose(self) -> None:
        """Write the evidence spool into the store first, then close."""
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
        for provider in self.providers.values():
            await provider.aclose()
        self.offload.close()


def _cache_backend(config: CacheConfig) -> CacheBackend | None:
    if not config.enabled:
        return None
    if config.backend == "redis" and config.redis_url is not None:
        return RedisCache(config.redis_url)
    return MemoryCache(config.max_entries, config.max_bytes)
