"""Histograms as plain counts: updated on the event loop, read as Prometheus buckets at a scrape
and as quantiles by `/admin/stats`."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

__all__ = ["LATENCY", "OVERHEAD", "Buckets", "Histogram", "merged"]


class Buckets:
    """Upper bounds in seconds, and their `le` labels as prometheus_client writes them."""

    __slots__ = ("bounds", "names")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.bounds = bounds
        self.names = (*(repr(float(b)) for b in bounds), "+Inf")


LATENCY = Buckets((0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120))
# The gateway's own time on a call: sub-millisecond when all is well, so finer bounds.
OVERHEAD = Buckets(
    (0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
)


class Histogram:
    __slots__ = ("buckets", "counts", "total")

    def __init__(self, buckets: Buckets) -> None:
        self.buckets = buckets
        self.counts = [0] * len(buckets.names)  # per bucket, not cumulative; the last is +Inf
        self.total = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(self.buckets.bounds, seconds)] += 1
        self.total += seconds

    def cumulative(self) -> list[tuple[str, int]]:
        out, running = [], 0
        for name, count in zip(self.buckets.names, self.counts, strict=True):
            running += count
            out.append((name, running))
        return out

    def quantile(self, q: float) -> float | None:
        """Seconds at quantile `q`, interpolated inside its bucket as Prometheus's
        histogram_quantile does (an estimate no finer than the bounds); None when empty. A
        quantile past the last bound reads as that bound."""
        seen = sum(self.counts)
        if seen == 0:
            return None
        rank, running, bounds = q * seen, 0, self.buckets.bounds
        for i, count in enumerate(self.counts):
            if count and running + count >= rank:
                if i == len(bounds):
                    return bounds[-1]
                low = bounds[i - 1] if i else 0.0
                return low + (bounds[i] - low) * (rank - running) / count
            running += count
        return bounds[-1]


def merged(histograms: Iterable[Histogram], buckets: Buckets) -> Histogram:
    """One histogram of several with the same buckets (every endpoint's, say)."""
    out = Histogram(buckets)
    for histogram in histograms:
        out.counts = [a + b for a, b in zip(out.counts, histogram.counts, strict=True)]
        out.total += histogram.total
    return out
