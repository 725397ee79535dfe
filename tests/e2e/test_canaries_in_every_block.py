"""A sensitive value in any place of a Messages or text-completions request never reaches an
upstream in clear: under `block` nothing goes up at all, under `redact` it goes up masked. Both
routes of `/v1/messages` are checked: native to Anthropic, translated to a chat backend."""

from __future__ import annotations

import base64
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import anthropic
import httpx
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_anthropic import FakeAnthropic
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

BLOCKING, REDACTING = "sk-blocks-0123456789", "sk-redacts-0123456789"
PSEUDONYMIZING = "sk-pseudonyms-0123456789"
SECRET = "AKIAIOSFODNN7EXAMPLE"  # blocked for one key's org
EMAIL = "canary.person@example.org"  # redacted for the other's


@dataclass
class Upstreams:
    url: str
    claude: FakeAnthropic
    openai: FakeOpenAI

    def mark(self) -> tuple[int, int]:
        return len(self.claude.received), len(self.openai.received)

    def sent_since(self, mark: tuple[int, int]) -> list[bytes]:
        claude, openai = mark
        return [r.raw for r in self.claude.received[claude:]] + [
            r.raw for r in self.openai.received[openai:]
        ]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upstreams]:
    claude, openai = FakeAnthropic(), FakeOpenAI()
    root = tmp_path_factory.mktemp("canaries")
    (root / "policies/orgs").mkdir(parents=True)
    (root / "policies/orgs/blocks.yaml").write_text("sensitivity: {types: {SECRET: block}}\n")
    (root / "policies/orgs/redacts.yaml").write_text("sensitivity: {types: {EMAIL: redact}}\n")
    (root / "policies/orgs/pseudo.yaml").write_text("sensitivity: {types: {EMAIL: pseudonymize}}\n")
    with ServerThread(claude) as anthropic_up, ServerThread(openai) as openai_up:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: claude, kind: anthropic, base_url: "{anthropic_up.url}",
                      api_key: anthropic-secret, models: [claude-echo]}}
                  - {{name: up, kind: openai, base_url: "{openai_up.url}/v1", api_key: k,
                      models: [gpt-4o-mini, echo, leaky]}}
                keys:
                  - {{key: {BLOCKING}, org: blocks, name: app}}
                  - {{key: {REDACTING}, org: redacts, name: other}}
                  - {{key: {PSEUDONYMIZING}, org: pseudo, name: third}}
                governance: {{policies: policies, scan_responses: true}}
                evidence: {{enabled: false}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield Upstreams(server.url, claude, openai)


def _user(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"role": "user", "content": list(blocks)}


def _text_doc(text: str) -> dict[str, Any]:
    return {
        "type": "document",
        "source": {"type": "text", "media_type": "text/plain", "data": text},
    }


def _b64_doc(text: str) -> dict[str, Any]:
    data = base64.b64encode(text.encode()).decode()
    return {
        "type": "document",
        "source": {"type": "base64", "media_type": "text/plain", "data": data},
    }


def _tool_turns(use: dict[str, Any], result: Any) -> list[dict[str, Any]]:
    call = {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": use}
    answer = {"type": "tool_result", "tool_use_id": "toolu_1", "content": result}
    return [_user({"type": "text", "text": "Look it up"}), {"role": "assistant", "content": [call]},
            _user(answer)]  # fmt: skip


def _tool(description: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"q": {"type": "string", "description": description}}}
    return {"name": "lookup", "description": "Looks things up", "input_schema": schema}


Place = Callable[[str], dict[str, Any]]
# Each place a Messages request can carry text, as the fields it adds to a request.
PLACES: dict[str, Place] = {
    "string content": lambda v: {"messages": [{"role": "user", "content": f"mail {v}"}]},
    "text block": lambda v: {"messages": [_user({"type": "text", "text": f"mail {v}"})]},
    "system string": lambda v: {"system": f"Owner {v}",
                                "messages": [_user({"type": "text", "text": "hi"})]},
    "system block": lambda v: {"system": [{"type": "text", "text": f"Owner {v}"}],
                               "messages": [_user({"type": "text", "text": "hi"})]},
    "text document": lambda v: {"messages": [_user(_text_doc(f"memo {v}"))]},
    "base64 text document": lambda v: {"messages": [_user(_b64_doc(f"memo {v}"))]},
    "content document": lambda v: {"messages": [_user({"type": "document", "source": {
        "type": "content", "content": [{"type": "text", "text": f"memo {v}"}]}})]},
    "tool input": lambda v: {"messages": _tool_turns({"q": f"mail {v}"}, "ok")},
    "tool result": lambda v: {"messages": _tool_turns({"q": "x"}, f"owner {v}")},
    "tool result blocks": lambda v: {"messages": _tool_turns(
        {"q": "x"}, [{"type": "text", "text": f"owner {v}"}, _text_doc(f"memo {v}")])},
    "thinking": lambda v: {"messages": [
        _user({"type": "text", "text": "hi"}),
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": f"owner is {v}", "signature": "c2ln"},
            {"type": "text", "text": "ok"}]},
        _user({"type": "text", "text": "go on"})]},
    "tool definition": lambda v: {"tools": [_tool(f"mail {v}")],
                                  "messages": [_user({"type": "text", "text": "hi"})]},
    "metadata": lambda v: {"metadata": {"user_id": f"u {v}"},
                           "messages": [_user({"type": "text", "text": "hi"})]},
    "stop sequence": lambda v: {"stop_sequences": [f"{v}"],
                                "messages": [_user({"type": "text", "text": "hi"})]},
}  # fmt: skip
MODELS = ["claude-echo", "gpt-4o-mini"]


def _post(url: str, path: str, key: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{url}{path}", json=body, headers={"x-api-key": key, "authorization": f"Bearer {key}"}
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("place", PLACES)
def test_a_blocked_value_goes_nowhere(gateway: Upstreams, place: str, model: str) -> None:
    before = gateway.mark()
    body = {"model": model, "max_tokens": 20, **PLACES[place](SECRET)}
    for path in ("/v1/messages", "/v1/messages/count_tokens"):
        answer = _post(gateway.url, path, BLOCKING, body)
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["error"]["type"] == "permission_error"
    assert gateway.sent_since(before) == []


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("place", PLACES)
def test_a_redacted_value_goes_up_masked(gateway: Upstreams, place: str, model: str) -> None:
    before = gateway.mark()
    body = {"model": model, "max_tokens": 20, **PLACES[place](EMAIL)}
    answer = _post(gateway.url, "/v1/messages", REDACTING, body)
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-metaqore-sensitivity"] != "public"
    sent = gateway.sent_since(before)
    assert len(sent) == 1
    encoded = base64.b64encode(f"memo {EMAIL}".encode())
    assert EMAIL.encode() not in sent[0] and encoded not in sent[0]
    # A chat backend is sent no thinking, and no stop sequences (the gateway enforces them).
    if place not in ("thinking", "stop sequence") or model == "claude-echo":
        assert b"[REDACTED_EMAIL]" in sent[0]


@pytest.mark.parametrize(
    "fields",
    [
        {"prompt": f"mail {SECRET}"},
        {"prompt": ["hello", f"mail {SECRET}"]},
        {"prompt": "hello", "suffix": f"mail {SECRET}"},
        {"prompt": "hello", "stop": [SECRET]},
    ],
)
def test_text_completions_are_judged_too(gateway: Upstreams, fields: dict[str, Any]) -> None:
    before = gateway.mark()
    blocked = _post(gateway.url, "/v1/completions", BLOCKING, {"model": "gpt-4o-mini", **fields})
    assert blocked.status_code == 403 and blocked.json()["error"]["code"]
    assert gateway.sent_since(before) == []
    masked = {k: _swap(v) for k, v in fields.items()}
    answer = _post(gateway.url, "/v1/completions", REDACTING, {"model": "gpt-4o-mini", **masked})
    assert answer.status_code == 200, answer.text
    (sent,) = gateway.sent_since(before)
    assert EMAIL.encode() not in sent and b"[REDACTED_EMAIL]" in sent


def _swap(value: Any) -> Any:
    if isinstance(value, list):
        return [_swap(v) for v in value]
    return value.replace(SECRET, EMAIL)


@pytest.mark.parametrize("model", ["claude-echo", "echo"])
def test_pseudonyms_go_up_and_come_back_restored(gateway: Upstreams, model: str) -> None:
    """The echoing upstreams answer with the placeholder they were sent; the client reads its
    own value again, whole and streamed (the placeholder split across events)."""
    client = anthropic.Anthropic(base_url=gateway.url, api_key=PSEUDONYMIZING, max_retries=0)
    ask = [{"role": "user", "content": f"Write to {EMAIL} now"}]
    before = gateway.mark()
    message = client.messages.create(model=model, max_tokens=50, messages=ask)  # type: ignore[arg-type]
    (sent,) = gateway.sent_since(before)
    assert EMAIL.encode() not in sent and b"<EMAIL_1>" in sent
    assert message.content[0].type == "text" and EMAIL in message.content[0].text
    with client.messages.stream(model=model, max_tokens=50, messages=ask) as stream:  # type: ignore[arg-type]
        text = "".join(stream.text_stream)
    assert EMAIL in text and "<EMAIL" not in text


def test_a_whole_answer_is_masked_when_answers_are_scanned(gateway: Upstreams) -> None:
    client = anthropic.Anthropic(base_url=gateway.url, api_key=REDACTING, max_retries=0)
    message = client.messages.create(
        model="leaky", max_tokens=50, messages=[{"role": "user", "content": "Tell me"}]
    )
    assert message.content[0].type == "text"
    assert message.content[0].text == "Sure: John's SSN is 123-45-6789, mail [REDACTED_EMAIL]"
