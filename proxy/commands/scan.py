"""`metaqore scan`: the sensitivity detectors for people and scripts; needs no config.

With no files it reads JSON lines `{"text": ...}` on stdin and writes one JSON line per input,
`{"entities": [{"type", "start", "end", "score"}]}`. With files it prints a readable report.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from governance.sensitivity import scan_text

__all__ = ["add_scan_command", "scan_main"]

_HELP = "find sensitive data in text (JSON lines or files)"


def add_scan_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _arguments(commands.add_parser("scan", help=_HELP))


def scan_main(argv: list[str]) -> int:
    """`metaqore scan ARGS` on its own, without the other commands' imports."""
    parser = argparse.ArgumentParser(prog="metaqore scan", description=_HELP)
    _arguments(parser)
    return run_scan(parser.parse_args(argv))


def _arguments(scan: argparse.ArgumentParser) -> None:
    scan.add_argument("files", nargs="*", type=Path, help="plain text files (default: stdin)")
    scan.set_defaults(handler=run_scan)


def run_scan(args: argparse.Namespace) -> int:
    if args.files:
        return _report(args.files, sys.stdout)
    return _json_lines(sys.stdin, sys.stdout)


def _json_lines(source: TextIO, out: TextIO) -> int:
    status = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            print(f'metaqore scan: line {number}: expected {{"text": "..."}}', file=sys.stderr)
            out.write(json.dumps({"error": "expected an object with a string 'text'"}) + "\n")
            status = 1
            continue
        entities = [f.as_dict() for f in scan_text(text).findings]
        out.write(json.dumps({"entities": entities}) + "\n")
    return status


def _report(files: list[Path], out: TextIO) -> int:
    status = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"metaqore scan: cannot read {path}: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        findings = scan_text(text).findings
        out.write(f"{path}: {len(findings)} finding(s)\n")
        for finding in findings:
            line = text.count("\n", 0, finding.start) + 1
            column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
            length = finding.end - finding.start
            out.write(
                f"  {line}:{column}  {finding.type:<22} {length} chars  score {finding.score}\n"
            )
    return status
