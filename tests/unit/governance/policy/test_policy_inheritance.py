"""How a policy tree composes: `default.yaml` is the parent of every org file, a team narrows its
org and a key its team, for every field; a field left out is the parent's; a child that widens is
refused at load naming both files. Pure logic, no I/O but the files the tests write."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.compliance import evaluate_compliance
from governance.judgement import judge
from governance.policy import (
    PERMISSIVE,
    Backend,
    CallFacts,
    EffectivePolicy,
    PolicyDocument,
    PolicyError,
    Verdict,
    evaluate_policy,
    load_tree,
    narrow,
    text_actions,
)
from governance.policy.document import ACTION_STRICTNESS
from governance.policy.effective import Quota
from governance.sensitivity import DEFAULT_TYPE_LEVELS, EntityType
from tests.support.policy_tree import ALL, facts, write

# (parent file, child file): the root and an org, an org and a team, a team and a key.
LEVELS = [
    ("default.yaml", "orgs/acme.yaml"),
    ("orgs/acme.yaml", "orgs/acme/teams/web.yaml"),
    ("orgs/acme/teams/web.yaml", "orgs/acme/teams/web/keys/bot.yaml"),
]
# Every field of a policy file: (what the parent sets, a child that widens it, the rule named).
WIDENINGS = [
    ("models: [gpt-4o-mini, llama-3]", "models: [gpt-4o]", "models: 'gpt-4o'"),
    ('models: ["gpt-4o*"]', 'models: ["gpt-*"]', "models: 'gpt-*'"),
    ("providers: [openai, vllm]", "providers: [openai, anthropic]", "providers: 'anthropic'"),
    ("localities: [local]", "localities: [cloud, local]", "localities: 'cloud'"),
    ("regions: [eu]", "regions: [eu, us]", "regions: 'us'"),
    ("max_level: {cloud: internal}", "max_level: {cloud: confidential}", "max_level.cloud"),
    ("max_tokens: 1000", "max_tokens: 1001", "max_tokens: 1001 is above 1000"),
    ("tools: false", "tools: true", "tools"),
    ("streaming: false", "streaming: true", "streaming"),
    ("sensitivity: {types: {SECRET: block}}", "sensitivity: {types: {SECRET: redact}}",
     "sensitivity.types.SECRET: 'redact' is weaker than 'block'"),
    ("sensitivity: {levels: {restricted: redact}}",
     "sensitivity: {levels: {restricted: pseudonymize}}", "sensitivity.levels.restricted"),
    ("limits: {rpm: 100}", "limits: {rpm: 101}", "limits.rpm"),
    ("limits: {tpm: 1000}", "limits: {tpm: 5000}", "limits.tpm"),
    ("limits: {usd_per_day: 5}", "limits: {usd_per_day: 5.5}", "limits.usd_per_day"),
    ("{compliance: [hipaa], hipaa: {on_phi: deny}}", "hipaa: {on_phi: constrain}",
     "hipaa.on_phi"),
    ("{compliance: [gdpr], gdpr: {allowed_regions: [eu]}}",
     "gdpr: {allowed_regions: [eu, us]}", "gdpr.allowed_regions: 'us'"),
    ("compliance: [gdpr]", "gdpr: {outside_regions: pseudonymize}", "gdpr.outside_regions"),
    ("sensitivity: {types: {SECRET: block}}", "mode: shadow",
     "mode: cannot shadow 'sensitive_data_blocked'"),
    ("max_tokens: 1000", "shadow_rules: [max_tokens_exceeded]",
     "shadow_rules: 'max_tokens_exceeded' is enforced"),
    ("compliance: [soc2]", "shadow_rules: [soc2_unattributed]", "shadow_rules"),
]  # fmt: skip


@pytest.mark.parametrize(("parent_file", "child_file"), LEVELS)
@pytest.mark.parametrize(("parent", "child", "rule"), WIDENINGS)
def test_a_child_cannot_widen_any_field_at_any_level(
    tmp_path: Path, parent_file: str, child_file: str, parent: str, child: str, rule: str
) -> None:
    write(tmp_path, {parent_file: parent + "\n", child_file: child + "\n"})
    with pytest.raises(PolicyError) as caught:
        load_tree(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / child_file} widens {tmp_path / parent_file}: ")
    assert rule in message


ROOT_WITH_EVERY_FIELD = """\
    mode: enforce
    shadow_rules: [sensitive_data_rewrite]
    models: ["gpt-4o*", "llama-*"]
    providers: [openai, azure-eu, vllm]
    localities: [cloud, local]
    regions: [eu, us]
    max_level: {cloud: confidential}
    max_tokens: 4096
    tools: false
    streaming: false
    sensitivity:
      types: {SECRET: block, CREDIT_CARD: redact}
      levels: {restricted: route_local}
    limits: {rpm: 600, tpm: 100000, usd_per_day: 50}
    compliance: [soc2, gdpr, hipaa]
    hipaa: {on_phi: deny}
    gdpr: {allowed_regions: [eu], outside_regions: constrain}
"""
INHERITED = (
    "all_shadow", "shadow_rules", "models", "providers", "localities", "regions", "max_level",
    "max_tokens", "tools", "streaming", "type_actions", "level_actions", "packs", "hipaa", "gdpr",
)  # fmt: skip


def test_an_org_that_sets_only_limits_inherits_every_other_rule_of_the_root(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "default.yaml": ROOT_WITH_EVERY_FIELD,
            "orgs/acme.yaml": "limits: {rpm: 60}\n",
            "orgs/acme/teams/web.yaml": "{}\n",
            "orgs/acme/teams/web/keys/bot.yaml": "description: only a description\n",
        },
    )
    tree = load_tree(tmp_path)
    root = tree.default
    for policy in (tree.orgs["acme"], tree.for_principal("acme", "web", "bot")):
        for name in INHERITED:
            assert getattr(policy, name) == getattr(root, name), name
        assert (policy.rpm, policy.tpm, policy.usd_per_day) == (60, 100000, 50)
        assert policy.quotas == (Quota("org", 60, 100000, 50),)
    org = tree.orgs["acme"]
    assert org.origins["sensitivity.types.SECRET"] == ("block", str(tmp_path / "default.yaml"))
    assert org.origins["limits.rpm"] == (60, str(tmp_path / "orgs/acme.yaml"))
    assert org.origins["compliance.hipaa"].file == str(tmp_path / "default.yaml")


def test_every_field_narrowed_is_in_force_and_names_its_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "default.yaml": ROOT_WITH_EVERY_FIELD,
            "orgs/acme.yaml": """\
                shadow_rules: []
                models: [gpt-4o-mini]
                providers: [vllm]
                localities: [local]
                regions: [eu]
                max_level: {cloud: internal, local: restricted}
                max_tokens: 512
                tools: false
                sensitivity: {types: {CREDIT_CARD: block, EMAIL: redact}}
                limits: {usd_per_day: 5}
            """,
        },
    )
    org = load_tree(tmp_path).orgs["acme"]
    assert org.shadow_rules == frozenset()
    assert org.models == (("gpt-4o*", "llama-*"), ("gpt-4o-mini",))
    assert (org.providers, org.localities, org.regions) == ({"vllm"}, {"local"}, {"eu"})
    assert org.max_level == {"cloud": "internal", "local": "restricted"}
    assert org.max_tokens == 512 and not org.tools and not org.streaming
    assert org.type_actions == {"SECRET": "block", "CREDIT_CARD": "block", "EMAIL": "redact"}
    assert org.quotas == (Quota("org", 600, 100000, 5),)
    here, root = str(tmp_path / "orgs/acme.yaml"), str(tmp_path / "default.yaml")
    froms = {rule: origin.file for rule, origin in org.origins.items()}
    assert {r for r, f in froms.items() if f == here} == {
        "shadow_rules", "models", "providers", "localities", "regions", "max_level.cloud",
        "max_level.local", "max_tokens", "sensitivity.types.CREDIT_CARD",
        "sensitivity.types.EMAIL", "limits.usd_per_day",
    }  # fmt: skip
    # Restating a parent's value (tools: false) leaves the rule where it came from.
    assert froms["tools"] == froms["sensitivity.types.SECRET"] == froms["limits.rpm"] == root


def test_packs_are_kept_whatever_a_child_lists(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "default.yaml": "compliance: [soc2]\n",
            "orgs/acme.yaml": "compliance: []\n",
            "orgs/acme/teams/web.yaml": "compliance: [hipaa]\n",
        },
    )
    tree = load_tree(tmp_path)
    assert tree.orgs["acme"].packs == {"soc2"}
    assert tree.teams[("acme", "web")].packs == {"soc2", "hipaa"}


def test_limits_of_the_root_and_an_org_count_once_per_org(tmp_path: Path) -> None:
    """Both count per org: two quotas on one counter would count each call twice."""
    write(
        tmp_path,
        {
            "default.yaml": "limits: {rpm: 100, tpm: 1000}\n",
            "orgs/acme.yaml": "limits: {rpm: 50}\n",
            "orgs/acme/teams/web.yaml": "limits: {rpm: 10}\n",
        },
    )
    tree = load_tree(tmp_path)
    assert tree.default.quotas == (Quota("org", 100, 1000),)
    assert tree.orgs["acme"].quotas == (Quota("org", 50, 1000),)
    assert tree.teams[("acme", "web")].quotas == (Quota("org", 50, 1000), Quota("team", 10, None))


def test_a_childs_glob_never_lets_through_a_model_its_ancestors_do_not(tmp_path: Path) -> None:
    # "gpt-4o*" matches the parent's pattern as a string, yet also names "gpt-4o" itself.
    files = {"default.yaml": 'models: ["gpt-4o?*"]', "orgs/acme.yaml": 'models: ["gpt-4o*"]'}
    write(tmp_path, files)
    org = load_tree(tmp_path).orgs["acme"]
    for model, allowed in (("gpt-4o-mini", True), ("gpt-4o", False)):
        verdict = Verdict(org, ALL)
        evaluate_policy(verdict, facts(model=model))
        assert (verdict.denial is None) is allowed


def test_a_child_may_shadow_its_own_rules_but_not_the_ones_it_inherits(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "default.yaml": "sensitivity: {types: {SECRET: block}}\n",
            "orgs/acme.yaml": "models: [gpt-4o-mini]\nshadow_rules: [model_not_allowed]\n",
            "orgs/acme/teams/web.yaml": "mode: enforce\n",
        },
    )
    tree = load_tree(tmp_path)
    trying = Verdict(tree.orgs["acme"], ALL)
    evaluate_policy(trying, facts(model="gpt-4o"))
    assert trying.denial is None and trying.shadowed == ["deny:model_not_allowed"]
    secret = facts(types=frozenset({"SECRET"}))
    judged = judge(secret, tree.orgs["acme"], ALL, DEFAULT_TYPE_LEVELS)
    assert judged.verdict.header() == "deny:sensitive_data_blocked"
    enforced = Verdict(tree.teams[("acme", "web")], ALL)
    evaluate_policy(enforced, facts(model="gpt-4o"))
    assert enforced.header() == "deny:model_not_allowed"


def test_shadow_mode_is_open_below_a_root_that_enforces_nothing(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "default.yaml": "limits: {rpm: 100}\n",
            "orgs/beta/teams/trial.yaml": "mode: shadow\nmax_tokens: 10\n",
        },
    )
    trial = load_tree(tmp_path).teams[("beta", "trial")]
    verdict = Verdict(trial, ALL)
    evaluate_policy(verdict, facts(max_tokens=500))
    assert verdict.header() == "shadow:deny:max_tokens_exceeded"


def test_a_stricter_action_in_shadow_cannot_displace_an_enforced_one(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "default.yaml": "sensitivity: {types: {CREDIT_CARD: redact}}\n",
            "orgs/acme.yaml": """\
                shadow_rules: [sensitive_data_local_only]
                sensitivity: {types: {CREDIT_CARD: route_local}}
            """,
        },
    )
    with pytest.raises(PolicyError) as caught:
        load_tree(tmp_path)
    assert str(caught.value).startswith(
        f"{tmp_path / 'orgs/acme.yaml'} widens {tmp_path / 'default.yaml'}: "
        "sensitivity.types.CREDIT_CARD: 'route_local' is in shadow"
    )


def test_a_finding_gets_the_strictest_action_in_force_when_a_stricter_one_is_in_shadow(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "default.yaml": "sensitivity: {types: {CREDIT_CARD: redact}}\n",
            "orgs/acme.yaml": """\
                shadow_rules: [sensitive_data_local_only]
                sensitivity: {levels: {restricted: route_local}}
            """,
        },
    )
    org = load_tree(tmp_path).orgs["acme"]
    card = facts(types=frozenset({"CREDIT_CARD"}), level="restricted")
    judged = judge(card, org, ALL, DEFAULT_TYPE_LEVELS)
    assert judged.rewrites == {"CREDIT_CARD": "redact"}
    assert judged.verdict.allowed_names() == {b.name for b in ALL}
    assert judged.verdict.shadowed == ["constrain:local_only"]


def test_an_unknown_shadow_rule_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path, {"orgs/acme.yaml": "shadow_rules: [no_such_rule]\n"})
    with pytest.raises(PolicyError, match=r"acme.yaml: shadow_rules.0: Input should be"):
        load_tree(tmp_path)


# Random parent and child files over every field: whenever the child loads, no call it allows
# is one its parent refuses, and it never handles a finding more loosely.
ACTION = st.sampled_from(list(ACTION_STRICTNESS))
LEVEL = st.sampled_from(["public", "internal", "confidential", "restricted"])
LOCALITY = st.sampled_from(["cloud", "local"])
ENTITY = st.sampled_from(["SECRET", "EMAIL", "CREDIT_CARD", "MEDICAL_RECORD_NUMBER"])
RULE = st.sampled_from(["sensitive_data_blocked", "sensitive_data_rewrite",
                        "sensitive_data_local_only", "model_not_allowed",
                        "max_tokens_exceeded", "sensitivity_level_exceeded",
                        "gdpr_transfer_outside_region", "hipaa_phi_requires_baa"])  # fmt: skip
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "mode": st.sampled_from(["enforce", "shadow"]),
    "shadow_rules": st.lists(RULE, max_size=2),
    "models": st.lists(st.sampled_from(["gpt-4o", "gpt-4o-mini", "gpt-4o*", "gpt-4o?*", "*"]),
                       max_size=2),
    "providers": st.lists(st.sampled_from([b.name for b in ALL]), max_size=3),
    "localities": st.lists(LOCALITY, max_size=2),
    "regions": st.lists(st.sampled_from(["us", "eu"]), max_size=2),
    "max_level": st.dictionaries(LOCALITY, LEVEL),
    "max_tokens": st.integers(1, 3000),
    "tools": st.booleans(),
    "streaming": st.booleans(),
    "sensitivity": st.fixed_dictionaries(
        {"types": st.dictionaries(ENTITY, ACTION), "levels": st.dictionaries(LEVEL, ACTION)}
    ),
    "limits": st.fixed_dictionaries({"rpm": st.integers(1, 100)}),
    "compliance": st.lists(st.sampled_from(["soc2", "gdpr", "hipaa"]), max_size=2),
    "hipaa": st.fixed_dictionaries({"on_phi": st.sampled_from(["constrain", "deny"])}),
    "gdpr": st.fixed_dictionaries(
        {
            "allowed_regions": st.lists(st.sampled_from(["us", "eu"]), max_size=2),
            "outside_regions": st.sampled_from(["constrain", "pseudonymize"]),
        }
    ),
}  # fmt: skip


@st.composite
def trees(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A root, an org and a team file, each setting some of the same few fields, so that most
    children load and meet their parent's rules on the fields they touch."""
    names = draw(st.lists(st.sampled_from(sorted(FIELDS)), min_size=1, max_size=4, unique=True))
    chosen = {name: FIELDS[name] for name in names}
    return [draw(st.fixed_dictionaries({}, optional=chosen)) for _ in range(3)]


FACTS = st.builds(
    facts,
    model=st.sampled_from(["gpt-4o", "gpt-4o-mini", "llama-3"]),
    stream=st.booleans(),
    max_tokens=st.none() | st.integers(1, 3000),
    has_tools=st.booleans(),
    level=LEVEL,
    types=st.frozensets(ENTITY),
    phi=st.booleans(),
    authenticated=st.booleans(),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=trees(), call=FACTS)
def test_a_child_that_loads_never_allows_what_its_ancestors_refuse(
    files: list[dict[str, Any]], call: CallFacts
) -> None:
    chain = [PERMISSIVE]
    for name, document in zip(("root", "org", "team"), files, strict=True):
        try:
            chain.append(narrow(chain[-1], PolicyDocument.model_validate(document), name))
        except PolicyError:
            break
    for parent, child in itertools.pairwise(chain):
        tighter, masked = outcome(child, call, ALL)
        if tighter.denial is None:
            # The parent, offered only the backends the child sends to and the data as the
            # child sends it, sends there too.
            sent = tighter.allowed_names()
            offered = tuple(b for b in ALL if b.name in sent)
            looser, _ = outcome(parent, call, offered, masked)
            assert looser.denial is None and looser.allowed_names() == sent
        # What is done to each finding (a rule in shadow does nothing) only gets stricter.
        carried_out = text_actions(child, call.types, DEFAULT_TYPE_LEVELS, in_force=True)
        for entity, action in text_actions(
            parent, call.types, DEFAULT_TYPE_LEVELS, in_force=True
        ).items():
            assert ACTION_STRICTNESS[carried_out[entity]] >= ACTION_STRICTNESS[action]
        assert child.packs >= parent.packs
        assert all(rpm_of(child, q.level) <= (q.rpm or 101) for q in parent.quotas)


def outcome(
    policy: EffectivePolicy,
    call: CallFacts,
    backends: tuple[Backend, ...],
    masked: frozenset[EntityType] = frozenset(),
) -> tuple[Verdict, frozenset[EntityType]]:
    """The verdict the chain reaches (sensitivity, policy, compliance), and the finding types
    pseudonymized; `masked`: types already pseudonymized before this policy sees them."""
    judged = judge(call, policy, backends, DEFAULT_TYPE_LEVELS)
    evaluate_policy(judged.verdict, call)
    pseudonymized = masked | {e for e, a in judged.rewrites.items() if a == "pseudonymize"}
    evaluate_compliance(judged.verdict, call, pseudonymized)
    return judged.verdict, pseudonymized


def rpm_of(policy: EffectivePolicy, level: str) -> int:
    return min((q.rpm or 101 for q in policy.quotas if q.level == level), default=101)
