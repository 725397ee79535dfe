"""Governance end to end: the real openai SDK through the real gateway, policies on disk, a fake
upstream that records what it received, and the evidence ledger in SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import openai
import pytest

from governance.evidence import StoredRecord
from governance.evidence.postgres_store import PostgresEvidenceStore
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import ServerThread

EVIDENCE_KEY = "governance-test-evidence-key-0123"
ADMIN_KEY = "sk-admin-0123456789"
WRITER = "gateway-under-test"
KEYS = {
    "payments": "sk-gov-payments-0123456789",
    "strict": "sk-gov-strict-0123456789",
    "health": "sk-gov-health-0123456789",
    "shadow": "sk-gov-shadow-0123456789",
}
CARD = "4111 1111 1111 1111"
EMAIL = "jane.roe@example.com"
POLICIES = {
    "orgs/acme.yaml": """\
        compliance: [soc2]
        sensitivity: {types: {SECRET: block}}
    """,
    "orgs/acme/teams/payments.yaml": """\
        sensitivity: {types: {CREDIT_CARD: redact, EMAIL: pseudonymize, US_SSN: redact}}
    """,
    "orgs/acme/teams/payments/keys/strict.yaml": """\
        sensitivity: {types: {CREDIT_CARD: block}}
    """,
    "orgs/acme/teams/health.yaml": "compliance: [hipaa]\n",
    "orgs/beta.yaml": """\
        mode: shadow
        models: [gpt-4o-mini]
        sensitivity: {types: {CREDIT_CARD: block}}
    """,
}


@dataclass
class Governed:
    url: str
    fake: FakeOpenAI
    root: Path
    store_url: str
    table: str

    def client(self, who: str) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=KEYS[who], max_retries=0)

    def upstream_bodies(self) -> list[tuple[str, dict[str, Any]]]:
        return [(r.path, r.body) for r in self.fake.received]


def config_text(upstream: str, store: str, table: str) -> str:
    keys = "\n".join(
        f"  - {{key: {key}, org: {org}, team: {team}, name: {name}}}"
        for (name, key), (org, team) in zip(
            KEYS.items(),
            [("acme", "payments"), ("acme", "payments"), ("acme", "health"), ("beta", "web")],
            strict=True,
        )
    )
    return (
        textwrap.dedent(f"""\
        providers:
          - name: cloud-us
            kind: openai
            base_url: {upstream}/us/v1
            api_key: upstream-key
            models: [gpt-4o-mini, gpt-4o, echo, leaky, refusal, text-embedding-3-small]
            region: us
          - name: local-gpu
            kind: openai
            base_url: {upstream}/local/v1
            api_key: upstream-key
            models: [gpt-4o-mini, echo]
            locality: local
        governance:
          policies: policies
          scan_responses: true
        admin:
          keys: [{{key: {ADMIN_KEY}}}]
        evidence:
          writer_id: {WRITER}
          store: {store}
          hmac_key: {EVIDENCE_KEY}
          table: {table}
        keys:
        """)
        + keys
        + "\n"
    )


@contextmanager
def governed_gateway(root: Path, store: str, table: str) -> Iterator[Governed]:
    """The governed gateway over `store`, its policies under `root`."""
    for name, text in POLICIES.items():
        path = root / "policies" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        (root / "gateway.yaml").write_text(config_text(upstream.url, store, table))
        with ServerThread(create_app(load_config(root / "gateway.yaml"))) as gateway:
            yield Governed(gateway.url, fake, root, store, table)


@pytest.fixture(scope="module")
def governed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Governed]:
    """On SQLite; tests/services/test_governance_on_postgres.py runs these tests on PostgreSQL."""
    table = f"evidence_e2e_{uuid.uuid4().hex[:8]}"
    with governed_gateway(tmp_path_factory.mktemp("governed"), "sqlite:///evidence.db", table) as g:
        yield g


def fresh(governed: Governed) -> Governed:
    governed.fake.received.clear()
    return governed


def chat(client: openai.OpenAI, text: str, model: str = "gpt-4o-mini", **kw: Any) -> Any:
    return client.chat.completions.with_raw_response.create(
        model=model, messages=[{"role": "user", "content": text}], **kw
    )


def test_a_card_is_redacted_before_it_leaves(governed: Governed) -> None:
    g = fresh(governed)
    raw = chat(g.client("payments"), f"Refund card {CARD} please")
    assert raw.headers["x-metaqore-sensitivity"] == "restricted"
    assert raw.headers["x-metaqore-decision"] == "allow"
    ((_, body),) = g.upstream_bodies()
    assert body["messages"][0]["content"] == "Refund card [REDACTED_CREDIT_CARD] please"


def test_a_stricter_key_blocks_the_card_and_nothing_goes_upstream(governed: Governed) -> None:
    g = fresh(governed)
    with pytest.raises(openai.PermissionDeniedError) as caught:
        chat(g.client("strict"), f"Refund card {CARD} please")
    assert caught.value.code == "sensitive_data_blocked"
    assert caught.value.response.headers["x-metaqore-decision"] == "deny:sensitive_data_blocked"
    assert CARD not in caught.value.message
    assert g.upstream_bodies() == []


def test_pseudonymized_values_come_back_restored(governed: Governed) -> None:
    g = fresh(governed)
    client = g.client("payments")
    text = f"Write to {EMAIL} and cc {EMAIL}, not ann@example.org"
    answer = chat(client, text, model="echo").parse()
    assert answer.choices[0].message.content == text
    ((_, sent),) = g.upstream_bodies()
    assert sent["messages"][0]["content"] == "Write to <EMAIL_1> and cc <EMAIL_1>, not <EMAIL_2>"
    # Streamed three characters a chunk, so every placeholder arrives split.
    stream = client.chat.completions.create(
        model="echo", messages=[{"role": "user", "content": text}], stream=True
    )
    pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
    assert "".join(pieces) == text
    assert all("EMAIL_" not in piece for piece in pieces)


def test_refusals_are_restored_and_logprobs_masked_like_the_text(governed: Governed) -> None:
    g = fresh(governed)
    client = g.client("payments")
    refused = chat(client, f"Write to {EMAIL}", model="refusal").parse().choices[0].message
    assert refused.content is None and refused.refusal.endswith(f"Write to {EMAIL}")
    stream = client.chat.completions.create(
        model="refusal", messages=[{"role": "user", "content": f"Write to {EMAIL}"}], stream=True
    )
    pieces = [c.choices[0].delta.refusal or "" for c in stream if c.choices]
    assert "".join(pieces) == refused.refusal
    answer = chat(client, "Tell me", model="leaky", logprobs=True, top_logprobs=1).parse()
    choice = answer.choices[0]
    tokens = choice.logprobs.content
    assert "".join(t.token for t in tokens) == choice.message.content  # masked alike
    assert "[REDACTED_US_SSN]" in choice.message.content and "6789" not in str(tokens)


def test_phi_under_hipaa_goes_to_the_local_backend(governed: Governed) -> None:
    g = fresh(governed)
    client = g.client("health")
    raw = chat(client, "Patient MRN 00123456 was diagnosed with diabetes; summarise the plan")
    assert raw.headers["x-metaqore-route"] == "local-gpu/gpt-4o-mini"
    assert raw.headers["x-metaqore-decision"] == "constrain:hipaa_baa_or_local"
    assert [path for path, _ in g.upstream_bodies()] == ["/local/v1/chat/completions"]
    plain = chat(client, "Summarise the staffing plan")
    assert plain.headers["x-metaqore-route"] == "cloud-us/gpt-4o-mini"


def test_shadow_mode_passes_but_says_what_it_would_have_done(governed: Governed) -> None:
    g = fresh(governed)
    raw = chat(g.client("shadow"), f"card {CARD}", model="gpt-4o")
    decision = raw.headers["x-metaqore-decision"]
    assert decision.startswith("shadow:")
    assert "deny:sensitive_data_blocked" in decision and "deny:model_not_allowed" in decision
    ((_, sent),) = g.upstream_bodies()
    assert CARD in sent["messages"][0]["content"]


def test_embeddings_are_governed_too(governed: Governed) -> None:
    g = fresh(governed)
    with pytest.raises(openai.PermissionDeniedError):
        g.client("strict").embeddings.create(model="text-embedding-3-small", input=[CARD])
    g.client("payments").embeddings.create(model="text-embedding-3-small", input=[f"x {CARD}"])
    ((_, sent),) = g.upstream_bodies()
    assert sent["input"] == ["x [REDACTED_CREDIT_CARD]"]


def test_a_failing_detector_fails_closed(
    governed: Governed, monkeypatch: pytest.MonkeyPatch
) -> None:
    g = fresh(governed)

    def broken(*args: object) -> object:
        raise RuntimeError("detector crashed")

    monkeypatch.setattr("governance.sensitivity.scanner.detect_secrets", broken)
    for call in (
        lambda c: chat(c, "hello"),
        lambda c: c.embeddings.create(model="text-embedding-3-small", input="hello"),
    ):
        with pytest.raises(openai.InternalServerError) as caught:
            call(g.client("payments"))
        assert caught.value.status_code == 503
        assert caught.value.code == "governance_unavailable"
        assert "sensitivity" in caught.value.message
    assert g.upstream_bodies() == []


async def stored(governed: Governed) -> list[StoredRecord]:
    if governed.store_url.startswith("sqlite"):
        store: Any = SQLiteEvidenceStore(governed.root / "evidence.db")
    else:
        store = PostgresEvidenceStore(governed.store_url, table=governed.table)
    try:
        return [r async for r in store.since(None)]
    finally:
        await store.aclose()


def wait_for_records(governed: Governed, request_ids: set[str]) -> list[StoredRecord]:
    deadline = time.monotonic() + 10
    while True:
        records = asyncio.run(stored(governed))
        if request_ids <= {r.request_id for r in records} or time.monotonic() > deadline:
            return records
        time.sleep(0.1)


def test_every_outcome_is_evidence_and_tampering_is_named(governed: Governed) -> None:
    g = fresh(governed)
    ids = {
        "ok": chat(g.client("payments"), f"mail {EMAIL}").headers["x-request-id"],
    }
    with pytest.raises(openai.PermissionDeniedError) as denied:
        chat(g.client("strict"), CARD)
    ids["denied"] = denied.value.response.headers["x-request-id"]
    bad = httpx.post(
        f"{g.url}/v1/chat/completions",
        content=b"{not json",
        headers={"authorization": f"Bearer {KEYS['payments']}", "x-request-id": "bad-json-1"},
    )
    assert bad.status_code == 400
    ids["bad"] = "bad-json-1"
    anonymous = httpx.post(
        f"{g.url}/v1/chat/completions",
        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
        headers={"x-request-id": "no-key-1"},
    )
    assert anonymous.status_code == 401
    ids["anonymous"] = "no-key-1"
    stream = g.client("payments").chat.completions.create(
        model="echo", messages=[{"role": "user", "content": "hi there"}], stream=True,
        stream_options={"include_usage": True},
    )  # fmt: skip
    list(stream)
    ids["stream"] = stream.response.headers["x-request-id"]

    records = wait_for_records(g, set(ids.values()))
    by_id = {r.request_id: r.fields() for r in records}
    assert set(ids.values()) <= set(by_id)
    ok = by_id[ids["ok"]]
    assert (ok["outcome"], ok["org"], ok["team"], ok["key_id"]) == (
        "completed", "acme", "payments", "payments",
    )  # fmt: skip
    assert ok["findings"] == {"EMAIL": 1} and ok["policy_version"].startswith("sha256:")
    assert [c["control"] for c in ok["compliance"]][:1] == ["SOC2-CC6.1"]
    assert ok["tokens_in"] == 11 and len(ok["request_hmac"]) == 64
    assert (by_id[ids["denied"]]["outcome"], by_id[ids["denied"]]["status"]) == ("denied", 403)
    assert by_id[ids["bad"]]["status"] == 400 and by_id[ids["bad"]]["key_id"] == "payments"
    assert by_id[ids["anonymous"]]["status"] == 401
    streamed = by_id[ids["stream"]]
    assert streamed["stream"] and streamed["ttft_ms"] is not None and streamed["tokens_out"] == 5
    text = "\n".join(r.record for r in records)
    for secret in (EMAIL, CARD, *KEYS.values()):
        assert secret not in text

    config = str(g.root / "gateway.yaml")
    good = metaqore("evidence", "verify", "--config", config)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["ok"] is True
    victim = next(r for r in records if r.request_id == ids["ok"])
    edited = victim.record.replace('"status":200', '"status":500')
    asyncio.run(update_record(g, victim, edited))
    broken = metaqore("evidence", "verify", "--config", config)
    assert broken.returncode == 1
    assert f"record {victim.seq}" in broken.stderr and ids["ok"] in broken.stderr
    asyncio.run(update_record(g, victim, victim.record))


async def tamper(governed: Governed, sql: str, *args: object) -> None:
    """Raw SQL on the evidence table, as an attacker with database access would run it; `{t}`
    is the table and `$n` the parameters."""
    if governed.store_url.startswith("sqlite"):
        db = sqlite3.connect(governed.root / "evidence.db")
        with db:
            db.execute(re.sub(r"\$\d", "?", sql.format(t="evidence")), args)
        db.close()
        return
    connection = await asyncpg.connect(governed.store_url)
    try:
        await connection.execute(sql.format(t=governed.table), *args)
    finally:
        await connection.close()


async def update_record(governed: Governed, victim: StoredRecord, record: str) -> None:
    await tamper(
        governed,
        "UPDATE {t} SET record = $1 WHERE writer_id = $2 AND seq = $3",
        record, victim.writer_id, victim.seq,
    )  # fmt: skip


def metaqore(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proxy.cli", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_policy_edits_apply_live_and_a_broken_edit_keeps_the_last_good(governed: Governed) -> None:
    g = fresh(governed)
    team = g.root / "policies/orgs/acme/teams/payments.yaml"
    original = team.read_text()
    try:
        team.write_text(original.replace("CREDIT_CARD: redact", "CREDIT_CARD: block"))
        assert eventually(lambda: denied(g, "payments"))
        team.write_text("sensitivity: {types: {CREDIT_CARD: nonsense}}\n")
        time.sleep(3 * 0.5 + 2.5)
        assert denied(g, "payments")  # the broken file changed nothing
    finally:
        team.write_text(original)
    assert eventually(lambda: not denied(g, "payments"))


def denied(g: Governed, who: str) -> bool:
    try:
        chat(g.client(who), f"card {CARD}")
    except openai.PermissionDeniedError:
        return True
    return False


def eventually(check: Any, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_checkpoint_export_and_truncation(governed: Governed, tmp_path: Path) -> None:
    g = fresh(governed)
    phi = chat(g.client("health"), "Patient MRN 00123456 was diagnosed with diabetes")
    plain = chat(g.client("payments"), "What is the capital of France?")
    wanted = {phi.headers["x-request-id"], plain.headers["x-request-id"]}
    wait_for_records(g, wanted)
    config = str(g.root / "gateway.yaml")
    made = metaqore("evidence", "checkpoint", "--config", config)
    assert made.returncode == 0, made.stderr
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(made.stdout)
    assert json.loads(made.stdout)["signature"]
    assert (
        metaqore("evidence", "verify", "--config", config, "--against", str(checkpoint)).returncode
        == 0
    )

    hipaa = metaqore("evidence", "export", "--config", config, "--framework", "hipaa")
    assert hipaa.returncode == 0, hipaa.stderr
    rows = [json.loads(line) for line in hipaa.stdout.splitlines()]
    ids = {r["request_id"] for r in rows}
    assert phi.headers["x-request-id"] in ids and plain.headers["x-request-id"] not in ids
    assert all(r["hash"] and r["writer_id"] for r in rows)
    assert "hipaa export:" in hipaa.stderr and "ledger verified" in hipaa.stderr
    soc2 = metaqore(
        "evidence", "export", "--config", config, "--framework", "soc2", "--format", "csv",
        "--since", "2000-01-01T00:00:00Z",
    )  # fmt: skip
    lines = soc2.stdout.splitlines()
    assert lines[0].startswith("writer_id,seq,request_id,ts")
    assert sum(plain.headers["x-request-id"] in line for line in lines) == 1

    last = max(asyncio.run(stored(g)), key=lambda r: (r.writer_id == WRITER, r.seq))
    asyncio.run(delete_record(g, last))
    cut = metaqore("evidence", "verify", "--config", config, "--against", str(checkpoint))
    assert cut.returncode == 1 and "missing" in cut.stderr


async def delete_record(governed: Governed, victim: StoredRecord) -> None:
    await tamper(
        governed, "DELETE FROM {t} WHERE writer_id = $1 AND seq = $2", victim.writer_id, victim.seq
    )


def test_admin_endpoints_need_the_admin_key(governed: Governed) -> None:
    url = f"{governed.url}/admin/policies"
    assert httpx.get(url).status_code == 401
    assert (
        httpx.get(url, headers={"authorization": f"Bearer {KEYS['payments']}"}).status_code == 401
    )
    admin = {"authorization": f"Bearer {ADMIN_KEY}"}
    state = httpx.get(url, headers=admin).json()
    assert state["nodes"] == 1 + 2 + 2 + 1 and state["last_error"] is None
    team = governed.root / "policies/orgs/acme/teams/health.yaml"
    original = team.read_text()
    try:
        team.write_text("compliance: [hipaa]\ncolour: red\n")
        refused = httpx.post(f"{url}/reload", headers=admin)
        assert refused.status_code == 422
        assert "colour: unknown field" in refused.json()["last_error"]
    finally:
        team.write_text(original)
    assert httpx.post(f"{url}/reload", headers=admin).json()["last_error"] is None
    ledger = httpx.get(f"{governed.url}/admin/evidence", headers=admin).json()
    assert ledger["enabled"] and ledger["writer_id"] == WRITER


def test_answers_are_scanned_and_masked_when_policy_says_so(governed: Governed) -> None:
    g = fresh(governed)
    client = g.client("payments")
    raw = chat(client, "Tell me something", model="leaky")
    content = raw.parse().choices[0].message.content
    assert content == "Sure: John's SSN is [REDACTED_US_SSN], mail john@example.com"
    streamed = client.chat.completions.create(
        model="leaky", messages=[{"role": "user", "content": "again"}], stream=True
    )
    text = "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)
    assert "123-45-6789" in text  # a stream has left before it can be judged whole ...
    ids = {raw.headers["x-request-id"], streamed.response.headers["x-request-id"]}
    records = {r.request_id: r.fields() for r in wait_for_records(g, ids)}
    for request_id in ids:  # ... but both answers' findings are evidence
        assert records[request_id]["response_findings"] == {"US_SSN": 1, "EMAIL": 1}
