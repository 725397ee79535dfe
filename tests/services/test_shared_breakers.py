"""Circuit breakers shared by replicas through the real Redis."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_breakers import breakers, first_calls, gateway, route
from tests.support.fake_openai import FakeOpenAI
from tests.support.services import clear_redis, redis_url


@pytest.fixture
def clean_breaker_keys() -> Iterator[None]:
    yield
    clear_redis("metaqore:breaker:*")


@pytest.mark.usefixtures("clean_breaker_keys")
def test_a_breaker_opened_by_one_replica_opens_in_the_other(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    shared = f'{{fail_max: 1, reset_timeout_s: 30, redis_url: "{redis_url()}"}}'
    with gateway(tmp_path, url, shared) as one, gateway(tmp_path, url, shared) as two:
        time.sleep(0.3)  # both subscribed
        fake.flaky_down = "/a/"
        assert route(one.url) == "second/flaky"
        fake.flaky_down = False
        deadline = time.monotonic() + 5
        while breakers(two.url).get("first/flaky", {}) != {"state": "open", "failures": 0}:
            assert time.monotonic() < deadline, breakers(two.url)
            time.sleep(0.05)
        before = first_calls(fake)
        assert route(two.url) == "second/flaky"
        assert first_calls(fake) == before
        with gateway(tmp_path, url, shared) as late:  # a replica started later learns it too
            deadline = time.monotonic() + 5
            while breakers(late.url).get("first/flaky") is None:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert route(late.url) == "second/flaky"
