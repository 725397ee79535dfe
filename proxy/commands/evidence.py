"""`metaqore evidence verify|checkpoint|export`: what an auditor runs against the ledger."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from governance.evidence import ChainKeys, EvidenceStore, make_checkpoint, relevant_to, verify
from proxy.config.gateway_config import ConfigError, load_config
from proxy.middleware.evidence_setup import chain_keys, open_store, spool_root

__all__ = ["add_evidence_command"]

_CSV_COLUMNS = (
    "writer_id", "seq", "request_id", "ts", "org", "team", "key_id", "endpoint", "model", "route",
    "status", "outcome", "decision", "sensitivity", "findings", "compliance", "policy_version",
    "latency_ms", "tokens_in", "tokens_out", "hash",
)  # fmt: skip


def add_evidence_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evidence = commands.add_parser("evidence", help="verify, checkpoint and export the ledger")
    actions = evidence.add_subparsers(dest="action", required=True)
    check = actions.add_parser("verify", help="recompute every chain; exit 1 on the first break")
    check.add_argument("--against", type=Path, help="a checkpoint file from 'checkpoint'")
    point = actions.add_parser("checkpoint", help="print a signed head of every chain")
    export = actions.add_parser("export", help="the records an auditor asks for")
    export.add_argument("--framework", choices=("hipaa", "gdpr", "soc2"), required=True)
    export.add_argument("--since", help="ISO-8601 UTC, e.g. 2026-11-01T00:00:00Z")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    for sub in (check, point, export):
        sub.add_argument("--config", default="gateway.yaml", help="config file (gateway.yaml)")
        sub.set_defaults(handler=run_evidence)


def run_evidence(args: argparse.Namespace) -> int:
    loaded = load_config(args.config)
    config = loaded.config.evidence
    base = loaded.path.parent
    if config.hmac_key is None and not (base / config.key_file).exists():
        raise ConfigError(f"evidence.key_file: {base / config.key_file} does not exist")
    keys = chain_keys(config, base)
    store = open_store(config, base)
    args.spool_root = spool_root(config, base)
    work = {"verify": _verify, "checkpoint": _checkpoint, "export": _export}[args.action]
    return asyncio.run(_closing(store, work(store, keys, args)))


async def _closing(store: EvidenceStore, work: Any) -> int:
    try:
        result: int = await work
        return result
    finally:
        await store.aclose()


async def _verify(store: EvidenceStore, keys: ChainKeys, args: argparse.Namespace) -> int:
    checkpoint = None
    if args.against is not None:
        try:
            checkpoint = json.loads(args.against.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            message = f"--against: cannot read a checkpoint from {args.against}: {exc}"
            raise ConfigError(message) from None
    report = await verify(store, keys, checkpoint, args.spool_root)
    broken = report.first_break
    print(json.dumps(report.summary()))
    if broken is not None:
        print(f"metaqore evidence verify: BROKEN at {broken}", file=sys.stderr)
        return 1
    against = " and matches the checkpoint" if checkpoint is not None else ""
    spooled = (
        f"; {report.spooled} more are spooled in {args.spool_root}, not yet in the store "
        "(they link on)"
        if report.spooled
        else ""
    )
    print(
        f"verified {report.records} records in {len(report.heads)} chains{against}{spooled}",
        file=sys.stderr,
    )
    return 0


async def _checkpoint(store: EvidenceStore, keys: ChainKeys, args: argparse.Namespace) -> int:
    try:
        checkpoint = await make_checkpoint(store, keys)
    except ValueError as exc:
        print(f"metaqore evidence checkpoint: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(checkpoint, indent=2, sort_keys=True))
    print(
        f"checkpoint of {checkpoint['records']} records in {len(checkpoint['chains'])} chains; "
        "keep it outside the database",
        file=sys.stderr,
    )
    return 0


async def _export(store: EvidenceStore, keys: ChainKeys, args: argparse.Namespace) -> int:
    report = await verify(store, keys)
    writer = csv.writer(sys.stdout) if args.format == "csv" else None
    if writer is not None:
        writer.writerow(_CSV_COLUMNS)
    outcomes: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    count = 0
    async for stored in store.since(args.since):
        fields = stored.fields()
        if not relevant_to(args.framework, fields):
            continue
        count += 1
        outcomes[str(fields.get("outcome"))] += 1
        decisions[str(fields.get("decision", "")).partition(":")[0]] += 1
        row = {**fields, "writer_id": stored.writer_id, "seq": stored.seq, "hash": stored.hash}
        if writer is None:
            sys.stdout.write(orjson.dumps(row, option=orjson.OPT_SORT_KEYS).decode() + "\n")
        else:
            writer.writerow([_cell(row.get(column)) for column in _CSV_COLUMNS])
    chain = "verified" if report.ok else f"BROKEN at {report.first_break}"
    print(
        f"{args.framework} export: {count} records since {args.since or 'the start'}; "
        f"outcomes {dict(outcomes)}; decisions {dict(decisions)}; ledger {chain}",
        file=sys.stderr,
    )
    return 0 if report.ok else 1


def _cell(value: object) -> object:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return "" if value is None else value
