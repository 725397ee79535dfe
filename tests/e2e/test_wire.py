"""Wire robustness: whatever the network does to the upstream's bytes, the client sees what a
direct call would give; a client that hangs up cancels the upstream request."""

from __future__ import annotations

import time

import httpx
import openai
import pytest

from tests.conftest import CLIENT_KEY, UPSTREAM_KEY
from tests.support.fake_openai import TEXT, TOOL_ARGS, FakeOpenAI

HELLO = [{"role": "user", "content": "hi"}]
TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}


def _clients(gateway_url: str, upstream_url: str) -> tuple[openai.OpenAI, openai.OpenAI]:
    via = openai.OpenAI(base_url=f"{gateway_url}/v1", api_key=CLIENT_KEY, max_retries=0)
    direct = openai.OpenAI(base_url=f"{upstream_url}/a/v1", api_key=UPSTREAM_KEY, max_retries=0)
    return via, direct


@pytest.mark.parametrize("model", ["fake-split", "fake-gzip"])
@pytest.mark.parametrize("tools", [False, True])
def test_stream_matches_direct_call(
    gateway_url: str, upstream: tuple[FakeOpenAI, str], model: str, tools: bool
) -> None:
    via, direct = _clients(gateway_url, upstream[1])
    extra = {"tools": [TOOL]} if tools else {}
    results = []
    for client in (via, direct):
        with client.chat.completions.stream(model=model, messages=HELLO, **extra) as stream:  # type: ignore[arg-type]
            results.append(stream.get_final_completion())
    through, reference = results
    assert through.model_dump() == reference.model_dump()
    message = through.choices[0].message
    if tools:
        assert message.tool_calls[0].function.arguments == TOOL_ARGS  # type: ignore[index]
    else:
        assert message.content == TEXT


def test_chunks_arrive_one_by_one_as_direct(
    gateway_url: str, upstream: tuple[FakeOpenAI, str]
) -> None:
    via, direct = _clients(gateway_url, upstream[1])
    pieces = [
        [
            c.choices[0].delta.content
            for c in client.chat.completions.create(model="fake-split", messages=HELLO, stream=True)
        ]  # type: ignore[arg-type]
        for client in (via, direct)
    ]
    assert pieces[0] == pieces[1] == ["", *["Hel", "lo ", "wörld ", "😀", "!"], None]


def test_gzip_non_stream_is_decoded_and_reframed(gateway_url: str) -> None:
    response = httpx.post(
        f"{gateway_url}/v1/chat/completions",
        headers={"authorization": f"Bearer {CLIENT_KEY}", "accept-encoding": "identity"},
        json={"model": "fake-gzip", "messages": HELLO},
    )
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.json()["choices"][0]["message"]["content"] == TEXT


def test_client_disconnect_cancels_upstream(gateway_url: str, fake: FakeOpenAI) -> None:
    fake.disconnects = 0
    with httpx.stream(
        "POST",
        f"{gateway_url}/v1/chat/completions",
        headers={"authorization": f"Bearer {CLIENT_KEY}"},
        json={"model": "slow-stream", "messages": HELLO, "stream": True},
        timeout=10,
    ) as response:
        lines = response.iter_lines()
        assert next(lines).startswith("data: ")
    deadline = time.monotonic() + 5
    while fake.disconnects == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake.disconnects == 1
