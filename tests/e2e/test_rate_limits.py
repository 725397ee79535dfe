"""Rate limits from policy through the real gateway: 429 with Retry-After, OpenAI-style
headers, a team's limit shared by its keys, and one limit shared by two replicas via Redis."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path
from typing import Any

import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.servers import ServerThread

KEYS = {"one": "sk-limits-one-0123456789", "two": "sk-limits-two-0123456789"}


def gateway(root: Path, limits: str = "{}") -> ServerThread:
    return ServerThread(create_app(load_config(write(root, limits))))


def write(root: Path, limits: str) -> Path:
    team = root / "policies/orgs/acme/teams/web.yaml"
    if not team.exists():
        team.parent.mkdir(parents=True)
        (root / "policies/orgs/acme.yaml").write_text("limits: {tpm: 100000}\n")
        team.write_text("limits: {rpm: 3}\n")
    path = root / f"gateway-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: mock, kind: mock, models: [mock-chat]}}
            keys:
              - {{key: {KEYS["one"]}, org: acme, team: web, name: one}}
              - {{key: {KEYS["two"]}, org: acme, team: web, name: two}}
            governance: {{policies: policies}}
            evidence: {{enabled: false}}
            limits: {limits}
        """)
    )
    return path


def ask(url: str, who: str) -> Any:
    client = openai.OpenAI(base_url=f"{url}/v1", api_key=KEYS[who], max_retries=0)
    return client.chat.completions.with_raw_response.create(
        model="mock-chat", messages=[{"role": "user", "content": "hello"}], max_tokens=50
    )


def test_a_team_limit_is_shared_by_its_keys_and_says_when_to_retry(tmp_path: Path) -> None:
    with gateway(tmp_path) as gw:
        first = ask(gw.url, "one")
        assert first.headers["x-ratelimit-limit-requests"] == "3"
        assert first.headers["x-ratelimit-remaining-requests"] == "2"
        assert first.headers["x-ratelimit-limit-tokens"] == "100000"
        ask(gw.url, "two")
        ask(gw.url, "one")
        with pytest.raises(openai.RateLimitError) as caught:
            ask(gw.url, "two")
        error = caught.value
        assert error.code == "rate_limit_exceeded"
        assert 1 <= int(error.response.headers["retry-after"]) <= 60
        assert "team 'web'" in error.message






@pytest.mark.parametrize("stream", [False, True])
def test_a_daily_spend_limit_stops_calls_once_spent(tmp_path: Path, stream: bool) -> None:
    (tmp_path / "policies/orgs/acme/teams").mkdir(parents=True)
    (tmp_path / "policies/orgs/acme.yaml").write_text("limits: {usd_per_day: 0.01}\n")
    path = tmp_path / "gateway.yaml"
    path.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: mock, kind: mock, models: [mock-chat], prices: {{mock-chat: [1000, 1000]}}}}
            keys: [{{key: {KEYS["one"]}, org: acme, team: web, name: one}}]
            governance: {{policies: policies}}
            evidence: {{enabled: false}}
        """)
    )
    with ServerThread(create_app(load_config(path))) as gw:
        # Starts under the budget and costs about three cents, counted once the answer is out
        # (a stream's cost is known only at its end).
        if stream:
            client = openai.OpenAI(base_url=f"{gw.url}/v1", api_key=KEYS["one"], max_retries=0)
            chunks = client.chat.completions.create(
                model="mock-chat", messages=[{"role": "user", "content": "hello"}], stream=True
            )
            assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        else:
            ask(gw.url, "one")
        with pytest.raises(openai.RateLimitError) as caught:
            ask(gw.url, "one")
        assert caught.value.code == "insufficient_quota"
        assert "Daily spend limit of $0.01 reached for org 'acme'" in caught.value.message
