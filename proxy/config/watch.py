"""Apply edits of the config file's `keys` section without a restart (add, rotate, revoke)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path

from proxy.config.gateway_config import ConfigError, LoadedConfig, load_config
from proxy.config.keys import KeyRing

__all__ = ["watch_keys"]

log = logging.getLogger("metaqore.config")


async def watch_keys(loaded: LoadedConfig, swap: Callable[[KeyRing], None]) -> None:
    """Poll the file's mtime; on change re-validate the whole file and `swap` in the new key
    ring. A broken file keeps the keys that were in force and says why."""
    path, config = loaded.path, loaded.config
    interval = config.server.reload_interval_s
    last = _stamp(path)
    while True:
        await asyncio.sleep(interval)
        stamp = _stamp(path)
        if stamp == last:
            continue
        last = stamp
        try:
            fresh = await asyncio.to_thread(load_config, path)
        except ConfigError as exc:
            log.error("config change not applied, keeping the keys in force: %s", exc)
            continue
        ring = KeyRing.from_config(fresh.config.keys)
        swap(ring)
        log.info("keys reloaded from %s: %d keys", path, len(ring))
        if fresh.config.model_dump(exclude={"keys"}) != config.model_dump(exclude={"keys"}):
            log.warning("changes outside 'keys' in %s take effect on restart", path)


def _stamp(path: Path) -> tuple[float, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime, stat.st_size)
