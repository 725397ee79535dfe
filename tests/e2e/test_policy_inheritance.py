"""Policy inheritance end to end: the shipped `policies/` tree plus an org file that sets only
limits, through the real gateway and the openai SDK. The org narrows the root; it never replaces
it, so the root's secret blocking still holds for the org."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

SHIPPED = Path(__file__).resolve().parents[2] / "policies"
KEY = "sk-inherit-0123456789"
AWS_KEY = "AKIAZ3MXQ7RPLW2KT4VB"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeOpenAI, str]]:
    root = tmp_path_factory.mktemp("inherit")
    shutil.copytree(SHIPPED, root / "policies")
    (root / "policies/orgs").mkdir()
    (root / "policies/orgs/acme.yaml").write_text("limits: {rpm: 1000}\n")
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: [gpt-4o-mini]}}
                keys: [{{key: {KEY}, org: acme, team: web, name: app}}]
                governance: {{policies: policies}}
                evidence: {{hmac_key: inherit-test-key-0123456789}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield fake, server.url


def test_an_org_that_sets_only_limits_still_blocks_secrets(
    gateway: tuple[FakeOpenAI, str],
) -> None:
    fake, url = gateway
    client = openai.OpenAI(base_url=f"{url}/v1", api_key=KEY, max_retries=0)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": f"Deploy with {AWS_KEY} please"}],
        )
    assert caught.value.status_code == 403 and caught.value.code == "sensitive_data_blocked"
    assert AWS_KEY not in caught.value.message
    assert all(AWS_KEY not in json.dumps(r.body) for r in fake.received)
    # The org's own limit is in force too, and a call without the secret goes through.
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello"}]
    )
    assert raw.headers["x-ratelimit-limit-requests"] == "1000"
    assert [r.path for r in fake.received] == ["/v1/chat/completions"]
