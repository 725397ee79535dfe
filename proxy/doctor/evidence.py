"""The evidence key (present, owner-only) and the ledger's verify state."""

from __future__ import annotations

import stat
from pathlib import Path

from governance.evidence import ChainKeys, verify
from proxy.config.gateway_config import ConfigError, EvidenceConfig
from proxy.doctor.finding import Finding, fail, ok, warn
from proxy.middleware.evidence_setup import chain_keys, open_store, resolve_path, spool_root

__all__ = ["check_key", "check_ledger", "read_keys"]

_KEY = "evidence key"
_LEDGER = "evidence ledger"


def check_key(config: EvidenceConfig, base: Path) -> Finding:
    if config.hmac_key is not None:
        return ok(_KEY, "evidence.hmac_key is set (from the config or its environment)")
    path = resolve_path(base, config.key_file)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        detail = f"{path} does not exist; the first start creates it (mode 0600)"
        fix = "if this ledger already holds records, restore the key that wrote them"
        return warn(_KEY, detail, fix)
    except OSError as exc:
        return fail(_KEY, f"cannot stat {path}: {exc.strerror}", "check the path's permissions")
    if mode & 0o077:
        detail = f"{path} has mode {mode:04o}: others can read the key that seals the ledger"
        return fail(_KEY, detail, f"chmod 600 {path}, and rotate the key if it was exposed")
    return ok(_KEY, f"{path} (mode {mode:04o})")


def read_keys(config: EvidenceConfig, base: Path) -> ChainKeys | Finding:
    """The chain keys, never creating a key file (that is the first start's job)."""
    if config.hmac_key is None and not resolve_path(base, config.key_file).exists():
        return warn(_LEDGER, "not verified: no evidence key yet", "start the gateway once")
    try:
        return chain_keys(config, base)
    except ConfigError as exc:
        return fail(_LEDGER, f"not verified: {exc}", "give a key of at least 16 characters")


async def check_ledger(config: EvidenceConfig, base: Path, keys: ChainKeys) -> Finding:
    if config.store.startswith("sqlite:///"):
        database = resolve_path(base, config.store.removeprefix("sqlite:///"))
        if not database.exists():
            return ok(_LEDGER, f"{database} does not exist yet (no records)")
    store = open_store(config, base)
    try:
        report = await verify(store, keys, None, spool_root(config, base))
    finally:
        await store.aclose()
    if report.first_break is not None:
        detail = f"BROKEN at {report.first_break}"
        fix = (
            "the store was edited, or the key is not the one that wrote it: compare with a "
            "checkpoint (metaqore evidence verify --against FILE) and investigate"
        )
        return fail(_LEDGER, detail, fix)
    spooled = f", {report.spooled} spooled" if report.spooled else ""
    return ok(_LEDGER, f"{report.records} records in {len(report.heads)} chains verified{spooled}")
