"""Rate limits: sliding-window counters in process or, shared by replicas, in Redis."""

from proxy.limits.limiter import Hit, Limiter, WindowResult
from proxy.limits.memory_limiter import MemoryLimiter
from proxy.limits.redis_limiter import RedisLimiter

__all__ = ["Hit", "Limiter", "MemoryLimiter", "RedisLimiter", "WindowResult"]
