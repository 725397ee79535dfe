"""A/B of gateway builds or configs under one workload: every target runs at once (each alone on
core 1, as in run.py), and the load alternates between them round after round, so the machine's
slow and fast minutes hit all of them alike. Prints median CPU per call, req/s and time to first
chunk, with the range over the rounds.

    python bench/ab.py floor full-chain.yaml main:full-chain.yaml --workload "stream c=16"

A target is `floor` (the minimal aiohttp proxy), a config in bench/, or REF:CONFIG: that config
run by the code of git ref REF (checked out into a temporary worktree), to compare a change with
the commit before it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loadgen import build_request
from run import (
    BENCH,
    CLIENT_KEY,
    PINNED,
    ROOT,
    WORKLOADS,
    _body,
    _free_port,
    _load_with_cpu,
    _pinned,
    _wait_up,
)


@dataclass
class _Running:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    cpu_ms: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    ttfc_ms: list[float] = field(default_factory=list)


@contextlib.contextmanager
def _worktree(ref: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="metaqore-ab-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), ref],
            check=True,
        )
        _share_native_builds(tree)
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True
            )


def _share_native_builds(tree: Path) -> None:
    """A git worktree has no compiled extensions (they are not tracked): give it this
    checkout's builds of the C files that the ref has unchanged."""
    for built in [*ROOT.glob("governance/**/*.so"), *ROOT.glob("proxy/**/*.so")]:
        module = built.name.partition(".")[0]
        source = built.parent / f"{module}.c"
        twin = tree / source.relative_to(ROOT)
        if twin.exists() and twin.read_bytes() == source.read_bytes():
            shutil.copy2(built, twin.parent / built.name)


def _command(target: str, root: Path, port: int, upstream: int) -> tuple[list[str], str]:
    if target == "floor":
        script = str(BENCH / "minimal_proxy.py")
        upstream_url = f"http://127.0.0.1:{upstream}"
        command = [sys.executable, script, "--port", str(port), "--upstream", upstream_url]
        return [*command, "--client", "aiohttp"], "/"
    config = root / "bench" / target.rpartition(":")[2]
    command = [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config)]
    return [*command, "--port", str(port)], "/healthz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--workload", default="non-stream c=64", help="a workload of run.py")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=2.0, help="measured time per round")
    args = parser.parse_args()
    workload = next((w for w in WORKLOADS if w.name == args.workload), None)
    if workload is None:
        parser.error(f"unknown workload; one of: {', '.join(w.name for w in WORKLOADS)}")
    if PINNED:
        os.sched_setaffinity(0, {0})
    for stale in BENCH.glob(".bench-evidence.db*"):
        stale.unlink()
    with contextlib.ExitStack() as stack:
        upstream_port = _free_port()
        upstream = subprocess.Popen(
            _pinned(
                [sys.executable, str(BENCH / "fake_upstream.py"), "--port", str(upstream_port)], 0
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.callback(_stop, upstream)
        _wait_up(f"http://127.0.0.1:{upstream_port}/", upstream)
        running = [_start(stack, target, upstream_port) for target in args.targets]
        for round_no in range(args.rounds + 1):  # round 0 warms every target up
            for target in running if round_no % 2 else running[::-1]:
                request = build_request(
                    target.port,
                    "/v1/chat/completions",
                    _body(workload),
                    {"Authorization": f"Bearer {CLIENT_KEY}"},
                )
                result, cpu = _load_with_cpu(
                    target.process, target.port, request, workload.concurrency, args.seconds
                )
                if round_no == 0 or not result.latencies:
                    continue
                target.cpu_ms.append(cpu * 1000 / len(result.latencies))
                target.rps.append(result.rps)
                if result.first_chunk:
                    target.ttfc_ms.append(statistics.median(result.first_chunk) * 1000)
    print(f"| target | {workload.name}: CPU ms/call | req/s | TTFC ms |\n| --- | --- | --- | --- |")
    for target in running:
        print(
            f"| {target.name} | {_spread(target.cpu_ms, 3)} | {_spread(target.rps, 0)} "
            f"| {_spread(target.ttfc_ms, 2)} |"
        )


def _start(stack: contextlib.ExitStack, target: str, upstream_port: int) -> _Running:
    ref = target.partition(":")[0] if ":" in target else None
    root = stack.enter_context(_worktree(ref)) if ref else ROOT
    port = _free_port()
    command, health = _command(target, root, port, upstream_port)
    env = {
        **os.environ,
        "BENCH_UPSTREAM": f"http://127.0.0.1:{upstream_port}",
        "PYTHONPATH": str(root),  # ahead of the editable install of this checkout
    }
    process = subprocess.Popen(
        _pinned(command, 1), env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    stack.callback(_stop, process)
    _wait_up(f"http://127.0.0.1:{port}{health}", process)
    return _Running(target, port, process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _spread(values: list[float], digits: int) -> str:
    if not values:
        return "-"
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}f} ({low:.{digits}f} to {high:.{digits}f})"


if __name__ == "__main__":
    main()
