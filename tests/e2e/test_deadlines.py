"""Every call is bounded: a whole answer by `routing.total_timeout_s` (however slowly its bytes
trickle in), a stream by the same deadline for its first event, then by a whole event within
the provider's `read_timeout_s` and `routing.stream_timeout_s` for all of it; a call that finds
every pooled upstream connection busy waits `pool_timeout_s`, then gets a 503. Each in the
client's dialect, each recorded, each upstream request cancelled."""

from __future__ import annotations

import textwrap
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fault_upstream import FaultyUpstream
from tests.support.ledger import records_for
from tests.support.servers import ServerThread, eventually

KEY = "sk-deadlines-0123456789"
HELLO = [{"role": "user", "content": "hi"}]


class Gateway:
    def __init__(self, url: str, fake: FaultyUpstream, ledger: Path) -> None:
        self.url, self.fake, self.ledger = url, fake, ledger

    def openai(self, **kw: Any) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=KEY, max_retries=0, **kw)

    def anthropic(self) -> anthropic.Anthropic:
        return anthropic.Anthropic(base_url=self.url, api_key=KEY, max_retries=0)

    def record(self, request_id: str) -> tuple[str, int, str | None]:
        found = records_for(self.ledger, {request_id})[request_id]
        return found["outcome"], found["status"], found["error_code"]


DEADLINES = """\
    providers:
      - {name: patient, kind: openai, UPSTREAM, read_timeout_s: 60,
         models: [hold, trickle, long-stream]}
      - {name: tight, kind: openai, UPSTREAM, read_timeout_s: 1, models: [trickle]}
    aliases: {tight-trickle: [tight/trickle]}
    routing: {total_timeout_s: 1, stream_timeout_s: 3}
    """
SMALL_POOL = """\
    providers:
      - {name: small, kind: openai, UPSTREAM, max_connections: 1, pool_timeout_s: 0.5,
         models: [hold, gpt-4o-mini]}
    """


def _serve(root: Path, config: str) -> Iterator[Gateway]:
    fake = FaultyUpstream()
    with ServerThread(fake) as upstream:
        text = config.replace("UPSTREAM", f'base_url: "{upstream.url}/v1", api_key: k')
        (root / "gateway.yaml").write_text(
            textwrap.dedent(text)
            + f"keys: [{{key: {KEY}, org: acme, name: app}}]\n"
            + 'evidence: {store: "sqlite:///evidence.db", hmac_key: deadlines-key-0123456789}\n'
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield Gateway(server.url, fake, root / "evidence.db")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    yield from _serve(tmp_path_factory.mktemp("deadlines"), DEADLINES)


@pytest.fixture(scope="module")
def small_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    yield from _serve(tmp_path_factory.mktemp("pool"), SMALL_POOL)


def _id(name: str) -> dict[str, str]:
    return {"x-request-id": f"{name}-{uuid.uuid4().hex[:8]}"}


def test_a_whole_answer_trickled_slowly_ends_at_the_total_deadline(gateway: Gateway) -> None:
    # Four bytes every 50 ms: every read is well inside the 60 s read timeout.
    headers, closed = _id("trickle"), gateway.fake.closed["trickle"]
    with pytest.raises(openai.InternalServerError) as caught:
        gateway.openai().chat.completions.create(
            model="trickle", messages=HELLO, extra_headers=headers
        )  # type: ignore[arg-type]
    assert (caught.value.status_code, caught.value.code) == (504, "deadline_exceeded")
    assert "routing.total_timeout_s" in caught.value.message
    eventually(lambda: gateway.fake.closed["trickle"] == closed + 1)
    assert gateway.record(headers["x-request-id"]) == ("failed", 504, "deadline_exceeded")


def test_a_stream_that_does_not_start_ends_at_the_total_deadline(gateway: Gateway) -> None:
    headers, closed = _id("no-start"), gateway.fake.closed["hold"]
    with pytest.raises(openai.InternalServerError) as caught:
        gateway.openai().chat.completions.create(
            model="hold", messages=HELLO, stream=True, extra_headers=headers
        )  # type: ignore[arg-type]
    assert (caught.value.status_code, caught.value.code) == (504, "deadline_exceeded")
    eventually(lambda: gateway.fake.closed["hold"] == closed + 1)
    assert gateway.record(headers["x-request-id"]) == ("failed", 504, "deadline_exceeded")


def test_a_stream_ends_at_its_own_deadline_with_an_error_event(gateway: Gateway) -> None:
    closed = gateway.fake.closed["long-stream"]
    stream = gateway.openai().chat.completions.create(
        model="long-stream", messages=HELLO, stream=True
    )  # type: ignore[arg-type]
    pieces = []
    with pytest.raises(openai.APIError) as caught:
        pieces.extend(chunk for chunk in stream)
    assert caught.value.code == "deadline_exceeded" and pieces  # it had started
    assert "routing.stream_timeout_s" in caught.value.message
    eventually(lambda: gateway.fake.closed["long-stream"] == closed + 1)
    record = gateway.record(stream.response.headers["x-request-id"])
    assert record == ("stream_failed", 504, "deadline_exceeded")


def test_a_stream_event_trickled_slowly_ends_at_the_read_timeout(gateway: Gateway) -> None:
    stream = gateway.openai().chat.completions.create(
        model="tight-trickle", messages=HELLO, stream=True
    )  # type: ignore[arg-type]
    with pytest.raises(openai.APIError) as caught:
        list(stream)
    assert caught.value.code == "upstream_timeout" and "no whole event" in caught.value.message
    record = gateway.record(stream.response.headers["x-request-id"])
    assert record == ("stream_failed", 504, "upstream_timeout")


def test_a_full_connection_pool_is_a_503_after_a_bounded_wait(small_pool: Gateway) -> None:
    gateway = small_pool
    arrived, chats = gateway.fake.arrived["hold"], gateway.fake.arrived["gpt-4o-mini"]
    held: list[BaseException] = []

    def hold_the_only_connection() -> None:
        try:
            gateway.openai(timeout=5.0).chat.completions.create(model="hold", messages=HELLO)  # type: ignore[arg-type]
        except openai.APITimeoutError as exc:  # the client gives up; its call is cancelled
            held.append(exc)

    holder = threading.Thread(target=hold_the_only_connection)
    holder.start()
    eventually(lambda: gateway.fake.arrived["hold"] == arrived + 1)
    headers = _id("busy")
    with pytest.raises(openai.InternalServerError) as caught:
        gateway.openai().chat.completions.create(
            model="gpt-4o-mini", messages=HELLO, extra_headers=headers
        )  # type: ignore[arg-type]
    assert (caught.value.status_code, caught.value.code) == (503, "upstream_busy")
    assert caught.value.response.headers["retry-after"] == "1"
    with pytest.raises(anthropic.InternalServerError) as in_messages:
        gateway.anthropic().messages.create(model="gpt-4o-mini", max_tokens=5, messages=HELLO)  # type: ignore[arg-type]
    assert in_messages.value.status_code == 503
    assert in_messages.value.body["error"]["type"] == "api_error"  # type: ignore[index]
    assert gateway.fake.arrived["gpt-4o-mini"] == chats  # nothing went upstream
    assert gateway.record(headers["x-request-id"]) == ("failed", 503, "upstream_busy")
    holder.join()
    assert len(held) == 1
    # The held connection went back to the pool with the cancelled call.
    answer = gateway.openai().chat.completions.create(model="gpt-4o-mini", messages=HELLO)  # type: ignore[arg-type]
    assert answer.choices[0].message.content
