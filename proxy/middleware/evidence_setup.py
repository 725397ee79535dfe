"""Build the evidence part of a gateway from config: the ledger with its key (kept outside the
database) and store, the request events, and the evidence stage over them."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from governance.evidence import ChainKeys, EvidenceLedger, EvidenceStore, LedgerSettings
from governance.evidence.postgres_store import PostgresEvidenceStore
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from proxy.config.gateway_config import ConfigError, EvidenceConfig, LoadedConfig
from proxy.keyring.postgres_store import PostgresKeyStore
from proxy.keyring.sqlite_store import SQLiteKeyStore
from proxy.keyring.store import KeyStore
from proxy.middleware.event_stream import RedisEventStream
from proxy.middleware.evidence import CostOf, EvidenceStage

__all__ = [
    "Evidence",
    "build_evidence",
    "build_ledger",
    "chain_keys",
    "open_key_store",
    "open_store",
    "spool_root",
]


@dataclass(frozen=True, slots=True)
class Evidence:
    ledger: EvidenceLedger
    events: RedisEventStream | None
    stage: EvidenceStage


def build_evidence(
    loaded: LoadedConfig, *, soc2: bool, cost: CostOf, configured: Callable[[str], bool]
) -> Evidence | None:
    """None when evidence is off. `cost` prices a call's tokens; `configured` says whether a
    model is named in the config (an unlisted one is recorded only as a keyed hash)."""
    config = loaded.config.evidence
    if not config.enabled:
        return None
    ledger = build_ledger(config, loaded.path.parent, soc2=soc2)
    events = (
        RedisEventStream(config.events.redis_url, config.events.stream, config.events.maxlen)
        if config.events is not None
        else None
    )
    return Evidence(ledger, events, EvidenceStage(ledger, ledger.keys, events, cost, configured))


def chain_keys(config: EvidenceConfig, base: Path) -> ChainKeys:
    if config.hmac_key is not None:
        secret = config.hmac_key.get_secret_value().encode()
        if len(secret) < 16:
            raise ConfigError("evidence.hmac_key: use at least 16 characters")
        return ChainKeys.derive(secret)
    path = _resolve(base, config.key_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created with owner-only permissions before a byte is written.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    try:
        secret = path.read_text(encoding="utf-8").strip().encode()
    except OSError as exc:
        raise ConfigError(f"evidence.key_file: cannot read {path}: {exc.strerror}") from None
    if len(secret) < 16:
        raise ConfigError(f"evidence.key_file: {path} holds less than 16 characters")
    return ChainKeys.derive(secret)


def open_store(config: EvidenceConfig, base: Path) -> EvidenceStore:
    url = config.store
    if url.startswith("sqlite:///"):
        return SQLiteEvidenceStore(_resolve(base, url.removeprefix("sqlite:///")))
    return PostgresEvidenceStore(url, table=config.table)


def open_key_store(config: EvidenceConfig, base: Path) -> KeyStore:
    """The keys API's store: in the ledger's database."""
    url = config.store
    if url.startswith("sqlite:///"):
        return SQLiteKeyStore(_resolve(base, url.removeprefix("sqlite:///")))
    # Beside the evidence table, named after it: several gateways can share a database.
    return PostgresKeyStore(url, table=f"{config.table}_keys")


def spool_root(config: EvidenceConfig, base: Path) -> Path:
    """Where the writers' spools live: `spool_dir`, else `spool/` beside the key file."""
    if config.spool_dir is not None:
        return _resolve(base, config.spool_dir)
    return _resolve(base, config.key_file).parent / "spool"


def build_ledger(config: EvidenceConfig, base: Path, *, soc2: bool) -> EvidenceLedger:
    """`soc2`: a policy switches the SOC 2 pack on, so unrecorded answers are refused unless
    `on_store_failure` says otherwise."""
    writer = config.writer_id or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"
    refuse = config.on_store_failure == "refuse" or (config.on_store_failure is None and soc2)
    settings = LedgerSettings(
        spool_root=spool_root(config, base),
        durability=config.durability,
        queue_size=config.queue_size,
        batch_size=config.batch_size,
        flush_s=config.flush_ms / 1000,
        unhealthy_after_s=config.unhealthy_after_s,
        refuse_unrecorded=refuse,
        close_timeout_s=config.close_timeout_s,
        writer_id_fixed=config.writer_id is not None,
    )
    return EvidenceLedger(open_store(config, base), chain_keys(config, base), writer, settings)


def _resolve(base: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else base / path
