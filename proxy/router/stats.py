"""What the gateway measures of each target itself: latency (whole answers), time to first
byte (streams) and error rate, as exponential moving averages."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RouteStats", "TargetStats"]

_ALPHA = 0.2  # weight of the newest observation


@dataclass(slots=True)
class TargetStats:
    latency_ms: float | None = None
    ttfb_ms: float | None = None
    error_rate: float = 0.0
    calls: int = 0

    def speed_ms(self) -> float | None:
        """The latency a caller waits before the answer starts: TTFB if known, else latency."""
        return self.ttfb_ms if self.ttfb_ms is not None else self.latency_ms


class RouteStats:
    def __init__(self) -> None:
        self._targets: dict[str, TargetStats] = {}

    def get(self, route: str) -> TargetStats:
        stats = self._targets.get(route)
        if stats is None:
            stats = self._targets[route] = TargetStats()
        return stats

    def record(self, route: str, ok: bool, seconds: float, streamed: bool) -> None:
        stats = self.get(route)
        stats.calls += 1
        stats.error_rate += _ALPHA * ((0.0 if ok else 1.0) - stats.error_rate)
        if not ok:
            return
        ms = seconds * 1000
        if streamed:
            stats.ttfb_ms = (
                ms if stats.ttfb_ms is None else stats.ttfb_ms + _ALPHA * (ms - stats.ttfb_ms)
            )
        else:
            stats.latency_ms = (
                ms
                if stats.latency_ms is None
                else stats.latency_ms + _ALPHA * (ms - stats.latency_ms)
            )
