"""The OpenTelemetry SDK set up from the `telemetry` section: its own TracerProvider (not the
process-global one), parent-based ratio sampling, batched OTLP/HTTP export. Imported only when
telemetry is on: the gateway runs without the `otel` extra installed."""

from __future__ import annotations

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

from proxy.config.sections import TelemetryConfig

__all__ = ["tracer_provider"]


def tracer_provider(config: TelemetryConfig) -> TracerProvider:
    provider = TracerProvider(
        resource=Resource.create({"service.name": config.service_name}),
        sampler=ParentBased(TraceIdRatioBased(config.sampling_ratio)),
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=config.endpoint)))
    return provider
