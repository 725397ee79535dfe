"""HyPIE strategies order targets as configured, from controlled measurements and prices."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from proxy.config.gateway_config import AliasConfig
from proxy.router.hypie import HyPIE
from proxy.router.stats import RouteStats
from proxy.router.targets import Target


@dataclass
class FakeProvider:
    name: str


A, B, C = (Target(FakeProvider(n), "m") for n in ("a", "b", "c"))  # type: ignore[arg-type]
PRICES = {"a/m": (5.0, 15.0), "b/m": (0.15, 0.6), "c/m": (1.0, 2.0)}


def router(strategy: str, open_routes: frozenset[str] = frozenset(), **extra: object) -> HyPIE:
    spec = AliasConfig(strategy=strategy, targets=["a/m", "b/m", "c/m"], **extra)  # type: ignore[arg-type]
    return HyPIE(
        {"alias": spec},
        STATS,
        PRICES,
        {"a": "cloud", "b": "cloud", "c": "local"},
        lambda route: route not in open_routes,
        random.Random(7),
    )


STATS = RouteStats()
for _ in range(5):
    STATS.record("a/m", True, 0.050, streamed=False)
    STATS.record("b/m", True, 0.400, streamed=False)
    STATS.record("c/m", True, 0.120, streamed=False)
STATS.record("c/m", False, 0.1, streamed=False)


def order(hypie: HyPIE) -> list[str]:
    return [r.target.route for r in hypie.rank("alias", [A, B, C], (1000, 256))]


def test_priority_keeps_the_listed_order_and_open_breakers_go_last() -> None:
    assert order(router("priority")) == ["a/m", "b/m", "c/m"]
    assert order(router("priority", frozenset({"a/m"}))) == ["b/m", "c/m", "a/m"]


def test_least_latency_and_least_cost() -> None:
    assert order(router("least_latency")) == ["a/m", "c/m", "b/m"]
    assert order(router("least_cost")) == ["b/m", "c/m", "a/m"]


def test_an_unmeasured_target_is_tried_first_to_be_measured() -> None:
    hypie = router("least_latency")
    fresh = Target(FakeProvider("d"), "m")  # type: ignore[arg-type]
    assert hypie.rank("alias", [A, B, fresh], (10, 10))[0].target is fresh


def test_weighted_follows_the_weights() -> None:
    hypie = router("weighted", weights={"a/m": 8, "b/m": 1, "c/m": 1})
    firsts = Counter(hypie.rank("alias", [A, B, C], (1, 1))[0].target.route for _ in range(2000))
    assert 0.75 < firsts["a/m"] / 2000 < 0.85


def test_adaptive_scores_health_errors_latency_cost_and_locality() -> None:
    ranked = router("adaptive").rank("alias", [A, B, C], (1000, 256))
    # c: 1 - 0.2 errors - 0.12 s - 0.076 cost; b: 1 - 0.4 s - 0.015; a: 1 - 0.05 s - 0.442
    assert [r.target.route for r in ranked] == ["c/m", "b/m", "a/m"]
    by_route = {r.target.route: r for r in ranked}
    assert set(by_route["a/m"].parts) == {"health", "errors", "latency", "cost", "local"}
    assert by_route["c/m"].parts["errors"] < 0 and by_route["a/m"].parts["errors"] == 0
    local_first = router("adaptive", adaptive={"local": 5.0}).rank("alias", [A, B, C], (10, 10))
    assert local_first[0].target.route == "c/m"
    unhealthy = router("adaptive", frozenset({"a/m"})).rank("alias", [A, B, C], (10, 10))
    assert unhealthy[-1].target.route == "a/m"
    assert router("least_cost").cost_usd("b/m", 1_000_000, 1_000_000) == 0.75
