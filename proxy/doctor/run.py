"""Every check of `metaqore doctor`, in the order a gateway meets them at start-up."""

from __future__ import annotations

from pathlib import Path

from governance.evidence import ChainKeys
from governance.policy import PolicyError
from proxy.config.gateway_config import ConfigError, LoadedConfig, load_config
from proxy.config.keys import KeyRing
from proxy.doctor.evidence import check_key, check_ledger, read_keys
from proxy.doctor.finding import Finding, fail, ok, warn
from proxy.doctor.providers import check_providers
from proxy.doctor.services import check_postgres, check_redis, redis_users
from proxy.middleware.judging import load_policies

__all__ = ["run_doctor"]


async def run_doctor(path: Path) -> list[Finding]:
    try:
        loaded = load_config(path)
    except ConfigError as exc:
        # Nothing else can be checked without a config.
        return [fail("config", str(exc), "correct the field named, then run doctor again")]
    findings = [ok("config", f"{path}: valid")]
    findings.append(_policies(loaded))
    findings.extend(await check_providers(loaded))
    config = loaded.config
    for url, sections in redis_users(config).items():
        findings.append(await check_redis(url, sections))
    findings.extend(await _evidence(loaded))
    return findings


def _policies(loaded: LoadedConfig) -> Finding:
    if loaded.config.governance.policies is None:
        return ok("policies", "none configured: scanning only, no rules beyond it")
    try:
        tree = load_policies(loaded, KeyRing.from_config(loaded.config.keys).enabled).tree
    except (ConfigError, PolicyError) as exc:
        return fail("policies", str(exc), "correct the file named (metaqore policy check DIR)")
    if tree is None:  # pragma: no cover - a configured directory always loads a tree
        return ok("policies", "no tree")
    counts = f"{len(tree.orgs)} orgs, {len(tree.teams)} teams, {len(tree.keys)} keys"
    return ok("policies", f"{loaded.config.governance.policies}: loads and composes ({counts})")


async def _evidence(loaded: LoadedConfig) -> list[Finding]:
    config, base = loaded.config.evidence, loaded.path.parent
    if not config.enabled:
        fix = "set evidence.enabled: true unless this is a bare pass-through"
        return [warn("evidence", "off: no call is recorded", fix)]
    findings = []
    store_up = True
    if not config.store.startswith("sqlite:///"):
        store = await check_postgres(config.store)
        store_up = store.status == "ok"
        findings.append(store)
    findings.append(check_key(config, base))
    keys: ChainKeys | Finding = read_keys(config, base)
    if isinstance(keys, Finding):
        findings.append(keys)
    elif not store_up:
        findings.append(warn("evidence ledger", "not verified: its store is unreachable",
                             "fix the store, then run doctor again"))  # fmt: skip
    else:
        findings.append(await check_ledger(config, base, keys))
    return findings
