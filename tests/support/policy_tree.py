"""Policy trees and call facts for the policy tests: files written under a directory, and the
facts of a call with every field but the ones a test cares about at a plain default."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from governance.policy import Backend, CallFacts

__all__ = ["ALL", "CLOUD_BAA", "CLOUD_EU", "CLOUD_US", "LOCAL", "facts", "write"]

CLOUD_US = Backend("openai", "cloud", "us", frozenset())
CLOUD_EU = Backend("azure-eu", "cloud", "eu", frozenset({"gdpr_dpa"}))
CLOUD_BAA = Backend("azure-baa", "cloud", "us", frozenset({"hipaa_baa"}))
LOCAL = Backend("vllm", "local", None, frozenset())
ALL = (CLOUD_US, CLOUD_EU, CLOUD_BAA, LOCAL)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def facts(**kw: Any) -> CallFacts:
    base: dict[str, Any] = dict(
        endpoint="chat", model="gpt-4o-mini", stream=False, max_tokens=None, has_tools=False,
        level="public", types=frozenset(), phi=False, authenticated=True,
    )  # fmt: skip
    base.update(kw)
    return CallFacts(**base)
