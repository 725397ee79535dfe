"""What importing a part of the gateway loads: a provider needs no governance, and governance
needs no part of the HTTP side (each checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def loaded_by(module: str) -> list[str]:
    code = f"import sys, json; import {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    names: list[str] = json.loads(out)
    return names


@pytest.mark.parametrize(
    "provider",
    [
        "proxy.providers.openai_compatible",
        "proxy.providers.azure",
        "proxy.providers.anthropic",
        "proxy.providers.mock",
        "proxy.providers.build",
    ],
)
def test_importing_a_provider_loads_no_governance_module(provider: str) -> None:
    assert [name for name in loaded_by(provider) if name.split(".")[0] == "governance"] == []


def test_governance_loads_no_web_framework_and_no_proxy_module() -> None:
    loaded = loaded_by("governance.assessment, governance.evidence, governance.compliance")
    outside = {"proxy", "starlette", "uvicorn", "aiohttp", "httpx"}
    assert [name for name in loaded if name.split(".")[0] in outside] == []
