"""`metaqore policy check PATH` and `metaqore policy explain`: lint a policy tree, and show the
decision a call would get and the rules that made it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from governance.assessment import assess, request_texts, scan_texts
from governance.compliance import evaluate_compliance
from governance.policy import evaluate_policy, load_tree
from governance.sensitivity import DEFAULT_TYPE_LEVELS
from proxy.call import Call, Principal
from proxy.config.gateway_config import ConfigError, load_config
from proxy.middleware.policy_source import PolicySource
from proxy.providers.build import build_provider
from proxy.router.targets import TargetTable, backends_of

__all__ = ["add_policy_command"]


def add_policy_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    policy = commands.add_parser("policy", help="lint policies and explain decisions")
    actions = policy.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="load a policy tree and report the first problem")
    check.add_argument("path", type=Path, help="policy directory (e.g. policies/)")
    check.set_defaults(handler=run_check)
    explain = actions.add_parser("explain", help="the decision a call would get, and why")
    explain.add_argument("--config", default="gateway.yaml", help="config file (gateway.yaml)")
    explain.add_argument(
        "--key", required=True, help="the key's name in the config (never the key)"
    )
    explain.add_argument("--model", required=True)
    explain.add_argument("--prompt-file", type=Path, required=True)
    explain.add_argument("--stream", action="store_true")
    explain.add_argument("--max-tokens", type=int)
    explain.set_defaults(handler=run_explain)


def run_check(args: argparse.Namespace) -> int:
    tree = load_tree(args.path)
    print(
        f"{args.path}: ok: {len(tree.orgs)} orgs, {len(tree.teams)} teams, {len(tree.keys)} keys "
        f"(every org narrows {'default.yaml' if tree.default.files else 'the built-in base'})",
        file=sys.stderr,
    )
    return 0


def run_explain(args: argparse.Namespace) -> int:
    loaded = load_config(args.config)
    config = loaded.config
    entry = next((k for k in config.keys or [] if k.name == args.key), None)
    if entry is None:
        raise ConfigError(f"--key: no key named '{args.key}' in {loaded.path}")
    principal = Principal(org=entry.org, team=entry.team, key_id=entry.name)
    try:
        prompt = args.prompt_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"--prompt-file: cannot read {args.prompt_file}: {exc.strerror}"
        ) from None
    governance = config.governance
    root = loaded.path.parent / governance.policies if governance.policies else None
    call = Call(
        request_id="explain",
        endpoint="chat",
        body={"model": args.model, "messages": [{"role": "user", "content": prompt}]},
        raw=b"",
        model=args.model,
        stream=args.stream,
        principal=principal,
    )
    if args.max_tokens is not None:
        call.body["max_tokens"] = args.max_tokens
    disabled = loaded.disabled_providers
    providers = {p.name: build_provider(p) for p in config.providers if p.name not in disabled}
    table = TargetTable(config, providers, disabled)
    backends = backends_of(config)
    candidates = tuple(backends[name] for name in table.provider_names(args.model))
    levels = {**DEFAULT_TYPE_LEVELS, **governance.type_levels}
    scanned = scan_texts(request_texts("chat", call.body))
    assessment = assess(
        scanned, call.body, endpoint="chat", model=args.model, stream=args.stream,
        authenticated=True, policy=PolicySource(root).for_call(call), candidates=candidates,
        type_levels=levels,
    )  # fmt: skip
    verdict, facts = assessment.verdict, assessment.facts
    if verdict.denial is None:
        evaluate_policy(verdict, facts)
    if verdict.denial is None:
        pseudonymized = frozenset(e for e, a in assessment.rewrites.items() if a == "pseudonymize")
        evaluate_compliance(verdict, facts, pseudonymized)
    denial = verdict.denial
    report = {
        "principal": {"org": principal.org, "team": principal.team, "key": principal.key_id},
        "policy_files": list(verdict.policy.files),
        "policy_version": verdict.policy.version,
        # Every rule in force and the file it comes from, the root's included.
        "in_force": [
            {"rule": rule, "value": origin.value, "from": origin.file}
            for rule, origin in sorted(verdict.policy.origins.items())
        ],
        "sensitivity": facts.level,
        "findings": assessment.counts,
        "actions": assessment.actions,
        "decision": verdict.header(),
        "denial": None if denial is None else {"rule": denial[0], "reason": denial[1]},
        "backends": sorted(verdict.allowed_names()),
        "compliance": [[c.pack, c.control, c.result] for c in verdict.compliance],
        "rules": verdict.trail,
    }
    print(json.dumps(report, indent=2))
    print("in force:", file=sys.stderr)
    for rule, origin in sorted(verdict.policy.origins.items()):
        print(f"  {rule} = {json.dumps(origin.value)}  ({origin.file})", file=sys.stderr)
    print(f"decision: {report['decision']}", file=sys.stderr)
    for line in verdict.trail:
        print(f"  {line}", file=sys.stderr)
    return 0
