"""Prometheus metrics, one registry per app (no module globals).

The counts are plain numbers, updated on the event loop and turned into metric families only when
/metrics is scraped: prometheus_client's metric objects take a lock and make several calls for
every update, which came to 47 K instructions a request.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

__all__ = ["GatewayMetrics"]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
# The `le` labels as prometheus_client writes them ("0.005", "1.0", "+Inf").
_BUCKET_NAMES = (*(repr(float(b)) for b in _LATENCY_BUCKETS), "+Inf")
_BREAKER_STATES = {"closed": 0, "half_open": 1, "open": 2}


class _Histogram:
    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * len(_BUCKET_NAMES)  # per bucket, not cumulative; the last is +Inf
        self.total = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(_LATENCY_BUCKETS, seconds)] += 1
        self.total += seconds

    def cumulative(self) -> list[tuple[str, int]]:
        out, running = [], 0
        for name, count in zip(_BUCKET_NAMES, self.counts, strict=True):
            running += count
            out.append((name, running))
        return out


class GatewayMetrics:
    def __init__(self) -> None:
        self._in_flight = 0
        self._requests: dict[tuple[str, str, str], int] = {}
        self._latency: dict[str, _Histogram] = {}
        self._ttfb: dict[str, _Histogram] = {}
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
        _histogram(self._latency, endpoint).observe(seconds)

    def first_byte(self, endpoint: str, seconds: float) -> None:
        _histogram(self._ttfb, endpoint).observe(seconds)

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


def _histogram(by_endpoint: dict[str, _Histogram], endpoint: str) -> _Histogram:
    histogram = by_endpoint.get(endpoint)
    if histogram is None:
        histogram = by_endpoint[endpoint] = _Histogram()
    return histogram


def _counter(
    name: str, documentation: str, labels: list[str], counts: Iterable[tuple[tuple[str, ...], int]]
) -> Any:
    family = CounterMetricFamily(name, documentation, labels=labels)
    for values, count in counts:
        family.add_metric(list(values), count)
    return family


def _histograms(name: str, documentation: str, by_endpoint: dict[str, _Histogram]) -> Any:
    family = HistogramMetricFamily(name, documentation, labels=["endpoint"])
    for endpoint, histogram in by_endpoint.items():
        family.add_metric([endpoint], histogram.cumulative(), histogram.total)
    return family
