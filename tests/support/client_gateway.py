"""One gateway for the tests of the libraries apps are built on (pydantic-ai, instructor,
llama-index, litellm, dspy): a chat-completions upstream (translated Responses), a native Responses
upstream, and policies that block a secret and pseudonymize emails.

`KEY`'s org blocks `SECRET`; `PSEUDO`'s org pseudonymizes `EMAIL`. Models: `gpt-4o-mini`
(answers `TEXT`, calls the first tool offered), `echo` (answers the last message; also as
`gpt-4.1`, for libraries that take only OpenAI's model names), and the same behind
`native-mini` and `native-echo` for the Responses API passed through.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

KEY = "sk-clients-0123456789"
PSEUDO = "sk-clients-pseudo-0123456789"
SECRET = "AKIAIOSFODNN7EXAMPLE"  # blocked under KEY's policy
EMAIL = "canary.person@example.org"  # pseudonymized under PSEUDO's
BLOCKED_CODE = "sensitive_data_blocked"
BLOCKED = "policy does not let leave"  # in the message of a block, which names the type


@dataclass
class ClientGateway:
    url: str  # the gateway's root; SDKs take f"{url}/v1"
    fake: FakeOpenAI

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def sent(self) -> dict[str, Any]:
        """The body of the last request that reached the upstream."""
        return self.fake.received[-1].body


def _write(root: Path, upstream: str) -> Path:
    (root / "policies/orgs").mkdir(parents=True)
    (root / "policies/orgs/acme.yaml").write_text("sensitivity: {types: {SECRET: block}}\n")
    (root / "policies/orgs/pseudo.yaml").write_text("sensitivity: {types: {EMAIL: pseudonymize}}\n")
    config = root / "gateway.yaml"
    config.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: up, kind: openai, base_url: "{upstream}/v1", api_key: k,
                  models: [gpt-4o-mini, echo, text-embedding-3-small, reset-mid-stream]}}
              - {{name: native, kind: openai, base_url: "{upstream}/n/v1", api_key: k,
                  responses: native, models: [gpt-4o-mini, echo, fail-mid-stream]}}
            aliases:
              native-mini: [native/gpt-4o-mini]
              native-echo: [native/echo]
              gpt-4.1: [up/echo]
              native-fail: [native/fail-mid-stream]
            keys:
              - {{key: {KEY}, org: acme, name: app}}
              - {{key: {PSEUDO}, org: pseudo, name: pseudo}}
            governance: {{policies: policies}}
            evidence: {{hmac_key: clients-test-key-0123456789}}
        """)
    )
    return config


@pytest.fixture(scope="module")
def client_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClientGateway]:
    fake = FakeOpenAI()
    root = tmp_path_factory.mktemp("clients")
    with ServerThread(fake) as upstream:
        config = _write(root, upstream.url)
        with ServerThread(create_app(load_config(config))) as server:
            yield ClientGateway(server.url, fake)
