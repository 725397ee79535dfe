"""The Redis limiter's script against the real Redis."""

from __future__ import annotations

from proxy.limits import RedisLimiter
from tests.support.services import redis_url
from tests.unit.proxy.middleware.test_limits import exercise


async def test_redis_limiter_against_the_real_redis() -> None:
    limiter = RedisLimiter(redis_url())
    try:
        await exercise(limiter)
        assert limiter.trouble.count == 0
    finally:
        await limiter.aclose()
