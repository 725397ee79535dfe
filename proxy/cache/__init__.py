"""Response cache backends behind one protocol: in-process LRU, or Redis shared by replicas."""

from proxy.cache.backend import CacheBackend
from proxy.cache.memory_cache import MemoryCache
from proxy.cache.redis_cache import RedisCache

__all__ = ["CacheBackend", "MemoryCache", "RedisCache"]
