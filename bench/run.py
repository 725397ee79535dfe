"""Gateway overhead benchmark: prints a markdown table and writes bench/results/<date>.md
(a later run the same day gets the time in its name).

Every target proxies to the same fake upstream; targets are measured in the same run, round
after round, so machine noise hits all alike. On a machine with 2+ cores the target runs alone
on core 1, the load generator and upstream share core 0.

    python bench/run.py [--rounds 3] [--seconds 3] [--targets direct,metaqore-full,...]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import UNIQUE_MARK, LoadResult, build_request, run_load
from sensitivity import PROMPT_2KB

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LITELLM = BENCH / ".litellm-venv" / "bin" / "litellm"
CLIENT_KEY = "sk-bench-client"
# An earlier answer in a conversation's history.
ANSWER_1KB = "We are sorry for the delay; the refund is on its way and should arrive soon. " * 13
PINNED = (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None


@dataclass(frozen=True)
class Workload:
    name: str
    concurrency: int
    stream: bool = False
    prompt_bytes: int = 2 * 1024
    # Earlier turns re-sent before the new prompt, as a chat app does on every turn.
    history_turns: int = 0


WORKLOADS = [
    Workload("non-stream c=1", 1),
    Workload("non-stream c=16", 16),
    Workload("non-stream c=64", 64),
    Workload("stream c=16", 16, stream=True),
    # Below saturation: at c=16 even the floor keeps its core busy, so time to first chunk
    # there is mostly queueing; at c=4 it is what the gateway adds to one stream.
    Workload("stream c=4", 4, stream=True),
    Workload("32 KB prompt c=16", 16, prompt_bytes=32 * 1024),
    Workload("4-turn chat c=16", 16, history_turns=3),
]
ONLY_C64 = [w for w in WORKLOADS if w.name == "non-stream c=64"]


@dataclass
class Target:
    name: str
    command: list[str] | None  # None: the upstream itself
    workloads: list[Workload] = field(default_factory=lambda: WORKLOADS)
    unavailable: str | None = None
    health_path: str = "/healthz"
    # Send one prompt over and over (a cache hit needs it); else every prompt is new.
    repeat_prompt: bool = False
    # On core 1 alone; False lets it use both cores, beside the load generator.
    pinned: bool = True


@dataclass
class Row:
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    ttfc: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    errors: int = 0
    rss_mib: float = 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pinned(command: list[str], cores: int | str) -> list[str]:
    """`command` on `cores` (a core, or a taskset list such as "0-1"). Children inherit this
    process's own pinning to core 0, so an unpinned target names every core."""
    return ["taskset", "-c", str(cores), *command] if PINNED else command


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo.extend(int(c) for c in task.read_text().split())
    return pids


def _cpu_seconds(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _peak_rss_mib(pid: int) -> float:
    return _rss_mib(pid, "VmHWM")


def _rss_mib(pid: int, field: str = "VmRSS") -> float:
    total = 0
    for p in _tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith(field)), 0
        )
    return total / 1024


def _wait_up(url: str, process: subprocess.Popen[bytes] | None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _body(workload: Workload, repeat: bool = False) -> bytes:
    """The same body for every target: the 2 KB prompt with three findings (an email, a card,
    a phone) of bench/sensitivity.py, or that prompt repeated up to the workload's size. It
    starts with a ticket stamp the load generator makes unique per request, so every call
    brings a prompt never seen before; `repeat` sends one prompt over and over instead."""
    stamp = "" if repeat else f"Ticket {UNIQUE_MARK.decode()}. "
    content = stamp + PROMPT_2KB * max(1, workload.prompt_bytes // len(PROMPT_2KB))
    history: list[dict[str, str]] = []
    for turn in range(workload.history_turns):
        history += [
            {"role": "user", "content": f"Turn {turn}. {PROMPT_2KB}"},
            {"role": "assistant", "content": f"Draft {turn}. {ANSWER_1KB}"},
        ]
    body: dict[str, object] = {
        "model": "gpt-4o-mini",
        "messages": [*history, {"role": "user", "content": content}],
    }
    if workload.stream:
        body["stream"] = True
    return json.dumps(body).encode()


def _targets(upstream_port: int, selected: set[str] | None) -> list[Target]:
    def metaqore(config: str, workers: int = 1) -> list[str]:
        return [
            sys.executable,
            "-m",
            "proxy.cli",
            "serve",
            "--config",
            str(BENCH / config),
            "--port",
            "{port}",
            "--workers",
            str(workers),
        ]

    def minimal(client: str) -> list[str]:
        return [
            sys.executable,
            str(BENCH / "minimal_proxy.py"),
            "--port",
            "{port}",
            "--upstream",
            f"http://127.0.0.1:{upstream_port}",
            "--client",
            client,
        ]

    targets = [
        Target("direct", None),
        Target("minimal httpx proxy", minimal("httpx"), health_path="/"),
        Target("minimal aiohttp proxy (floor)", minimal("aiohttp"), health_path="/"),
        Target("metaqore empty chain", metaqore("empty-chain.yaml")),
        Target("metaqore full chain", metaqore("full-chain.yaml")),
        Target(
            "metaqore full chain, 2 workers",
            metaqore("full-chain.yaml", 2),
            workloads=ONLY_C64,
            pinned=False,  # two workers pinned to one core would only measure contention
        ),
        Target("metaqore cache hit", metaqore("cache-hit.yaml"), repeat_prompt=True),
        Target(
            "litellm proxy",
            [
                str(LITELLM),
                "--config",
                str(BENCH / "litellm.yaml"),
                "--port",
                "{port}",
                "--num_workers",
                "1",
            ],
            health_path="/health/liveliness",
            unavailable=None
            if LITELLM.exists()
            else "not installed: `make bench-litellm` installs it into bench/.litellm-venv",
        ),
    ]
    return [
        t
        for t in targets
        if selected is None or t.name.split(" (")[0] in selected or t.name in selected
    ]


def _load_with_cpu(
    process: subprocess.Popen[bytes] | None,
    port: int,
    request: bytes,
    concurrency: int,
    seconds: float,
) -> tuple[LoadResult, float]:
    """The load's result, and the target's CPU seconds from the end of the warm-up on (so the
    warm-up's calls are not charged to the measured ones)."""
    at_start = [0.0]

    def measure_starts() -> None:
        if process is not None:
            at_start[0] = _cpu_seconds(process.pid)

    result = asyncio.run(run_load(port, request, concurrency, seconds, on_measure=measure_starts))
    cpu = _cpu_seconds(process.pid) - at_start[0] if process is not None else 0.0
    return result, cpu


def _measure(
    target: Target, upstream_port: int, seconds: float, rows: dict[tuple[str, str], Row]
) -> None:
    env = {
        **os.environ,
        "BENCH_UPSTREAM": f"http://127.0.0.1:{upstream_port}",
        "BENCH_UPSTREAM_V1": f"http://127.0.0.1:{upstream_port}/v1",
        "PYTHONPATH": str(ROOT),
    }
    process = None
    port = upstream_port
    if target.command is not None:
        port = _free_port()
        command = [part.replace("{port}", str(port)) for part in target.command]
        process = subprocess.Popen(
            _pinned(command, 1 if target.pinned else f"0-{(os.cpu_count() or 1) - 1}"),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    try:
        if process is not None:
            _wait_up(f"http://127.0.0.1:{port}{target.health_path}", process)
        for workload in target.workloads:
            request = build_request(
                port,
                "/v1/chat/completions",
                _body(workload, target.repeat_prompt),
                {"Authorization": f"Bearer {CLIENT_KEY}"},
            )
            result, cpu = _load_with_cpu(process, port, request, workload.concurrency, seconds)
            row = rows.setdefault((target.name, workload.name), Row())
            _record(row, result, cpu)
        if process is not None:
            row_rss = _peak_rss_mib(process.pid)
            for workload in target.workloads:
                row = rows[(target.name, workload.name)]
                row.rss_mib = max(row.rss_mib, row_rss)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _soak(upstream_port: int, total: int) -> str:
    """Memory under sustained load: RSS must not grow between the half-way mark and the end."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "proxy.cli",
        "serve",
        "--config",
        str(BENCH / "full-chain.yaml"),
        "--port",
        str(port),
    ]
    env = {
        **os.environ,
        "BENCH_UPSTREAM": f"http://127.0.0.1:{upstream_port}",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        _pinned(command, 1), env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    request = build_request(
        port, "/v1/chat/completions", _body(WORKLOADS[0]), {"Authorization": f"Bearer {CLIENT_KEY}"}
    )
    marks: list[str] = []
    try:
        _wait_up(f"http://127.0.0.1:{port}/healthz", process)
        done, next_mark = 0, total // 2
        while done < total:
            result = asyncio.run(run_load(port, request, 64, 1.0, warmup=0))
            done += len(result.latencies) + result.errors
            if done >= next_mark:
                marks.append(f"| {done} | {_rss_mib(process.pid):.1f} | {result.errors} |")
                next_mark = total
    finally:
        process.terminate()
        process.wait(timeout=20)
    return "| requests | RSS MiB | errors in last second |\n| --- | --- | --- |\n" + "\n".join(
        marks
    )


def _record(row: Row, result: LoadResult, cpu_seconds: float) -> None:
    row.errors += result.errors
    if not result.latencies:
        return
    latencies = sorted(result.latencies)
    row.rps.append(result.rps)
    row.p50.append(latencies[len(latencies) // 2] * 1000)
    row.p99.append(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000)
    if result.first_chunk:
        row.ttfc.append(statistics.median(result.first_chunk) * 1000)
    row.cpu_ms.append(cpu_seconds * 1000 / len(latencies))


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _table(targets: list[Target], rows: dict[tuple[str, str], Row]) -> str:
    lines = [
        "| target | workload | req/s | p50 ms | p99 ms | added p50 ms | x floor req/s "
        "| x LiteLLM req/s | TTFC ms | added TTFC ms | CPU ms/req | peak RSS MiB | errors |",
        "|" + " --- |" * 13,
    ]
    for target in targets:
        if target.unavailable:
            lines.append(f"| {target.name} | - | {target.unavailable} |" + " - |" * 10)
            continue
        for workload in target.workloads:
            row = rows.get((target.name, workload.name))
            if row is None:
                continue
            direct = rows.get(("direct", workload.name), Row())
            floor = rows.get(("minimal aiohttp proxy (floor)", workload.name), Row())
            litellm = rows.get(("litellm proxy", workload.name), Row())
            rps, p50, ttfc = _median(row.rps), _median(row.p50), _median(row.ttfc)
            d50, dttfc = _median(direct.p50), _median(direct.ttfc)
            frps, lrps = _median(floor.rps), _median(litellm.rps)
            added = p50 - d50 if p50 is not None and d50 is not None else None
            added_ttfc = (
                ttfc - dttfc if ttfc is not None and dttfc is not None and workload.stream else None
            )
            lines.append(
                " | ".join(
                    [
                        f"| {target.name}",
                        workload.name,
                        _fmt(rps, 0),
                        _fmt(p50),
                        _fmt(_median(row.p99)),
                        _fmt(added),
                        _fmt(rps / frps if rps and frps else None),
                        _fmt(rps / lrps if rps and lrps else None, 1),
                        _fmt(ttfc if workload.stream else None),
                        _fmt(added_ttfc),
                        _fmt(_median(row.cpu_ms) if target.command else None),
                        _fmt(row.rss_mib if target.command else None, 0),
                        f"{row.errors} |",
                    ]
                )
            )
    return "\n".join(lines)


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    pinning = (
        "target on core 1 (the 2-worker row unpinned); load generator and upstream on core 0"
        if PINNED
        else "not pinned (fewer than 2 cores or no taskset)"
    )
    return (
        f"- machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}\n"
        f"- pinning: {pinning}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="measured time per workload")
    parser.add_argument("--targets", help="comma-separated target names (default: all)")
    parser.add_argument("--workloads", help="comma-separated workload names (default: all)")
    parser.add_argument(
        "--soak",
        type=int,
        metavar="N",
        help="instead: N requests through the full chain, RSS at N/2 and N",
    )
    args = parser.parse_args()
    if PINNED:
        os.sched_setaffinity(0, {0})
    selected = set(args.targets.split(",")) if args.targets else None
    # Every run starts with an empty evidence file, so no run inherits a bigger one.
    for stale in BENCH.glob(".bench-evidence.db*"):
        stale.unlink()
    upstream_port = _free_port()
    upstream = subprocess.Popen(
        _pinned([sys.executable, str(BENCH / "fake_upstream.py"), "--port", str(upstream_port)], 0),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    targets = _targets(upstream_port, selected)
    if args.workloads:
        chosen = set(args.workloads.split(","))
        for target in targets:
            target.workloads = [w for w in target.workloads if w.name in chosen]
    rows: dict[tuple[str, str], Row] = {}
    try:
        _wait_up(f"http://127.0.0.1:{upstream_port}/", upstream)
        if args.soak:
            print(_soak(upstream_port, args.soak))
            return
        for round_no in range(1, args.rounds + 1):
            for target in targets:
                if target.unavailable:
                    continue
                print(f"round {round_no}/{args.rounds}: {target.name}", file=sys.stderr)
                try:
                    _measure(target, upstream_port, args.seconds, rows)
                except RuntimeError as exc:
                    target.unavailable = f"failed to run: {exc}"
    finally:
        upstream.terminate()
        upstream.wait(timeout=10)
    today = dt.date.today().isoformat()
    report = (
        f"# Gateway overhead, {today}\n\n{_machine()}"
        f"- {args.rounds} rounds, {args.seconds:g} s measured per workload; "
        "medians across rounds\n- fake upstream answers in about 0.1 ms; streams are "
        "20 chunks, 1 ms apart\n\n" + _table(targets, rows) + "\n"
    )
    out = BENCH / "results" / f"{today}.md"
    if out.exists():  # a later run the same day never overwrites an earlier one
        out = out.with_name(f"{today}-{dt.datetime.now():%H%M}.md")
    out.write_text(report)
    print(report)
    print(f"written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
