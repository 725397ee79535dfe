"""HyPIE: the order in which a call's candidate targets are tried, and why.

Strategies per alias: `priority` (as listed), `weighted` (random, by weight), `least_latency`
(the gateway's own latency / time-to-first-byte EMAs; an unmeasured target is tried first so it
gets measured), `least_cost` (price table times estimated tokens), `adaptive` (a score of health,
error rate, latency, cost and locality, weights from config). A target whose breaker is open
goes last (the dispatcher then skips it).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from proxy.config.gateway_config import AliasConfig
from proxy.router.skills import Skills
from proxy.router.stats import RouteStats
from proxy.router.targets import Target

__all__ = ["HyPIE", "Ranked"]

Price = tuple[float, float]  # USD per million tokens: input, output


@dataclass(frozen=True, slots=True)
class Ranked:
    target: Target
    score: float
    parts: dict[str, float]


class HyPIE:
    def __init__(
        self,
        strategies: Mapping[str, AliasConfig],
        stats: RouteStats,
        prices: Mapping[str, Price],
        locality: Mapping[str, str],
        healthy: Callable[[str], bool],
        rng: random.Random | None = None,
        skills: Skills | None = None,
    ) -> None:
        self._strategies = strategies
        self._skills = skills
        self._stats = stats
        self._prices = prices
        self._locality = locality
        self._healthy = healthy
        self._rng = rng or random.Random()

    def strategy_for(self, model: str) -> AliasConfig | None:
        return self._strategies.get(model)

    def rank(self, model: str, targets: list[Target], tokens: tuple[int, int]) -> list[Ranked]:
        """`targets` in the order to try them, each with its score and the parts of it."""
        spec = self._strategies.get(model)
        strategy = spec.strategy if spec is not None else "priority"
        if strategy == "priority" or len(targets) < 2:
            ranked = [Ranked(t, float(len(targets) - i), {}) for i, t in enumerate(targets)]
        elif strategy == "weighted":
            assert spec is not None
            ranked = self._weighted(targets, spec)
        else:
            ranked = [self._score(strategy, t, tokens, spec) for t in targets]
            ranked.sort(key=lambda r: -r.score)
        # Open breakers last, order otherwise kept.
        return sorted(ranked, key=lambda r: not self._healthy(r.target.route))

    def specialist(self, model: str, prompt_of: Callable[[], str]) -> tuple[list[str], str] | None:
        """Specialist targets for the prompt, and the rule that fired, when confident. The
        prompt is only read (`prompt_of`) when the alias has specialists."""
        spec = self._strategies.get(model)
        if spec is None or not spec.specialists or self._skills is None:
            return None
        prompt = prompt_of()
        if not prompt:
            return None
        match = self._skills.classify(prompt, frozenset(spec.specialists))
        if match is None:
            return None
        reason = f"specialist:{match.skill} ({', '.join(match.fired)})"
        return list(spec.specialists[match.skill]), reason

    def cost_usd(self, route: str, prompt: int, completion: int) -> float | None:
        price = self._prices.get(route)
        if price is None:
            return None
        return (prompt * price[0] + completion * price[1]) / 1_000_000

    def _weighted(self, targets: list[Target], spec: AliasConfig) -> list[Ranked]:
        pool = [(t, max(0.0, spec.weights.get(t.route, 1.0))) for t in targets]
        ranked = []
        while pool:
            total = sum(w for _, w in pool) or float(len(pool))
            pick = self._rng.uniform(0, total)
            for index, (target, weight) in enumerate(pool):
                pick -= weight or total / len(pool)
                if pick <= 0 or index == len(pool) - 1:
                    ranked.append(Ranked(target, weight, {"weight": weight}))
                    pool.pop(index)
                    break
        return ranked

    def _score(
        self, strategy: str, target: Target, tokens: tuple[int, int], spec: AliasConfig | None
    ) -> Ranked:
        stats = self._stats.get(target.route)
        speed = stats.speed_ms()
        cost = self.cost_usd(target.route, *tokens)
        if strategy == "least_latency":
            # Unmeasured targets first: that is how they get measured.
            return Ranked(target, float("inf") if speed is None else -speed, {"ms": speed or 0})
        if strategy == "least_cost":
            return Ranked(target, float("-inf") if cost is None else -cost, {"usd": cost or 0})
        assert spec is not None
        w = spec.adaptive
        parts = {
            "health": w.health * (1.0 if self._healthy(target.route) else 0.0),
            "errors": -w.errors * stats.error_rate,
            # Scaled so that 1 s counts as 1; unmeasured counts as fast, to get measured.
            "latency": -w.latency * ((speed or 0.0) / 1000),
            "cost": -w.cost * ((cost or 0.0) * 100),  # a cent a call counts as 1
            "local": w.local * (1.0 if self._locality.get(target.provider.name) == "local" else 0),
        }
        return Ranked(target, sum(parts.values()), parts)
