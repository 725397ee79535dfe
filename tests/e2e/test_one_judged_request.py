"""What goes upstream is what governance judged: a body that parsers could read two ways is
refused at the edge, in each endpoint's dialect, and the fake upstream never hears of it."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

KEY = "sk-judged-narrow-0123456789"
POLICY = """\
    models: [gpt-4o-mini]
    max_tokens: 1024
    tools: false
    streaming: false
    sensitivity: {types: {SECRET: block, EMAIL: redact, CREDIT_CARD: redact}}
"""
SECRET = "sk-proj-" + "Zq3vR8tL1mN4pK7sX2cV9bF6hJ0dG5wY"
CARD = "4242 4242 4242 4242"
EMAIL = "erin.hale@example.org"


@dataclass
class Edge:
    url: str
    fake: FakeOpenAI

    def post(self, path: str, raw: bytes, **headers: str) -> httpx.Response:
        return httpx.post(
            f"{self.url}{path}",
            content=raw,
            headers={"authorization": f"Bearer {KEY}", "content-type": "application/json",
                     **headers},
            timeout=30,
        )  # fmt: skip


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edge]:
    root = tmp_path_factory.mktemp("judged")
    (root / "policies" / "orgs").mkdir(parents=True)
    (root / "policies" / "default.yaml").write_text("description: root\n")
    (root / "policies" / "orgs" / "narrow.yaml").write_text(textwrap.dedent(POLICY))
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
            providers:
              - name: up
                kind: openai
                base_url: {upstream.url}/v1
                api_key: upstream-key
                models: [gpt-4o-mini, gpt-4o, text-embedding-3-small]
            governance: {{policies: policies}}
            evidence: {{enabled: false}}
            server: {{max_json_depth: 32}}
            keys:
              - {{key: {KEY}, org: narrow, name: narrow-key}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as gateway:
            yield Edge(gateway.url, fake)


def _chat(*members: str) -> bytes:
    return ("{" + ",".join(members) + "}").encode()


USER = '"messages":[{"role":"user","content":"hello"}]'

# Each pair of values: the one governance would judge (orjson keeps the last) comes last.
SMUGGLED = [
    _chat('"model":"gpt-4o-mini"', f'"messages":[{{"role":"user","content":"{SECRET}",'
          '"content":"hello"}]'),
    _chat('"model":"gpt-4o-mini"', f'"messages":[{{"role":"user","content":"card {CARD}"}}]',
          USER),
    _chat('"model":"gpt-4o-mini"', USER, f'"user":"{EMAIL}","user":"someone"'),
    _chat('"model":"gpt-4o"', '"model":"gpt-4o-mini"', USER),
    _chat('"model":"gpt-4o-mini"', USER, '"max_tokens":99999,"max_tokens":100'),
    _chat('"model":"gpt-4o-mini"', USER, '"stream":true,"stream":false'),
    _chat('"model":"gpt-4o-mini"', USER,
          '"tools":[{"type":"function","function":{"name":"f"}}],"tools":[]'),
    _chat('"model":"gpt-4o-mini"', USER, '"metadata":{"note":"a","\\u006eote":"b"}'),
]  # fmt: skip


@pytest.mark.parametrize("raw", SMUGGLED)
def test_a_repeated_key_is_a_400_naming_it_and_nothing_goes_upstream(
    edge: Edge, raw: bytes
) -> None:
    edge.fake.received.clear()
    answer = edge.post("/v1/chat/completions", raw)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "duplicate_key"
    assert error["type"] == "invalid_request_error"
    assert error["param"] in {"messages[0].content", "messages", "user", "model", "max_tokens",
                              "stream", "tools", "metadata.note"}  # fmt: skip
    assert edge.fake.received == []


def test_the_messages_endpoint_refuses_in_anthropics_shape(edge: Edge) -> None:
    edge.fake.received.clear()
    raw = (
        '{"model":"gpt-4o-mini","max_tokens":50,"messages":[{"role":"user",'
        f'"content":"{SECRET}","content":"hello"}}]}}'
    ).encode()
    answer = edge.post("/v1/messages", raw)
    assert answer.status_code == 400
    body = answer.json()
    assert body["type"] == "error"
    assert body["error"]["type"] == "invalid_request_error"
    assert "messages[0].content" in body["error"]["message"]
    assert edge.fake.received == []


@pytest.mark.parametrize(
    "path", ["/v1/embeddings", "/openai/deployments/text-embedding-3-small/embeddings"]
)
def test_embeddings_and_azure_paths_refuse_repeated_keys(edge: Edge, path: str) -> None:
    edge.fake.received.clear()
    raw = f'{{"model":"text-embedding-3-small","input":"{EMAIL}","input":"fine"}}'.encode()
    answer = edge.post(path, raw)
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "input"
    assert edge.fake.received == []


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (_chat('"model":"gpt-4o-mini"', USER, '"seed":18446744073709551617'),
         "integer_out_of_range"),
        (_chat('"model":"gpt-4o-mini"', '"messages":' + "[" * 1000 + "]" * 1000),
         "nesting_too_deep"),
        (_chat('"model":"gpt-4o-mini"', '"messages":[{"role":"user","content":'
               + '[{"type":"text","text":"x"}' + ',' + "[" * 999 + "]" * 999 + "]}]"),
         "nesting_too_deep"),
        (_chat('"model":"gpt-4o-mini"', USER, '"temperature":NaN'), "invalid_json"),
        (_chat('"model":"gpt-4o-mini"', USER, '"user":"\\ud800"'), "invalid_json"),
        (b"\xef\xbb\xbf" + _chat('"model":"gpt-4o-mini"', USER), "invalid_json"),
        (_chat('"model":"gpt-4o-mini"', USER) + b'{"model":"gpt-4o"}', "invalid_json"),
    ],
)  # fmt: skip
def test_every_other_parser_differential_is_a_400(edge: Edge, raw: bytes, code: str) -> None:
    edge.fake.received.clear()
    answer = edge.post("/v1/chat/completions", raw)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == code
    assert edge.fake.received == []


def test_a_body_read_one_way_still_goes_through_byte_for_byte(edge: Edge) -> None:
    edge.fake.received.clear()
    raw = _chat('"model":"gpt-4o-mini"', USER, '"max_tokens":100', '"seed":-9223372036854775808')
    answer = edge.post("/v1/chat/completions", raw)
    assert answer.status_code == 200
    assert [r.raw for r in edge.fake.received] == [raw]


def test_the_key_is_still_held_to_its_policy_when_the_body_is_read_one_way(edge: Edge) -> None:
    """The refusals above are the edge's; a body read one way meets the policy as before."""
    edge.fake.received.clear()
    answer = edge.post("/v1/chat/completions", _chat('"model":"gpt-4o"', USER))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "model_not_allowed"
    answer = edge.post(
        "/v1/chat/completions", _chat('"model":"gpt-4o-mini"', USER, '"max_tokens":99999')
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "max_tokens_exceeded"
    assert edge.fake.received == []
