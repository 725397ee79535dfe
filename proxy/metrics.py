"""Prometheus metrics, one registry per app (no module globals).

The counts are plain numbers, updated on the event loop and turned into metric families only when
/metrics is scraped: prometheus_client's metric objects take a lock and make several calls for
every update, which came to 47 K instructions a request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from proxy.histogram import LATENCY, OVERHEAD, Buckets, Histogram, merged

__all__ = ["GatewayMetrics"]

_BREAKER_STATES = {"closed": 0, "half_open": 1, "open": 2}


class GatewayMetrics:
    def __init__(self) -> None:
        self._in_flight = 0
        self._requests: dict[tuple[str, str, str], int] = {}
        self._latency: dict[str, Histogram] = {}
        self._ttfb: dict[str, Histogram] = {}
        self._overhead: dict[str, Histogram] = {}
        # By the x-metaqore-decision value ("allow", "deny:<rule>", …): split only when read.
        self._decisions: dict[str, int] = {}
        self._upstream_errors: dict[tuple[str, str], int] = {}
        self._tokens: dict[tuple[str, str], int] = {}
        self._breakers: dict[str, int] = {}
        self._sources: list[Callable[[], Iterable[Any]]] = []
        self.registry = CollectorRegistry()
        self.registry.register(self)

    def request_started(self) -> None:
        self._in_flight += 1

    def request_done(self, endpoint: str, status: int, provider: str, seconds: float) -> None:
        self._in_flight -= 1
        key = (endpoint, str(status), provider)
        self._requests[key] = self._requests.get(key, 0) + 1
        _histogram(self._latency, endpoint, LATENCY).observe(seconds)

    def first_byte(self, endpoint: str, seconds: float) -> None:
        _histogram(self._ttfb, endpoint, LATENCY).observe(seconds)

    def overhead(self, endpoint: str, seconds: float) -> None:
        """The gateway's own time on a call: until its answer started, less upstream waits."""
        _histogram(self._overhead, endpoint, OVERHEAD).observe(seconds)

    def decided(self, decision: str) -> None:
        self._decisions[decision] = self._decisions.get(decision, 0) + 1

    def upstream_error(self, provider: str, kind: str) -> None:
        key = (provider, kind)
        self._upstream_errors[key] = self._upstream_errors.get(key, 0) + 1

    def tokens(self, provider: str, prompt: int, completion: int) -> None:
        for key, count in (((provider, "prompt"), prompt), ((provider, "completion"), completion)):
            self._tokens[key] = self._tokens.get(key, 0) + count

    def breaker(self, target: str, state: str) -> None:
        self._breakers[target] = _BREAKER_STATES[state]

    def add_source(self, families: Callable[[], Iterable[Any]]) -> None:
        """A part of the gateway that keeps counts of its own, read at each scrape."""
        self._sources.append(families)

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))

    def decisions(self) -> dict[tuple[str, str], int]:
        """(decision, rule) -> calls; a decision with several rules counts once for each,
        `allow` has the rule ""."""
        out: dict[tuple[str, str], int] = {}
        for value, count in self._decisions.items():
            decision, _, rules = value.partition(":")
            for rule in rules.split(","):
                out[(decision, rule)] = out.get((decision, rule), 0) + count
        return out

    def traffic(self) -> dict[str, Any]:
        """What `/admin/stats` shows: calls, errors by provider, the gateway's overhead and
        the latency as quantiles (in milliseconds), and decisions by rule."""
        providers: dict[str, dict[str, Any]] = {}
        by_status: dict[str, int] = {}
        for (_endpoint, status, provider), count in self._requests.items():
            row = providers.setdefault(provider, {"requests": 0, "errors": 0, "upstream": {}})
            row["requests"] += count
            row["errors"] += count if int(status) >= 400 else 0
            by_status[status] = by_status.get(status, 0) + count
        for (provider, kind), count in self._upstream_errors.items():
            row = providers.setdefault(provider, {"requests": 0, "errors": 0, "upstream": {}})
            row["upstream"][kind] = count
        rules = [
            {"decision": decision, "rule": rule, "calls": count}
            for (decision, rule), count in sorted(self.decisions().items())
        ]
        return {
            "requests": sum(by_status.values()),
            "in_flight": self._in_flight,
            "by_status": dict(sorted(by_status.items())),
            "providers": dict(sorted(providers.items())),
            "overhead_ms": _quantiles_ms(merged(self._overhead.values(), OVERHEAD)),
            "latency_ms": _quantiles_ms(merged(self._latency.values(), LATENCY)),
            "decisions": rules,
        }

    def collect(self) -> Iterator[Any]:
        """The families as the registry asks for them at a scrape."""
        yield _counter(
            "metaqore_requests",
            "Requests answered, by endpoint, status and provider.",
            ["endpoint", "status", "provider"],
            self._requests.items(),
        )
        yield _histograms(
            "metaqore_request_seconds", "Time from request to the end of the answer.", self._latency
        )
        yield _histograms(
            "metaqore_time_to_first_byte_seconds", "Time until the first body byte was sent.",
            self._ttfb,
        )  # fmt: skip
        yield _histograms(
            "metaqore_overhead_seconds",
            "The gateway's own time until the answer started, upstream waits excluded.",
            self._overhead,
        )
        yield _counter(
            "metaqore_decisions",
            "Governance decisions, by decision and rule (one count per rule of a decision).",
            ["decision", "rule"],
            self.decisions().items(),
        )
        yield _counter(
            "metaqore_upstream_errors",
            "Failed upstream attempts, by provider and kind.",
            ["provider", "kind"],
            self._upstream_errors.items(),
        )
        yield _counter(
            "metaqore_tokens",
            "Tokens reported by upstreams, by provider and direction.",
            ["provider", "direction"],
            self._tokens.items(),
        )
        breakers = GaugeMetricFamily(
            "metaqore_breaker_state",
            "Circuit breaker per target: 0 closed, 1 half-open, 2 open.",
            labels=["target"],
        )
        for target, value in self._breakers.items():
            breakers.add_metric([target], value)
        yield breakers
        yield GaugeMetricFamily(
            "metaqore_requests_in_flight", "Requests being answered now.", value=self._in_flight
        )
        for source in self._sources:
            yield from source()


def _histogram(by_endpoint: dict[str, Histogram], endpoint: str, buckets: Buckets) -> Histogram:
    histogram = by_endpoint.get(endpoint)
    if histogram is None:
        histogram = by_endpoint[endpoint] = Histogram(buckets)
    return histogram


def _counter(
    name: str, documentation: str, labels: list[str], counts: Iterable[tuple[tuple[str, ...], int]]
) -> Any:
    family = CounterMetricFamily(name, documentation, labels=labels)
    for values, count in counts:
        family.add_metric(list(values), count)
    return family


def _histograms(name: str, documentation: str, by_endpoint: dict[str, Histogram]) -> Any:
    family = HistogramMetricFamily(name, documentation, labels=["endpoint"])
    for endpoint, histogram in by_endpoint.items():
        family.add_metric([endpoint], histogram.cumulative(), histogram.total)
    return family


def _quantiles_ms(histogram: Histogram) -> dict[str, float | int | None]:
    def ms(q: float) -> float | None:
        seconds = histogram.quantile(q)
        return None if seconds is None else round(seconds * 1000, 3)

    return {"p50": ms(0.5), "p99": ms(0.99), "count": sum(histogram.counts)}
