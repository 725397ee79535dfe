"""Model names → ordered backend targets: bare model ids, `provider/model`, and aliases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from governance.policy import Backend
from proxy.config.gateway_config import GatewayConfig
from proxy.providers.base import Provider
from proxy.wire.errors import GatewayError, not_found_model

__all__ = ["Target", "TargetTable", "backends_of"]


@dataclass(frozen=True, slots=True)
class Target:
    provider: Provider
    model: str

    @property
    def route(self) -> str:
        return f"{self.provider.name}/{self.model}"


class TargetTable:
    """Built once per config. Disabled providers are left out; a name only they serve is a 503
    that says why, not a 404."""

    def __init__(
        self,
        config: GatewayConfig,
        providers: Mapping[str, Provider],
        disabled: Mapping[str, str],
    ) -> None:
        self._table: dict[str, list[Target]] = {}
        self._public: dict[str, str] = {}  # model id or alias → owner shown in /v1/models
        self._why_unavailable: dict[str, str] = {}
        for spec in config.providers:
            for model in spec.models:
                qualified = f"{spec.name}/{model}"
                if spec.name in disabled:
                    reason = f"provider '{spec.name}' is disabled ({disabled[spec.name]})"
                    self._why_unavailable.setdefault(model, reason)
                    self._why_unavailable[qualified] = reason
                    continue
                target = Target(providers[spec.name], model)
                self._table.setdefault(model, []).append(target)
                self._table[qualified] = [target]
                self._public.setdefault(model, spec.name)
        for alias in config.aliases:
            targets = [
                Target(providers[t.provider], t.model)
                for t in config.alias_targets(alias)
                if t.provider in providers
            ]
            if targets:
                self._table[alias] = targets
                self._public[alias] = "metaqore-alias"
            else:
                self._why_unavailable[alias] = f"every target of alias '{alias}' is disabled"

    def resolve(self, model: str) -> list[Target]:
        targets = self._table.get(model)
        if targets:
            return targets
        reason = self._why_unavailable.get(model)
        if reason is not None:
            raise GatewayError(
                503,
                f"No backend can serve '{model}' right now: {reason}.",
                code="no_backend_available",
                param="model",
            )
        raise not_found_model(model)

    def provider_names(self, model: str) -> list[str]:
        """The providers that may serve `model`, in routing order, each once."""
        return list(dict.fromkeys(t.provider.name for t in self.resolve(model)))

    def configured(self, model: str) -> bool:
        """Whether `model` is a name the config gives (a model, provider/model or alias)."""
        return model in self._table or model in self._why_unavailable

    def public_models(self) -> dict[str, str]:
        """Model ids and aliases a client may ask for, with the owner to show."""
        return dict(self._public)


def backends_of(config: GatewayConfig) -> dict[str, Backend]:
    """Each provider as governance sees it: locality, region, certifications."""
    return {
        p.name: Backend(p.name, p.locality, p.region, frozenset(p.certifications))
        for p in config.providers
    }
