"""uvicorn's Config for serving the gateway: the edge protocol under the `server` section's
limits. Workers get it pickled, so each process builds its own ConnectionBoard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import uvicorn

from proxy.edge.board import ConnectionBoard
from proxy.edge.limits import EdgeLimits, connection_cap
from proxy.edge.protocol import EdgeProtocol

if TYPE_CHECKING:
    from proxy.config.gateway_config import ServerConfig

__all__ = ["EdgeConfig", "edge_config"]


class EdgeConfig(uvicorn.Config):
    board: ConnectionBoard

    def __init__(self, app: Any, limits: EdgeLimits, **options: Any) -> None:
        # No websockets: an upgrade would take the connection off the board and its clocks.
        super().__init__(app, http=EdgeProtocol, ws="none", **options)
        self.limits = limits

    def load(self) -> None:
        super().load()
        self.board = ConnectionBoard(connection_cap(self.limits.max_connections))


def edge_config(app: Any, server: ServerConfig, **options: Any) -> EdgeConfig:
    """`options` are uvicorn's (host, port, workers, log_config …) and win over these."""
    limits = EdgeLimits(
        header_timeout_s=server.header_timeout_s,
        body_idle_timeout_s=server.body_idle_timeout_s,
        request_timeout_s=server.request_timeout_s,
        max_header_bytes=server.max_header_bytes,
        max_headers=server.max_headers,
        max_connections=server.max_connections,
    )
    defaults: dict[str, Any] = {
        "host": server.host,
        "port": server.port,
        "loop": "uvloop",
        "access_log": server.access_log,
        # Only uvicorn's access log reads the client address (the gateway never does), so only
        # then is X-Forwarded-For worth parsing on every request.
        "proxy_headers": server.access_log,
        # No `server: uvicorn` header: it names the stack to scanners, and uvicorn checks every
        # header it sends against two regular expressions.
        "server_header": False,
        "timeout_keep_alive": server.keep_alive_s,
    }
    return EdgeConfig(app, limits, **{**defaults, **options})
