"""The admin API the dashboard reads (and the CLI's commands mirror): traffic, decisions by
rule, evidence search and verify, the policy tree and explain, each against the real governed
gateway of tests/e2e/test_governance.py with its SQLite ledger."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from tests.e2e.test_governance import ADMIN_KEY, CARD, KEYS, Governed, chat, governed_gateway
from tests.support.servers import eventually

ADMIN = {"authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Governed]:
    table = f"evidence_admin_{uuid.uuid4().hex[:8]}"
    root = tmp_path_factory.mktemp("admin")
    with governed_gateway(root, "sqlite:///evidence.db", table) as governed:
        yield governed


def admin(g: Governed, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{g.url}{path}", headers=ADMIN, params=params, timeout=30)


def allowed_and_denied(g: Governed) -> tuple[str, str]:
    """One call answered and one denied by policy; their request ids."""
    ok_id, denied_id = f"ok-{uuid.uuid4().hex[:8]}", f"denied-{uuid.uuid4().hex[:8]}"
    chat(g.client("payments"), "Summarise the plan", extra_headers={"x-request-id": ok_id})
    with pytest.raises(openai.PermissionDeniedError):
        chat(g.client("strict"), f"Refund {CARD}", extra_headers={"x-request-id": denied_id})
    return ok_id, denied_id


def test_every_new_endpoint_wants_the_admin_key(gateway: Governed) -> None:
    client_key = {"authorization": f"Bearer {KEYS['payments']}"}
    for path in ("/admin/stats", "/admin/evidence/records", "/admin/evidence/verify",
                 "/admin/policies/tree"):  # fmt: skip
        assert httpx.get(f"{gateway.url}{path}").status_code == 401
        assert httpx.get(f"{gateway.url}{path}", headers=client_key).status_code == 401
    explain = httpx.post(f"{gateway.url}/admin/policies/explain", json={}, headers=client_key)
    assert explain.status_code == 401


def test_stats_count_calls_overhead_and_denials_by_rule(gateway: Governed) -> None:
    before = admin(gateway, "/admin/stats").json()
    allowed_and_denied(gateway)
    stats = admin(gateway, "/admin/stats").json()
    assert stats["requests"] == before["requests"] + 2
    assert stats["by_status"]["403"] >= 1
    assert stats["providers"]["cloud-us"]["requests"] >= 1
    assert stats["providers"]["none"]["errors"] >= 1  # the denial, answered by the gateway
    overhead = stats["overhead_ms"]
    assert overhead["count"] == before["overhead_ms"]["count"] + 2
    assert 0 < overhead["p50"] <= overhead["p99"]
    denials = {(d["decision"], d["rule"]): d["calls"] for d in stats["decisions"]}
    assert denials[("deny", "sensitive_data_blocked")] >= 1
    assert denials[("allow", "")] >= 1
    text = httpx.get(f"{gateway.url}/metrics").text
    assert "metaqore_overhead_seconds_bucket" in text
    assert 'metaqore_decisions_total{decision="deny",rule="sensitive_data_blocked"}' in text


def test_records_found_by_request_id_key_and_decision(gateway: Governed) -> None:
    ok_id, denied_id = allowed_and_denied(gateway)

    def found(**params: Any) -> list[dict[str, Any]]:
        answer = admin(gateway, "/admin/evidence/records", **params)
        assert answer.status_code == 200, answer.text
        records: list[dict[str, Any]] = answer.json()["records"]
        return records

    eventually(lambda: len(found(request_id=denied_id)) == 1)
    (record,) = found(request_id=denied_id)
    assert record["decision"] == "deny:sensitive_data_blocked"
    assert record["key_id"] == "strict" and record["status"] == 403
    assert CARD not in json.dumps(record)
    assert found(request_id=ok_id)[0]["decision"] == "allow"
    assert {r["request_id"] for r in found(key="strict", decision="deny")} >= {denied_id}
    assert all(r["decision"] != "allow" for r in found(decision="deny", limit=200))
    assert found(request_id=ok_id, until="2000-01-01T00:00:00Z") == []


def test_records_page_by_cursor_without_repeats(gateway: Governed) -> None:
    allowed_and_denied(gateway)
    eventually(lambda: admin(gateway, "/admin/evidence/records").json()["spooled"] == 0)
    everything = admin(gateway, "/admin/evidence/records", limit=200).json()
    seen, after = [], None
    while True:
        params: dict[str, Any] = {"limit": 1} | ({"after": after} if after else {})
        page = admin(gateway, "/admin/evidence/records", **params).json()
        seen += [(r["writer_id"], r["seq"]) for r in page["records"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [(r["writer_id"], r["seq"]) for r in everything["records"]]
    assert len(set(seen)) == len(seen) >= 2


@pytest.mark.parametrize(
    ("params", "named"),
    [({"limit": "0"}, "limit"), ({"limit": "many"}, "limit"), ({"since": "yesterday"}, "since"),
     ({"after": "not-a-cursor"}, "after")],
)  # fmt: skip
def test_a_bad_search_parameter_is_a_400_that_names_it(
    gateway: Governed, params: dict[str, str], named: str
) -> None:
    answer = admin(gateway, "/admin/evidence/records", **params)
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == named


def test_verify_reports_the_ledger_intact(gateway: Governed) -> None:
    allowed_and_denied(gateway)
    answer = admin(gateway, "/admin/evidence/verify")
    assert answer.status_code == 200
    report = answer.json()
    assert report["ok"] is True and report["first_break"] is None
    assert report["records"] + report["spooled"] >= 2 and report["chains"] >= 1


def test_the_policy_tree_shows_each_node_and_its_rules(gateway: Governed) -> None:
    tree = admin(gateway, "/admin/policies/tree").json()["tree"]
    assert (tree["kind"], tree["name"]) == ("root", "default")
    orgs = {o["name"]: o for o in tree["children"]}
    assert set(orgs) == {"acme", "beta"}
    teams = {t["name"]: t for t in orgs["acme"]["children"]}
    assert set(teams) == {"payments", "health"}
    (strict,) = teams["payments"]["children"]
    assert (strict["kind"], strict["name"]) == ("key", "strict")
    rules = {r["rule"]: r for r in strict["rules"]}
    card = rules["sensitivity.types.CREDIT_CARD"]
    assert card["value"] == "block" and card["from"].endswith("keys/strict.yaml")


def test_explain_answers_what_the_cli_answers(gateway: Governed) -> None:
    prompt = f"Refund card {CARD} please"
    answer = httpx.post(
        f"{gateway.url}/admin/policies/explain",
        headers=ADMIN,
        json={"key": "strict", "model": "gpt-4o-mini", "prompt": prompt},
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["decision"] == "deny:sensitive_data_blocked"
    assert report["denial"]["rule"] == "sensitive_data_blocked"
    assert report["principal"] == {"org": "acme", "team": "payments", "key": "strict"}
    prompt_file = gateway.root / "prompt.txt"
    prompt_file.write_text(prompt)
    cli = subprocess.run(
        [sys.executable, "-m", "proxy.cli", "policy", "explain", "--config",
         str(gateway.root / "gateway.yaml"), "--key", "strict", "--model", "gpt-4o-mini",
         "--prompt-file", str(prompt_file)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(cli.stdout) == report


def test_explain_takes_an_api_key_by_id_with_its_own_policy(gateway: Governed) -> None:
    made = httpx.post(
        f"{gateway.url}/admin/keys",
        headers=ADMIN,
        json={"name": "explained", "org": "acme", "team": "payments",
              "policy": {"sensitivity": {"types": {"CREDIT_CARD": "block"}}}},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    key_id = made.json()["id"]
    answer = httpx.post(
        f"{gateway.url}/admin/policies/explain",
        headers=ADMIN,
        json={"key": key_id, "model": "gpt-4o-mini", "prompt": f"Refund card {CARD}"},
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["principal"] == {"org": "acme", "team": "payments", "key": key_id}
    assert report["decision"] == "deny:sensitive_data_blocked"  # the team alone would redact
    revoked = httpx.post(f"{gateway.url}/admin/keys/{key_id}/revoke", headers=ADMIN)
    assert revoked.status_code == 200
    gone = httpx.post(
        f"{gateway.url}/admin/policies/explain",
        headers=ADMIN,
        json={"key": key_id, "model": "gpt-4o-mini", "prompt": "hi"},
    )
    assert gone.status_code == 400 and gone.json()["error"]["param"] == "key"


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [({"key": "nobody", "model": "gpt-4o-mini", "prompt": "hi"}, 400, "key"),
     ({"model": "gpt-4o-mini"}, 400, "prompt"),
     ({"model": "gpt-4o-mini", "prompt": "hi", "colour": "red"}, 400, "colour"),
     ({"key": "payments", "model": "no-such-model", "prompt": "hi"}, 404, "model")],
)  # fmt: skip
def test_explain_refuses_what_it_cannot_judge(
    gateway: Governed, body: dict[str, Any], status: int, param: str
) -> None:
    answer = httpx.post(f"{gateway.url}/admin/policies/explain", headers=ADMIN, json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["param"] == param


def test_routes_without_a_model_list_what_to_ask_about(gateway: Governed) -> None:
    models = admin(gateway, "/admin/routes").json()["models"]
    assert {"gpt-4o-mini", "echo"} <= set(models)


def test_the_dashboard_files_are_served_by_the_gateway(gateway: Governed) -> None:
    page = httpx.get(f"{gateway.url}/admin/ui")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script type="module" src="/admin/ui/app.js">' in page.text
    script = httpx.get(f"{gateway.url}/admin/ui/app.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert httpx.get(f"{gateway.url}/admin/ui/../gateway.yaml").status_code == 404
    assert httpx.get(f"{gateway.url}/admin/ui/nothing.js").status_code == 404


def test_without_an_admin_section_the_dashboard_and_its_api_are_not_there(
    gateway_url: str,
) -> None:
    for path in ("/admin/ui", "/admin/ui/app.js", "/admin/stats", "/admin/evidence/records"):
        answer = httpx.get(f"{gateway_url}{path}", headers=ADMIN)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "unknown_url"
