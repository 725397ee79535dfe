"""The response cache in the real Redis: shared by two gateways, placeholders only."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.e2e.test_cache import client, config, gateway
from tests.support.fake_openai import TEXT, FakeOpenAI
from tests.support.servers import ServerThread
from tests.support.services import clear_redis, redis_url


@pytest.fixture
def redis_prefix_cleanup() -> Iterator[None]:
    yield
    clear_redis("metaqore:cache:*")


@pytest.mark.usefixtures("redis_prefix_cleanup")
def test_two_gateways_share_answers_through_redis(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    shared = f'{{enabled: true, backend: redis, redis_url: "{redis_url()}"}}'
    question = [{"role": "user", "content": f"unique {uuid.uuid4().hex}"}]
    with gateway(tmp_path, url, shared) as one, gateway(tmp_path, url, shared) as two:
        first = client(one.url).chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=question, seed=1
        )
        assert first.headers["x-metaqore-cache"] == "miss"
        for _ in range(50):  # the write to Redis is in the background
            second = client(two.url).chat.completions.with_raw_response.create(
                model="gpt-4o-mini", messages=question, seed=1
            )
            if second.headers["x-metaqore-cache"] == "hit":
                break
        assert second.headers["x-metaqore-cache"] == "hit"
        assert second.parse().choices[0].message.content == TEXT
        assert len(fake.received) <= 2


@pytest.mark.usefixtures("redis_prefix_cleanup")
def test_a_pseudonymized_answer_is_cached_with_placeholders_only(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    """The entry is written after the client has its answer, from the answer as the upstream
    gave it: the caller's own values never reach the cache, and a hit restores them."""
    _, url = own_upstream
    policy = tmp_path / "policies" / "orgs" / "acme.yaml"
    policy.parent.mkdir(parents=True)
    policy.write_text("sensitivity: {types: {EMAIL: pseudonymize}}\n")
    path = tmp_path / "governed.yaml"
    shared = f'{{enabled: true, backend: redis, redis_url: "{redis_url()}"}}'
    text = config(url, shared).replace("[gpt-4o-mini,", "[gpt-4o-mini, echo,")
    path.write_text(text + "governance: {policies: policies}\n")
    email = f"jane.{uuid.uuid4().hex[:8]}@example.com"
    question = [{"role": "user", "content": f"Write to {email} today"}]
    with ServerThread(create_app(load_config(path))) as gw:
        first = client(gw.url).chat.completions.with_raw_response.create(
            model="echo", messages=question, seed=1
        )
        assert first.headers["x-metaqore-cache"] == "miss"
        assert first.parse().choices[0].message.content == f"Write to {email} today"
        connection = redis.Redis.from_url(redis_url())
        stored: list[bytes | None] = []
        for _ in range(50):  # written once the answer is out, so maybe a moment later
            stored = [connection.get(key) for key in connection.scan_iter("metaqore:cache:*")]
            if stored:
                break
            time.sleep(0.02)
        assert any(b"<EMAIL_1>" in (value or b"") for value in stored)
        assert not any(email.encode() in (value or b"") for value in stored)
        second = client(gw.url).chat.completions.with_raw_response.create(
            model="echo", messages=question, seed=1
        )
        assert second.headers["x-metaqore-cache"] == "hit"
        assert second.parse().choices[0].message.content == f"Write to {email} today"
