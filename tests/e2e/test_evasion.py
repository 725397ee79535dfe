"""Evasive spellings through the real gateway and the openai SDK: a secret written with look-alike
letters, invisible characters and a gap in its prefix is blocked before it leaves, and a card
in another script's digits is masked whole, its evasion characters with it."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

KEY = "sk-evasion-0123456789"
# AKIAIOSFODNN7EXAMPLE: Cyrillic А and К, a gap inside the prefix, a word joiner, a ٧ for 7.
EVASIVE_AWS_KEY = "\u0410\u041a IA\u2060IOSFODNN\u0667EXAMPLE"
# 4111 1111 1111 1111 in Arabic-Indic digits with a zero-width space and a tab.
EVASIVE_CARD = "\u0664\u0661\u0661\u0661\u200b\u0661\u0661\u0661\u0661\t" + "\u0661" * 4 + " 1111"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    root = tmp_path_factory.mktemp("evasion")
    (root / "policies/orgs").mkdir(parents=True)
    (root / "policies/orgs/acme.yaml").write_text(
        "sensitivity: {types: {SECRET: block, CREDIT_CARD: redact}}\n"
    )
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: [gpt-4o-mini]}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                governance: {{policies: policies}}
                evidence: {{hmac_key: evasion-test-key-0123456789}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield fake, server.url


def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=KEY, max_retries=0)


@pytest.mark.parametrize("stream", [False, True])
def test_an_evasive_secret_is_blocked_and_never_sent(
    gateway: tuple[FakeOpenAI, str], stream: bool
) -> None:
    fake, url = gateway
    fake.received.clear()
    with pytest.raises(openai.PermissionDeniedError) as denied:
        client(url).chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": f"deploy with key {EVASIVE_AWS_KEY} today"}],
            stream=stream,
        )
    assert denied.value.code == "sensitive_data_blocked"
    assert denied.value.response.headers["x-metaqore-decision"] == "deny:sensitive_data_blocked"
    assert "IOSFODNN" not in denied.value.message
    assert fake.received == []


def test_an_evasive_card_is_masked_with_its_evasion_characters(
    gateway: tuple[FakeOpenAI, str],
) -> None:
    fake, url = gateway
    fake.received.clear()
    raw = client(url).chat.completions.with_raw_response.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"Refund card {EVASIVE_CARD} please"}],
    )
    assert raw.headers["x-metaqore-sensitivity"] == "restricted"
    (received,) = fake.received
    assert received.body["messages"][0]["content"] == "Refund card [REDACTED_CREDIT_CARD] please"
