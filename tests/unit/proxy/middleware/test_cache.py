"""The cache's pure parts: keys, the in-process LRU, and completion ⇄ stream conversion."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from proxy.cache import MemoryCache
from proxy.call import Call, Principal
from proxy.middleware.cache import CacheSettings, CacheStage, cached_reply
from proxy.wire.completion_stream import assemble, replay
from proxy.wire.sse import DONE, json_event
from tests.support.fake_openai import chunks, completion

BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 0}


def call(body: dict[str, Any], org: str = "acme", team: str = "web", **kw: Any) -> Call:
    return Call(
        request_id="r", endpoint="chat", body=body, raw=b"", model="m",
        stream=kw.pop("stream", False), principal=Principal(org, team, "k"), **kw,
    )  # fmt: skip


def stage(scope: str = "org", only_deterministic: bool = True) -> CacheStage:
    return CacheStage(MemoryCache(100, 1 << 20), CacheSettings(60, scope, only_deterministic))  # type: ignore[arg-type]


def test_keys_ignore_stream_and_user_but_not_tenant_or_content() -> None:
    cache = stage()
    key = cache.key_for(call(BODY))
    assert key is not None
    assert cache.key_for(call({**BODY, "stream": True, "user": "u1"})) == key
    assert cache.key_for(call({**BODY, "messages": [{"role": "user", "content": "ho"}]})) != key
    assert cache.key_for(call(BODY, org="globex")) != key
    assert cache.key_for(call(BODY, team="ml")) == key
    assert stage("team").key_for(call(BODY, team="ml")) != stage("team").key_for(call(BODY))


def test_only_repeatable_calls_are_cached_unless_configured() -> None:
    creative = {**BODY, "temperature": 0.7}
    assert stage().key_for(call(creative)) is None
    assert stage().key_for(call({**creative, "seed": 7})) is not None
    assert stage(only_deterministic=False).key_for(call(creative)) is not None
    assert stage().key_for(call(BODY, no_cache=True)) is None


async def test_memory_cache_expires_and_evicts_least_recently_used() -> None:
    cache = MemoryCache(max_entries=2, max_bytes=100)
    await cache.set("a", b"1", 60)
    await cache.set("b", b"2", 60)
    assert await cache.get("a") == b"1"  # now b is the least recently used
    await cache.set("c", b"3", 60)
    assert await cache.get("b") is None and len(cache) == 2
    await cache.set("big", b"x" * 101, 60)
    assert await cache.get("big") is None
    await cache.set("short", b"4", 0.01)
    await asyncio.sleep(0.02)
    assert await cache.get("short") is None


@pytest.mark.parametrize("tools", [False, True])
def test_a_stream_assembles_into_its_completion_and_replays_back(tools: bool) -> None:
    body: dict[str, Any] = {"model": "m", "stream_options": {"include_usage": True}}
    if tools:
        body["tools"] = [{"type": "function", "function": {"name": "get_weather"}}]
    events = [json_event(c) for c in chunks(body)] + [DONE]
    assembled = assemble(events)
    assert assembled is not None
    expected = completion(body)
    assert assembled["choices"][0]["message"] == expected["choices"][0]["message"]
    assert assembled["choices"][0]["finish_reason"] == expected["choices"][0]["finish_reason"]
    assert assembled["usage"] == expected["usage"]
    again = assemble(replay(assembled, include_usage=True))
    assert again == assembled


def test_an_unfinished_or_failed_stream_is_not_an_answer() -> None:
    events = [json_event(c) for c in chunks({"model": "m"})]
    assert assemble(events) is None
    failed = [*events[:2], json_event({"error": {"message": "boom"}}), DONE]
    assert assemble(failed) is None
    assert (
        orjson.loads(replay(completion({"model": "m"}), False)[-2][6:])["choices"][0][
            "finish_reason"
        ]
        == "stop"
    )


async def _collect(stream: Any) -> list[bytes]:
    return [event async for event in stream]


def test_a_cached_stream_replays_as_it_came_and_assembles_only_when_read_whole() -> None:
    body: dict[str, Any] = {"model": "m", "stream_options": {"include_usage": True}}
    events = [json_event(c) for c in chunks(body)] + [DONE]
    entry = orjson.dumps({"route": "up/m", "events": b"".join(events).decode()})

    streamed = cached_reply(entry, call(BODY, stream=True))
    assert streamed is not None and streamed.events is not None
    assert asyncio.run(_collect(streamed.events)) == events
    assert streamed.usage == completion(body)["usage"]

    whole = cached_reply(entry, call(BODY))
    assert whole is not None and whole.body is not None
    assert orjson.loads(whole.body) == assemble(events)

    # Events that spell no completion are no answer: the call goes upstream as a miss.
    failed = [*events[:2], json_event({"error": {"message": "boom"}}), DONE]
    broken = orjson.dumps({"route": "up/m", "events": b"".join(failed).decode()})
    assert cached_reply(broken, call(BODY)) is None


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    "entry",
    [
        b"not json",
        b"[]",
        b'{"events": "data: {}\\n\\n"}',
        orjson.dumps({"route": "up/m", "events": "data: {not json\n\ndata: [DONE]\n\n"}),
        orjson.dumps({"route": "up/m", "events": "data: [1]\n\ndata: [DONE]\n\n"}),
        orjson.dumps({"route": "up/m", "answer": "a string"}),
    ],
)
def test_an_entry_that_cannot_be_replayed_is_a_miss(entry: bytes, stream: bool) -> None:
    assert cached_reply(entry, call(BODY, stream=stream)) is None
