"""What importing a part of the gateway loads: a provider needs no governance, and governance
needs no part of the HTTP side (each checked in a fresh interpreter); and which modules see the
whole Gateway (only the app that hands its parts out)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

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
        "proxy.providers.llama_cpp",
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


def test_only_the_app_is_handed_the_whole_gateway() -> None:
    """Every endpoint is handed the parts it uses: no module but the app imports the Gateway."""
    root = Path(__file__).resolve().parents[3]
    importers = sorted(
        path.relative_to(root).as_posix()
        for path in (root / "proxy").rglob("*.py")
        if "proxy.gateway" in _imported(path)
    )
    assert importers == ["proxy/http/app.py"]


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name}


@pytest.mark.parametrize(
    "package",
    ["middleware", "router", "providers", "translate", "telemetry", "cache", "limits", "wire"],
)
def test_the_request_path_below_the_http_edge_never_reaches_back_up_into_it(package: str) -> None:
    """What every layer says on the wire lives in proxy/wire/; the HTTP edge sits on top."""
    root = Path(__file__).resolve().parents[3]
    reaching_up = sorted(
        path.relative_to(root).as_posix()
        for path in [*(root / "proxy" / package).rglob("*.py"), root / "proxy" / "call.py"]
        if any(name.startswith("proxy.http") for name in _imported(path))
    )
    assert reaching_up == []
