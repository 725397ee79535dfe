"""What the edge allows a client connection: time to send a request, size of its head, and
how many connections one process keeps open."""

from __future__ import annotations

import resource
from dataclasses import dataclass

__all__ = ["EdgeLimits", "connection_cap"]

# Descriptors kept for everything but client sockets: the listening socket, log and database
# files, Redis and PostgreSQL connections, the event loop's own.
_RESERVED_FDS = 64
# What an unlimited RLIMIT_NOFILE means in practice (Linux's default fs.nr_open).
_UNLIMITED_FDS = 1 << 20


@dataclass(frozen=True, slots=True)
class EdgeLimits:
    header_timeout_s: float
    body_idle_timeout_s: float
    request_timeout_s: float
    max_header_bytes: int
    max_headers: int
    # None: derived from RLIMIT_NOFILE by connection_cap.
    max_connections: int | None


def connection_cap(configured: int | None) -> int:
    """Client connections one process keeps open: the configured number, else half of what the
    descriptor limit leaves after a reserve, because each busy client connection may hold an
    upstream connection too."""
    if configured is not None:
        return configured
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = _UNLIMITED_FDS
    return max(1, (soft - _RESERVED_FDS) // 2)
