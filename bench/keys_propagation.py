"""How long a key change made through one `metaqore serve` takes to reach a second one sharing
its store: a key created on A until B accepts it, revoked on A until B refuses it (B asked every
10 ms). Prints one row per setup.

    python bench/keys_propagation.py [--rounds 20] [--postgres DSN --redis URL]

Target (issue 20): within a second, with polling alone (`admin.keys_poll_s`, default 0.5 s).
"""

from __future__ import annotations

import argparse
import functools
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

ADMIN = {"Authorization": "Bearer bench-admin-key-0123456789"}
CHAT = {"model": "mock-chat", "messages": [{"role": "user", "content": "hi"}]}


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _gateways(folder: Path, evidence: str, admin: str) -> Iterator[list[str]]:
    config = folder / "gateway.yaml"
    config.write_text(
        textwrap.dedent(f"""\
            providers: [{{name: mock, kind: mock, models: [mock-chat]}}]
            keys: []
            evidence: {{hmac_key: bench-keys-0123456789, {evidence}}}
            admin:
              keys: [{{key: bench-admin-key-0123456789, name: bench}}]
              {admin}
            """)
    )
    with ExitStack() as stack:
        urls = []
        for _ in range(2):
            port = _port()
            command = [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config)]
            process = subprocess.Popen([*command, "--port", str(port)], stderr=subprocess.DEVNULL)
            stack.callback(process.wait, 30)
            stack.callback(process.terminate)
            url = f"http://127.0.0.1:{port}"
            while not _up(url):
                time.sleep(0.05)
            urls.append(url)
        yield urls


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz").status_code == 200
    except httpx.TransportError:
        return False


def _status(client: httpx.Client, url: str, secret: str) -> int:
    headers = {"Authorization": f"Bearer {secret}"}
    return client.post(f"{url}/v1/chat/completions", json=CHAT, headers=headers).status_code


def _until(check: Callable[[], bool]) -> float:
    start = time.monotonic()
    while not check():
        time.sleep(0.01)
    return time.monotonic() - start


def _rounds(urls: list[str], rounds: int) -> tuple[list[float], list[float]]:
    first, second = urls
    created, revoked = [], []
    with httpx.Client(timeout=10) as client:
        for n in range(rounds):
            made = client.post(f"{first}/admin/keys", json={"name": f"b{n}", "org": "bench"},
                               headers=ADMIN).json()  # fmt: skip
            seen = functools.partial(_status, client, second, made["secret"])
            created.append(_until(lambda: seen() == 200))  # noqa: B023 (called at once)
            client.delete(f"{first}/admin/keys/{made['id']}", headers=ADMIN)
            revoked.append(_until(lambda: seen() == 401))  # noqa: B023
    return created, revoked


def _row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"| {name} | {len(values)} | {statistics.median(values) * 1000:.0f} | "
        f"{p95 * 1000:.0f} | {max(values) * 1000:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL (with --redis)")
    parser.add_argument("--redis", help="Redis URL for admin.redis_url")
    args = parser.parse_args()
    setups = [("SQLite, poll 0.5 s", "store: sqlite:///evidence.db", "keys_poll_s: 0.5")]
    if args.postgres:
        table = f"bench_keys_{uuid.uuid4().hex[:8]}"
        evidence = f"store: '{args.postgres}', table: {table}"
        setups.append(("PostgreSQL, poll 1 s", evidence, "keys_poll_s: 1.0"))
        if args.redis:
            wake = f'keys_poll_s: 1.0\n              redis_url: "{args.redis}"'
            setups.append(("PostgreSQL, poll 1 s + Redis", evidence, wake))
    print("| setup: change on A, seen on B | n | p50 ms | p95 ms | max ms |")
    print("| --- | --- | --- | --- | --- |")
    for name, evidence, admin in setups:
        with (
            tempfile.TemporaryDirectory() as folder,
            _gateways(Path(folder), evidence, admin) as urls,
        ):
            created, revoked = _rounds(urls, args.rounds)
        print(_row(f"{name}: created", created))
        print(_row(f"{name}: revoked", revoked))


if __name__ == "__main__":
    main()
