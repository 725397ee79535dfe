"""The keys API on real `metaqore serve` processes sharing one SQLite file: the openai SDK uses
keys made, rotated and revoked through `/admin/keys` and `metaqore keys`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.keys_api import (
    ADMIN,
    CONFIG_KEY,
    chat,
    create,
    lifecycle,
    rotate,
    seconds_until,
    two_gateways,
)
from tests.support.servers import ServerThread


@pytest.fixture(scope="module")
def gateways(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], Path]]:
    root = tmp_path_factory.mktemp("keys")
    with two_gateways(root, "store: sqlite:///evidence.db") as urls:  # keys_poll_s: default
        yield urls, root


def test_lifecycle_across_two_processes(gateways: tuple[list[str], Path]) -> None:
    (first, second), root = gateways

    def records() -> list[str]:
        with sqlite3.connect(root / "evidence.db") as db:
            return [row[0] for row in db.execute("SELECT record FROM evidence")]

    lifecycle(first, second, records)


def test_listing_pages_by_cursor(gateways: tuple[list[str], Path]) -> None:
    (first, second), _ = gateways
    made = {create(first, name=f"page-{i}", org="paging")["id"] for i in range(7)}
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        params = {"limit": "3", **({"after": after} if after else {})}
        page = httpx.get(f"{second}/admin/keys", params=params, headers=ADMIN).json()
        assert len(page["data"]) <= 3 and page["object"] == "list"
        assert all("secret" not in key for key in page["data"])
        seen.extend(key["id"] for key in page["data"])
        pages += 1
        if not page["has_more"]:
            assert page["next_after"] is None
            break
        after = page["next_after"]
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    assert seen[0] == "cfg_app"  # the config's keys first, read-only
    assert made <= set(seen) and pages >= 3
    for limit in ("0", "101", "x"):
        bad = httpx.get(f"{first}/admin/keys", params={"limit": limit}, headers=ADMIN)
        assert bad.status_code == 400 and bad.json()["error"]["param"] == "limit"


def test_an_expired_key_is_refused(gateways: tuple[list[str], Path]) -> None:
    (first, second), _ = gateways
    soon = (datetime.now(UTC) + timedelta(seconds=1.5)).isoformat()
    made = create(first, name="short", org="acme", expires_at=soon)
    assert seconds_until(lambda: chat(second, made["secret"]) == 200) < 1.0
    time.sleep(max(0.0, datetime.fromisoformat(soon).timestamp() - time.time()) + 0.05)
    assert chat(first, made["secret"]) == 401 and chat(second, made["secret"]) == 401
    shown = httpx.get(f"{first}/admin/keys/{made['id']}", headers=ADMIN).json()
    assert shown["status"] == "expired"
    past = httpx.post(
        f"{first}/admin/keys", headers=ADMIN,
        json={"name": "late", "org": "acme", "expires_at": "2020-01-01T00:00:00Z"},
    )  # fmt: skip
    assert past.status_code == 400 and past.json()["error"]["param"] == "expires_at"


def test_a_key_policy_only_narrows_and_its_limits_count(gateways: tuple[list[str], Path]) -> None:
    (first, second), _ = gateways
    # The tree's root allows max_tokens up to 1000: a key may not raise it.
    wider = httpx.post(
        f"{first}/admin/keys", headers=ADMIN,
        json={"name": "wide", "org": "acme", "policy": {"max_tokens": 2000}},
    )  # fmt: skip
    assert wider.status_code == 400
    assert wider.json()["error"]["code"] == "invalid_policy"
    assert "max_tokens" in wider.json()["error"]["message"]
    unknown = httpx.post(
        f"{first}/admin/keys", headers=ADMIN,
        json={"name": "odd", "org": "acme", "policy": {"colour": "blue"}},
    )  # fmt: skip
    assert unknown.status_code == 400 and "colour" in unknown.json()["error"]["message"]
    made = create(first, name="narrow", org="acme", policy={"max_tokens": 100}, limits={"rpm": 1})
    assert made["policy"] == {"max_tokens": 100} and made["limits"] == {"rpm": 1}
    secret = made["secret"]
    assert seconds_until(lambda: chat(second, secret, max_tokens=500) == 403) < 1.0
    assert chat(second, secret) == 200
    assert chat(second, secret) == 429  # rpm 1, counted for this key alone
    assert chat(second, CONFIG_KEY) == 200


def test_errors_are_openai_errors(gateways: tuple[list[str], Path]) -> None:
    (first, _), _ = gateways
    assert httpx.get(f"{first}/admin/keys").status_code == 401
    wrong = httpx.post(f"{first}/admin/keys", json={"name": "x", "org": "y"},
                       headers={"Authorization": f"Bearer {CONFIG_KEY}"})  # fmt: skip
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_api_key"
    missing = httpx.post(f"{first}/admin/keys", json={"name": "x"}, headers=ADMIN)
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "org"
    extra = httpx.post(f"{first}/admin/keys", json={"name": "x", "org": "y", "secret": "mine"},
                       headers=ADMIN)  # fmt: skip
    assert extra.status_code == 400 and extra.json()["error"]["param"] == "secret"
    broken = httpx.post(f"{first}/admin/keys", content=b"{", headers=ADMIN)
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_json"
    gone = httpx.get(f"{first}/admin/keys/key_nope", headers=ADMIN)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "key_not_found"
    made = create(first, name="idem", org="acme")
    short = rotate(first, made["id"], {}, idempotency_key="short")
    assert short.status_code == 400 and short.json()["error"]["param"] == "Idempotency-Key"
    grace = rotate(first, made["id"], {"grace_s": -1})
    assert grace.status_code == 400 and grace.json()["error"]["param"] == "grace_s"


def test_cli_changes_reach_a_running_gateway(gateways: tuple[list[str], Path]) -> None:
    (first, second), root = gateways

    def keys(*args: str) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "proxy.cli", "keys", *args, "--config",
             str(root / "gateway.yaml")],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip()  # the summary; the data alone on stdout
        answer: dict[str, object] = json.loads(done.stdout)
        return answer

    made = keys("create", "--name", "script", "--org", "acme")
    secret, key_id = str(made["secret"]), str(made["id"])
    assert seconds_until(lambda: chat(second, secret) == 200) < 1.0
    listed = keys("list", "--limit", "100")
    assert key_id in [k["id"] for k in listed["data"]]  # type: ignore[attr-defined]
    rotated = keys("rotate", key_id, "--grace-s", "0")
    assert seconds_until(lambda: chat(first, str(rotated["secret"])) == 200) < 1.0
    assert chat(first, secret) == 401
    keys("revoke", key_id)
    assert seconds_until(lambda: chat(second, str(rotated["secret"])) == 401) < 1.0
    refused = subprocess.run(
        [sys.executable, "-m", "proxy.cli", "keys", "revoke", "cfg_app", "--config",
         str(root / "gateway.yaml")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert refused.returncode == 1 and "config" in refused.stderr and refused.stdout == ""


def test_without_evidence_the_keys_api_is_off(write_config: Callable[[str], Path]) -> None:
    path = write_config(f"""\
        providers: [{{name: mock, kind: mock, models: [mock-chat]}}]
        evidence: {{enabled: false}}
        admin: {{keys: [{{key: {ADMIN["Authorization"].removeprefix("Bearer ")}}}]}}
        """)
    with ServerThread(create_app(load_config(path))) as server:
        off = httpx.get(f"{server.url}/admin/keys", headers=ADMIN)
        assert off.status_code == 404 and "evidence" in off.json()["error"]["message"]
        assert httpx.get(f"{server.url}/admin/keys").status_code == 401  # still the admin's
