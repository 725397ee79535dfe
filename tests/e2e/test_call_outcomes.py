"""Outcomes that tell the truth: a client that leaves a non-streamed call cancels the upstream
request and is recorded as gone; a stream carrying an event no client could read ends with an
error event (the SDKs raise their API error, not a decoding error), is recorded as failed and
is never cached. The real SDKs, the real gateway, the ledger read back."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import TEXT
from tests.support.fault_upstream import BAD_EVENTS, FaultyUpstream
from tests.support.ledger import records_for
from tests.support.servers import ServerThread, eventually

KEY = "sk-outcomes-0123456789"


@dataclass
class Gateway:
    url: str
    fake: FaultyUpstream
    ledger: Path

    def openai(self, **kw: Any) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=KEY, max_retries=0, **kw)

    def anthropic(self, **kw: Any) -> anthropic.Anthropic:
        return anthropic.Anthropic(base_url=self.url, api_key=KEY, max_retries=0, **kw)

    def records(self, *request_ids: str) -> dict[str, Any]:
        found = records_for(self.ledger, set(request_ids))
        assert set(found) == set(request_ids)
        return found


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    root = tmp_path_factory.mktemp("outcomes")
    fake = FaultyUpstream()
    models = ["hold", "gpt-4o-mini", *BAD_EVENTS]
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: {models}, read_timeout_s: 60}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                evidence: {{store: "sqlite:///evidence.db", hmac_key: outcomes-key-0123456789}}
                cache: {{enabled: true}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield Gateway(server.url, fake, root / "evidence.db")


def _user(text: str) -> list[Any]:
    return [{"role": "user", "content": text}]


@pytest.mark.parametrize("dialect", ["openai", "anthropic"])
def test_a_client_that_leaves_a_whole_answer_cancels_the_upstream(
    gateway: Gateway, dialect: str
) -> None:
    request_id = f"leaves-{dialect}-{uuid.uuid4().hex[:8]}"
    closed = gateway.fake.closed["hold"]
    headers = {"x-request-id": request_id}
    # The client gives up after a second; the upstream would answer after twenty.
    if dialect == "openai":
        with pytest.raises(openai.APITimeoutError):
            gateway.openai(timeout=1.0).chat.completions.create(
                model="hold", messages=_user("hi"), extra_headers=headers
            )
    else:
        with pytest.raises(anthropic.APITimeoutError):
            gateway.anthropic(timeout=1.0).messages.create(
                model="hold", max_tokens=10, messages=_user("hi"), extra_headers=headers
            )
    eventually(lambda: gateway.fake.closed["hold"] == closed + 1)
    record = gateway.records(request_id)[request_id]
    assert (record["outcome"], record["status"]) == ("client_disconnected", 499)


@pytest.mark.parametrize(
    ("model", "code"),
    [
        ("bad-json", "bad_upstream_response"),
        ("bad-utf8", "bad_upstream_response"),
        ("not-object", "bad_upstream_response"),
        ("error-event", "overloaded"),
    ],
)
def test_an_unreadable_or_error_event_ends_the_stream_with_an_error(
    gateway: Gateway, model: str, code: str
) -> None:
    stream = gateway.openai().chat.completions.create(
        model=model, messages=_user("hi"), stream=True
    )
    pieces = []
    with pytest.raises(openai.APIError) as caught:
        pieces.extend(c.choices[0].delta.content for c in stream if c.choices)
    assert type(caught.value) is openai.APIError and caught.value.code == code
    assert pieces == ["", "Hel"]  # the two good chunks before it, nothing after
    request_id = stream.response.headers["x-request-id"]
    record = gateway.records(request_id)[request_id]
    assert (record["outcome"], record["status"], record["error_code"]) == (
        "stream_failed", 502, code,
    )  # fmt: skip


@pytest.mark.parametrize("model", ["bad-json", "bad-utf8"])
def test_the_messages_dialect_ends_such_a_stream_with_its_error_event(
    gateway: Gateway, model: str
) -> None:
    with (
        pytest.raises(anthropic.APIStatusError) as caught,
        gateway.anthropic().messages.stream(
            model=model, max_tokens=10, messages=_user("hi")
        ) as stream,
    ):
        list(stream.text_stream)
    body = caught.value.body
    assert isinstance(body, dict) and body["error"]["type"] == "api_error"
    request_id = caught.value.response.headers["x-request-id"]
    assert gateway.records(request_id)[request_id]["outcome"] == "stream_failed"


def test_a_stream_that_failed_is_never_cached(gateway: Gateway) -> None:
    client = gateway.openai()
    messages = _user(f"cache me {uuid.uuid4().hex}")
    arrived = gateway.fake.arrived["bad-json"]
    for _ in range(2):
        stream = client.chat.completions.create(
            model="bad-json", messages=messages, temperature=0, stream=True
        )
        with pytest.raises(openai.APIError):
            list(stream)
        assert stream.response.headers["x-metaqore-cache"] == "miss"
    # The same call, not streamed: the upstream answers it whole, not a broken cache entry.
    raw = client.chat.completions.with_raw_response.create(
        model="bad-json", messages=messages, temperature=0
    )
    assert raw.headers["x-metaqore-cache"] == "miss"
    assert raw.parse().choices[0].message.content == TEXT
    assert gateway.fake.arrived["bad-json"] == arrived + 3
