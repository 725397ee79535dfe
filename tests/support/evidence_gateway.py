"""A gateway config for evidence tests: the mock backend, one client key (admin too), and the
evidence section under test."""

from __future__ import annotations

import textwrap
from pathlib import Path

__all__ = ["EVIDENCE_KEY", "KEY", "evidence_gateway_config"]

KEY = "sk-evidence-test-0123456789"
EVIDENCE_KEY = "evidence-test-chain-key-0123456789"


def evidence_gateway_config(
    directory: Path, store: str, table: str, evidence: str = "", extra: str = ""
) -> Path:
    """`evidence`: more lines of the evidence section; `extra`: more top-level sections."""
    path = directory / "gateway.yaml"
    path.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: mock, kind: mock, models: [mock-chat]}}
            keys: [{{key: {KEY}, org: acme, name: evidence-test}}]
            admin: {{keys: [{{key: {KEY}}}]}}
            evidence:
              store: "{store}"
              table: {table}
              hmac_key: {EVIDENCE_KEY}
            """)
        + textwrap.indent(textwrap.dedent(evidence), "  ")
        + textwrap.dedent(extra)
    )
    return path
