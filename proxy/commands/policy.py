"""`metaqore policy check PATH` and `metaqore policy explain`: lint a policy tree, and show the
decision a call would get and the rules that made it."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from governance.policy import load_tree
from proxy.call import Call
from proxy.config.gateway_config import ConfigError, LoadedConfig, load_config
from proxy.config.keys import KeyRing
from proxy.middleware.explanation import explain, sample_call
from proxy.middleware.judging import build_judging
from proxy.router.build import build_routing
from proxy.wire.errors import GatewayError

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
    principal = KeyRing.from_config(loaded.config.keys).named(args.key)
    if principal is None:
        raise ConfigError(f"--key: no key named '{args.key}' in {loaded.path}")
    try:
        prompt = args.prompt_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"--prompt-file: cannot read {args.prompt_file}: {exc.strerror}"
        ) from None
    call = sample_call(principal, args.model, prompt, args.stream, args.max_tokens)
    report = asyncio.run(_explain(loaded, call))
    print(json.dumps(report, indent=2))
    print("in force:", file=sys.stderr)
    for rule in report["in_force"]:
        print(f"  {rule['rule']} = {json.dumps(rule['value'])}  ({rule['from']})", file=sys.stderr)
    print(f"decision: {report['decision']}", file=sys.stderr)
    for line in report["rules"]:
        print(f"  {line}", file=sys.stderr)
    return 0


async def _explain(loaded: LoadedConfig, call: Call) -> dict[str, Any]:
    """`call` through the judging stages, built by the builders `serve` builds them with."""
    routing = build_routing(loaded, _ignored, _ignored)
    try:
        keys_enabled = KeyRing.from_config(loaded.config.keys).enabled
        judging = build_judging(loaded, keys_enabled, routing.candidates)
        try:
            return await explain(judging.stages, call)
        except GatewayError as exc:  # not a decision: an unknown model, say
            raise ConfigError(f"--model: {exc.message}") from None
        finally:
            judging.offload.close()
    finally:
        for provider in routing.providers.values():
            await provider.aclose()


def _ignored(_name: str, _detail: str) -> None:
    """Routing's metrics hooks: nothing is routed here."""
