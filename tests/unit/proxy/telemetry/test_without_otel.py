"""The gateway runs without the `otel` extra: telemetry off imports none of it; on, it says
which extra to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Python refuses to import a module whose sys.modules entry is None: as if not installed.
PROBE = """
import sys
sys.modules["opentelemetry"] = None
from proxy.config.gateway_config import ConfigError, load_config
from proxy.http.app import create_app
app = create_app(load_config(sys.argv[1]))
assert app.gateway.tracing is None
assert not [m for m in sys.modules if m.startswith("opentelemetry.")], "imported"
try:
    create_app(load_config(sys.argv[2]))
except ConfigError as exc:
    print(exc)
"""


def test_off_needs_no_otel_and_on_names_the_extra(tmp_path: Path) -> None:
    base = "providers:\n  - {name: m, kind: mock, models: [a]}\nevidence: {enabled: false}\n"
    (tmp_path / "off.yaml").write_text(base)
    (tmp_path / "on.yaml").write_text(base + "telemetry: {enabled: true}\n")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "off.yaml"), str(tmp_path / "on.yaml")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "telemetry.enabled needs the 'otel' extra" in done.stdout
    assert "pip install 'metaqore-gateway[otel]'" in done.stdout
