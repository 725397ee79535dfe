"""Traces (OpenTelemetry, GenAI conventions) and JSON-lines logs. `build_tracing` imports the
SDK only when the config switches tracing on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from proxy.config.gateway_config import ConfigError
from proxy.config.sections import TelemetryConfig

if TYPE_CHECKING:
    from proxy.telemetry.spans import Tracing

__all__ = ["build_tracing"]


def build_tracing(
    config: TelemetryConfig,
    kinds: Mapping[str, str],
    configured: Callable[[str], bool],
    evidence_writer: Callable[[], str | None],
) -> Tracing | None:
    """None when telemetry is off; ConfigError when it is on without the `otel` extra."""
    if not config.enabled:
        return None
    try:
        from proxy.telemetry.spans import Tracing
        from proxy.telemetry.tracer_setup import tracer_provider
    except ImportError as exc:
        raise ConfigError(
            f"telemetry.enabled needs the 'otel' extra (pip install 'metaqore-gateway[otel]'): "
            f"{exc.name} is not installed"
        ) from None
    return Tracing(tracer_provider(config), kinds, configured, evidence_writer)
