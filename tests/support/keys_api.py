"""The keys API driven over HTTP and the openai SDK against two real gateway processes that
share one store: used with SQLite (tests/e2e) and PostgreSQL with Redis (tests/services)."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import openai

from tests.support.fake_openai import FakeOpenAI
from tests.support.gateway_process import GatewayProcess
from tests.support.servers import ServerThread

ADMIN_KEY = "admin-key-0123456789"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
CONFIG_KEY = "sk-config-key-0123456789"
HELLO = [{"role": "user", "content": "hi"}]


def config_text(upstream: str, evidence: str, admin_extra: str = "") -> str:
    return textwrap.dedent(f"""\
        providers:
          - {{name: up, kind: openai, base_url: "{upstream}/v1", api_key: k,
              models: [gpt-4o-mini]}}
        keys: [{{key: {CONFIG_KEY}, org: acme, name: app}}]
        governance: {{policies: policies}}
        evidence: {{hmac_key: keys-api-test-key-0123456789, flush_ms: 5, {evidence}}}
        admin:
          keys: [{{key: {ADMIN_KEY}, name: ops}}]
          {admin_extra}
        """)


@contextmanager
def two_gateways(tmp_path: Path, evidence: str, admin_extra: str = "") -> Iterator[list[str]]:
    """Two `metaqore serve` processes on one config (one store); their URLs."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "default.yaml").write_text("max_tokens: 1000\n")
    with ServerThread(FakeOpenAI()) as upstream, ExitStack() as stack:
        config = tmp_path / "gateway.yaml"
        config.write_text(config_text(upstream.url, evidence, admin_extra))
        gateways = [stack.enter_context(GatewayProcess(config)) for _ in range(2)]
        yield [g.url for g in gateways]


def chat(url: str, key: str, **extra: Any) -> int:
    """The status the openai SDK meets calling the gateway with `key`."""
    client = openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0)
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, **extra)  # type: ignore[arg-type]
    except openai.APIStatusError as exc:
        return exc.status_code
    return 200


def create(url: str, **body: Any) -> dict[str, Any]:
    answer = httpx.post(f"{url}/admin/keys", json=body, headers=ADMIN)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def rotate(
    url: str, key_id: str, body: dict[str, Any], idempotency_key: str | None = None
) -> httpx.Response:
    headers = dict(ADMIN)
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return httpx.post(f"{url}/admin/keys/{key_id}/rotate", json=body, headers=headers)


def seconds_until(check: Callable[[], bool], limit: float = 5.0) -> float:
    """How long until `check` holds (it must within `limit`)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < limit, "condition not met in time"
        time.sleep(0.02)
    return time.monotonic() - start


def lifecycle(first: str, second: str, records: Callable[[], list[str]]) -> None:
    """Create on one process, use on the other, rotate with a grace, revoke: the other process
    follows within a second; every change is evidence without a secret."""
    made = create(first, name="checkout", org="acme", team="web")
    key_id, secret = made["id"], made["secret"]
    assert secret.startswith("mq-") and made["status"] == "active" and made["source"] == "api"
    assert chat(first, secret) == 200  # the answering process applied it at once
    assert seconds_until(lambda: chat(second, secret) == 200) < 1.0
    shown = httpx.get(f"{second}/admin/keys/{key_id}", headers=ADMIN).json()
    assert "secret" not in shown and shown["name"] == "checkout" and shown["team"] == "web"

    # Rotate, retried with one Idempotency-Key: one rotation, the same answer.
    idem = "5b0e2a36-9b1f-4f7e-8a51-rotate-1"
    rotated = rotate(first, key_id, {"grace_s": 3}, idem)
    assert rotated.status_code == 200, rotated.text
    again = rotate(first, key_id, {"grace_s": 3}, idem)
    assert again.status_code == 200 and again.json() == rotated.json()
    reused = rotate(first, key_id, {"grace_s": 4}, idem)
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    new = rotated.json()["secret"]
    grace_end = time.time() + 3
    assert new != secret and rotated.json()["previous_secret_expires_at"] is not None
    assert seconds_until(lambda: chat(second, new) == 200) < 1.0
    assert chat(second, secret) == 200 and chat(first, secret) == 200  # the grace holds
    time.sleep(max(0.0, grace_end - time.time()) + 0.1)
    assert chat(first, secret) == 401 and chat(second, secret) == 401  # and then ends
    assert chat(second, new) == 200

    # Revoke on one process: the other refuses the key within a second.
    revoked = httpx.delete(f"{first}/admin/keys/{key_id}", headers=ADMIN)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert chat(first, new) == 401
    assert seconds_until(lambda: chat(second, new) == 401) < 1.0
    twice = httpx.post(f"{second}/admin/keys/{key_id}/revoke", headers=ADMIN)
    assert twice.status_code == 200 and twice.json()["revoked_at"] == revoked.json()["revoked_at"]
    dead = rotate(second, key_id, {})
    assert dead.status_code == 409 and dead.json()["error"]["code"] == "key_revoked"

    # The config's keys stay, read-only.
    assert chat(second, CONFIG_KEY) == 200
    fixed = rotate(first, "cfg_app", {})
    assert fixed.status_code == 409
    assert fixed.json()["error"]["code"] == "key_managed_by_config"

    def changes() -> list[str]:
        return [r for r in records() if '"admin.keys.' in r]

    seconds_until(lambda: len(changes()) >= 3)
    written = changes()
    # A replayed rotation and a second revocation change nothing and record nothing.
    assert len(written) == 3
    for endpoint in ("admin.keys.create", "admin.keys.rotate", "admin.keys.revoke"):
        (record,) = [r for r in written if f'"endpoint":"{endpoint}"' in r]
        assert f'"route":"{key_id}"' in record and '"key_id":"admin:ops"' in record
    for record in records():
        for value in (secret, new, secret.removeprefix("mq-"), new.removeprefix("mq-")):
            assert value not in record
