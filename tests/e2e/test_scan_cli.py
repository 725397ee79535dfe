"""`metaqore scan` as scripts use it: JSON lines in, one JSON line out per input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def metaqore(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proxy.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_json_lines_in_json_lines_out() -> None:
    lines = [
        {"text": "mail jo@example.com, SSN 123-45-6789"},
        {"text": "nothing to see"},
        {"text": "ｃａｒｄ ４１１１１１１１１１１１１１１１"},
    ]
    done = metaqore("scan", stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [[(e["type"], e["start"], e["end"]) for e in o["entities"]] for o in out] == [
        [("EMAIL", 5, 19), ("US_SSN", 25, 36)],
        [],
        [("CREDIT_CARD", 5, 21)],
    ]
    assert all(0 < e["score"] <= 1 for o in out for e in o["entities"])


def test_a_bad_line_is_reported_and_the_rest_still_scanned() -> None:
    done = metaqore("scan", stdin='not json\n{"text": "ip 10.1.2.3"}\n')
    assert done.returncode == 1
    assert "line 1" in done.stderr
    second = json.loads(done.stdout.splitlines()[1])
    assert second == {"entities": [{"type": "IP_ADDRESS", "start": 3, "end": 11, "score": 0.9}]}


def test_files_get_a_readable_report(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\nkey AKIAIOSFODNN7EXAMPLE\n", encoding="utf-8")
    done = metaqore("scan", str(path))
    assert done.returncode == 0
    assert f"{path}: 1 finding(s)" in done.stdout
    assert "2:5" in done.stdout and "SECRET" in done.stdout
    assert "AKIA" not in done.stdout  # the report never prints the value


def test_the_scan_starts_without_the_gateway(tmp_path: Path) -> None:
    """Scripts start `metaqore scan` once per batch: it loads the detectors, not the server."""
    path = tmp_path / "notes.txt"
    path.write_text("mail jo@example.com\n", encoding="utf-8")
    probe = (
        "import sys\n"
        "from proxy.cli import main\n"
        f"status = main(['scan', {str(path)!r}])\n"
        "loaded = [m for m in ('uvicorn', 'starlette', 'aiohttp', 'proxy.http.app') "
        "if m in sys.modules]\n"
        "print('loaded:', loaded, status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "1 finding(s)" in done.stdout
    assert "loaded: [] 0" in done.stdout
