"""A scan's cost is bounded end to end: a body too costly to scan in time is a 503 at the
deadline and its scan stops (the scan threads go idle again); a key may only have so many big
scans at once (429), and everyone else is still answered meanwhile."""

from __future__ import annotations

import random
import re
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

KEYS = {"first": "sk-bounds-first-0123456789", "second": "sk-bounds-second-0123456789"}
# Distinct national phone numbers, each judged by the numbering plans (the scan's costliest
# step; pieces of one long spaced-out number no longer reach it): several seconds to scan.
_DRAW = random.Random(18)
COSTLY = ", ".join(
    f"01 {_DRAW.randrange(1000):03d} {_DRAW.randrange(10_000):04d}" for _ in range(90_000)
)


@dataclass
class Bounded:
    url: str
    fake: FakeOpenAI

    def chat(self, who: str, text: str, timeout: float = 60) -> httpx.Response:
        return httpx.post(
            f"{self.url}/v1/chat/completions",
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]},
            headers={"authorization": f"Bearer {KEYS[who]}"},
            timeout=timeout,
        )

    def metric(self, name: str) -> float:
        text = httpx.get(f"{self.url}/metrics", timeout=10).text
        match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
        assert match is not None, name
        return float(match.group(1))


@pytest.fixture(params=[0.5])
def bounded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bounded]:
    root = tmp_path_factory.mktemp("bounds")
    (root / "policies").mkdir()
    (root / "policies" / "default.yaml").write_text("sensitivity: {types: {EMAIL: redact}}\n")
    keys = "\n".join(f"  - {{key: {k}, org: o{n}, name: {n}}}" for n, k in KEYS.items())
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
            providers:
              - name: up
                kind: openai
                base_url: {upstream.url}/v1
                api_key: upstream-key
                models: [gpt-4o-mini]
            governance:
              policies: policies
              timeout_s: {request.param}
              inline_scan_chars: 20000
              scans_per_key: 1
            evidence: {{enabled: false}}
            keys:
            """)
            + keys
            + "\n"
        )
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as gateway:
            yield Bounded(gateway.url, fake)


def _idle(bounded: Bounded) -> bool:
    for _ in range(200):
        if bounded.metric("metaqore_scans_offloaded_in_flight") == 0:
            return True
        threading.Event().wait(0.05)
    return False


def test_a_scan_past_its_deadline_is_a_503_and_stops(bounded: Bounded) -> None:
    answer = bounded.chat("first", COSTLY)
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "governance_unavailable"
    assert "timed out" in answer.json()["error"]["message"]
    assert bounded.fake.received == []
    assert _idle(bounded)
    assert bounded.metric("metaqore_scans_stopped_total") == 1
    assert bounded.metric("metaqore_scans_offloaded_total") == 1


@pytest.mark.parametrize("bounded", [3.0], indirect=True)  # the first scan outlasts the others
def test_a_key_gets_429_beyond_its_big_scans_and_others_are_served(bounded: Bounded) -> None:
    answers: list[httpx.Response] = []
    first = threading.Thread(target=lambda: answers.append(bounded.chat("first", COSTLY)))
    first.start()
    for _ in range(200):  # until the first body's scan has left the event loop
        if bounded.metric("metaqore_scans_offloaded_in_flight") == 1:
            break
        threading.Event().wait(0.01)
    second = bounded.chat("first", COSTLY)
    other = bounded.chat("second", "hello, mail me at kai@example.com")
    assert second.status_code == 429
    assert second.json()["error"]["code"] == "too_many_large_requests"
    assert second.headers["retry-after"] == "1"
    assert other.status_code == 200
    first.join()
    assert answers[0].status_code == 503
    assert _idle(bounded)
    assert bounded.metric("metaqore_scans_stopped_total") == 1
    assert [r.body["messages"][0]["content"] for r in bounded.fake.received] == [
        "hello, mail me at [REDACTED_EMAIL]"
    ]


def test_a_big_body_scanned_off_the_loop_is_still_rewritten(bounded: Bounded) -> None:
    text = ("plain words here " * 3000) + "write to kai@example.com"
    answer = bounded.chat("second", text)
    assert answer.status_code == 200
    sent = bounded.fake.received[0].body["messages"][0]["content"]
    assert sent.endswith("write to [REDACTED_EMAIL]") and "kai@example.com" not in sent
    assert bounded.metric("metaqore_scans_offloaded_total") == 1
