"""Every string a model or a provider reads is judged: a request with every field of the
published schemas, a canary e-mail in each free string (and in keys of open objects), goes
through the real gateway under `EMAIL: redact` or `pseudonymize`, and the fake upstream never
receives one of them in clear, on every body endpoint."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI, Received
from tests.support.maximal_request import CANARY_DOMAIN, MaximalBody
from tests.support.servers import ServerThread

KEYS = {"redact": "sk-every-redact-0123456789", "pseudonymize": "sk-every-pseudo-0123456789"}


@dataclass
class Gateway:
    url: str
    fake: FakeOpenAI

    def post(self, path: str, body: dict[str, Any], action: str) -> httpx.Response:
        self.fake.received.clear()
        return httpx.post(
            f"{self.url}{path}",
            json=body,
            headers={"authorization": f"Bearer {KEYS[action]}"},
            timeout=30,
        )


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    root = tmp_path_factory.mktemp("every-string")
    orgs = root / "policies" / "orgs"
    orgs.mkdir(parents=True)
    (root / "policies" / "default.yaml").write_text("description: root\n")
    for action in KEYS:
        (orgs / f"{action}.yaml").write_text(f"sensitivity: {{types: {{EMAIL: {action}}}}}\n")
    keys = "\n".join(f"  - {{key: {k}, org: {a}, name: {a}}}" for a, k in KEYS.items())
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
            providers:
              - name: up
                kind: openai
                base_url: {upstream.url}/v1
                api_key: upstream-key
                models: [gpt-4o-mini, text-embedding-3-small]
            governance: {{policies: policies}}
            evidence: {{enabled: false}}
            keys:
            """)
            + keys
            + "\n"
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield Gateway(server.url, fake)


def _leaks(received: list[Received], canaries: dict[str, str]) -> dict[str, str]:
    """The canaries found in what the upstream received, by where they were put."""
    seen = b"".join(r.raw for r in received) + json.dumps([r.body for r in received]).encode()
    return {c: where for c, where in canaries.items() if c.encode() in seen}


def _chat_body(stream: bool) -> tuple[dict[str, Any], dict[str, str]]:
    maximal = MaximalBody("openai-openapi.json")
    body = maximal.build("CreateChatCompletionRequest")
    body.update(model="gpt-4o-mini", stream=stream, n=1)
    if not stream:
        body.pop("stream_options", None)
    maximal.canaries = {c: w for c, w in maximal.canaries.items() if c in json.dumps(body)}
    return body, maximal.canaries


@pytest.mark.parametrize("action", sorted(KEYS))
@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    "path", ["/v1/chat/completions", "/openai/deployments/gpt-4o-mini/chat/completions"]
)
def test_no_string_of_a_maximal_chat_request_reaches_the_upstream_in_clear(
    gateway: Gateway, action: str, stream: bool, path: str
) -> None:
    body, canaries = _chat_body(stream)
    assert len(canaries) > 50
    answer = gateway.post(path, body, action)
    assert answer.status_code == 200, answer.text
    assert len(gateway.fake.received) == 1
    assert _leaks(gateway.fake.received, canaries) == {}
    marker = "[REDACTED_EMAIL]" if action == "redact" else "<EMAIL_"
    assert marker in gateway.fake.received[0].raw.decode()


@pytest.mark.parametrize("action", sorted(KEYS))
def test_no_string_of_a_maximal_embeddings_request_reaches_the_upstream(
    gateway: Gateway, action: str
) -> None:
    maximal = MaximalBody("openai-openapi.json")
    body = maximal.build("CreateEmbeddingRequest")
    body.update(model="text-embedding-3-small", encoding_format="float")
    for inputs in (body["input"], [maximal.canary("input[0]"), maximal.canary("input[1]")]):
        answer = gateway.post("/v1/embeddings", {**body, "input": inputs}, action)
        assert answer.status_code == 200, answer.text
        assert _leaks(gateway.fake.received, maximal.canaries) == {}


@pytest.mark.parametrize("action", sorted(KEYS))
@pytest.mark.parametrize("stream", [False, True])
def test_no_string_of_a_maximal_messages_request_reaches_the_upstream(
    gateway: Gateway, action: str, stream: bool
) -> None:
    maximal = MaximalBody("anthropic-openapi.json")
    body = maximal.build("CreateMessageParams")
    body.update(model="gpt-4o-mini", max_tokens=50, stream=stream)
    answer = gateway.post("/v1/messages", body, action)
    assert answer.status_code == 200, answer.text
    assert _leaks(gateway.fake.received, maximal.canaries) == {}


def test_the_body_is_untouched_where_nothing_was_found(gateway: Gateway) -> None:
    body = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "What is the weather in Paris?"}],
        "tools": [{"type": "function", "function": {"name": "weather", "description": "Look it up",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
        "metadata": {"team": "web"},
    }  # fmt: skip
    answer = gateway.post("/v1/chat/completions", body, "redact")
    assert answer.status_code == 200
    assert gateway.fake.received[0].body == body
    assert CANARY_DOMAIN not in answer.text
