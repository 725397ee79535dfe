"""Redis and PostgreSQL, each checked only where the config uses it."""

from __future__ import annotations

from urllib.parse import urlsplit

import asyncpg
import redis.asyncio as redis

from proxy.config.gateway_config import GatewayConfig
from proxy.doctor.finding import Finding, fail, ok, warn

__all__ = ["check_postgres", "check_redis", "redis_users", "where"]

_TIMEOUT_S = 5.0


def redis_users(config: GatewayConfig) -> dict[str, list[str]]:
    """Each Redis URL the config uses → the sections using it."""
    uses: list[tuple[str | None, str]] = [
        (config.cache.redis_url if config.cache.enabled else None, "cache"),
        (config.limits.redis_url if config.limits.backend == "redis" else None, "limits"),
        (config.breakers.redis_url if config.breakers.enabled else None, "breakers"),
        (config.evidence.events.redis_url if config.evidence.events else None, "evidence.events"),
    ]
    users: dict[str, list[str]] = {}
    for url, section in uses:
        if url is not None:
            users.setdefault(url, []).append(section)
    return users


async def check_redis(url: str, sections: list[str]) -> Finding:
    """Redis down degrades (cache misses, limits per process, breakers local): a warning."""
    name = f"redis {where(url)}"
    client = redis.from_url(url, socket_connect_timeout=_TIMEOUT_S, socket_timeout=_TIMEOUT_S)
    try:
        await client.ping()
    except (redis.RedisError, OSError) as exc:
        detail = f"no answer to PING ({type(exc).__name__}) for {', '.join(sections)}"
        fix = "start Redis or correct the URL; meanwhile each replica counts and caches alone"
        return warn(name, detail, fix)
    finally:
        await client.aclose()
    return ok(name, f"PING answered; used by {', '.join(sections)}")


async def check_postgres(url: str) -> Finding:
    """The ledger's store: a gateway that cannot commit turns /readyz 503 once records wait."""
    name = f"postgresql {where(url)}"
    try:
        connection = await asyncpg.connect(url, timeout=_TIMEOUT_S)
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        detail = f"cannot connect ({type(exc).__name__}); the ledger cannot commit"
        return fail(name, detail, "start PostgreSQL or correct evidence.store")
    try:
        version = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    return ok(name, f"connected (server {version})")


def where(url: str) -> str:
    """A service URL without its credentials: host, port and database."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
