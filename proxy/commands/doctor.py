"""`metaqore doctor --config PATH`: one line per check on stdout, a `fix:` under each problem,
a count on stderr; exit 1 when a check failed (something to fix before serving)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

from proxy.doctor import run_doctor

__all__ = ["add_doctor_command"]


def add_doctor_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser("doctor", help="check a config and what it reaches")
    doctor.add_argument("--config", type=Path, default=Path("gateway.yaml"))
    doctor.set_defaults(handler=run_doctor_command)


def run_doctor_command(args: argparse.Namespace) -> int:
    findings = asyncio.run(run_doctor(args.config))
    for finding in findings:
        for line in finding.lines():
            print(line)
    counts = Counter(f.status for f in findings)
    print(
        f"doctor: {counts['ok']} ok, {counts['warn']} warn, {counts['fail']} fail",
        file=sys.stderr,
    )
    return 1 if counts["fail"] else 0
