"""Prometheus metrics, one registry per app (no module globals)."""

from __future__ import annotations

from typing import TypeVar, cast

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.metrics import MetricWrapperBase

__all__ = ["GatewayMetrics"]

M = TypeVar("M", bound=MetricWrapperBase)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "metaqore_requests",
            "Requests answered, by endpoint, status and provider.",
            ["endpoint", "status", "provider"],
            registry=self.registry,
        )
        self._latency = Histogram(
            "metaqore_request_seconds",
            "Time from request to the end of the answer.",
            ["endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._ttfb = Histogram(
            "metaqore_time_to_first_byte_seconds",
            "Time until the first body byte was sent.",
            ["endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._upstream_errors = Counter(
            "metaqore_upstream_errors",
            "Failed upstream attempts, by provider and kind.",
            ["provider", "kind"],
            registry=self.registry,
        )
        self._tokens = Counter(
            "metaqore_tokens",
            "Tokens reported by upstreams, by provider and direction.",
            ["provider", "direction"],
            registry=self.registry,
        )
        self._breakers = Gauge(
            "metaqore_breaker_state",
            "Circuit breaker per target: 0 closed, 1 half-open, 2 open.",
            ["target"],
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "metaqore_requests_in_flight", "Requests being answered now.", registry=self.registry
        )

        # Labelled children by label values: `labels()` costs microseconds on every call.
        self._children: dict[tuple[object, ...], MetricWrapperBase] = {}

    def _child(self, metric: M, *values: str) -> M:
        key = (metric, *values)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*values)
        return cast(M, child)

    def request_done(self, endpoint: str, status: int, provider: str, seconds: float) -> None:
        self._child(self._requests, endpoint, str(status), provider).inc()
        self._child(self._latency, endpoint).observe(seconds)

    def first_byte(self, endpoint: str, seconds: float) -> None:
        self._child(self._ttfb, endpoint).observe(seconds)

    def upstream_error(self, provider: str, kind: str) -> None:
        self._upstream_errors.labels(provider, kind).inc()

    def tokens(self, provider: str, prompt: int, completion: int) -> None:
        self._child(self._tokens, provider, "prompt").inc(prompt)
        self._child(self._tokens, provider, "completion").inc(completion)

    def breaker(self, target: str, state: str) -> None:
        self._breakers.labels(target).set({"closed": 0, "half_open": 1, "open": 2}[state])

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
