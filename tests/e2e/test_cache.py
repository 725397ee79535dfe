"""The answer cache through the real gateway: hits for identical calls, streamed or not, never
across tenants; and shared by two gateway processes through the real Redis."""

from __future__ import annotations

import json
import textwrap
import uuid
from pathlib import Path
from typing import Any

import httpx
import openai

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import TEXT, FakeOpenAI
from tests.support.openai_spec import SPEC, validate
from tests.support.servers import ServerThread

KEYS = {"acme": "sk-cache-acme-0123456789", "globex": "sk-cache-globex-0123456789"}
ASK = [{"role": "user", "content": "What is two plus two?"}]


def config(upstream: str, cache: str) -> str:
    return textwrap.dedent(f"""\
        providers:
          - {{name: up, kind: openai, base_url: "{upstream}/v1", api_key: k,
              models: [gpt-4o-mini, refusal]}}
        keys:
          - {{key: {KEYS["acme"]}, org: acme, name: a}}
          - {{key: {KEYS["globex"]}, org: globex, name: g}}
        evidence: {{enabled: false}}
        cache: {cache}
    """)


def gateway(tmp_path: Path, upstream: str, cache: str) -> ServerThread:
    path = tmp_path / f"gateway-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(config(upstream, cache))
    return ServerThread(create_app(load_config(path)))


def client(url: str, org: str = "acme") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=KEYS[org], max_retries=0)


def ask(c: openai.OpenAI, model: str = "gpt-4o-mini", **kw: Any) -> Any:
    return c.chat.completions.with_raw_response.create(
        model=model, messages=ASK, temperature=0, **kw
    )


def test_a_hit_keeps_the_refusal_and_logprobs_streamed_or_not(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    asks = (("refusal", {}), ("gpt-4o-mini", {"logprobs": True}))
    for streamed_first in (False, True):  # a fresh cache each time
        with gateway(tmp_path, url, "{enabled: true}") as gw:
            c = client(gw.url)
            wholes = [] if streamed_first else [ask(c, model, **kw) for model, kw in asks]
            streams = [
                c.chat.completions.create(
                    model=model, messages=ASK, temperature=0, stream=True, **kw
                )
                for model, kw in asks
            ]
            refusal, logprobs = ([c for c in s if c.choices] for s in streams)
            wholes = wholes or [ask(c, model, **kw) for model, kw in asks]
            seconds = [r.headers for r in wholes] if streamed_first else [
                s.response.headers for s in streams
            ]  # fmt: skip
            assert [h["x-metaqore-cache"] for h in seconds] == ["hit", "hit"]
            refused, answered = (r.parse().choices[0] for r in wholes)
            said = refused.message.refusal
            assert refused.message.content is None and said
            assert "".join(c.choices[0].delta.refusal or "" for c in refusal) == said
            assert _tokens(logprobs) == answered.logprobs.content
    assert len(fake.received) == 4


def _tokens(chunks: list[Any]) -> list[Any]:
    out = []
    for chunk in chunks:
        logprobs = chunk.choices[0].logprobs
        out.extend(logprobs.content or [] if logprobs is not None else [])
    return out


def test_identical_calls_hit_streamed_or_not_and_never_across_orgs(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    with gateway(tmp_path, url, "{enabled: true}") as gw:
        first = ask(client(gw.url))
        assert first.headers["x-metaqore-cache"] == "miss"
        second = ask(client(gw.url), user="someone-else")
        assert second.headers["x-metaqore-cache"] == "hit"
        assert second.parse().choices[0].message.content == TEXT
        assert second.parse().usage.total_tokens == first.parse().usage.total_tokens
        assert len(fake.received) == 1

        stream = client(gw.url).chat.completions.create(
            model="gpt-4o-mini", messages=ASK, temperature=0, stream=True,
            stream_options={"include_usage": True},
        )  # fmt: skip
        chunks = list(stream)
        assert stream.response.headers["x-metaqore-cache"] == "hit"
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == TEXT
        assert chunks[-1].usage is not None and len(fake.received) == 1

        other = ask(client(gw.url, "globex"))
        assert other.headers["x-metaqore-cache"] == "miss" and len(fake.received) == 2
        creative = client(gw.url).chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=ASK, temperature=0.9
        )
        assert creative.headers["x-metaqore-cache"] == "bypass"
        forced = ask(client(gw.url), extra_headers={"Cache-Control": "no-cache"})
        assert forced.headers["x-metaqore-cache"] == "bypass" and len(fake.received) == 4


def test_a_streamed_miss_fills_the_cache_only_when_it_completed(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    with gateway(tmp_path, url, "{enabled: true}") as gw:
        body = {"model": "gpt-4o-mini", "messages": ASK, "temperature": 0, "stream": True}
        headers = {"authorization": f"Bearer {KEYS['acme']}"}
        streamed = httpx.post(f"{gw.url}/v1/chat/completions", json=body, headers=headers)
        assert streamed.headers["x-metaqore-cache"] == "miss"
        whole = ask(client(gw.url))
        assert whole.headers["x-metaqore-cache"] == "hit"
        assert whole.parse().choices[0].message.content == TEXT
        again = httpx.post(f"{gw.url}/v1/chat/completions", json=body, headers=headers)
        events = [e for e in again.text.split("\n\n") if e]
        assert again.headers["x-metaqore-cache"] == "hit" and events[-1] == "data: [DONE]"
        if SPEC.exists():
            for event in events[:-1]:
                validate("CreateChatCompletionStreamResponse", json.loads(event[6:]))
        assert len(fake.received) == 1






def test_a_gateway_without_its_redis_still_answers(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    _, url = own_upstream
    with gateway(
        tmp_path, url, '{enabled: true, backend: redis, redis_url: "redis://127.0.0.1:1"}'
    ) as gw:
        assert ask(client(gw.url)).headers["x-metaqore-cache"] == "miss"
        assert ask(client(gw.url)).parse().choices[0].message.content == TEXT


