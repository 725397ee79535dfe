"""Rate limits: sliding-window counters in process or, shared by replicas, in Redis."""

from proxy.limits.limiter import Limiter, WindowResult
from proxy.limits.memory_limiter import MemoryLimiter
from proxy.limits.redis_limiter import RedisLimiter

__all__ = ["Limiter", "MemoryLimiter", "RedisLimiter", "WindowResult"]
