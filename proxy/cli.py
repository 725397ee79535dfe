"""`metaqore` command line. Data to stdout, progress to stderr, one clear line on failure."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["scan"]:
        # Scripts run the scan once per batch and it needs no config: it starts without
        # importing the gateway (0.2 s instead of 1.1 s).
        from proxy.commands.scan import scan_main

        return scan_main(arguments[1:])
    return _run(_parser().parse_args(arguments))


def _parser() -> argparse.ArgumentParser:
    from proxy.commands.doctor import add_doctor_command
    from proxy.commands.evidence import add_evidence_command
    from proxy.commands.keys import add_keys_command
    from proxy.commands.policy import add_policy_command
    from proxy.commands.scan import add_scan_command
    from proxy.commands.serve import add_serve_command

    parser = argparse.ArgumentParser(prog="metaqore", description="MetaQore Gateway")
    commands = parser.add_subparsers(dest="command", required=True)
    add_serve_command(commands)
    add_scan_command(commands)
    add_evidence_command(commands)
    add_policy_command(commands)
    add_keys_command(commands)
    add_doctor_command(commands)
    return parser


def _run(args: argparse.Namespace) -> int:
    from governance.policy import PolicyError
    from proxy.config.gateway_config import ConfigError

    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except ConfigError as exc:
        print(f"metaqore: config error: {exc}", file=sys.stderr)
        return 2
    except PolicyError as exc:
        print(f"metaqore: policy error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
