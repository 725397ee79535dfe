"""Everything a running gateway owns, built from one config at start-up and closed at shutdown."""

from __future__ import annotations

import logging

from proxy.config import LoadedConfig
from proxy.keys import KeyRing
from proxy.metrics import GatewayMetrics
from proxy.middleware import AuthStage, compose
from proxy.providers import build_provider
from proxy.providers.base import Provider
from proxy.router.dispatch import Dispatcher
from proxy.router.targets import TargetTable

__all__ = ["Gateway"]

log = logging.getLogger("metaqore")


class Gateway:
    def __init__(self, loaded: LoadedConfig) -> None:
        self.loaded = loaded
        self.config = loaded.config
        self.metrics = GatewayMetrics()
        for name, reason in loaded.disabled_providers.items():
            log.warning("provider %s is disabled: %s", name, reason)
        self.providers: dict[str, Provider] = {
            spec.name: build_provider(spec)
            for spec in self.config.providers
            if spec.name not in loaded.disabled_providers
        }
        self.keys = KeyRing.from_config(self.config.keys)
        self.table = TargetTable(self.config, self.providers, loaded.disabled_providers)
        dispatcher = Dispatcher(self.table, self.metrics.upstream_error)
        self.handle = compose([AuthStage(lambda: self.keys)], dispatcher)

    def provider_states(self) -> dict[str, str]:
        states = {name: "enabled" for name in self.providers}
        for name, reason in self.loaded.disabled_providers.items():
            states[name] = f"disabled: {reason}"
        return states

    async def aclose(self) -> None:
        for provider in self.providers.values():
            await provider.aclose()
