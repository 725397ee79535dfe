"""`POST /v1/responses` passed to backends that speak the Responses API themselves
(`responses: native`): the openai SDK through the gateway to a fake upstream answering in the
Responses wire format. Governed as the translated path is; the gateway keeps the state, so
the upstream is asked with `store: false` and the whole conversation; fallback crosses
between native and translated backends."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import TEXT as CHAT_TEXT
from tests.support.fake_openai import FakeOpenAI, Received
from tests.support.fake_responses import REFUSAL, TEXT, TOOL_ARGS
from tests.support.ledger import records_for
from tests.support.openai_spec import streamed_response_events, validate
from tests.support.servers import ServerThread

KEY = "sk-native-0123456789"
PSEUDO = "sk-native-pseudo-0123456789"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


class Native:
    def __init__(self, fake: FakeOpenAI, url: str, root: Path) -> None:
        self.fake, self.url, self.root = fake, url, root

    def client(self, key: str = KEY) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=key, max_retries=0)

    def last(self) -> Received:
        return self.fake.received[-1]

    def events(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        return streamed_response_events(self.url, KEY, body)


@pytest.fixture(scope="module")
def native(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Native]:
    fake = FakeOpenAI()
    root = tmp_path_factory.mktemp("responses-native")
    (root / "policies/orgs").mkdir(parents=True)
    (root / "policies/orgs/pseudo.yaml").write_text("sensitivity: {types: {EMAIL: pseudonymize}}\n")
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: native, kind: openai, base_url: "{upstream.url}/n/v1", api_key: k,
                      responses: native,
                      models: [gpt-native, echo, fail-mid-stream, failed, whole-items, flaky,
                              cut-stream, refusal]}}
                  - {{name: plain, kind: openai, base_url: "{upstream.url}/t/v1", api_key: k,
                      models: [flaky]}}
                  - {{name: az, kind: azure, base_url: "{upstream.url}/az", api_key: azk,
                      responses: native, models: [gpt-az], deployments: {{gpt-az: dep-1}}}}
                aliases:
                  plain-first: [plain/flaky, native/flaky]
                keys:
                  - {{key: {KEY}, org: acme, name: app}}
                  - {{key: {PSEUDO}, org: pseudo, name: pseudo}}
                governance: {{policies: policies}}
                evidence: {{hmac_key: native-test-key-0123456789}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield Native(fake, server.url, root)


def test_a_call_goes_to_the_upstreams_responses_api_stateless(native: Native) -> None:
    made = native.client().responses.create(
        model="gpt-native", input="Say hello", instructions="Be brief.", temperature=0.3,
        max_output_tokens=64, metadata={"ticket": "T-9"}, reasoning={"summary": "auto"},
        truncation="auto",
    )  # fmt: skip
    assert made.output_text == TEXT and made.status == "completed"
    assert made.id.startswith("resp_") and made.id != "resp_fakenative1"  # the gateway's own
    assert made.usage is not None and made.usage.total_tokens == 16
    assert made.metadata == {"ticket": "T-9"} and made.instructions == "Be brief."
    sent = native.last()
    assert sent.path == "/n/v1/responses"
    validate("CreateResponse", {**sent.body, "input": "x"})  # items: see the unit tests
    assert sent.body == {
        "model": "gpt-native", "store": False, "instructions": "Be brief.",
        "input": [{"type": "message", "role": "user",
                   "content": [{"type": "input_text", "text": "Say hello"}]}],
        "temperature": 0.3, "max_output_tokens": 64, "reasoning": {"summary": "auto"},
        "truncation": "auto",
    }  # fmt: skip
    raw = httpx.post(
        f"{native.url}/v1/responses", headers={"authorization": f"Bearer {KEY}"},
        json={"model": "gpt-native", "input": "hi"},
    )  # fmt: skip
    assert raw.headers["x-metaqore-route"] == "native/gpt-native"
    validate("Response", raw.json())


def test_previous_turns_come_from_the_gateways_store(native: Native) -> None:
    client = native.client()
    first = client.responses.create(model="gpt-native", input="Remember blue.")
    second = client.responses.create(
        model="gpt-native", input="What colour?", previous_response_id=first.id
    )
    assert second.previous_response_id == first.id
    sent = native.last().body
    assert "previous_response_id" not in sent and sent["store"] is False
    assert sent["input"] == [
        {"type": "message", "role": "user",
         "content": [{"type": "input_text", "text": "Remember blue."}]},
        {"type": "message", "role": "assistant", "content": TEXT},
        {"type": "message", "role": "user",
         "content": [{"type": "input_text", "text": "What colour?"}]},
    ]  # fmt: skip
    assert client.responses.retrieve(second.id).output_text == TEXT


def test_a_streamed_tool_round_trip(native: Native) -> None:
    events = native.events({"model": "gpt-native", "input": "Weather?", "tools": [WEATHER]})
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed"
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    done = next(e for e in events if e["type"] == "response.function_call_arguments.done")
    assert done["arguments"] == TOOL_ARGS and done["name"] == "get_weather"
    made = events[-1]["response"]
    call = made["output"][0]
    assert call["type"] == "function_call" and call["call_id"] == "call_fake1"
    assert native.last().body["stream"] is True
    assert native.last().body["tools"] == [{**WEATHER, "strict": None}]
    with native.client().responses.stream(
        model="gpt-native", previous_response_id=made["id"], tools=[WEATHER],  # type: ignore[list-item]
        input=[{"type": "function_call_output", "call_id": call["call_id"], "output": "21 C"}],
    ) as stream:  # fmt: skip
        streamed = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
        final = stream.get_final_response()
    assert streamed == final.output_text == TEXT and final.usage is not None
    assert native.last().body["input"][-2:] == [
        {"type": "function_call", "call_id": "call_fake1", "name": "get_weather",
         "arguments": TOOL_ARGS},
        {"type": "function_call_output", "call_id": "call_fake1", "output": "21 C"},
    ]  # fmt: skip


def test_items_sent_whole_without_deltas_still_reach_the_client(native: Native) -> None:
    events = native.events({"model": "whole-items", "input": "hi"})
    deltas = [e["delta"] for e in events if e["type"] == "response.output_text.delta"]
    assert "".join(deltas) == TEXT == events[-1]["response"]["output"][0]["content"][0]["text"]


def test_pseudonyms_go_up_and_come_back_restored(native: Native) -> None:
    client = native.client(PSEUDO)
    whole = client.responses.create(model="echo", input="Mail alice@example.com")
    assert whole.output_text == "Mail alice@example.com"
    assert "alice@example.com" not in native.last().raw.decode()
    assert "<EMAIL_1>" in native.last().raw.decode()
    with client.responses.stream(model="echo", input="Write to bob@example.com") as stream:
        streamed = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
    assert streamed == "Write to bob@example.com"
    assert "bob@example.com" not in native.last().raw.decode()


def test_a_failure_mid_stream_ends_with_error_and_failed(native: Native) -> None:
    events = native.events({"model": "fail-mid-stream", "input": "hi"})
    assert [e["type"] for e in events][-2:] == ["error", "response.failed"]
    assert events[-1]["response"]["status"] == "failed"
    with pytest.raises(openai.InternalServerError):
        native.client().responses.create(model="failed", input="hi")
    cut = native.events({"model": "cut-stream", "input": "hi"})
    assert [e["type"] for e in cut][-2:] == ["error", "response.failed"]
    assert cut[-2]["code"] == cut[-1]["response"]["error"]["code"] == "server_error"
    assert "ended the stream before" in cut[-2]["message"]


def test_fallback_crosses_between_native_and_translated(native: Native) -> None:
    client = native.client()
    native.fake.flaky_down = "/n/"
    try:
        made = client.responses.create(model="flaky", input="hi")  # native first, failing
        assert made.output_text == CHAT_TEXT
        assert native.last().path == "/t/v1/chat/completions"
        native.fake.flaky_down = "/t/"
        with client.responses.stream(model="plain-first", input="hi") as stream:
            assert stream.get_final_response().output_text == TEXT
        assert native.last().path == "/n/v1/responses"
    finally:
        native.fake.flaky_down = False


def test_a_conversation_moves_between_native_and_translated_backends(native: Native) -> None:
    client = native.client()
    first = client.responses.create(model="gpt-native", input="Remember green.")
    second = client.responses.create(
        model="plain-first", input="Colour?", previous_response_id=first.id
    )  # served by the translated backend, from the turn the native one answered
    assert native.last().path == "/t/v1/chat/completions"
    assert native.last().body["messages"] == [
        {"role": "user", "content": "Remember green."},
        {"role": "assistant", "content": TEXT},
        {"role": "user", "content": "Colour?"},
    ]
    client.responses.create(model="gpt-native", input="Sure?", previous_response_id=second.id)
    assert native.last().path == "/n/v1/responses"
    assert [item["role"] for item in native.last().body["input"]] == [
        "user", "assistant", "user", "assistant", "user",
    ]  # fmt: skip


def test_azure_v1_responses_names_the_deployment(native: Native) -> None:
    made = native.client().responses.create(model="gpt-az", input="hi")
    assert made.output_text == TEXT and made.model == "gpt-az"
    sent = native.last()
    assert sent.path == "/az/openai/v1/responses" and sent.query == ""
    assert sent.body["model"] == "dep-1" and sent.headers["api-key"] == "azk"


def test_each_call_is_one_evidence_record_of_the_responses_endpoint(native: Native) -> None:
    calls = {"native-ev-whole": {}, "native-ev-stream": {"stream": True}}
    for request_id, extra in calls.items():
        answer = httpx.post(
            f"{native.url}/v1/responses",
            headers={"authorization": f"Bearer {KEY}", "x-request-id": request_id},
            json={"model": "gpt-native", "input": "hi", **extra},
        )  # fmt: skip
        assert answer.status_code == 200
    records = records_for(native.root / "metaqore-evidence.db", set(calls))
    assert {r["endpoint"] for r in records.values()} == {"responses"}
    assert {r["route"] for r in records.values()} == {"native/gpt-native"}
    assert all(r["tokens_in"] == 11 and r["tokens_out"] == 5 for r in records.values())


def test_a_native_answer_is_scanned_and_masked(tmp_path: Path) -> None:
    fake = FakeOpenAI()
    (tmp_path / "policies/orgs").mkdir(parents=True)
    (tmp_path / "policies/orgs/acme.yaml").write_text(
        "sensitivity: {types: {EMAIL: redact, US_SSN: redact}}\n"
    )
    with ServerThread(fake) as upstream:
        (tmp_path / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: native, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      responses: native, models: [leaky]}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                governance: {{policies: policies, scan_responses: true}}
                evidence: {{hmac_key: native-scan-key-0123456789}}
            """)
        )
        with ServerThread(create_app(load_config(tmp_path / "gateway.yaml"))) as server:
            client = Native(fake, server.url, tmp_path).client()
            whole = client.responses.create(model="leaky", input="x").output_text
            assert "123-45-6789" not in whole and "[REDACTED_US_SSN]" in whole
            made = client.responses.create(model="leaky", input="x")
            stored = client.responses.retrieve(made.id).output_text
            assert "123-45-6789" not in stored and "jane@example.com" not in stored
            streamed = client.responses.create(model="leaky", input="x", stream=True)
            final = next(e for e in streamed if e.type == "response.completed").response  # type: ignore[union-attr]
            stored = client.responses.retrieve(final.id).output_text
            assert "123-45-6789" not in stored and "[REDACTED_EMAIL]" in stored


def test_a_canary_in_the_other_item_kinds_goes_up_masked(native: Native) -> None:
    canary = "canary.native@example.org"  # the pseudo org pseudonymizes emails
    items = [
        {"role": "system", "content": f"system {canary}"},
        {"role": "developer", "content": [{"type": "input_text", "text": f"dev {canary}"}]},
        {"role": "assistant", "content": f"said {canary}"},
        {"type": "message", "role": "assistant",
         "content": [{"type": "output_text", "text": f"wrote {canary}", "annotations": []}]},
        {"type": "message", "role": "assistant",
         "content": [{"type": "refusal", "refusal": f"refused {canary}"}]},
        {"role": "user", "content": [
            {"type": "input_image", "image_url": f"https://example.com/a.png?who={canary}"},
            {"type": "input_file", "filename": f"from {canary} notes.txt",
             "file_data": "data:text/plain;base64,aGk="},
        ]},
    ]  # fmt: skip
    native.client(PSEUDO).responses.create(model="gpt-native", input=items)  # type: ignore[arg-type]
    sent = native.last().raw.decode()
    assert canary not in sent and sent.count("<EMAIL_1>") == 7


def test_included_logprobs_pass_through_whole_streamed_and_in_whole_items(native: Native) -> None:
    include = ["message.output_text.logprobs"]
    client = native.client()
    whole = client.responses.create(
        model="gpt-native", input="hi", include=include, top_logprobs=2  # type: ignore[list-item]
    )
    assert native.last().body["include"] == include and native.last().body["top_logprobs"] == 2
    tokens = whole.output[0].content[0].logprobs  # type: ignore[union-attr]
    assert tokens and "".join(t.token for t in tokens) == whole.output_text == TEXT
    assert [len(t.top_logprobs) for t in tokens] == [2] * len(tokens)
    body = {"model": "gpt-native", "input": "hi", "include": include, "top_logprobs": 2}
    events = native.events(body)  # each checked against the spec
    deltas = [e for e in events if e["type"] == "response.output_text.delta"]
    assert ["".join(t["token"] for t in e["logprobs"]) for e in deltas] == [
        e["delta"] for e in deltas
    ]
    final = events[-1]["response"]["output"][0]["content"][0]
    assert [t["token"] for t in final["logprobs"]] == [t.token for t in tokens]
    items = native.events({**body, "model": "whole-items"})  # no deltas upstream
    final = items[-1]["response"]["output"][0]["content"][0]
    assert "".join(t["token"] for t in final["logprobs"]) == final["text"]
    plain = client.responses.create(model="gpt-native", input="hi")
    assert "include" not in native.last().body and plain.output[0].content[0].logprobs == []  # type: ignore[union-attr]


def test_a_native_refusal_is_a_refusal_part_with_pseudonyms_restored(native: Native) -> None:
    client = native.client(PSEUDO)
    whole = client.responses.create(model="refusal", input="Mail ann@example.org")
    assert "ann@example.org" not in native.last().raw.decode()
    said = REFUSAL + "Mail ann@example.org"
    assert whole.output[0].content[0].type == "refusal"
    assert whole.output[0].content[0].refusal == said  # type: ignore[union-attr]
    with client.responses.stream(model="refusal", input="Mail ann@example.org") as stream:
        kinds = [e.type for e in stream]
        final = stream.get_final_response()
    assert "response.refusal.delta" in kinds and "response.refusal.done" in kinds
    assert final.output[0].content[0].refusal == said  # type: ignore[union-attr]
    events = native.events({"model": "refusal", "input": "hi"})  # each checked by the spec
    assert events[3]["part"] == {"type": "refusal", "refusal": ""}
