"""Libraries whose releases pin openai below the dev venv's (instructor: jiter < 0.15, so openai
3.3 at most; llama-index-llms-openai: openai < 3) live in their own venv, `.venv-pinned`
(`make dev` builds it). Their calls run there as scripts of this package against the gateway
the test started; `run` hands back what a scenario printed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
PYTHON = ROOT / ".venv-pinned/bin/python"


def run(script: str, scenario: str, base_url: str, key: str, *extra: str) -> Any:
    if not PYTHON.exists():
        pytest.fail(f"{PYTHON} is missing: `make dev` builds it")
    done = subprocess.run(
        [str(PYTHON), str(Path(__file__).parent / f"{script}.py"), scenario, base_url, key, *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"LITELLM_LOCAL_MODEL_COST_MAP": "True", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.splitlines()[-1])
