"""OpenTelemetry traces from a real gateway under uvicorn: one server span per call with the
GenAI attributes and governance's decision, a span per stage and per upstream attempt (a
fallback shows two), the client's traceparent honoured and carried upstream, spans exported
over OTLP/HTTP, and no message content in any span."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.gateway_process import GatewayProcess, free_port
from tests.support.servers import ServerThread, eventually, request_body

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
CANARY = "canary-7f3a9c jane.doe@example.com"
KEY = "sk-traces-client-0123456789"


class Collector:
    """An OTLP/HTTP receiver: counts the export requests it gets."""

    def __init__(self) -> None:
        self.exports = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        raw = await request_body(scope, receive, send)
        if raw is None:
            return
        self.exports += scope["path"] == "/v1/traces" and len(raw) > 0
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@dataclass
class Traced:
    url: str
    spans: InMemorySpanExporter
    down: FakeOpenAI
    up: FakeOpenAI
    collector: Collector

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=KEY, max_retries=0)

    def call_spans(self, request_id: str) -> list[ReadableSpan]:
        """Every span of the trace whose server span has this request id."""

        def server() -> ReadableSpan | None:
            return next(
                (s for s in self.spans.get_finished_spans()
                 if (s.attributes or {}).get("metaqore.request_id") == request_id),
                None,
            )  # fmt: skip

        eventually(lambda: server() is not None)
        root = server()
        assert root is not None and root.context is not None
        trace_id = root.context.trace_id
        return [
            s for s in self.spans.get_finished_spans()
            if s.context is not None and s.context.trace_id == trace_id
        ]  # fmt: skip


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traced]:
    root = tmp_path_factory.mktemp("traces")
    down, up, collector = FakeOpenAI(), FakeOpenAI(), Collector()
    with ServerThread(down) as d, ServerThread(up) as u, ServerThread(collector) as c:
        (root / "gateway.yaml").write_text(f"""
providers:
  - {{name: down, kind: openai, base_url: "{d.url}/v1", models: [fail-500]}}
  - {{name: up, kind: openai, base_url: "{u.url}/v1", models: [gpt-4o-mini]}}
aliases:
  smart: [down/fail-500, up/gpt-4o-mini]
keys:
  - {{key: {KEY}, org: acme, team: web, name: web-app}}
evidence: {{store: "sqlite:///evidence.db", hmac_key: traces-test-key-0123456789}}
telemetry: {{enabled: true, endpoint: "{c.url}/v1/traces", service_name: traced-gw}}
""")
        app = create_app(load_config(root / "gateway.yaml"))
        tracing = app.gateway.tracing
        assert tracing is not None
        spans = InMemorySpanExporter()
        tracing.provider.add_span_processor(SimpleSpanProcessor(spans))
        with ServerThread(app) as gateway:
            yield Traced(gateway.url, spans, down, up, collector)


def attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def test_a_fallback_call_is_one_server_span_with_stages_and_two_attempts(traced: Traced) -> None:
    reply = traced.client().chat.completions.with_raw_response.create(
        model="smart",
        messages=[{"role": "user", "content": f"hello {CANARY}"}],
        extra_headers={"traceparent": TRACEPARENT},
    )
    request_id = reply.headers["x-request-id"]
    spans = traced.call_spans(request_id)
    (server,) = [s for s in spans if s.kind.name == "SERVER"]
    assert server.name == "chat smart"
    assert f"{server.context.trace_id:032x}" == TRACE_ID  # type: ignore[union-attr]
    assert server.parent is not None and f"{server.parent.span_id:016x}" == "00f067aa0ba902b7"
    found = attributes(server)
    assert found["gen_ai.operation.name"] == "chat"
    assert found["gen_ai.provider.name"] == "openai"
    assert found["gen_ai.request.model"] == "smart"
    assert found["gen_ai.response.model"] == "gpt-4o-mini"
    assert (found["gen_ai.usage.input_tokens"], found["gen_ai.usage.output_tokens"]) == (11, 5)
    assert list(found["gen_ai.response.finish_reasons"]) == ["stop"]
    assert found["metaqore.sensitivity.level"] == "internal"
    assert list(found["metaqore.finding_types"]) == ["EMAIL"]
    assert found["metaqore.decision"] == "allow"
    assert found["metaqore.route"] == "up/gpt-4o-mini"
    assert found["http.response.status_code"] == 200
    writer, _, seq = str(found["metaqore.evidence.record_id"]).rpartition(":")
    assert writer == app_writer(traced) and int(seq) >= 1

    children = {s.name: s for s in spans if s.parent is not None and s is not server}
    for stage in ("evidence", "auth", "sensitivity", "policy", "compliance"):
        span = children[f"metaqore.stage {stage}"]
        assert span.parent is not None and span.parent.span_id == server.context.span_id  # type: ignore[union-attr]
    clients = [s for s in spans if s.kind.name == "CLIENT"]
    attempts = sorted(clients, key=lambda s: s.start_time or 0)
    assert [a.name for a in attempts] == ["chat fail-500", "chat gpt-4o-mini"]
    routes = [attributes(a)["metaqore.route"] for a in attempts]
    assert routes == ["down/fail-500", "up/gpt-4o-mini"]
    assert [attributes(a)["http.response.status_code"] for a in attempts] == [502, 200]
    assert attempts[0].status.status_code.name == "ERROR"

    # The client's trace goes upstream, as the context of the attempt that carried it.
    sent = traced.up.received[-1].headers["traceparent"]
    assert sent == f"00-{TRACE_ID}-{attempts[1].context.span_id:016x}-01"  # type: ignore[union-attr]
    no_content_anywhere(spans)


def app_writer(traced: Traced) -> str:
    for span in traced.spans.get_finished_spans():
        record = attributes(span).get("metaqore.evidence.record_id")
        if record:
            return str(record).rpartition(":")[0]
    raise AssertionError("no record id")


def test_a_stream_span_ends_with_the_stream(traced: Traced) -> None:
    stream = traced.client().chat.completions.create(
        model="up/gpt-4o-mini", stream=True,
        messages=[{"role": "user", "content": f"stream {CANARY}"}],
    )  # fmt: skip
    list(stream)
    spans = traced.call_spans(stream.response.headers["x-request-id"])
    (server,) = [s for s in spans if s.kind.name == "SERVER"]
    found = attributes(server)
    assert server.name == "chat up/gpt-4o-mini" and found["metaqore.stream"] is True
    assert list(found["gen_ai.response.finish_reasons"]) == ["stop"]
    assert found["gen_ai.usage.output_tokens"] == 5
    assert "metaqore.evidence.record_id" in found
    (attempt,) = [s for s in spans if s.kind.name == "CLIENT"]
    assert server.end_time is not None and attempt.end_time is not None
    assert server.end_time >= attempt.end_time
    no_content_anywhere(spans)


def test_a_responses_call_is_a_chat_span(traced: Traced) -> None:
    made = traced.client().responses.with_raw_response.create(
        model="up/gpt-4o-mini", input=f"respond {CANARY}"
    )
    spans = traced.call_spans(made.headers["x-request-id"])
    (server,) = [s for s in spans if s.kind.name == "SERVER"]
    assert server.name == "chat up/gpt-4o-mini"  # GenAI's operation; the evidence says responses
    assert attributes(server)["gen_ai.operation.name"] == "chat"
    (attempt,) = [s for s in spans if s.kind.name == "CLIENT"]
    assert attempt.name == "chat gpt-4o-mini"
    no_content_anywhere(spans)


def test_a_call_without_traceparent_starts_a_trace_and_an_error_is_marked(traced: Traced) -> None:
    with pytest.raises(openai.APIStatusError) as failed:
        traced.client().chat.completions.create(
            model="down/fail-500", messages=[{"role": "user", "content": CANARY}]
        )
    spans = traced.call_spans(failed.value.response.headers["x-request-id"])
    (server,) = [s for s in spans if s.kind.name == "SERVER"]
    assert server.parent is None and f"{server.context.trace_id:032x}" != TRACE_ID  # type: ignore[union-attr]
    assert server.status.status_code.name == "ERROR"
    assert attributes(server)["http.response.status_code"] == failed.value.status_code
    assert "error.type" in attributes(server)
    no_content_anywhere(spans)


def test_spans_are_exported_over_otlp(traced: Traced) -> None:
    traced.client().chat.completions.create(
        model="up/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
    )
    eventually(lambda: traced.collector.exports > 0, seconds=15)


def no_content_anywhere(spans: list[ReadableSpan]) -> None:
    for span in spans:
        text = span.name + repr(attributes(span)) + repr([e.attributes for e in span.events])
        for piece in ("canary-7f3a9c", "jane.doe", "example.com", "hello", KEY):
            assert piece not in text, (span.name, piece)


def test_json_log_lines_name_the_request_and_its_trace(tmp_path: Path) -> None:
    with ServerThread(FakeOpenAI()) as upstream:
        config = tmp_path / "gateway.yaml"
        config.write_text(f"""
providers:
  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", models: [gpt-4o-mini]}}
server: {{access_log: true}}
evidence: {{enabled: false}}
telemetry: {{enabled: true, log_format: json, endpoint: "http://127.0.0.1:{free_port()}/"}}
""")
        with GatewayProcess(config) as gateway:
            client = openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="any", max_retries=0)
            stream = client.chat.completions.create(
                model="gpt-4o-mini", stream=True, extra_headers={"traceparent": TRACEPARENT},
                messages=[{"role": "user", "content": CANARY}],
            )  # fmt: skip
            list(stream)
            request_id = stream.response.headers["x-request-id"]
            eventually(lambda: request_id in gateway.output())
            output = gateway.output()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert lines and len(lines) == len([t for t in output.splitlines() if t.strip()])
    (access,) = [line for line in lines if line.get("request_id") == request_id]
    assert access["logger"] == "uvicorn.access" and "/v1/chat/completions" in access["message"]
    assert access["trace_id"] == TRACE_ID and len(access["span_id"]) == 16
    assert "canary" not in output and "jane.doe" not in output
