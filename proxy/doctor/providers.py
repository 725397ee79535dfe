"""Each provider's reachability and credentials, by the probe `/readyz?deep=1` uses: a cheap
model listing (`GET /models` for OpenAI-compatible and Azure, `GET /v1/models` for Anthropic)."""

from __future__ import annotations

import asyncio

from proxy.config.gateway_config import LoadedConfig
from proxy.config.providers import MockProviderConfig, ProviderConfig
from proxy.doctor.finding import Finding, fail, ok, warn
from proxy.providers.base import Health
from proxy.providers.build import build_provider

__all__ = ["check_providers"]

_REFUSED = frozenset({401, 403})


async def check_providers(loaded: LoadedConfig) -> list[Finding]:
    config = loaded.config
    on = [p for p in config.providers if p.name not in loaded.disabled_providers]
    probed = [p for p in on if not isinstance(p, MockProviderConfig)]
    healths = await asyncio.gather(*(_probe(p) for p in probed))
    health = {p.name: h for p, h in zip(probed, healths, strict=True)}
    # A model some healthy provider also serves is only degraded when one of its providers fails.
    served = {m for p in on if _healthy(health.get(p.name)) for m in p.models}
    findings = []
    for provider in config.providers:
        name = f"provider {provider.name}"
        reason = loaded.disabled_providers.get(provider.name)
        if reason is not None:
            fix = "set the variable its api_key names, or remove the provider"
            findings.append(warn(name, f"switched off: {reason}", fix))
        elif isinstance(provider, MockProviderConfig):
            findings.append(ok(name, "mock backend, in process (not probed)"))
        else:
            findings.append(_judged(name, provider, health[provider.name], served))
    return findings


async def _probe(provider: ProviderConfig) -> Health:
    backend = build_provider(provider)
    try:
        return await backend.health()
    finally:
        await backend.aclose()


def _healthy(health: Health | None) -> bool:
    return health is None or health.ok


def _judged(name: str, provider: ProviderConfig, health: Health, served: set[str]) -> Finding:
    if health.ok:
        return ok(name, health.detail)
    # Failing is blocking only when no other healthy provider serves one of its models.
    orphaned = sorted(set(provider.models) - served)
    verdict = fail if orphaned else warn
    detail = health.detail + (f"; nothing else serves {', '.join(orphaned)}" if orphaned else "")
    if health.status in _REFUSED:
        return verdict(name, f"credentials refused: {detail}", "check its api_key (or token)")
    if health.status is not None:
        fix = "check base_url (and api_version for Azure)"
        return verdict(name, f"unexpected answer: {detail}", fix)
    base = getattr(provider, "base_url", "")
    return verdict(name, f"unreachable at {base}: {detail}", "start it or correct base_url")
