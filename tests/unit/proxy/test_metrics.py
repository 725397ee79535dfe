"""The gateway's metrics as Prometheus reads them: names, labels, cumulative buckets."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from proxy.metrics import GatewayMetrics


def samples(metrics: GatewayMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(metrics.render().decode())
        for s in family.samples
    }


def test_counts_buckets_and_gauges_read_back_as_prometheus_text() -> None:
    metrics = GatewayMetrics()
    for seconds in (0.005, 0.3, 200.0):  # on a bound, between bounds, past the last
        metrics.request_started()
        metrics.request_done("chat", 200, "up1", seconds)
    metrics.request_started()  # still in flight
    metrics.tokens("up1", 10, 3)
    metrics.tokens("up1", 5, 1)
    metrics.upstream_error("up1", "timeout")
    metrics.breaker("up1/gpt-4o-mini", "half_open")
    got = samples(metrics)

    chat = (("endpoint", "chat"),)
    assert got[("metaqore_requests_total", (*chat, ("provider", "up1"), ("status", "200")))] == 3
    assert got[("metaqore_request_seconds_bucket", (*chat, ("le", "0.005")))] == 1
    assert got[("metaqore_request_seconds_bucket", (*chat, ("le", "0.25")))] == 1
    assert got[("metaqore_request_seconds_bucket", (*chat, ("le", "0.5")))] == 2
    assert got[("metaqore_request_seconds_bucket", (*chat, ("le", "120.0")))] == 2
    assert got[("metaqore_request_seconds_bucket", (*chat, ("le", "+Inf")))] == 3
    assert got[("metaqore_request_seconds_count", chat)] == 3
    assert abs(got[("metaqore_request_seconds_sum", chat)] - 200.305) < 1e-9
    assert got[("metaqore_tokens_total", (("direction", "prompt"), ("provider", "up1")))] == 15
    assert got[("metaqore_tokens_total", (("direction", "completion"), ("provider", "up1")))] == 4
    assert got[("metaqore_upstream_errors_total", (("kind", "timeout"), ("provider", "up1")))] == 1
    assert got[("metaqore_breaker_state", (("target", "up1/gpt-4o-mini"),))] == 1
    assert got[("metaqore_requests_in_flight", ())] == 1


def test_a_fresh_gateway_exposes_every_family_without_samples() -> None:
    names = {f.name for f in text_string_to_metric_families(GatewayMetrics().render().decode())}
    assert names >= {
        "metaqore_requests",
        "metaqore_request_seconds",
        "metaqore_time_to_first_byte_seconds",
        "metaqore_upstream_errors",
        "metaqore_tokens",
        "metaqore_breaker_state",
        "metaqore_requests_in_flight",
        "metaqore_overhead_seconds",
        "metaqore_decisions",
    }


def test_traffic_reads_calls_errors_overhead_and_decisions_by_rule() -> None:
    metrics = GatewayMetrics()
    for status, provider, decision in (
        (200, "up1", "allow"),
        (502, "up1", "allow"),
        (403, "none", "deny:sensitive_data_blocked"),
        (200, "up1", "constrain:hipaa_baa_or_local,gdpr_region"),
    ):
        metrics.request_started()
        metrics.request_done("chat", status, provider, 0.2)
        metrics.overhead("chat", 0.0015)
        metrics.decided(decision)
    metrics.upstream_error("up1", "timeout")
    traffic = metrics.traffic()
    assert traffic["requests"] == 4 and traffic["in_flight"] == 0
    assert traffic["by_status"] == {"200": 2, "403": 1, "502": 1}
    assert traffic["providers"] == {
        "none": {"requests": 1, "errors": 1, "upstream": {}},
        "up1": {"requests": 3, "errors": 1, "upstream": {"timeout": 1}},
    }
    assert traffic["overhead_ms"]["count"] == 4
    assert 1.0 < traffic["overhead_ms"]["p50"] <= traffic["overhead_ms"]["p99"] <= 2.0
    assert traffic["decisions"] == [
        {"decision": "allow", "rule": "", "calls": 2},
        {"decision": "constrain", "rule": "gdpr_region", "calls": 1},
        {"decision": "constrain", "rule": "hipaa_baa_or_local", "calls": 1},
        {"decision": "deny", "rule": "sensitive_data_blocked", "calls": 1},
    ]
    got = samples(metrics)
    rule = (("decision", "deny"), ("rule", "sensitive_data_blocked"))
    assert got[("metaqore_decisions_total", rule)] == 1
    assert got[("metaqore_overhead_seconds_count", (("endpoint", "chat"),))] == 4
