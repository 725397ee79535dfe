"""Bad input is a 4xx, always: hypothesis throws arbitrary JSON and mutated valid bodies at the
three body endpoints of a real gateway (governance, cache and evidence on, a real upstream and
the mock behind it); no answer is a 500, every error is in its endpoint's own shape, and the
gateway stays alive. A failure inside the gateway that does happen is recorded and logged
without a request value."""

from __future__ import annotations

import copy
import logging
import sqlite3
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.maximal_request import MaximalBody
from tests.support.servers import ServerThread

KEY = "sk-fuzz-0123456789abcdef"
EMAIL = "quinn.fuzz@example.com"
MODELS = ["gpt-4o-mini", "text-embedding-3-small", "mock-chat", "mock-embed"]


@dataclass
class Fuzzed:
    url: str
    root: Path
    client: httpx.Client

    def post(self, path: str, body: Any) -> httpx.Response:
        return self.client.post(f"{self.url}{path}", json=body)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "policies").mkdir()
    (root / "policies" / "default.yaml").write_text(
        "sensitivity: {types: {EMAIL: pseudonymize, SECRET: block, CREDIT_CARD: redact}}\n"
    )
    with ServerThread(FakeOpenAI()) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
            providers:
              - name: up
                kind: openai
                base_url: {upstream.url}/v1
                api_key: upstream-key
                models: [gpt-4o-mini, text-embedding-3-small]
              - name: mock
                kind: mock
                models: [mock-chat, mock-embed]
            governance: {{policies: policies}}
            cache: {{enabled: true}}
            evidence: {{store: "sqlite:///evidence.db", hmac_key: fuzz-evidence-key-0123456}}
            keys: [{{key: {KEY}, org: fuzz, name: fuzzer}}]
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as gateway:
            headers = {"authorization": f"Bearer {KEY}"}
            with httpx.Client(headers=headers, timeout=30) as client:
                yield Fuzzed(gateway.url, root, client)


def _bases() -> list[tuple[str, dict[str, Any]]]:
    chat = MaximalBody("openai-openapi.json").build("CreateChatCompletionRequest")
    chat.update(model="gpt-4o-mini", stream=False)
    chat.pop("stream_options")
    messages = MaximalBody("anthropic-openapi.json").build("CreateMessageParams")
    messages.update(model="mock-chat", max_tokens=20, stream=False)
    embeddings = MaximalBody("openai-openapi.json").build("CreateEmbeddingRequest")
    embeddings.update(model="mock-embed", encoding_format="float")
    simple = [{"role": "user", "content": f"write to {EMAIL}"}]
    return [
        ("/v1/chat/completions", chat),
        ("/v1/chat/completions", {"model": "mock-chat", "messages": simple}),
        ("/v1/messages", messages),
        ("/v1/messages", {"model": "gpt-4o-mini", "max_tokens": 9, "messages": simple}),
        ("/v1/embeddings", embeddings),
        ("/openai/deployments/mock-embed/embeddings", {"input": ["a", EMAIL]}),
    ]


BASES = _bases()
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "user", "text", "image", "tool_use", "auto", "function", *MODELS]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid body with a few places replaced by arbitrary JSON, or removed."""
    path, base = draw(st.sampled_from(BASES))
    body = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        node: Any = body
        while isinstance(node, dict | list) and node and draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            child = node[draw(st.sampled_from(keys))]
            if not isinstance(child, dict | list) or not child:
                break
            node = child
        if isinstance(node, dict | list) and node:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            key = draw(st.sampled_from(keys))
            if draw(st.integers(0, 4)) == 0:
                del node[key]
            else:
                node[key] = draw(JSON)
    return path, body


def _assert_answered_in_dialect(path: str, answer: httpx.Response) -> None:
    assert answer.status_code != 500, answer.text
    assert answer.status_code < 500 or answer.status_code in {502, 503, 504}, answer.text
    if answer.status_code < 400:
        return
    body = answer.json()
    if path == "/v1/messages":
        assert body["type"] == "error"
        assert set(body["error"]) >= {"type", "message"}
    else:
        assert set(body["error"]) == {"message", "type", "param", "code"}


FUZZ = settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(mutated())
def test_a_mutated_body_is_answered_never_with_a_500(fuzzed: Fuzzed, case: tuple[str, Any]) -> None:
    path, body = case
    _assert_answered_in_dialect(path, fuzzed.post(path, body))


@FUZZ
@given(st.sampled_from([p for p, _ in BASES]), JSON)
def test_any_json_is_answered_never_with_a_500(fuzzed: Fuzzed, path: str, body: Any) -> None:
    _assert_answered_in_dialect(path, fuzzed.post(path, body))


def test_the_gateway_is_alive_after_the_fuzz(fuzzed: Fuzzed) -> None:
    assert fuzzed.client.get(f"{fuzzed.url}/healthz").status_code == 200
    answer = fuzzed.post("/v1/chat/completions", BASES[1][1])
    assert answer.status_code == 200


def test_a_failure_inside_is_recorded_and_logged_without_request_values(
    fuzzed: Fuzzed, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug that quotes what it failed on (as KeyError and friends do) must not put the
    request's values in the log; the call is still in the ledger."""

    def broken(body: dict[str, Any]) -> dict[str, Any]:
        raise ValueError(f"cannot translate {body['messages']}")

    monkeypatch.setattr("proxy.router.dialect_bridge.chat_body_from_messages", broken)
    caplog.set_level(logging.INFO, logger="metaqore")
    answer = fuzzed.client.post(
        f"{fuzzed.url}/v1/messages",
        json={"model": "mock-chat", "max_tokens": 9, "messages": BASES[1][1]["messages"]},
        headers={"x-request-id": "req-fuzz-inside-failure"},
    )
    assert answer.status_code == 500
    assert answer.json()["error"]["type"] == "api_error"
    assert "failed inside the gateway" in caplog.text and "ValueError" in caplog.text
    assert EMAIL not in caplog.text and "write to" not in caplog.text
    rows = _records_of(fuzzed.root / "evidence.db", "req-fuzz-inside-failure")
    assert len(rows) == 1
    assert '"status":500' in rows[0] and '"error_code":"internal_error"' in rows[0]


def _records_of(db_path: Path, request_id: str) -> list[str]:
    """The request's records once the ledger's writer has flushed its batch."""
    for _ in range(100):
        with sqlite3.connect(db_path) as db:
            rows = db.execute("SELECT record FROM evidence WHERE request_id = ?", (request_id,))
            found = [str(r[0]) for r in rows]
        if found:
            return found
        time.sleep(0.05)
    return []
