"""The evidence writer's health as operators see it: in /readyz, /admin/evidence and /metrics."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from governance.evidence import EvidenceLedger

__all__ = ["EvidenceCollector", "evidence_state"]


def evidence_state(ledger: EvidenceLedger) -> dict[str, object]:
    health = ledger.health
    problem = health.problem()
    return {
        "status": "ok" if problem is None else "failing",
        "reason": problem,
        "writer_id": ledger.writer_id,
        "durability": ledger.durability,
        "pending": ledger.pending,
        "written": health.written,
        "commit_failures": health.commit_failures,
        "integrity_errors": health.conflicts,
        "refusing": ledger.refusing,
    }


class EvidenceCollector:
    """Turned into metric families only when /metrics is scraped."""

    def __init__(self, ledger: EvidenceLedger) -> None:
        self._ledger = ledger

    def collect(self) -> Iterator[Any]:
        ledger, health = self._ledger, self._ledger.health
        yield GaugeMetricFamily(
            "metaqore_evidence_unwritten_records",
            "Evidence records spooled and not yet in the store (the writer's queue depth).",
            value=ledger.pending,
        )
        yield GaugeMetricFamily(
            "metaqore_evidence_oldest_unwritten_seconds",
            "Age of the oldest evidence record not yet in the store (0: none waits).",
            value=ledger.oldest_unwritten_s(),
        )
        yield GaugeMetricFamily(
            "metaqore_evidence_writer_healthy",
            "1 while the evidence writer commits within its bound, 0 when /readyz says why not.",
            value=int(health.problem() is None),
        )
        for name, text, value in (
            ("written", "Evidence records committed to the store.", health.written),
            ("commit_failures", "Evidence batch writes that failed.", health.commit_failures),
            ("retries", "Evidence batch writes retried after a failure.", health.retries),
            (
                "integrity_errors",
                "Evidence rows the store already held with another hash (chain conflicts).",
                health.conflicts,
            ),
        ):
            yield CounterMetricFamily(f"metaqore_evidence_{name}", text, value=value)
