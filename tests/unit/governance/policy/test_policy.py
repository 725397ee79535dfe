"""HMCP narrowing, tree loading and evaluation, and the compliance packs: pure logic, no I/O but
the policy files the tests write."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.compliance import evaluate_compliance, gdpr_pseudonymize_types
from governance.compliance.soc2 import soc2_startup_problems
from governance.judgement import JudgementMemo, judge
from governance.policy import (
    PERMISSIVE,
    PolicyDocument,
    PolicyError,
    Verdict,
    apply_text_actions,
    evaluate_policy,
    load_tree,
    narrow,
    text_actions,
)
from governance.sensitivity import DEFAULT_TYPE_LEVELS
from tests.support.policy_tree import ALL, CLOUD_US, facts, write


def test_a_tree_inherits_and_narrows(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "default.yaml": "max_tokens: 10000\nsensitivity: {types: {SECRET: block}}\n",
            "orgs/acme.yaml": """\
                models: ["gpt-4o*", mock-chat]
                max_tokens: 8000
                sensitivity: {types: {CREDIT_CARD: redact}}
                compliance: [soc2]
            """,
            "orgs/acme/teams/health.yaml": """\
                models: [gpt-4o-mini]
                sensitivity: {types: {CREDIT_CARD: block, EMAIL: pseudonymize}}
                compliance: [hipaa]
            """,
            "orgs/acme/teams/health/keys/batch.yaml": "streaming: false\n",
        },
    )
    tree = load_tree(root)
    org = tree.for_principal("acme", "web", "k1")
    team = tree.for_principal("acme", "health", "k2")
    key = tree.for_principal("acme", "health", "batch")
    other = tree.for_principal("globex", "x", "y")
    assert org.max_tokens == 8000 and org.packs == {"soc2"}
    assert team.models == (("gpt-4o*", "mock-chat"), ("gpt-4o-mini",))
    assert team.packs == {"soc2", "hipaa"} and team.max_tokens == 8000
    assert team.type_actions == {"SECRET": "block", "CREDIT_CARD": "block", "EMAIL": "pseudonymize"}
    assert not key.streaming and key.type_actions == team.type_actions
    assert org.files[0] == other.files[0] == str(root / "default.yaml") and len(other.files) == 1
    assert other.max_tokens == 10000 and other.type_actions == {"SECRET": "block"}
    assert len({org.version, team.version, key.version, other.version}) == 4


@pytest.mark.parametrize(
    ("child", "rule"),
    [
        ("models: [gpt-4o]\n", "models: 'gpt-4o'"),
        ("max_tokens: 9000\n", "max_tokens: 9000 is above 8000"),
        ("sensitivity: {types: {CREDIT_CARD: allow}}\n", "sensitivity.types.CREDIT_CARD"),
        ("tools: true\n", "tools"),
        ("mode: shadow\n", "mode"),
        ("providers: [openai, anthropic]\n", "providers: 'anthropic'"),
        ("max_level: {cloud: restricted}\n", "max_level.cloud"),
    ],
)
def test_a_widening_child_is_rejected_naming_both_files(
    tmp_path: Path, child: str, rule: str
) -> None:
    root = write(
        tmp_path,
        {
            "orgs/acme.yaml": """\
                models: [gpt-4o-mini]
                providers: [openai]
                max_tokens: 8000
                tools: false
                max_level: {cloud: internal}
                sensitivity: {types: {CREDIT_CARD: redact}}
            """,
            "orgs/acme/teams/web.yaml": child,
        },
    )
    with pytest.raises(PolicyError) as caught:
        load_tree(root)
    message = str(caught.value)
    assert "teams/web.yaml widens" in message and "orgs/acme.yaml" in message
    assert rule in message


def test_bad_files_give_one_clear_line(tmp_path: Path) -> None:
    write(tmp_path / "a", {"orgs/acme.yaml": "colour: blue\n"})
    with pytest.raises(PolicyError, match=r"acme.yaml: colour: unknown field"):
        load_tree(tmp_path / "a")
    write(tmp_path / "b", {"orgs/acme.yaml": "max_tokens: [\n"})
    with pytest.raises(PolicyError, match=r"acme.yaml: not valid YAML \(line 2, column"):
        load_tree(tmp_path / "b")
    write(tmp_path / "c", {"teams/web.yaml": "{}\n"})
    with pytest.raises(PolicyError, match="not where a policy file can be"):
        load_tree(tmp_path / "c")


ACTIONS = st.sampled_from(["allow", "pseudonymize", "redact", "route_local", "block"])


@given(parent=ACTIONS, child=ACTIONS, tokens=st.integers(1, 10_000), cap=st.integers(1, 10_000))
def test_a_narrowed_child_never_allows_what_its_parent_denies(
    parent: str, child: str, tokens: int, cap: int
) -> None:
    top = narrow(
        PERMISSIVE,
        PolicyDocument.model_validate(
            {"max_tokens": cap, "sensitivity": {"types": {"EMAIL": parent}}}
        ),
        "org.yaml",
    )
    try:
        low = narrow(
            top,
            PolicyDocument.model_validate({"sensitivity": {"types": {"EMAIL": child}}}),
            "team.yaml",
        )
    except PolicyError:
        return
    for policy in (top, low):
        verdict = Verdict(policy, ALL)
        evaluate_policy(verdict, facts(max_tokens=tokens))
        apply_text_actions(verdict, text_actions(policy, frozenset({"EMAIL"}), DEFAULT_TYPE_LEVELS))
        if policy is top:
            parent_denied = verdict.denial is not None
            parent_allowed = verdict.allowed_names()
        else:
            assert not parent_denied or verdict.denial is not None
            assert verdict.denial is not None or verdict.allowed_names() <= parent_allowed


def test_evaluation_denies_constrains_and_shadows() -> None:
    policy = narrow(
        PERMISSIVE,
        PolicyDocument.model_validate(
            {
                "models": ["gpt-4o-mini"],
                "max_level": {"cloud": "internal"},
                "shadow_rules": ["max_tokens_exceeded"],
                "max_tokens": 100,
            }
        ),
        "org.yaml",
    )
    verdict = Verdict(policy, ALL)
    evaluate_policy(verdict, facts(level="restricted", max_tokens=500))
    assert verdict.denial is None
    assert verdict.allowed_names() == {"vllm"}
    assert verdict.header() == "constrain:level_restricted"
    assert verdict.shadowed == ["deny:max_tokens_exceeded"]
    other = Verdict(policy, ALL)
    evaluate_policy(other, facts(model="gpt-4o"))
    assert other.denial is not None and other.header() == "deny:model_not_allowed"


def test_hipaa_sends_phi_only_to_baa_or_local() -> None:
    policy = narrow(PERMISSIVE, PolicyDocument(compliance=["hipaa"]), "org.yaml")
    verdict = Verdict(policy, ALL)
    evaluate_compliance(verdict, facts(types=frozenset({"MEDICAL_RECORD_NUMBER"}), phi=True),
                        frozenset())  # fmt: skip
    assert verdict.allowed_names() == {"azure-baa", "vllm"}
    assert [(c.control, c.result) for c in verdict.compliance] == [
        ("HIPAA-164.502(e)", "constrain")
    ]
    strict = narrow(
        PERMISSIVE, PolicyDocument.model_validate({"compliance": ["hipaa"],
                                                   "hipaa": {"on_phi": "deny"}}), "o.yaml"
    )  # fmt: skip
    denied = Verdict(strict, (CLOUD_US,))
    evaluate_compliance(denied, facts(phi=True), frozenset())
    assert denied.header() == "deny:hipaa_phi_requires_baa"


def test_gdpr_keeps_personal_data_in_region_or_pseudonymizes_it() -> None:
    email = frozenset({"EMAIL"})
    policy = narrow(PERMISSIVE, PolicyDocument(compliance=["gdpr"]), "org.yaml")
    verdict = Verdict(policy, ALL)
    evaluate_compliance(verdict, facts(types=email, level="internal"), frozenset())
    assert verdict.allowed_names() == {"azure-eu", "vllm"}
    minimise = narrow(
        PERMISSIVE,
        PolicyDocument.model_validate(
            {"compliance": ["gdpr"], "gdpr": {"outside_regions": "pseudonymize"}}
        ),
        "org.yaml",
    )
    loose = Verdict(minimise, ALL)
    masked = gdpr_pseudonymize_types(loose, email | {"SECRET"})
    assert masked == email
    evaluate_compliance(loose, facts(types=email), masked)
    assert loose.allowed_names() == {b.name for b in ALL}
    assert [c.control for c in loose.compliance] == ["GDPR-Art.5(1)(c)"]


def test_soc2_needs_a_principal_and_refuses_to_start_without_auth(tmp_path: Path) -> None:
    policy = narrow(PERMISSIVE, PolicyDocument(compliance=["soc2"]), "org.yaml")
    verdict = Verdict(policy, ALL)
    evaluate_compliance(verdict, facts(authenticated=False), frozenset())
    assert verdict.header() == "deny:soc2_unattributed"
    tree = load_tree(write(tmp_path, {"orgs/acme.yaml": "compliance: [soc2]\n"}))
    assert soc2_startup_problems(tree, auth_enabled=True, evidence_enabled=True) == []
    problems = soc2_startup_problems(tree, auth_enabled=False, evidence_enabled=False)
    assert len(problems) == 2 and "acme.yaml" in problems[0]


def test_the_judgement_memo_answers_as_judge_does_and_never_shares_a_verdict() -> None:
    blocking = narrow(
        PERMISSIVE,
        PolicyDocument.model_validate(
            {"sensitivity": {"types": {"SECRET": "block", "EMAIL": "pseudonymize",
                                       "PHONE": "route_local"}}}
        ),
        "org.yaml",
    )  # fmt: skip
    memo = JudgementMemo(DEFAULT_TYPE_LEVELS, max_entries=2)
    shapes = [
        facts(),
        facts(types=frozenset({"EMAIL"}), level="confidential"),
        facts(types=frozenset({"SECRET"}), level="restricted"),
        facts(types=frozenset({"PHONE"}), level="confidential"),
    ]
    for shape in shapes * 2:  # the second round meets kept answers (and one fresh start)
        fresh = judge(shape, blocking, ALL, DEFAULT_TYPE_LEVELS)
        kept = memo(shape, blocking, ALL)
        assert (kept.actions, kept.rewrites) == (fresh.actions, fresh.rewrites)
        assert kept.verdict.header() == fresh.verdict.header()
        assert kept.verdict.trail == fresh.verdict.trail
        # A later stage adding to one call's verdict leaves the next call's alone.
        kept.verdict.deny("model_not_allowed", "changed by a later stage")
        kept.actions.clear()
        again = memo(shape, blocking, ALL)
        assert again.verdict.denial == fresh.verdict.denial
        assert again.actions == fresh.actions
    assert memo(shapes[2], blocking, ALL).verdict.header() == "deny:sensitive_data_blocked"
    assert memo(shapes[3], blocking, ALL).verdict.allowed_names() == {"vllm"}
    # A reloaded policy is a new object: never answered from the old one's entries.
    assert memo(shapes[2], PERMISSIVE, ALL).verdict.header() == "allow"
