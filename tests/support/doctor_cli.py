"""`metaqore doctor` run as a process, its stdout read back into (status, name, detail, fix)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIX = "      fix: "


@dataclass(frozen=True)
class Line:
    status: str
    name: str
    detail: str
    fix: str | None


def doctor(config: Path, env: dict[str, str] | None = None) -> tuple[int, dict[str, Line], str]:
    """Exit code, the lines by check name, stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "proxy.cli", "doctor", "--config", str(config)],
        capture_output=True, text=True, timeout=60, check=False, env={**os.environ, **(env or {})},
    )  # fmt: skip
    lines: list[Line] = []
    for text in done.stdout.splitlines():
        if text.startswith(FIX):
            last = lines.pop()
            lines.append(Line(last.status, last.name, last.detail, text.removeprefix(FIX)))
            continue
        status, rest = text[:4].strip(), text[6:]
        name, _, detail = rest.partition("  ")
        assert status in ("ok", "warn", "fail"), text
        lines.append(Line(status, name, detail, None))
    found = {line.name: line for line in lines}
    assert len(found) == len(lines), "a check name is used twice"
    return done.returncode, found, done.stderr
