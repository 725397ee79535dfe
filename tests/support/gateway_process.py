"""`metaqore serve` as a real process, to be killed with SIGKILL or stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

__all__ = ["GatewayProcess", "free_port"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class GatewayProcess:
    """`preexec_fn` runs in the child before the gateway starts (a lower RLIMIT_NOFILE)."""

    def __init__(self, config: Path, preexec_fn: Callable[[], None] | None = None) -> None:
        self.config = config
        self._preexec_fn = preexec_fn
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = config.parent / f"gateway-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> GatewayProcess:
        command = [sys.executable, "-m", "proxy.cli", "serve", "--config", str(self.config)]
        with open(self._log, "wb") as log:
            self._process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                stdout=log,
                stderr=log,
                preexec_fn=self._preexec_fn,
            )
        deadline = time.monotonic() + 30
        while not self._up():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the gateway did not come up:\n{self.output()}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self.stop()

    def kill(self) -> None:
        """SIGKILL: nothing of the process runs after it."""
        assert self._process is not None
        os.kill(self._process.pid, signal.SIGKILL)
        self._process.wait(timeout=10)

    def stop(self) -> bool:
        """SIGTERM; whether the process stopped gracefully (uvicorn raises the signal again
        once its shutdown is complete, so the status may say SIGTERM)."""
        assert self._process is not None
        self._process.terminate()
        status = self._process.wait(timeout=60)
        return status in (0, -signal.SIGTERM) and "Application shutdown complete" in self.output()

    def output(self) -> str:
        return self._log.read_text(errors="replace")

    def _up(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False
