"""Hostile bodies against a real `metaqore serve`: three at once of each shape, each about 9.9 MB,
while /healthz is asked every 10 ms. Prints, per shape, the answers and how long they took, the
CPU the gateway spent in the 3 s after the last answer (a scan that did not stop shows here), and
/healthz's latency throughout.

    python bench/scan_bounds.py [--rounds 1]

Targets (issue 16): every answer within governance.timeout_s + 1 s, at most 1 CPU-second after
the last answer, /healthz p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import orjson

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TARGET_BYTES = 9_900_000
TICKS = os.sysconf("SC_CLK_TCK")


def _groups(rng: random.Random) -> str:
    return " ".join(f"{rng.randrange(10_000):04d}" for _ in range(TARGET_BYTES // 5))


def _mixed(rng: random.Random) -> str:
    words, size = [], 0
    while size < TARGET_BYTES:
        words.append(
            f"call +1 415 555 {rng.randrange(10_000):04d} or u{rng.randrange(10**6)}@ex.io"
        )
        size += len(words[-1]) + 1
    return " ".join(words)


def _prose(_: random.Random) -> str:
    return ("The quick brown fox jumps over the lazy dog. " * (TARGET_BYTES // 45))[:TARGET_BYTES]


def _one_string(text: Callable[[random.Random], str]) -> Callable[[random.Random], bytes]:
    def body(rng: random.Random) -> bytes:
        messages = [{"role": "user", "content": text(rng)}]
        return orjson.dumps({"model": "mock-chat", "messages": messages})

    return body


def _short_messages(count: int) -> Callable[[random.Random], bytes]:
    def body(rng: random.Random) -> bytes:
        size = TARGET_BYTES // count - 35  # what the JSON around a message takes
        messages = []
        for i in range(count):
            head = f"#{i} reach me at 415-555-{rng.randrange(10_000):04d} or u{i}@example.com "
            messages.append({"role": "user", "content": (head * (size // len(head) + 1))[:size]})
        return orjson.dumps({"model": "mock-chat", "messages": messages})

    return body


SHAPES: dict[str, Callable[[random.Random], bytes]] = {
    "one string of digit groups": _one_string(_groups),
    "one string of phones and e-mails": _one_string(_mixed),
    "one string of prose": _one_string(_prose),
    "2,048 messages of phones and e-mails": _short_messages(2048),
    "141,000 short messages (over the array limit)": _short_messages(141_000),
}


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def _probe(url: str, stop: asyncio.Event, latencies: list[float]) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            await client.get(f"{url}/healthz")
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.01)


async def _attack(url: str, body: bytes) -> tuple[int, float]:
    async with httpx.AsyncClient(timeout=120) as client:
        started = time.perf_counter()
        answer = await client.post(
            f"{url}/v1/chat/completions",
            content=body,
            headers={"content-type": "application/json"},
        )
        return answer.status_code, time.perf_counter() - started


async def _shape(url: str, pid: int, bodies: list[bytes]) -> dict[str, object]:
    stop, latencies = asyncio.Event(), []
    probe = asyncio.create_task(_probe(url, stop, latencies))
    await asyncio.sleep(0.2)
    answers = await asyncio.gather(*(_attack(url, b) for b in bodies))
    after = _cpu_s(pid)
    await asyncio.sleep(3.0)
    cpu_after = _cpu_s(pid) - after
    stop.set()
    await probe
    latencies.sort()
    return {
        "statuses": sorted(s for s, _ in answers),
        "slowest_s": max(t for _, t in answers),
        "cpu_after_s": cpu_after,
        "healthz_p50_ms": statistics.median(latencies) * 1000,
        "healthz_p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "healthz_max_ms": latencies[-1] * 1000,
    }


def _serve(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    (root / "gateway.yaml").write_text(
        textwrap.dedent("""\
        providers:
          - {name: mock, kind: mock, models: [mock-chat]}
        governance:
          timeout_s: 2.0
        evidence:
          store: sqlite:///evidence.db
          hmac_key: bench-scan-bounds-key-0123456789
        """)
    )
    port = 18_000 + random.randrange(2_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "proxy.cli", "serve", "--config", "gateway.yaml",
         "--port", str(port)],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the gateway did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(16)
    print("| shape | answers | slowest answer (s) | CPU-s after the last answer | "
          "/healthz p50 / p99 / max (ms) |")  # fmt: skip
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        process, url = _serve(Path(tmp))
        try:
            for name, make in SHAPES.items():
                bodies = [make(rng) for _ in range(3)]
                for _ in range(args.rounds):
                    result = asyncio.run(_shape(url, process.pid, bodies))
                    print(
                        f"| {name} ({len(bodies[0]) / 1e6:.1f} MB) | {result['statuses']} | "
                        f"{result['slowest_s']:.2f} | {result['cpu_after_s']:.2f} | "
                        f"{result['healthz_p50_ms']:.1f} / {result['healthz_p99_ms']:.1f} / "
                        f"{result['healthz_max_ms']:.1f} |",
                        flush=True,
                    )
        finally:
            process.terminate()
            process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
