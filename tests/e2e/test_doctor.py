"""`metaqore doctor` as an operator runs it: against a real gateway's directory (its key file and
ledger written by `metaqore serve`), a fake OpenAI that checks its key, and a stopped port."""

from __future__ import annotations

import os
import shutil
import sqlite3
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openai
import pytest

from tests.support.doctor_cli import Line
from tests.support.doctor_cli import doctor as run_doctor
from tests.support.fake_openai import FakeOpenAI
from tests.support.gateway_process import GatewayProcess, free_port
from tests.support.servers import ServerThread

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
UPSTREAM_KEY = "sk-upstream-doctor-0123456789"


@dataclass
class Site:
    root: Path
    upstream: str

    def write(self, providers: str, *, policies: str = "policies") -> Path:
        path = self.root / "gateway.yaml"
        listed = textwrap.indent(textwrap.dedent(providers), "  ")
        path.write_text(
            f"providers:\n{listed}"
            f"governance: {{policies: {policies}}}\n"
            'evidence: {store: "sqlite:///evidence.db"}\n'
            "keys:\n"
            "  - {key: sk-client-0123456789, org: acme, team: clinic, name: triage-bot}\n"
        )
        return path

    def healthy(self) -> Path:
        return self.write(f"""\
            - {{name: up, kind: openai, base_url: "{self.upstream}/v1",
               api_key: "${{DOCTOR_UPSTREAM_KEY}}", models: [gpt-4o-mini]}}
            - {{name: demo, kind: mock, models: [mock-1]}}
            """)


def doctor(config: Path) -> tuple[int, dict[str, Line], str]:
    return run_doctor(config, {"DOCTOR_UPSTREAM_KEY": UPSTREAM_KEY})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A directory a real gateway served from: key file created, one call in the ledger."""
    root = tmp_path_factory.mktemp("doctor")
    shutil.copytree(EXAMPLES, root / "policies")
    with ServerThread(FakeOpenAI(api_key=UPSTREAM_KEY)) as upstream:
        site = Site(root, upstream.url)
        config = site.healthy()
        os.environ["DOCTOR_UPSTREAM_KEY"] = UPSTREAM_KEY
        try:
            with GatewayProcess(config) as gateway:
                client = openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="sk-client-0123456789")
                client.chat.completions.create(
                    model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}]
                )
                assert gateway.stop()
        finally:
            del os.environ["DOCTOR_UPSTREAM_KEY"]
        yield site


def test_a_healthy_site_is_all_ok(site: Site) -> None:
    code, found, stderr = doctor(site.healthy())
    assert code == 0, found
    assert {line.status for line in found.values()} == {"ok"}
    assert all(line.fix is None for line in found.values())
    assert set(found) >= {
        "config", "policies", "provider up", "provider demo", "evidence key", "evidence ledger",
    }  # fmt: skip
    assert "GET /models answered 200" in found["provider up"].detail
    assert "(mode 0600)" in found["evidence key"].detail
    assert "1 records in 1 chains verified" in found["evidence ledger"].detail
    assert "loads and composes" in found["policies"].detail
    assert UPSTREAM_KEY not in "".join(line.detail for line in found.values())
    assert "fail" in stderr and "0 fail" in stderr


def test_wrong_credentials_fail_with_a_fix(site: Site) -> None:
    config = site.write(f"""\
        - {{name: up, kind: openai, base_url: "{site.upstream}/v1",
           api_key: sk-wrong-0123456789, models: [gpt-4o-mini]}}
        """)
    code, lines, _ = doctor(config)
    line = lines["provider up"]
    assert code == 1
    assert line.status == "fail" and "credentials refused" in line.detail
    assert "answered 401" in line.detail and "nothing else serves gpt-4o-mini" in line.detail
    assert line.fix is not None and "api_key" in line.fix
    assert "sk-wrong" not in "".join(map(str, lines.values()))


def test_a_stopped_port_fails_unless_another_provider_serves_its_models(site: Site) -> None:
    stopped = f"http://127.0.0.1:{free_port()}/v1"
    alone = site.write(f"""\
        - {{name: gone, kind: openai, base_url: "{stopped}", models: [gpt-4o-mini]}}
        """)
    code, lines, _ = doctor(alone)
    line = lines["provider gone"]
    assert code == 1 and line.status == "fail" and "unreachable" in line.detail
    assert line.fix == "start it or correct base_url"
    covered = site.write(f"""\
        - {{name: gone, kind: openai, base_url: "{stopped}", models: [gpt-4o-mini]}}
        - {{name: up, kind: openai, base_url: "{site.upstream}/v1",
           api_key: "${{DOCTOR_UPSTREAM_KEY}}", models: [gpt-4o-mini]}}
        """)
    code, lines, _ = doctor(covered)
    assert code == 0
    assert lines["provider gone"].status == "warn"
    assert lines["provider up"].status == "ok"


def test_a_key_file_others_can_read_fails(site: Site) -> None:
    key = site.root / ".metaqore" / "evidence.key"
    key.chmod(0o644)
    try:
        code, lines, _ = doctor(site.healthy())
    finally:
        key.chmod(0o600)
    line = lines["evidence key"]
    assert code == 1 and line.status == "fail" and "mode 0644" in line.detail
    assert line.fix is not None and line.fix.startswith(f"chmod 600 {key}")
    key.chmod(0o400)
    try:
        assert doctor(site.healthy())[0] == 0
    finally:
        key.chmod(0o600)


def test_a_tampered_ledger_fails_naming_the_record(site: Site) -> None:
    db = sqlite3.connect(site.root / "evidence.db")
    (seq, record) = db.execute("SELECT seq, record FROM evidence ORDER BY seq LIMIT 1").fetchone()
    edited = record.replace('"status":200', '"status":500')
    assert edited != record
    with db:
        db.execute("UPDATE evidence SET record = ? WHERE seq = ?", (edited, seq))
    try:
        code, lines, _ = doctor(site.healthy())
    finally:
        with db:
            db.execute("UPDATE evidence SET record = ? WHERE seq = ?", (record, seq))
        db.close()
    line = lines["evidence ledger"]
    assert code == 1 and line.status == "fail"
    assert "BROKEN at chain" in line.detail and f"record {seq}" in line.detail
    assert line.fix is not None and "checkpoint" in line.fix


def test_a_bad_config_is_one_failing_line_naming_the_field(tmp_path: Path) -> None:
    config = tmp_path / "gateway.yaml"
    config.write_text("providers:\n  - {name: m, kind: mock, models: [a], colour: red}\n")
    code, lines, _ = doctor(config)
    assert code == 1
    (line,) = lines.values()
    assert line.status == "fail" and line.name == "config"
    assert "providers[0].colour: unknown field (line 2)" in line.detail


def test_a_policy_tree_that_widens_fails(site: Site, tmp_path: Path) -> None:
    tree = site.root / "widening"
    shutil.copytree(EXAMPLES, tree, dirs_exist_ok=True)
    (tree / "orgs/acme/teams/clinic.yaml").write_text("max_tokens: 100000\n")
    code, lines, _ = doctor(site.write("- {name: demo, kind: mock, models: [mock-1]}\n",
                                       policies="widening"))  # fmt: skip
    line = lines["policies"]
    assert code == 1 and line.status == "fail" and "widens" in line.detail
    assert line.fix is not None and "policy check" in line.fix
