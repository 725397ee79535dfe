"""`POST /v1/responses`: the real openai SDK's `responses` calls through the gateway, served by
a chat-completions upstream, governed by the same chain, with stored state."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from pydantic import BaseModel

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import TEXT, TOOL_ARGS, FakeOpenAI
from tests.support.ledger import records_for
from tests.support.openai_spec import streamed_response_events, validate
from tests.support.servers import ServerThread

KEY = "sk-responses-0123456789"
OTHER = "sk-responses-other-0123456789"
PSEUDO = "sk-responses-pseudo-0123456789"  # an org whose policy pseudonymizes emails
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}
SECRET = "AKIAIOSFODNN7EXAMPLE"  # blocked by the org's policy
EMAIL = "canary.person@example.org"  # redacted by it


def raw_events(gateway: Gateway, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The stream's events as the gateway wrote them, each checked against its SSE name."""
    return streamed_response_events(gateway.url, KEY, body)


class Gateway:
    def __init__(self, fake: FakeOpenAI, url: str, root: Path) -> None:
        self.fake, self.url, self.root = fake, url, root

    def client(self, key: str = KEY) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=key, max_retries=0)

    def sent(self) -> dict[str, Any]:
        return self.fake.received[-1].body


def write_config(root: Path, upstream: str, extra: str = "") -> Path:
    (root / "policies/orgs").mkdir(parents=True, exist_ok=True)
    (root / "policies/orgs/acme.yaml").write_text(
        "sensitivity: {types: {SECRET: block, EMAIL: redact}}\n"
    )
    (root / "policies/orgs/pseudo.yaml").write_text("sensitivity: {types: {EMAIL: pseudonymize}}\n")
    config = root / "gateway.yaml"
    config.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: up, kind: openai, base_url: "{upstream}/v1", api_key: k,
                  models: [gpt-4o-mini, echo, reset-mid-stream, refusal]}}
              - {{name: native, kind: openai, base_url: "{upstream}/n/v1", api_key: k,
                  responses: native, models: [gpt-4o-mini]}}
            aliases:
              native-mini: [native/gpt-4o-mini]
            keys:
              - {{key: {KEY}, org: acme, name: app}}
              - {{key: {OTHER}, org: acme, name: other}}
              - {{key: {PSEUDO}, org: pseudo, name: pseudo}}
            governance: {{policies: policies}}
            evidence: {{hmac_key: responses-test-key-0123456789}}
        """)
        + extra
    )
    return config


@contextmanager
def serving(
    root: Path, write: Callable[[Path, str], Path] = write_config
) -> Iterator[Gateway]:
    """A gateway, configured by `write`, in front of a fake upstream."""
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        config = write(root, upstream.url)
        with ServerThread(create_app(load_config(config))) as server:
            yield Gateway(fake, server.url, root)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with serving(tmp_path_factory.mktemp("responses")) as served:
        yield served


def test_a_string_input_answers_a_response_object(gateway: Gateway) -> None:
    response = gateway.client().responses.create(
        model="gpt-4o-mini", input="Say hello", instructions="Be brief.", temperature=0.2,
        max_output_tokens=50, metadata={"ticket": "T-1"},
    )  # fmt: skip
    assert response.output_text == TEXT
    assert response.status == "completed" and response.object == "response"
    assert response.usage is not None and response.usage.input_tokens == 11
    assert response.usage.output_tokens == 5 and response.usage.total_tokens == 16
    assert response.instructions == "Be brief." and response.metadata == {"ticket": "T-1"}
    sent = gateway.sent()
    assert sent["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Say hello"},
    ]
    assert sent["temperature"] == 0.2 and sent["max_completion_tokens"] == 50
    assert "metadata" not in sent  # judged and stored, never sent upstream
    raw = httpx.post(
        f"{gateway.url}/v1/responses", headers={"authorization": f"Bearer {KEY}"},
        json={"model": "gpt-4o-mini", "input": "hi", "instructions": "Be brief."},
    )  # fmt: skip
    validate("Response", raw.json())


def test_items_input_with_parts_and_roles(gateway: Gateway) -> None:
    response = gateway.client().responses.create(
        model="gpt-4o-mini",
        input=[
            {"role": "developer", "content": "Answer in English."},
            {
                "type": "message",
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "What is in this image?"},
                    {"type": "input_image", "image_url": "https://example.com/a.png",
                     "detail": "low"},
                ],
            },
        ],
    )  # fmt: skip
    assert response.output_text == TEXT
    assert gateway.sent()["messages"] == [
        {"role": "developer", "content": "Answer in English."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this image?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png",
                                                    "detail": "low"}},
            ],
        },
    ]  # fmt: skip


def test_async_client(gateway: Gateway) -> None:
    async def run() -> str:
        client = openai.AsyncOpenAI(base_url=f"{gateway.url}/v1", api_key=KEY, max_retries=0)
        async with client:
            response = await client.responses.create(model="gpt-4o-mini", input="hi")
            return response.output_text

    assert asyncio.run(run()) == TEXT


def test_stream_events_follow_the_spec(gateway: Gateway) -> None:
    events = list(gateway.client().responses.create(model="gpt-4o-mini", input="hi", stream=True))
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[2:4] == ["response.output_item.added", "response.content_part.added"]
    assert kinds[-4:] == [
        "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed",
    ]  # fmt: skip
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert "".join(deltas) == TEXT
    assert [e.sequence_number for e in events] == list(range(len(events)))
    final = events[-1].response  # type: ignore[union-attr]
    assert final.output_text == TEXT and final.usage is not None
    assert final.usage.total_tokens == 16
    raw = raw_events(gateway, {"model": "gpt-4o-mini", "input": "hi"})
    assert [e["type"] for e in raw] == kinds
    with gateway.client().responses.stream(model="gpt-4o-mini", input="hi") as stream:
        text = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
        assert stream.get_final_response().output_text == text == TEXT


def test_streamed_tool_call_events_follow_the_spec(gateway: Gateway) -> None:
    events = list(
        gateway.client().responses.create(
            model="gpt-4o-mini", input="Weather in Paris?", tools=[WEATHER], stream=True,  # type: ignore[list-item]
        )
    )  # fmt: skip
    raw = raw_events(gateway, {"model": "gpt-4o-mini", "input": "x", "tools": [WEATHER]})
    assert [e["type"] for e in raw] == [e.type for e in events]
    done = next(e for e in events if e.type == "response.function_call_arguments.done")
    assert done.arguments == TOOL_ARGS and done.name == "get_weather"  # type: ignore[union-attr]
    final = events[-1].response  # type: ignore[union-attr]
    assert final.output[0].type == "function_call" and final.output[0].arguments == TOOL_ARGS


class Weather(BaseModel):
    city: str
    temperature: int


def test_parse_with_a_pydantic_model(gateway: Gateway) -> None:
    parsed = gateway.client().responses.parse(
        model="echo", input='{"city": "Paris", "temperature": 21}', text_format=Weather
    )
    assert parsed.output_parsed == Weather(city="Paris", temperature=21)
    fmt = gateway.sent()["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "Weather"
    assert fmt["json_schema"]["schema"]["properties"]["city"] == {"title": "City", "type": "string"}


def test_a_function_tool_round_trip(gateway: Gateway) -> None:
    client = gateway.client()
    first = client.responses.create(
        model="gpt-4o-mini",
        input="Weather in Paris?",
        tools=[WEATHER],  # type: ignore[list-item]
    )
    call = first.output[0]
    assert call.type == "function_call" and call.name == "get_weather"
    assert json.loads(call.arguments) == {"city": "Paris", "unit": "celsius"}
    sent = gateway.sent()
    assert sent["tools"] == [
        {"type": "function", "function": {k: v for k, v in WEATHER.items() if k != "type"}}
    ]
    second = client.responses.create(
        model="gpt-4o-mini", previous_response_id=first.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "21 C"}],
    )  # fmt: skip
    assert second.output_text == TEXT and second.previous_response_id == first.id
    assert gateway.sent()["messages"] == [
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_fake1", "type": "function",
             "function": {"name": "get_weather", "arguments": TOOL_ARGS}}]},
        {"role": "tool", "tool_call_id": "call_fake1", "content": "21 C"},
    ]  # fmt: skip
    # Without the stored state: the whole conversation as items.
    client.responses.create(
        model="gpt-4o-mini",
        input=[
            {"role": "user", "content": "Weather in Paris?"},
            {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c1", "output": "21 C"},
        ],
    )
    assert gateway.sent()["messages"][1]["tool_calls"][0]["id"] == "c1"


def test_stored_responses_get_delete_and_input_items(gateway: Gateway) -> None:
    client = gateway.client()
    made = client.responses.create(model="gpt-4o-mini", input="Remember me")
    got = client.responses.retrieve(made.id)
    assert got.id == made.id and got.output_text == TEXT
    items = client.responses.input_items.list(made.id)
    assert [i.type for i in items.data] == ["message"]
    assert items.data[0].content[0].text == "Remember me"  # type: ignore[union-attr]
    with pytest.raises(openai.NotFoundError):
        gateway.client(OTHER).responses.retrieve(made.id)
    with pytest.raises(openai.NotFoundError):
        gateway.client(OTHER).responses.create(
            model="gpt-4o-mini", input="next", previous_response_id=made.id
        )
    with pytest.raises(openai.NotFoundError):
        gateway.client(OTHER).responses.delete(made.id)
    client.responses.delete(made.id)
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(made.id)
    unstored = client.responses.create(model="gpt-4o-mini", input="x", store=False)
    assert unstored.store is False
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(unstored.id)


def test_stored_content_is_sealed(gateway: Gateway) -> None:
    marker = "plain-marker-7d1f"
    gateway.client().responses.create(model="gpt-4o-mini", input=f"note {marker}")
    with sqlite3.connect(gateway.root / "metaqore-evidence.db") as db:
        rows = db.execute("SELECT owner, sealed FROM metaqore_responses").fetchall()
    assert rows and all(marker.encode() not in bytes(sealed) for _, sealed in rows)


def test_built_in_tools_are_a_clear_400(gateway: Gateway) -> None:
    before = len(gateway.fake.received)
    for tool in ({"type": "web_search"}, {"type": "file_search", "vector_store_ids": ["v"]},
                 {"type": "code_interpreter", "container": {"type": "auto"}}):  # fmt: skip
        with pytest.raises(openai.BadRequestError) as error:
            gateway.client().responses.create(model="gpt-4o-mini", input="x", tools=[tool])  # type: ignore[list-item]
        body = error.value.body
        assert isinstance(body, dict) and body["code"] == "unsupported_tool"
        assert body["param"] == "tools[0].type" and tool["type"] in body["message"]
    assert len(gateway.fake.received) == before


def test_a_mid_stream_failure_ends_with_error_and_failed(gateway: Gateway) -> None:
    events = list(
        gateway.client().responses.create(model="reset-mid-stream", input="x", stream=True)
    )
    kinds = [e.type for e in events]
    assert kinds[-2:] == ["error", "response.failed"]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    raw = raw_events(gateway, {"model": "reset-mid-stream", "input": "x"})
    assert [e["type"] for e in raw][-2:] == ["error", "response.failed"]


# Every kind of input item, each carrying the canary.
def _items(canary: str) -> list[dict[str, Any]]:
    return [
        {"role": "user", "content": f"plain {canary}"},
        {"type": "message", "role": "user",
         "content": [{"type": "input_text", "text": f"part {canary}"}]},
        {"type": "function_call", "call_id": "c1", "name": "lookup",
         "arguments": json.dumps({"who": canary})},
        {"type": "function_call_output", "call_id": "c1", "output": f"found {canary}"},
        {"type": "function_call_output", "call_id": "c1",
         "output": [{"type": "input_text", "text": f"parts {canary}"}]},
    ]  # fmt: skip


# The same governance whether the backend is translated to or speaks Responses natively.
NATIVE_TOO = pytest.mark.parametrize("model", ["gpt-4o-mini", "native-mini"])


@NATIVE_TOO
def test_a_blocked_canary_in_any_item_never_reaches_the_upstream(
    gateway: Gateway, model: str
) -> None:
    client = gateway.client()
    before = len(gateway.fake.received)
    cases: list[dict[str, Any]] = [{"input": SECRET}, {"input": "x", "instructions": SECRET},
                                   {"input": "x", "metadata": {"k": SECRET}}]  # fmt: skip
    cases += [{"input": [item]} for item in _items(SECRET)]
    for case in cases:
        with pytest.raises(openai.PermissionDeniedError):
            client.responses.create(model=model, **case)
        with pytest.raises(openai.PermissionDeniedError):
            client.responses.create(model=model, stream=True, **case)
    assert len(gateway.fake.received) == before


@NATIVE_TOO
def test_a_redacted_canary_in_any_item_never_reaches_the_upstream(
    gateway: Gateway, model: str
) -> None:
    client = gateway.client()
    first = client.responses.create(
        model=model, input=_items(EMAIL), instructions=f"mail {EMAIL}",
        metadata={"owner": EMAIL},
    )  # fmt: skip
    native = model == "native-mini"
    assert gateway.fake.received[-1].path == ("/n/v1/responses" if native else
                                               "/v1/chat/completions")  # fmt: skip
    assert EMAIL not in gateway.fake.received[-1].raw.decode()
    assert "[REDACTED_EMAIL]" in gateway.fake.received[-1].raw.decode()
    assert first.metadata == {"owner": "[REDACTED_EMAIL]"}  # stored as governance left it
    # The stored turns it continues from hold only the redacted form.
    stored = client.responses.input_items.list(first.id, order="asc")
    assert EMAIL not in stored.model_dump_json() and len(stored.data) == 5
    client.responses.create(
        model=model, input=f"and {EMAIL}", previous_response_id=first.id, stream=True
    ).close()
    assert EMAIL not in gateway.fake.received[-1].raw.decode()
    # 5 earlier input messages and their answer, then this one (instructions not inherited)
    assert len(gateway.sent()["input" if native else "messages"]) == 7


def test_unknown_and_unsupported_fields_are_400(gateway: Gateway) -> None:
    response = httpx.post(
        f"{gateway.url}/v1/responses",
        headers={"authorization": f"Bearer {KEY}"},
        json={"model": "gpt-4o-mini", "input": "x", "frobnicate": 1},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "frobnicate"
    with pytest.raises(openai.BadRequestError):
        gateway.client().responses.create(model="gpt-4o-mini", input="x", background=True)


def test_cancel_answers_as_for_a_response_not_made_in_the_background(gateway: Gateway) -> None:
    client = gateway.client()
    made = client.responses.create(model="gpt-4o-mini", input="hi")
    with pytest.raises(openai.BadRequestError) as error:
        client.responses.cancel(made.id)
    body = error.value.body
    assert isinstance(body, dict) and body["type"] == "invalid_request_error"
    assert body["message"] == "Only responses created with background=true can be cancelled."
    with pytest.raises(openai.NotFoundError):
        gateway.client(OTHER).responses.cancel(made.id)  # another key's: not there at all
    with pytest.raises(openai.BadRequestError) as error:
        client.responses.create(model="gpt-4o-mini", input="x", background=True)
    assert isinstance(error.value.body, dict)
    assert error.value.body["code"] == "unsupported_parameter"
    assert error.value.body["param"] == "background"


def test_each_stored_response_call_is_evidence_without_content(gateway: Gateway) -> None:
    marker = "stored-marker-5c2e"
    made = gateway.client().responses.create(model="gpt-4o-mini", input=f"note {marker}")
    at = f"/v1/responses/{made.id}"
    calls = {  # request id: (method, path, key, status)
        "stored-ev-get": ("GET", at, KEY, 200),
        "stored-ev-items": ("GET", f"{at}/input_items", KEY, 200),
        "stored-ev-cancel": ("POST", f"{at}/cancel", KEY, 400),
        "stored-ev-other": ("GET", at, OTHER, 404),
        "stored-ev-nokey": ("DELETE", at, None, 401),
        "stored-ev-odd": ("GET", "/v1/responses/123-45-6789", KEY, 404),
        "stored-ev-delete": ("DELETE", at, KEY, 200),
        "stored-ev-gone": ("GET", at, KEY, 404),
    }
    for request_id, (method, path, key, status) in calls.items():
        headers = {"x-request-id": request_id}
        if key is not None:
            headers["authorization"] = f"Bearer {key}"
        answer = httpx.request(method, f"{gateway.url}{path}", headers=headers)
        assert answer.status_code == status, request_id
        assert answer.headers["x-request-id"] == request_id
    records = records_for(gateway.root / "metaqore-evidence.db", set(calls))
    assert {r: (records[r]["endpoint"], records[r]["status"]) for r in records} == {
        "stored-ev-get": ("responses.get", 200), "stored-ev-items": ("responses.input_items", 200),
        "stored-ev-cancel": ("responses.cancel", 400), "stored-ev-other": ("responses.get", 404),
        "stored-ev-nokey": ("responses.delete", 401), "stored-ev-odd": ("responses.get", 404),
        "stored-ev-delete": ("responses.delete", 200), "stored-ev-gone": ("responses.get", 404),
    }  # fmt: skip
    assert records["stored-ev-get"]["outcome"] == "completed"
    assert records["stored-ev-other"]["outcome"] == "rejected"
    assert records["stored-ev-gone"]["error_code"] == "response_not_found"
    assert records["stored-ev-get"]["key_id"] != records["stored-ev-other"]["key_id"]
    assert records["stored-ev-nokey"]["key_id"] == "unauthenticated"
    assert {records[r]["route"] for r in records if r != "stored-ev-odd"} == {made.id}
    assert records["stored-ev-odd"]["route"] == "unknown"  # a path is not a place for values
    assert marker not in json.dumps(records) and "123-45-6789" not in json.dumps(records)


def test_one_evidence_record_per_call(gateway: Gateway) -> None:
    headers = {"authorization": f"Bearer {KEY}"}
    calls = {
        "resp-evidence-ok": {"model": "gpt-4o-mini", "input": "hi"},
        "resp-evidence-stream": {"model": "gpt-4o-mini", "input": "hi", "stream": True},
        "resp-evidence-denied": {"model": "gpt-4o-mini", "input": SECRET},
        "resp-evidence-missing": {"model": "gpt-4o-mini", "input": "x",
                                  "previous_response_id": "resp_nope"},
        "resp-evidence-invalid": {"model": "gpt-4o-mini", "input": 3},
    }  # fmt: skip
    statuses = {}
    for request_id, body in calls.items():
        answer = httpx.post(
            f"{gateway.url}/v1/responses",
            json=body,
            headers={**headers, "x-request-id": request_id},
        )
        statuses[request_id] = answer.status_code
    assert statuses == {
        "resp-evidence-ok": 200, "resp-evidence-stream": 200, "resp-evidence-denied": 403,
        "resp-evidence-missing": 404, "resp-evidence-invalid": 400,
    }  # fmt: skip
    records = records_for(gateway.root / "metaqore-evidence.db", set(calls))
    assert {r: records[r]["status"] for r in records} == statuses
    assert records["resp-evidence-denied"]["findings"] == {"SECRET": 1}
    assert records["resp-evidence-stream"]["outcome"] == "completed"
    assert {r["endpoint"] for r in records.values()} == {"responses"}
    assert SECRET not in json.dumps(records)


def test_pseudonyms_are_restored_and_stay_distinct_across_turns(gateway: Gateway) -> None:
    client = gateway.client(PSEUDO)
    first = client.responses.create(model="echo", input="Mail alice@example.com")
    assert first.output_text == "Mail alice@example.com"  # restored for the client
    assert gateway.sent()["messages"][-1]["content"] == "Mail <EMAIL_1>"
    with client.responses.stream(
        model="echo", input="and bob@example.com", previous_response_id=first.id
    ) as stream:
        second = stream.get_final_response()
    assert second.output_text == "and bob@example.com"
    # The stored turns hold placeholders; the new value does not take an earlier one's name.
    assert [m["content"] for m in gateway.sent()["messages"]] == [
        "Mail <EMAIL_1>", "Mail <EMAIL_1>", "and <EMAIL_2>",
    ]  # fmt: skip
    stored = client.responses.retrieve(first.id)
    assert stored.output_text == "Mail <EMAIL_1>"  # as governance let it through


def write_scanning_config(root: Path, upstream: str) -> Path:
    """write_config's, with `governance.scan_responses` on and the `leaky` model served."""
    config = write_config(root, upstream)
    text = config.read_text().replace(
        "governance: {policies: policies}",
        "governance: {policies: policies, scan_responses: true}",
    )
    config.write_text(text.replace("models: [gpt-4o-mini,", "models: [leaky, gpt-4o-mini,"))
    return config


def test_the_stored_answer_is_masked_by_the_output_scan(tmp_path: Path) -> None:
    with serving(tmp_path, write_scanning_config) as served:
        client = served.client()
        whole = client.responses.create(model="leaky", input="x")
        assert "john@example.com" not in whole.output_text  # the client's copy, masked
        streamed = client.responses.create(model="leaky", input="x", stream=True)
        final = next(e for e in streamed if e.type == "response.completed").response  # type: ignore[union-attr]
        for made in (whole, final):
            stored = client.responses.retrieve(made.id).output_text
            assert "[REDACTED_EMAIL]" in stored and "john@example.com" not in stored


def test_input_items_page_through(gateway: Gateway) -> None:
    client = gateway.client()
    made = client.responses.create(model="gpt-4o-mini", input=_items("hello"))
    first = client.responses.input_items.list(made.id, order="asc", limit=2)
    assert len(first.data) == 2 and first.has_more
    every = list(client.responses.input_items.list(made.id, order="asc", limit=2))  # auto-paged
    assert [i.type for i in every] == [
        "message", "message", "function_call", "function_call_output", "function_call_output",
    ]  # fmt: skip
    newest = client.responses.input_items.list(made.id).data
    assert [i.id for i in newest] == [i.id for i in reversed(every)]


def test_with_the_store_off_nothing_is_kept(tmp_path: Path) -> None:
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        config = write_config(tmp_path, upstream.url, "responses: {store: false}\n")
        with ServerThread(create_app(load_config(config))) as server:
            client = Gateway(fake, server.url, tmp_path).client()
            made = client.responses.create(model="gpt-4o-mini", input="x")
            assert made.store is False and made.output_text == TEXT
            with pytest.raises(openai.NotFoundError):
                client.responses.retrieve(made.id)
            with pytest.raises(openai.NotFoundError):
                client.responses.create(
                    model="gpt-4o-mini", input="y", previous_response_id=made.id
                )
