"""`metaqore policy check` and `policy explain` as people run them, on the shipped example tree."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.servers import ServerThread

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
SHIPPED = Path(__file__).resolve().parents[2] / "policies"


def metaqore(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proxy.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_accepts_the_shipped_trees() -> None:
    for tree in (SHIPPED, EXAMPLES):
        done = metaqore("policy", "check", str(tree))
        assert done.returncode == 0, done.stderr
        assert ": ok:" in done.stderr


def test_check_names_both_files_when_a_child_widens(tmp_path: Path) -> None:
    tree = tmp_path / "policies"
    shutil.copytree(EXAMPLES, tree)
    (tree / "orgs/acme/teams/clinic.yaml").write_text("max_tokens: 100000\n")
    done = metaqore("policy", "check", str(tree))
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "clinic.yaml widens" in line and "orgs/acme.yaml" in line and "max_tokens" in line


def explain_config(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "policies")
    path = tmp_path / "gateway.yaml"
    path.write_text(
        textwrap.dedent("""\
            providers:
              - {name: cloud, kind: mock, locality: cloud, region: us, models: [gpt-4o-mini]}
              - {name: gpu, kind: mock, locality: local, models: [gpt-4o-mini, llama-3]}
            governance: {policies: policies}
            evidence: {enabled: true, hmac_key: explain-test-key-0123456789}
            keys:
              - {key: sk-a-0123456789, org: acme, team: clinic, name: triage-bot}
              - {key: sk-b-0123456789, org: acme, team: clinic, name: nurse}
        """)
    )
    return path


def test_explain_prints_the_decision_and_the_rules(tmp_path: Path) -> None:
    config = explain_config(tmp_path)
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Patient MRN 00123456 was diagnosed with diabetes. Email jo@example.com")
    done = metaqore(
        "policy", "explain", "--config", str(config), "--key", "nurse",
        "--model", "gpt-4o-mini", "--prompt-file", str(prompt),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["principal"] == {"org": "acme", "team": "clinic", "key": "nurse"}
    assert report["policy_files"][-1].endswith("teams/clinic.yaml")
    assert report["policy_files"][0].endswith("policies/default.yaml")
    # The rules in force name the file each comes from, the root's among them.
    origins = {r["rule"]: (r["value"], Path(r["from"]).name) for r in report["in_force"]}
    assert origins["sensitivity.types.SECRET"] == ("block", "default.yaml")
    assert origins["sensitivity.types.US_SSN"] == ("block", "clinic.yaml")
    assert origins["max_tokens"] == (8192, "acme.yaml")
    assert origins["compliance.hipaa"] == (True, "clinic.yaml")
    assert "sensitivity.types.SECRET = \"block\"" in done.stderr
    assert report["sensitivity"] == "restricted"
    assert report["actions"] == {"MEDICAL_RECORD_NUMBER": "pseudonymize", "EMAIL": "pseudonymize"}
    assert report["backends"] == ["gpu"]
    assert report["decision"].startswith("constrain:")
    assert any(rule.startswith("sensitivity_level_exceeded") for rule in report["rules"])
    assert "decision: constrain" in done.stderr
    bot = metaqore(
        "policy", "explain", "--config", str(config), "--key", "triage-bot",
        "--model", "llama-3", "--prompt-file", str(prompt), "--stream",
    )  # fmt: skip
    report = json.loads(bot.stdout)
    assert report["decision"] == "deny:model_not_allowed"
    assert report["denial"]["rule"] == "model_not_allowed"
    unknown = metaqore(
        "policy", "explain", "--config", str(config), "--key", "nobody",
        "--model", "gpt-4o-mini", "--prompt-file", str(prompt),
    )  # fmt: skip
    assert unknown.returncode == 2 and "no key named 'nobody'" in unknown.stderr


def test_explain_decides_as_the_running_gateway_does(tmp_path: Path) -> None:
    """Both build their judging stages with the same builder, so a prompt gets one decision."""
    config = explain_config(tmp_path)
    prompts = {
        "mrn and email": "Patient MRN 00123456 was diagnosed with diabetes. Email jo@example.com",
        "nothing": "What is the capital of France?",
        "a secret": "deploy with sk-proj-4f9Qw2Lm8Zr1Tb6Yx3Kp0Hs5Vn7Cj2Ed",
    }
    with ServerThread(create_app(load_config(config))) as gateway:
        for name, text in prompts.items():
            prompt = tmp_path / "prompt.txt"
            prompt.write_text(text)
            explained = metaqore(
                "policy", "explain", "--config", str(config), "--key", "nurse",
                "--model", "gpt-4o-mini", "--prompt-file", str(prompt),
            )  # fmt: skip
            assert explained.returncode == 0, explained.stderr
            served = httpx.post(
                f"{gateway.url}/v1/chat/completions",
                json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]},
                headers={"authorization": "Bearer sk-b-0123456789"},
            )
            assert json.loads(explained.stdout)["decision"] == served.headers[
                "x-metaqore-decision"
            ], name
