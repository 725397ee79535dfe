"""Instructions a call costs one target, counted by valgrind's callgrind over real sockets: a
number the machine's noise cannot move, for telling small changes apart. The target runs under
callgrind; the fake upstream and the load generator run outside it. After a warm-up, exactly
CALLS calls are counted at the workload's concurrency (with the after-reply work and the
evidence flush that follow them).

    python bench/instructions.py full-chain.yaml --workload "non-stream c=64" --calls 640

Counts compare only with counts from this script, same workload and call count. SHA-256 runs on
valgrind's generic path (no SHA-NI), so the evidence HMACs count several times their real cost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadgen import _Stamper, build_request, exchange
from run import BENCH, CLIENT_KEY, ROOT, WORKLOADS, _body, _free_port, _wait_up


async def _calls(port: int, request: bytes, concurrency: int, total: int) -> int:
    """Exactly `total // concurrency * concurrency` calls; every answer must be a 200."""
    stamped = _Stamper(request)

    async def worker(count: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for _ in range(count):
                status = (await exchange(reader, writer, stamped())).status
                if status != 200:
                    raise RuntimeError(f"answered {status}")
        finally:
            writer.close()

    per_worker = max(1, total // concurrency)
    await asyncio.gather(*(worker(per_worker) for _ in range(concurrency)))
    return per_worker * concurrency


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config", help="a config in bench/, or `floor` for the minimal proxy")
    parser.add_argument("--workload", default="non-stream c=64", help="a workload of run.py")
    parser.add_argument("--calls", type=int, default=640)
    args = parser.parse_args()
    workload = next((w for w in WORKLOADS if w.name == args.workload), None)
    if workload is None:
        parser.error(f"unknown workload; one of: {', '.join(w.name for w in WORKLOADS)}")
    for stale in BENCH.glob(".bench-evidence.db*"):
        stale.unlink()  # a file grown by earlier counts adds a few percent
    upstream_port, port = _free_port(), _free_port()
    upstream = subprocess.Popen(
        [sys.executable, str(BENCH / "fake_upstream.py"), "--port", str(upstream_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if args.config == "floor":
        command = [sys.executable, str(BENCH / "minimal_proxy.py"), "--client", "aiohttp"]
        command += ["--upstream", f"http://127.0.0.1:{upstream_port}"]
        health = "/"
    else:
        command = [sys.executable, "-m", "proxy.cli", "serve", "--config", str(BENCH / args.config)]
        health = "/healthz"
    env = {
        **os.environ,
        "BENCH_UPSTREAM": f"http://127.0.0.1:{upstream_port}",
        "PYTHONPATH": str(ROOT),
        "PYTHONHASHSEED": "0",
    }
    with tempfile.TemporaryDirectory(prefix="metaqore-callgrind-") as tmp:
        out = Path(tmp) / "callgrind.out"
        target = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}.%p",
                *command,
                "--port",
                str(port),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        request = build_request(
            port, "/v1/chat/completions", _body(workload), {"Authorization": f"Bearer {CLIENT_KEY}"}
        )
        try:
            _wait_up(f"http://127.0.0.1:{upstream_port}/", upstream)
            _wait_up(f"http://127.0.0.1:{port}{health}", target, seconds=300)
            asyncio.run(_calls(port, request, workload.concurrency, 100))  # warm-up
            subprocess.run(
                ["callgrind_control", "--instr=on", str(target.pid)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            counted = asyncio.run(_calls(port, request, workload.concurrency, args.calls))
            time.sleep(1.0)  # after-reply work and the evidence writer's flush
            for step in ("--dump", "--instr=off"):  # shutdown is not counted
                subprocess.run(
                    ["callgrind_control", step, str(target.pid)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            time.sleep(0.5)
        finally:
            target.terminate()
            target.wait(timeout=60)
            upstream.terminate()
        total = 0
        for part in Path(tmp).glob("callgrind.out.*"):
            # `totals`, not `summary`: with instrumentation off, the exit dump's summary wraps.
            found = re.search(r"^totals: (\d+)", part.read_text(), re.MULTILINE)
            total += int(found.group(1)) if found else 0
    print(f"{args.config}, {workload.name}: {total / counted / 1000:,.0f} K instructions a call")


if __name__ == "__main__":
    main()
