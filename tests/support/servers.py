"""Run ASGI apps under real uvicorn on loopback ports, each in its own thread and event loop."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import uvicorn

from proxy.config.gateway_config import ServerConfig
from proxy.edge import edge_config


class ServerThread:
    """`server`: serve as `metaqore serve` does, through the edge under that section's limits;
    none: plain uvicorn (the fake upstreams)."""

    def __init__(
        self, app: Any, *, lifespan: str = "on", server: ServerConfig | None = None
    ) -> None:
        options: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": 0,
            "log_level": "warning",
            "lifespan": lifespan,
            "access_log": False,
        }
        if server is None:
            config = uvicorn.Config(app, **options)
        else:
            config = edge_config(app, server, **options)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, daemon=True)
        self.port = 0

    def __enter__(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def request_body(scope: dict[str, Any], receive: Any, send: Any) -> bytes | None:
    """For a fake server: the request's whole body, or None once a lifespan scope is served."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return None
    raw = b""
    while True:
        message = await receive()
        raw += message.get("body", b"")
        if not message.get("more_body"):
            return raw


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def is_up(url: str) -> bool:
    """Whether a gateway answers its /healthz."""
    try:
        return httpx.get(f"{url}/healthz").status_code == 200
    except httpx.TransportError:
        return False


def eventually(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)
