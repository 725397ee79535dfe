"""`metaqore keys create|list|rotate|revoke`: the keys API for scripts, on the same store as the
gateways (no running gateway needed). Each change is recorded in the evidence ledger under
`cli:<user>` and announced to the gateways like one made through `/admin/keys`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import orjson
import yaml
from pydantic import ValidationError

from proxy.config.gateway_config import ConfigError, LoadedConfig, load_config
from proxy.config.keys import KeyRing
from proxy.keyring.admin import MAX_PAGE, KeyAdmin
from proxy.keyring.feed import build_key_feed
from proxy.keyring.requests import NewKey, RotateKey
from proxy.middleware.evidence_setup import build_ledger
from proxy.middleware.judging import load_policies
from proxy.wire.errors import GatewayError
from proxy.wire.invalid_body import invalid_request

__all__ = ["add_keys_command"]

M = TypeVar("M", NewKey, RotateKey)
Work = Callable[[KeyAdmin, str, str], Awaitable[dict[str, Any]]]


def add_keys_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="create, list, rotate and revoke API keys")
    actions = keys.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="a new key; its secret is printed once")
    create.add_argument("--name", required=True)
    create.add_argument("--org", required=True)
    create.add_argument("--team", default="default")
    create.add_argument("--policy-file", type=Path, help="the key's policy document (YAML)")
    create.add_argument("--expires-at", help="ISO-8601 with a time zone")
    listing = actions.add_parser("list", help="one page of keys, in id order")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--after", help="the last id of the previous page")
    rotate = actions.add_parser("rotate", help="a new secret; the old one works --grace-s more")
    rotate.add_argument("key_id")
    rotate.add_argument("--grace-s", type=float, default=0.0)
    rotate.add_argument("--idempotency-key", help="a retry with the same one gets the same answer")
    revoke = actions.add_parser("revoke", help="stop a key at once")
    revoke.add_argument("key_id")
    for sub in (create, listing, rotate, revoke):
        sub.add_argument("--config", default="gateway.yaml", help="config file (gateway.yaml)")
        sub.set_defaults(handler=run_keys)


def run_keys(args: argparse.Namespace) -> int:
    loaded = load_config(args.config)
    try:
        answer = asyncio.run(_with_admin(loaded, _work(args)))
    except GatewayError as exc:
        print(f"metaqore: {exc.message}", file=sys.stderr)
        return 1
    sys.stdout.write(orjson.dumps(answer).decode() + "\n")
    print(_summary(args.action, answer), file=sys.stderr)
    return 0


def _work(args: argparse.Namespace) -> Work:
    action = args.action
    if action == "create":
        body = _new_key(args)
        return lambda admin, who, rid: admin.create(body, who, rid)
    if action == "list":
        if not 1 <= args.limit <= MAX_PAGE:
            raise GatewayError(400, f"--limit: give 1 to {MAX_PAGE}.")
        return lambda admin, who, rid: admin.page(args.after, args.limit)
    if action == "rotate":
        grace = _checked(RotateKey, {"grace_s": args.grace_s})
        idempotency_key = args.idempotency_key
        return lambda admin, who, rid: admin.rotate(args.key_id, grace, idempotency_key, who, rid)
    return lambda admin, who, rid: admin.revoke(args.key_id, who, rid)


def _new_key(args: argparse.Namespace) -> NewKey:
    policy = None
    if args.policy_file is not None:
        try:
            policy = yaml.safe_load(args.policy_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"--policy-file: cannot read {args.policy_file}: {exc}") from None
    fields = {"name": args.name, "org": args.org, "team": args.team, "policy": policy}
    if args.expires_at is not None:
        fields["expires_at"] = args.expires_at
    return _checked(NewKey, fields)


def _checked(model: type[M], fields: dict[str, Any]) -> M:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise invalid_request(exc) from None


async def _with_admin(loaded: LoadedConfig, work: Work) -> dict[str, Any]:
    config = loaded.config
    if not config.evidence.enabled or config.admin is None:
        raise ConfigError("the keys API needs an 'admin' section and evidence on")
    ledger = build_ledger(config.evidence, loaded.path.parent, soc2=False)
    feed = build_key_feed(loaded, ledger)
    assert feed is not None
    policies = load_policies(loaded, KeyRing.from_config(config.keys).enabled)
    configured = KeyRing.from_config(config.keys).principals
    await ledger.start()
    try:
        admin = KeyAdmin(feed, ledger, policies.for_principal, configured)
        who = f"cli:{getpass.getuser()}"
        return await work(admin, who, f"cli_{secrets.token_hex(12)}")
    finally:
        await feed.aclose()
        await ledger.aclose()  # the change's record goes into the store now
        await ledger.store.aclose()


def _summary(action: str, answer: dict[str, Any]) -> str:
    if action == "list":
        more = f"; more after {answer['next_after']}" if answer["has_more"] else ""
        return f"{len(answer['data'])} keys{more}"
    verb = {"create": "created", "rotate": "rotated", "revoke": "revoked"}[action]
    shown = " (the secret is shown once: keep it now)" if "secret" in answer else ""
    return f"key {answer['id']} {verb}{shown}"
