"""The routing half of a gateway, built from one config: providers, the target table, breakers
(and their Redis sync), route statistics, HyPIE and the dispatcher the stage chain ends in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from governance.policy import Backend
from proxy.config.gateway_config import LoadedConfig
from proxy.providers.base import Provider
from proxy.providers.build import build_provider
from proxy.router.breaker_sync import BreakerSync
from proxy.router.breakers import BreakerBoard
from proxy.router.dispatch import Dispatcher
from proxy.router.hypie import HyPIE
from proxy.router.skills import Skills
from proxy.router.stats import RouteStats
from proxy.router.targets import TargetTable, backends_of

__all__ = ["Routing", "build_routing"]

log = logging.getLogger("metaqore")


@dataclass(slots=True)
class Routing:
    providers: dict[str, Provider]
    table: TargetTable
    backends: dict[str, Backend]
    breakers: BreakerBoard | None
    breaker_sync: BreakerSync | None
    stats: RouteStats
    router: HyPIE
    dispatcher: Dispatcher
    _candidates: dict[str, tuple[Backend, ...]] = field(default_factory=dict)

    def candidates(self, model: str) -> tuple[Backend, ...]:
        """The backends that could serve `model`, as governance sees them (fixed for the
        gateway's life, so worked out once per model; an unknown model raises every time)."""
        known = self._candidates.get(model)
        if known is None:
            names = self.table.provider_names(model)
            known = self._candidates[model] = tuple(self.backends[name] for name in names)
        return known

    def cost(self, route: str, prompt: int, completion: int) -> float | None:
        return self.router.cost_usd(route, prompt, completion)


def build_routing(
    loaded: LoadedConfig,
    on_upstream_error: Callable[[str, str], None],
    on_breaker_change: Callable[[str, str], None],
) -> Routing:
    config = loaded.config
    for name, reason in loaded.disabled_providers.items():
        log.warning("provider %s is disabled: %s", name, reason)
    providers = {
        spec.name: build_provider(spec)
        for spec in config.providers
        if spec.name not in loaded.disabled_providers
    }
    table = TargetTable(config, providers, loaded.disabled_providers)
    settings = config.breakers
    breakers = (
        BreakerBoard(settings.fail_max, settings.reset_timeout_s) if settings.enabled else None
    )
    if breakers is not None:
        breakers.on_change(on_breaker_change)
    sync = (
        BreakerSync(breakers, settings.redis_url)
        if breakers is not None and settings.redis_url is not None
        else None
    )

    def healthy(route: str) -> bool:
        return breakers is None or breakers.for_target(route).allows()

    stats = RouteStats()
    router = HyPIE(
        {alias: config.alias_strategy(alias) for alias in config.aliases},
        stats,
        prices={
            f"{p.name}/{model}": price
            for p in config.providers
            for model, price in p.prices.items()
        },
        locality={p.name: p.locality for p in config.providers},
        healthy=healthy,
        skills=Skills(config.skills),
    )
    dispatcher = Dispatcher(
        table,
        on_upstream_error,
        breakers,
        router,
        stats,
        max_attempts=config.routing.max_attempts,
        retry_after_budget_s=config.routing.retry_after_budget_s,
    )
    return Routing(
        providers, table, backends_of(config), breakers, sync, stats, router, dispatcher
    )
