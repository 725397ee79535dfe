"""The real Redis and PostgreSQL the tests use: skipped where absent, unless CI requires them."""

from __future__ import annotations

import os
import socket

import pytest

POSTGRES_DSN = os.environ.get("METAQORE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("METAQORE_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    if _listening(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if os.environ.get("METAQORE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} (METAQORE_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def postgres_dsn() -> str:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_DSN


async def drop_table(dsn: str, table: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f"DROP TABLE IF EXISTS {table}")
    finally:
        await connection.close()


def redis_url() -> str:
    require_service("Redis", "127.0.0.1", 6379)
    return REDIS_URL


def clear_redis(pattern: str) -> None:
    """Delete the keys a test left behind (the tests share one Redis)."""
    import redis

    connection = redis.Redis.from_url(redis_url())
    for key in connection.scan_iter(pattern):
        connection.delete(key)
