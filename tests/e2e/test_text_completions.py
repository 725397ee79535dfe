"""`POST /v1/completions`, the legacy text completions: the real openai SDK through the gateway
to an OpenAI-compatible backend (passed through), governed like chat, one evidence record a
call, and a 400 in OpenAI's shape where no backend of the model serves it."""

from __future__ import annotations

import asyncio
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openai
import pytest

from governance.evidence import StoredRecord
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_anthropic import FakeAnthropic
from tests.support.fake_openai import FakeOpenAI
from tests.support.fake_text_completions import USAGE
from tests.support.openai_spec import SPEC, validate
from tests.support.servers import ServerThread

KEY = "sk-completions-0123456789"


@dataclass
class Gateway:
    url: str
    root: Path
    upstream: FakeOpenAI

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=KEY, max_retries=0)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    fake = FakeOpenAI()
    root = tmp_path_factory.mktemp("completions")
    with ServerThread(fake) as upstream, ServerThread(FakeAnthropic()) as claude:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: [gpt-3.5-turbo-instruct]}}
                  - {{name: claude, kind: anthropic, base_url: "{claude.url}",
                      api_key: a, models: [claude-echo]}}
                  - {{name: mock, kind: mock, models: [mock-model]}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                evidence: {{store: "sqlite:///evidence.db", hmac_key: completions-key-0123456789}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield Gateway(server.url, root, fake)


def test_a_prompt_and_its_options_pass_through(gateway: Gateway) -> None:
    raw = gateway.client().completions.with_raw_response.create(
        model="gpt-3.5-turbo-instruct", prompt="Say hi", max_tokens=20, stop=["hi"],
        logprobs=2, echo=True, temperature=0,
    )  # fmt: skip
    answer = raw.parse()
    assert answer.object == "text_completion" and len(answer.choices) == 1
    assert answer.choices[0].text == "Say hi echo: Say "  # echoed, cut at the stop
    assert answer.choices[0].logprobs is not None and answer.choices[0].logprobs.tokens
    assert answer.usage is not None and answer.usage.total_tokens == USAGE["total_tokens"]
    sent = gateway.upstream.received[-1]
    assert sent.path == "/v1/completions" and sent.body["logprobs"] == 2
    assert raw.headers["x-metaqore-route"] == "up/gpt-3.5-turbo-instruct"
    if SPEC.exists():  # what went up and what came back, as OpenAI's spec writes them
        validate("CreateCompletionRequest", sent.body)
        validate("CreateCompletionResponse", answer.model_dump(exclude_unset=True))
    records = _records(gateway, raw.headers["x-request-id"])
    assert len(records) == 1
    fields = records[0].fields()
    assert fields["endpoint"] == "completions" and fields["status"] == 200
    assert (fields["tokens_in"], fields["tokens_out"]) == (6, 4)


def test_a_list_of_prompts_and_n(gateway: Gateway) -> None:
    answer = gateway.client().completions.create(
        model="gpt-3.5-turbo-instruct", prompt=["one", "two"], n=2
    )
    assert [c.index for c in answer.choices] == [0, 1, 2, 3]
    assert [c.text for c in answer.choices] == [" echo: one"] * 2 + [" echo: two"] * 2


def test_streamed(gateway: Gateway) -> None:
    stream = gateway.client().completions.create(
        model="gpt-3.5-turbo-instruct", prompt=["one", "two"], stream=True
    )
    texts: dict[int, str] = {}
    finishes = {}
    for chunk in stream:
        for choice in chunk.choices:
            texts[choice.index] = texts.get(choice.index, "") + choice.text
            if choice.finish_reason:
                finishes[choice.index] = choice.finish_reason
        assert chunk.usage is None  # asked for upstream, not by this client: not passed on
    assert texts == {0: " echo: one", 1: " echo: two"} and finishes == {0: "stop", 1: "stop"}
    assert gateway.upstream.received[-1].body["stream_options"] == {"include_usage": True}
    with_usage = gateway.client().completions.create(
        model="gpt-3.5-turbo-instruct", prompt="x", stream=True,
        stream_options={"include_usage": True},
    )  # fmt: skip
    last = list(with_usage)[-1]
    assert last.usage is not None and last.usage.completion_tokens == USAGE["completion_tokens"]


@pytest.mark.parametrize("model", ["claude-echo", "mock-model"])
def test_a_backend_that_cannot_serve_it_is_a_400(gateway: Gateway, model: str) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        gateway.client().completions.create(model=model, prompt="x")
    assert refused.value.code == "unsupported_endpoint"


def test_a_malformed_body_is_a_400(gateway: Gateway) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        gateway.client().completions.create(model="gpt-3.5-turbo-instruct", prompt=None)  # type: ignore[arg-type]
    assert refused.value.param == "prompt"


def _records(gateway: Gateway, request_id: str) -> list[StoredRecord]:
    async def read() -> list[StoredRecord]:
        store = SQLiteEvidenceStore(gateway.root / "evidence.db")
        try:
            return [r async for r in store.since(None) if r.request_id == request_id]
        finally:
            await store.aclose()

    deadline = time.monotonic() + 10
    while True:
        records = asyncio.run(read())
        if records or time.monotonic() > deadline:
            return records
        time.sleep(0.1)


def test_the_azure_style_path(gateway: Gateway) -> None:
    client = openai.AzureOpenAI(
        azure_endpoint=gateway.url, api_key=KEY, api_version="2024-10-21", max_retries=0
    )
    answer = client.completions.create(model="gpt-3.5-turbo-instruct", prompt="hey")
    assert answer.choices[0].text == " echo: hey"
    assert gateway.upstream.received[-1].path == "/v1/completions"
