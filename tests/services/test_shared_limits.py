"""One rate limit shared by two replicas through the real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from tests.e2e.test_rate_limits import ask, gateway
from tests.support.services import clear_redis, redis_url


@pytest.fixture
def clean_limits() -> Iterator[None]:
    yield
    clear_redis("metaqore:limit:*")


@pytest.mark.usefixtures("clean_limits")
def test_two_replicas_share_one_limit_through_redis(tmp_path: Path) -> None:
    shared = f'{{backend: redis, redis_url: "{redis_url()}"}}'
    with gateway(tmp_path, shared) as one, gateway(tmp_path, shared) as two:
        ask(one.url, "one")
        ask(two.url, "one")
        ask(one.url, "two")
        with pytest.raises(openai.RateLimitError):
            ask(two.url, "two")
