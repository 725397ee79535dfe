from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# litellm (and dspy) fetch a model price map from GitHub unless told to use the bundled one:
# tests reach no network.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

# Hypothesis' per-example deadline times the machine, not the code: on a loaded box it fails
# properties that hold. Speed is measured in bench/, never by timed assertions.
settings.register_profile("metaqore", deadline=None)
settings.load_profile("metaqore")

CLIENT_KEY = "sk-test-client-0123456789"
UPSTREAM_KEY = "sk-upstream-secret-abc"
UPSTREAM_MODELS = [
    "gpt-4o-mini",
    "text-embedding-3-small",
    "fail-429",
    "fail-500",
    "fail-401",
    "bad-request",
    "garbage",
    "reset-mid-stream",
    "no-done",
    "hang",
    "fake-gzip",
    "fake-split",
    "sse-for-json",
    "slow-stream",
]


def gateway_yaml(upstream_url: str, extra: str = "") -> str:
    return textwrap.dedent(f"""\
        providers:
          - name: up1
            kind: openai
            base_url: {upstream_url}/a/v1
            api_key: {UPSTREAM_KEY}
            models: {UPSTREAM_MODELS}
            read_timeout_s: 1
          - name: up2
            kind: openai
            base_url: {upstream_url}/b/v1
            api_key: second-upstream-key
            models: [gpt-4o-mini, fail-500]
          - name: mock
            kind: mock
            models: [mock-chat, mock-embed]
          - name: cloud-off
            kind: openai
            base_url: https://api.example.invalid/v1
            api_key: ${{METAQORE_TEST_UNSET_KEY}}
            models: [only-disabled]
        aliases:
          fallback: [up1/fail-500, up2/gpt-4o-mini]
          all-limited: [up1/fail-429, up1/fail-429]
          all-down: [up1/fail-500, up2/fail-500]
        # The error-mapping tests call failing models again and again; breakers (tested on their
        # own gateways) would turn those answers into 503s depending on test order.
        breakers: {{enabled: false}}
        keys:
          - key: {CLIENT_KEY}
            org: acme
            team: payments
            name: checkout
        {extra}""")


@pytest.fixture(scope="session")
def upstream() -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    with ServerThread(fake) as server:
        yield fake, server.url


@pytest.fixture(scope="session")
def gateway_url(
    upstream: tuple[FakeOpenAI, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    os.environ.pop("METAQORE_TEST_UNSET_KEY", None)
    path = tmp_path_factory.mktemp("gw") / "gateway.yaml"
    path.write_text(gateway_yaml(upstream[1]))
    loaded = load_config(path)
    with ServerThread(create_app(loaded), server=loaded.config.server) as server:
        yield server.url


@pytest.fixture
def own_upstream() -> Iterator[tuple[FakeOpenAI, str]]:
    """A fake upstream of the test's own, for tests that change how it behaves."""
    fake = FakeOpenAI()
    with ServerThread(fake) as server:
        yield fake, server.url


@pytest.fixture
def fake(upstream: tuple[FakeOpenAI, str]) -> FakeOpenAI:
    upstream[0].received.clear()
    return upstream[0]


@pytest.fixture
def write_config(tmp_path: Path) -> object:
    def write(text: str) -> Path:
        path = tmp_path / "gateway.yaml"
        path.write_text(textwrap.dedent(text))
        return path

    return write
