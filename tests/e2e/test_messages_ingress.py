"""`POST /v1/messages`: the real anthropic SDK through the gateway, governed by the same chain,
served by an OpenAI-compatible backend, answered in Anthropic's dialect."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Iterator

import anthropic
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_chat_extras import REFUSAL
from tests.support.fake_openai import TEXT, TOOL_ARGS, FakeOpenAI
from tests.support.servers import ServerThread

KEY = "sk-messages-0123456789"
WEATHER = {
    "name": "get_weather",
    "description": "Weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    root = tmp_path_factory.mktemp("messages")
    (root / "policies/orgs").mkdir(parents=True)
    (root / "policies/orgs/acme.yaml").write_text("sensitivity: {types: {SECRET: block}}\n")
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: [gpt-4o-mini, reset-mid-stream, slow-stream, refusal]}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                governance: {{policies: policies}}
                evidence: {{hmac_key: messages-test-key-0123456789}}
            """)
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
            yield fake, server.url


def client(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key=KEY, max_retries=0)


def test_create_and_stream(gateway: tuple[FakeOpenAI, str]) -> None:
    fake, url = gateway
    message = client(url).messages.create(
        model="gpt-4o-mini", max_tokens=100, system="Be brief.",
        messages=[{"role": "user", "content": "hi"}],
    )  # fmt: skip
    assert message.content[0].type == "text" and message.content[0].text == TEXT
    assert message.stop_reason == "end_turn" and message.usage.output_tokens == 5
    sent = fake.received[-1].body
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["max_tokens"] == 100
    with client(url).messages.stream(
        model="gpt-4o-mini", max_tokens=100, messages=[{"role": "user", "content": "hi"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == TEXT and final.stop_reason == "end_turn" and final.usage.output_tokens == 5


def test_tools_both_ways(gateway: tuple[FakeOpenAI, str]) -> None:
    fake, url = gateway
    message = client(url).messages.create(
        model="gpt-4o-mini", max_tokens=100, tools=[WEATHER],  # type: ignore[list-item]
        messages=[{"role": "user", "content": "Weather in Paris?"}],
    )  # fmt: skip
    use = next(b for b in message.content if b.type == "tool_use")
    assert use.name == "get_weather" and use.input == {"city": "Paris", "unit": "celsius"}
    assert message.stop_reason == "tool_use"
    assert fake.received[-1].body["tools"][0]["function"]["name"] == "get_weather"
    with client(url).messages.stream(
        model="gpt-4o-mini", max_tokens=100, tools=[WEATHER],  # type: ignore[list-item]
        messages=[{"role": "user", "content": "Weather in Paris?"}],
    ) as stream:  # fmt: skip
        final = stream.get_final_message()
    streamed = next(b for b in final.content if b.type == "tool_use")
    assert streamed.input == {"city": "Paris", "unit": "celsius"}
    assert TOOL_ARGS.startswith('{"city"')


def test_stop_sequences_end_the_text_as_anthropic_reports_them(
    gateway: tuple[FakeOpenAI, str],
) -> None:
    """The gateway enforces the sequences (the backend never hears of them): the text ends
    before the first to appear, even one spanning chunks, and the match is named."""
    fake, url = gateway
    ask = {"model": "gpt-4o-mini", "max_tokens": 100,
           "messages": [{"role": "user", "content": "hi"}]}  # fmt: skip
    stops = ["wörld", "lo w", "zzz"]  # "lo w" ends first, across the chunks "lo " and "wörld "
    message = client(url).messages.create(**ask, stop_sequences=stops)  # type: ignore[arg-type]
    assert "stop" not in fake.received[-1].body
    assert [b.text for b in message.content if b.type == "text"] == ["Hel"]
    assert (message.stop_reason, message.stop_sequence) == ("stop_sequence", "lo w")
    with client(url).messages.stream(**ask, stop_sequences=stops) as stream:  # type: ignore[arg-type]
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert (text, final.stop_reason, final.stop_sequence) == ("Hel", "stop_sequence", "lo w")
    with client(url).messages.stream(**ask, stop_sequences=["zzz!"]) as stream:  # type: ignore[arg-type]
        text = "".join(stream.text_stream)  # the held-back tail comes out at the end
        final = stream.get_final_message()
    assert (text, final.stop_reason, final.stop_sequence) == (TEXT, "end_turn", None)


def test_a_stream_cut_at_a_stop_sequence_hangs_up_on_the_backend(
    gateway: tuple[FakeOpenAI, str],
) -> None:
    fake, url = gateway
    before, started = fake.disconnects, time.monotonic()
    with client(url).messages.stream(
        model="slow-stream", max_tokens=100, stop_sequences=["HelHel"],
        messages=[{"role": "user", "content": "hi"}],
    ) as stream:  # fmt: skip
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert (text, final.stop_reason, final.stop_sequence) == ("", "stop_sequence", "HelHel")
    assert time.monotonic() - started < 5  # the fake streams for 10 s unless hung up on
    deadline = time.monotonic() + 5
    while fake.disconnects == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake.disconnects == before + 1


def test_a_refusal_is_said_with_stop_reason_refusal(gateway: tuple[FakeOpenAI, str]) -> None:
    _, url = gateway
    ask = {"model": "refusal", "max_tokens": 100,
           "messages": [{"role": "user", "content": "hi"}]}  # fmt: skip
    message = client(url).messages.create(**ask)  # type: ignore[arg-type]
    assert [b.text for b in message.content if b.type == "text"] == [REFUSAL + "hi"]
    assert message.stop_reason == "refusal"
    with client(url).messages.stream(**ask) as stream:  # type: ignore[arg-type]
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert (text, final.stop_reason) == (REFUSAL + "hi", "refusal")


def test_errors_speak_anthropic(gateway: tuple[FakeOpenAI, str]) -> None:
    _, url = gateway
    with pytest.raises(anthropic.PermissionDeniedError) as denied:
        client(url).messages.create(
            model="gpt-4o-mini", max_tokens=10,
            messages=[{"role": "user", "content": "key AKIAIOSFODNN7EXAMPLE"}],
        )  # fmt: skip
    assert denied.value.body["error"]["type"] == "permission_error"  # type: ignore[index]
    with pytest.raises(anthropic.NotFoundError):
        client(url).messages.create(
            model="no-such-model", max_tokens=10, messages=[{"role": "user", "content": "x"}]
        )
    with pytest.raises(anthropic.AuthenticationError):
        anthropic.Anthropic(base_url=url, api_key="wrong", max_retries=0).messages.create(
            model="gpt-4o-mini", max_tokens=10, messages=[{"role": "user", "content": "x"}]
        )
    with (
        pytest.raises(anthropic.APIStatusError),
        client(url).messages.stream(
            model="reset-mid-stream", max_tokens=10, messages=[{"role": "user", "content": "x"}]
        ) as stream,
    ):
        stream.get_final_message()


def test_a_failing_governance_stage_fails_closed_here_too(
    gateway: tuple[FakeOpenAI, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, url = gateway
    before = len(fake.received)

    def broken(*args: object) -> object:
        raise RuntimeError("detector crashed")

    monkeypatch.setattr("governance.sensitivity.scanner.detect_secrets", broken)
    with pytest.raises(anthropic.InternalServerError) as caught:
        client(url).messages.create(
            model="gpt-4o-mini", max_tokens=10, messages=[{"role": "user", "content": "x"}]
        )
    assert caught.value.status_code == 503 and "sensitivity" in caught.value.message
    assert len(fake.received) == before
