"""Circuit breakers through the real gateway: a failing backend is skipped once its breaker
opens, a probe closes it again after the reset timeout, and replicas share openings via Redis."""

from __future__ import annotations

import textwrap
import time
import uuid
from pathlib import Path

import httpx
import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

ADMIN = "sk-breakers-admin-0123456789"


def gateway(tmp_path: Path, upstream: str, breakers: str) -> ServerThread:
    path = tmp_path / f"gateway-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: first, kind: openai, base_url: "{upstream}/a/v1", api_key: k,
                  models: [flaky]}}
              - {{name: second, kind: openai, base_url: "{upstream}/b/v1", api_key: k,
                  models: [flaky]}}
            evidence: {{enabled: false}}
            breakers: {breakers}
            admin: {{keys: [{{key: {ADMIN}}}]}}
        """)
    )
    return ServerThread(create_app(load_config(path)))


def route(url: str) -> str:
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="any", max_retries=0)
    raw = client.chat.completions.with_raw_response.create(
        model="flaky", messages=[{"role": "user", "content": "hi"}]
    )
    return str(raw.headers["x-metaqore-route"])


def first_calls(fake: FakeOpenAI) -> int:
    return sum(r.path.startswith("/a/") for r in fake.received)


def breakers(url: str) -> dict[str, object]:
    state = httpx.get(f"{url}/admin/breakers", headers={"authorization": f"Bearer {ADMIN}"})
    return dict(state.json()["breakers"])


def test_an_open_breaker_skips_the_backend_until_a_probe_succeeds(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    with gateway(tmp_path, url, "{fail_max: 2, reset_timeout_s: 0.5}") as gw:
        fake.flaky_down = True  # both backends fail, twice: both breakers open
        for _ in range(2):
            with pytest.raises(openai.InternalServerError):
                route(gw.url)
        assert breakers(gw.url)["first/flaky"] == {"state": "open", "failures": 2}
        with pytest.raises(openai.InternalServerError) as caught:
            route(gw.url)  # both open now: nobody is called
        assert caught.value.status_code == 503 and caught.value.code == "circuit_open"
        calls = len(fake.received)
        assert calls == 4
        fake.flaky_down = False
        time.sleep(0.6)
        assert route(gw.url) == "first/flaky"  # the probe went through and closed it
        assert breakers(gw.url)["first/flaky"] == {"state": "closed", "failures": 0}


def test_one_failing_backend_moves_traffic_to_the_next(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    with gateway(tmp_path, url, "{fail_max: 1, reset_timeout_s: 60}") as gw:
        fake.flaky_down = "/a/"
        assert route(gw.url) == "second/flaky"  # fell back, and first's breaker opened
        fake.flaky_down = False
        before = first_calls(fake)
        assert [route(gw.url) for _ in range(3)] == ["second/flaky"] * 3
        assert first_calls(fake) == before






def test_a_short_retry_after_is_waited_out_within_the_budget(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    path = tmp_path / "gateway.yaml"
    path.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: only, kind: openai, base_url: "{url}/a/v1", api_key: k, models: [flaky]}}
            evidence: {{enabled: false}}
            routing: {{retry_after_budget_s: 1.0}}
        """)
    )
    with ServerThread(create_app(load_config(path))) as gw:
        fake.limit_next = {"/a/": "0.2"}
        started = time.monotonic()
        assert route(gw.url) == "only/flaky"
        assert 0.2 <= time.monotonic() - started < 1.0
        fake.limit_next = {"/a/": "5"}  # longer than the budget: answered at once
        with pytest.raises(openai.RateLimitError) as caught:
            route(gw.url)
        assert caught.value.response.headers["retry-after"] == "5"


def test_a_hung_backend_times_out_and_the_call_falls_back(
    tmp_path: Path, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, url = own_upstream
    path = tmp_path / "gateway.yaml"
    path.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: first, kind: openai, base_url: "{url}/a/v1", api_key: k, models: [flaky],
                  read_timeout_s: 0.3}}
              - {{name: second, kind: openai, base_url: "{url}/b/v1", api_key: k, models: [flaky]}}
            evidence: {{enabled: false}}
        """)
    )
    with ServerThread(create_app(load_config(path))) as gw:
        fake.delays = {"/a/": 3.0}
        started = time.monotonic()
        assert route(gw.url) == "second/flaky"
        assert time.monotonic() - started < 2.0
