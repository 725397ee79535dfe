"""The edge: what a client connection may do before the app sees a request (timeouts, head
size, connection count), the access log's filter, and the bounded deep readiness probe."""

from proxy.edge.access_log import QueryDropped
from proxy.edge.board import ConnectionBoard
from proxy.edge.limits import EdgeLimits, connection_cap
from proxy.edge.probe_cache import ProbeCache
from proxy.edge.protocol import EdgeProtocol
from proxy.edge.uvicorn_config import EdgeConfig, edge_config

__all__ = [
    "ConnectionBoard",
    "EdgeConfig",
    "EdgeLimits",
    "EdgeProtocol",
    "ProbeCache",
    "QueryDropped",
    "connection_cap",
    "edge_config",
]
