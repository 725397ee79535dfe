"""The response state a config asks for: in the ledger's database unless `responses.database`
names another, sealed under `responses.key` or a key derived from the evidence key."""

from __future__ import annotations

from proxy.config.gateway_config import ConfigError, LoadedConfig
from proxy.middleware.evidence_setup import evidence_secret, resolve_path
from proxy.response_store.postgres_store import PostgresResponseStore
from proxy.response_store.sealing import Sealer
from proxy.response_store.sqlite_store import SQLiteResponseStore
from proxy.response_store.state import ResponseState
from proxy.response_store.store import ResponseStore

__all__ = ["build_response_state"]


def build_response_state(loaded: LoadedConfig) -> ResponseState | None:
    """None when `responses.store` is off (then nothing is kept and no id can be continued)."""
    config = loaded.config.responses
    if not config.store:
        return None
    base = loaded.path.parent
    url = config.database or loaded.config.evidence.store
    store: ResponseStore
    if url.startswith("sqlite:///"):
        store = SQLiteResponseStore(resolve_path(base, url.removeprefix("sqlite:///")))
    else:
        store = PostgresResponseStore(url, table=config.table)
    if config.key is not None:
        secret = config.key.get_secret_value().encode()
        if len(secret) < 16:
            raise ConfigError("responses.key: use at least 16 characters")
    else:
        secret = evidence_secret(loaded.config.evidence, base)
    return ResponseState(store, Sealer.derive(secret), config.ttl_s)
